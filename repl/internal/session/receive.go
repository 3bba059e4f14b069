package session

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// readResponse reads one response, reports it to the observers as it
// streams in, and dispatches it.
func (s *Session) readResponse() (wire.Head, error) {
	f, err := s.conn.R.ReadFragment()
	if err != nil {
		return wire.Head{}, err
	}
	h := wire.ParseHead(f.Text)
	s.quiet = s.quietFor(h)
	s.emit(Event{Kind: Begin, Head: &h})
	resp := Response{Head: h}
	raw := s.raw[:0]
	var kept int64 // literal octets kept in raw
	for {
		s.emit(Event{Kind: Text, Data: f.Text, BareLF: f.BareLF})
		if f.Literal < 0 {
			raw = append(raw, f.Text...)
			break
		}
		n := f.Literal
		item := string(f.Item)
		sink, where, o := s.sinkFor(h, item, n)
		keep := sink == nil && kept+n <= s.opt.CaptureLimit
		if keep {
			raw = append(raw, f.Text...)
			kept += n
		} else {
			raw = appendElided(raw, f.Text, f.LiteralAt)
		}
		raw = append(raw, crlf...)
		if f.BareLF {
			// Observers see the line end as it was: a transcript keeps
			// the octets exactly.
			s.emit(Event{Kind: Text, Data: crlf[1:]})
		} else {
			s.emit(Event{Kind: Text, Data: crlf})
		}
		resp.Sizes = append(resp.Sizes, n)
		if raw, err = s.readLiteral(&h, item, n, raw, keep, sink, where, o); err != nil {
			s.emit(Event{Kind: End, Err: err})
			return h, err
		}
		if f, err = s.conn.R.ReadFragment(); err != nil {
			s.emit(Event{Kind: End, Err: err})
			return h, err
		}
	}
	resp.Raw = raw
	// The state first, then the observers, then whoever waits: a waiter
	// that goes on must find the response shown and applied.
	wake := s.dispatch(&resp)
	carried, err := s.startDeflate()
	if err != nil {
		s.emit(Event{Kind: End, Err: err})
		return h, err
	}
	s.emit(Event{Kind: End, Resp: &resp})
	s.quiet = false
	for _, a := range s.state.takeAnomalies() {
		s.emit(Event{Kind: Anomaly, Text: a})
	}
	if carried > 0 {
		s.emit(Event{Kind: Note, Level: LevelNote, Text: fmt.Sprintf("the server sent %d compressed octets right after its COMPRESS OK: they were inflated as the start of its stream", carried)})
	}
	if note := mailboxNote(h, resp.Raw, s.state.UTF8()); note != "" {
		s.emit(Event{Kind: Note, Level: LevelNote, Text: note})
	}
	if wake != nil {
		wake()
	}
	if cap(raw) <= 4<<20 {
		s.raw = raw // reuse the buffer, unless a huge response grew it
	} else {
		s.raw = nil
	}
	return h, nil
}

var crlf = []byte("\r\n")

// appendElided appends text with its literal header (at at) replaced by
// one for an empty literal, keeping a "~" (literal8).
func appendElided(raw, text []byte, at int) []byte {
	raw = append(raw, text[:at]...)
	if text[at] == '~' {
		raw = append(raw, '~')
	}
	return append(raw, "{0}"...)
}

// readLiteral streams one literal to a sink or to the observers, keeping a
// copy in raw when keep.
func (s *Session) readLiteral(h *wire.Head, item string, n int64, raw []byte, keep bool, sink io.Writer, where string, o *Op) ([]byte, error) {
	lit := s.conn.R.Literal()
	s.emit(Event{Kind: Literal, Head: h, Size: n, Item: item, Sink: where})
	var got int64
	var sinkErr error
	for {
		m, err := lit.Read(s.buf)
		if m > 0 {
			chunk := s.buf[:m]
			switch {
			case sink != nil:
				o.mu.Lock()
				if !o.abandoned && sinkErr == nil {
					// A sink that fails (a full disk) must not break the
					// connection: the rest is read and dropped.
					if _, werr := sink.Write(chunk); werr != nil {
						sinkErr = werr
					}
				}
				o.mu.Unlock()
			case keep:
				raw = append(raw, chunk...)
			}
			s.emit(Event{Kind: LiteralData, Data: chunk, Sink: where})
			got += int64(m)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			s.emit(Event{Kind: LiteralEnd, Size: got, Sink: where, Err: err})
			return raw, err
		}
	}
	s.emit(Event{Kind: LiteralEnd, Size: got, Sink: where, Err: sinkErr})
	return raw, nil
}

func (s *Session) sinkFor(h wire.Head, item string, n int64) (io.Writer, string, *Op) {
	if h.Kind != wire.Untagged || h.Name != "FETCH" {
		return nil, "", nil
	}
	for _, o := range s.tags.InFlight() {
		if o.cmd.Sink == nil || o.Abandoned() {
			continue
		}
		if w, where := o.cmd.Sink(h, item, n); w != nil {
			return w, where, o
		}
	}
	return nil, "", nil
}

// dispatch applies a response to the state and to the commands in flight.
// It returns what must happen after the observers have seen the response:
// waking a waiter, reporting an anomaly.
func (s *Session) dispatch(r *Response) (wake func()) {
	h := r.Head
	switch h.Kind {
	case wire.Continuation:
		return func() { s.continuation(h) }
	case wire.Tagged:
		o, ok := s.tags.Finish(h.Tag)
		if !ok {
			return func() {
				s.emit(Event{Kind: Anomaly, Rule: "unknown-tag", Text: fmt.Sprintf("the server completed tag %s, which no command in flight has (protocol violation)", h.Tag)})
			}
		}
		s.state.complete(o.Name, o.Args, h)
		if o.cmd.Quiet {
			s.quietN.Add(-1)
		}
		// RFC 4978: the server compresses everything after this CRLF.
		s.deflate = o.Name == "COMPRESS" && h.Name == "OK" && strings.EqualFold(o.Args, "DEFLATE")
		if !o.cmd.Internal && h.Name != "OK" {
			s.failed.Add(1)
		}
		o.result.Status = h
		return func() {
			close(o.done)
			if o.Abandoned() {
				s.hub.Notef(LevelNote, "%s, which you stopped waiting for, has now completed: %s", o.Tag, h.Name)
			}
			s.releasePending()
		}
	}
	s.state.apply(h, r.Raw)
	var cp *Response
	for _, o := range s.tags.InFlight() {
		if !o.cmd.Collect {
			continue
		}
		if cp == nil {
			cp = &Response{Head: h, Raw: bytes.Clone(r.Raw), Sizes: append([]int64(nil), r.Sizes...)}
		}
		o.result.Data = append(o.result.Data, cp)
	}
	return nil
}

// continuation hands a "+" to the command it is meant for: the oldest in
// flight that can take one. An abandoned IDLE or AUTHENTICATE is ended at
// once.
func (s *Session) continuation(h wire.Head) {
	inflight := s.tags.InFlight()
	for _, o := range inflight {
		if !o.takesContinuation() {
			continue
		}
		o.mu.Lock()
		if o.endLine != "" && !o.ended {
			o.ended = true
			line := o.endLine
			o.mu.Unlock()
			s.writeLine(o, line, "", nil)
			s.releasePending()
			return
		}
		o.mu.Unlock()
		select {
		case o.cont <- h:
		default:
			s.emit(Event{Kind: Anomaly, Text: fmt.Sprintf("the server asked for more (+) twice before %s answered the first: the second is ignored (a protocol violation)", o.Tag)})
		}
		return
	}
	if len(inflight) > 0 {
		s.emit(Event{Kind: Anomaly, Rule: "unsolicited-continuation", Text: fmt.Sprintf("the server asked for more (+), but %s takes no continuation: ignored (a protocol violation)", inflight[0].Name)})
		return
	}
	s.emit(Event{Kind: Anomaly, Rule: "unsolicited-continuation", Text: "the server asked for more (+) while no command is in flight: ignored (a protocol violation)"})
}

// takesContinuation reports commands that may be asked for more: those
// that send literals or are answered line by line after a "+" (IDLE,
// AUTHENTICATE), and commands imapsh does not know, which may be
// extensions that do.
func (o *Op) takesContinuation() bool {
	if o.Name == "IDLE" || o.Name == "AUTHENTICATE" || o.literals.Load() {
		return true
	}
	first, _, _ := strings.Cut(o.Name, " ")
	return !wire.IsCommand(first)
}

// emit reports an event of the reader goroutine through one reused Event,
// so streaming a literal allocates nothing per chunk.
func (s *Session) emit(e Event) {
	s.rev = e
	s.rev.Quiet = s.quiet
	s.hub.Emit(&s.rev)
}

// quietFor decides whether the response that begins with h is marked
// Quiet: the completion of a quiet command, or an untagged response while
// only quiet commands are in flight.
func (s *Session) quietFor(h wire.Head) bool {
	if s.quietN.Load() == 0 || h.Kind == wire.Continuation {
		return false
	}
	inflight := s.tags.InFlight()
	if h.Kind == wire.Tagged {
		for _, o := range inflight {
			if o.Tag == h.Tag {
				return o.cmd.Quiet
			}
		}
		return false
	}
	for _, o := range inflight {
		if !o.cmd.Quiet {
			return false
		}
	}
	return len(inflight) > 0
}

// startDeflate turns on COMPRESS=DEFLATE after the tagged OK of a
// "COMPRESS DEFLATE", before anything else is read or written. It returns
// how many compressed octets had arrived with the OK.
func (s *Session) startDeflate() (int, error) {
	if !s.deflate {
		return 0, nil
	}
	s.deflate = false
	s.wmu.Lock()
	defer s.wmu.Unlock()
	n, err := s.conn.StartDeflate()
	if err != nil {
		return 0, fmt.Errorf("starting COMPRESS=DEFLATE: %w", err)
	}
	return n, nil
}
