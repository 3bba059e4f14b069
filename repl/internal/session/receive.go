package session

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// readResponse reads one response, reports it to the observers as it
// streams in, and dispatches it. The Head and Response it reports are the
// Session's own, reused for the next response (observers do not keep
// them), so a response costs no allocation. With batch, untagged
// responses of one line that are already buffered are handled a few at a
// time under one lock of the hub (the reader goroutine does so; Greeting
// and RoundTrip read exactly one response); the Head returned is then the
// last one's.
func (s *Session) readResponse(batch bool) (wire.Head, error) {
	f, err := s.conn.R.ReadFragment()
	if err != nil {
		return wire.Head{}, err
	}
	resp := &s.resp
	resp.Head = wire.ParseHead(f.Text)
	if f.Literal >= 0 || resp.Head.Kind != wire.Untagged {
		return s.response(f)
	}
	s.lockHub()
	for n := 1; ; n++ {
		s.untaggedLine(f)
		if !batch || n == maxBatch || !s.conn.R.Ready() {
			s.unlockHub()
			return s.done(nil)
		}
		s.done(nil)
		// A whole line is buffered: reading it does not wait.
		if f, err = s.conn.R.ReadFragment(); err != nil {
			s.unlockHub()
			return wire.Head{}, err
		}
		resp.Head = wire.ParseHead(f.Text)
		if f.Literal >= 0 || resp.Head.Kind != wire.Untagged {
			s.unlockHub()
			return s.response(f)
		}
	}
}

// maxBatch is how many one-line responses the reader hands on under one
// lock of the hub, so that another goroutine's event waits little.
const maxBatch = 64

// lockHub and unlockHub hold the hub's lock around events delivered
// together; holding says so to onWait.
func (s *Session) lockHub() {
	s.hub.mu.Lock()
	s.holding = true
}

func (s *Session) unlockHub() {
	s.holding = false
	s.hub.mu.Unlock()
}

// onWait reports Idle: the connection is about to wait for the network,
// every octet received so far has been handed on (wire.Conn.OnWait calls
// it on the reading goroutine).
func (s *Session) onWait() {
	if s.holding || !s.hub.Wants(Idle) {
		return // (never while holding: a whole line is read then, no wait)
	}
	s.waitEv = Event{Kind: Idle}
	s.hub.Emit(&s.waitEv)
}

// untaggedLine reports and applies an untagged response of one line, whose
// Head is parsed (s.resp.Head); the hub's lock is held. An untagged
// response wakes nobody and starts nothing.
func (s *Session) untaggedLine(f wire.Fragment) {
	resp := &s.resp
	resp.Sizes = resp.Sizes[:0]
	s.quiet = s.quietFor(&resp.Head)
	s.deliverText(Begin, &resp.Head, nil)
	s.deliverText(Text, nil, &f)
	resp.Raw = append(s.raw[:0], f.Text...)
	// The state first, then the observers.
	s.dispatch(resp)
	s.deliverEnd(resp)
	s.quiet = false
	for _, a := range s.state.takeAnomalies() {
		s.rev = Event{Kind: Anomaly, Text: a}
		s.hub.deliver(&s.rev)
	}
	if note := s.mailboxNote(resp); note != "" {
		s.rev = Event{Kind: Note, Level: LevelNote, Text: note}
		s.hub.deliver(&s.rev)
	}
}

// response reads, reports and dispatches any response whose first
// fragment is f and whose Head is parsed (s.resp.Head): one announcing
// literals, a tagged one, a continuation request.
func (s *Session) response(f wire.Fragment) (wire.Head, error) {
	var err error
	resp := &s.resp
	resp.Sizes = resp.Sizes[:0]
	h := &resp.Head
	s.quiet = s.quietFor(h)
	s.emit(Event{Kind: Begin, Head: h})
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
		if raw, err = s.readLiteral(h, item, n, raw, keep, sink, where, o); err != nil {
			s.emit(Event{Kind: End, Err: err})
			s.quiet = false
			return *h, err
		}
		if f, err = s.conn.R.ReadFragment(); err != nil {
			s.emit(Event{Kind: End, Err: err})
			s.quiet = false
			return *h, err
		}
	}
	resp.Raw = raw
	// The state first, then the observers, then whoever waits: a waiter
	// that goes on must find the response shown and applied.
	wake := s.dispatch(resp)
	carried, err := s.startDeflate()
	if err != nil {
		s.emit(Event{Kind: End, Err: err})
		s.quiet = false
		return *h, err
	}
	s.emit(Event{Kind: End, Resp: resp})
	s.quiet = false
	for _, a := range s.state.takeAnomalies() {
		s.emit(Event{Kind: Anomaly, Text: a})
	}
	if carried > 0 {
		s.emit(Event{Kind: Note, Level: LevelNote, Text: fmt.Sprintf("the server sent %d compressed octets right after its COMPRESS OK: they were inflated as the start of its stream", carried)})
	}
	if note := s.mailboxNote(resp); note != "" {
		s.emit(Event{Kind: Note, Level: LevelNote, Text: note})
	}
	return s.done(wake)
}

// mailboxNote is the note on the mailbox name a response carries (see
// mailboxNote), asked of the State only for the responses that name one.
func (s *Session) mailboxNote(r *Response) string {
	if r.Head.Kind != wire.Untagged {
		return ""
	}
	switch r.Head.Name {
	case "LIST", "LSUB", "XLIST", "STATUS":
		return mailboxNote(r.Head, r.Raw, s.state.UTF8())
	}
	return ""
}

// done finishes a response once the observers have seen it: it wakes
// whoever waits for it and keeps the buffer for the next response.
func (s *Session) done(wake func()) (wire.Head, error) {
	if wake != nil {
		wake()
	}
	raw := s.resp.Raw
	if cap(raw) <= 4<<20 {
		s.raw = raw[:0] // reuse the buffer, unless a huge response grew it
	} else {
		s.raw = nil
	}
	s.resp.Raw = nil
	return s.resp.Head, nil
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
	s.emit(Event{Kind: Literal, Head: h, Size: n, Item: item, Sink: where})
	var got int64
	var sinkErr error
	for {
		// The octets are handed on from the reader's buffer, uncopied.
		chunk, err := s.conn.R.LiteralChunk(maxChunk)
		if m := len(chunk); m > 0 {
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

// maxChunk is the most literal octets one LiteralData event carries.
const maxChunk = 32 << 10

func (s *Session) sinkFor(h *wire.Head, item string, n int64) (io.Writer, string, *Op) {
	if h.Kind != wire.Untagged || h.Name != "FETCH" {
		return nil, "", nil
	}
	for _, o := range s.inFlight() {
		if o.cmd.Sink == nil || o.Abandoned() {
			continue
		}
		if w, where := o.cmd.Sink(*h, item, n); w != nil {
			return w, where, o
		}
	}
	return nil, "", nil
}

// inFlight returns the commands in flight, oldest first, in a slice of the
// reader goroutine's that the next call reuses.
func (s *Session) inFlight() []*Op {
	s.flight = s.tags.AppendInFlight(s.flight[:0])
	return s.flight
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
		o, ok := s.finishTag(h.Tag)
		if !ok {
			return func() {
				s.emit(Event{Kind: Anomaly, Rule: "unknown-tag", Text: fmt.Sprintf("the server completed tag %s, which no command in flight has (protocol violation)", h.Tag)})
			}
		}
		s.state.complete(o.Name, o.Args, h)
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
	if s.collecting.Load() == 0 {
		return nil
	}
	var cp *Response
	for _, o := range s.inFlight() {
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

// deliverText and deliverEnd report the events of a one-line response with
// the hub's lock held, written straight into the reused Event.
func (s *Session) deliverText(k EventKind, h *wire.Head, f *wire.Fragment) {
	e := &s.rev
	*e = Event{Kind: k, Head: h, Quiet: s.quiet}
	if f != nil {
		e.Data, e.BareLF = f.Text, f.BareLF
	}
	s.hub.deliver(e)
}

func (s *Session) deliverEnd(r *Response) {
	e := &s.rev
	*e = Event{Kind: End, Resp: r, Quiet: s.quiet}
	s.hub.deliver(e)
}

// quietFor decides whether the response that begins with h is marked
// Quiet: the completion of a quiet command, or an untagged response while
// only quiet commands are in flight.
func (s *Session) quietFor(h *wire.Head) bool {
	if s.quietN.Load() == 0 || h.Kind == wire.Continuation {
		return false
	}
	inflight := s.inFlight()
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
