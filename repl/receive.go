package repl

import (
	"io"

	"github.com/imapsh/imapsh/wire"
)

// readResponse reads, prints and dispatches one response.
func (s *Session) readResponse() (wire.Head, error) {
	f, err := s.conn.R.ReadFragment()
	if err != nil {
		return wire.Head{}, err
	}
	h := wire.ParseHead(f.Text)
	rw := s.pr.response(h)
	lineStyle := rw.st
	resp := Response{Head: h}
	raw := s.raw[:0]
	for {
		// The offset in raw of the literal's "{", kept to elide it.
		brace := len(raw) + f.LiteralAt
		if f.Literal >= 0 && f.Text[f.LiteralAt] == '~' {
			brace++
		}
		raw = append(raw, f.Text...)
		rw.text(f.Text, f.Literal < 0)
		if f.Literal < 0 {
			break
		}
		raw = append(raw, "\r\n"...)
		rw.text([]byte("\r\n"), true)
		resp.Sizes = append(resp.Sizes, f.Literal)
		if raw, err = s.readLiteral(rw, lineStyle, h, string(f.Item), f.Literal, raw, brace); err != nil {
			rw.end()
			return h, err
		}
		if f, err = s.conn.R.ReadFragment(); err != nil {
			rw.end()
			return h, err
		}
	}
	rw.end()
	resp.Raw = raw
	s.dispatch(&resp)
	if cap(raw) <= 4<<20 {
		s.raw = raw // reuse the buffer, unless a huge response grew it
	} else {
		s.raw = nil
	}
	return h, nil
}

// readLiteral streams one literal to a sink or the screen, keeping a copy
// in raw when it is small enough for the helpers. item is the FETCH item
// the literal belongs to, brace the offset in raw of its "{".
func (s *Session) readLiteral(rw *respWriter, lineStyle style, h wire.Head, item string, n int64, raw []byte, brace int) ([]byte, error) {
	lit := s.conn.R.Literal()
	if sink, where := s.sinkFor(h, item, n); sink != nil {
		// A sink that fails (a full disk) must not break the connection:
		// the rest of the literal is read and dropped, and the failure shown.
		sw := &stickyWriter{w: sink}
		got, err := io.Copy(sw, lit)
		if sw.err != nil {
			rw.note("[%d octets of %s read; writing them %s failed: %v]", got, item, where, sw.err)
		} else {
			rw.note("[%d of %d octets of %s %s, not shown]", got, n, item, where)
		}
		return elide(raw, brace), err
	}
	capture := n <= s.opt.captureLimit
	show := n
	if s.opt.interactive && n > s.opt.literalLimit {
		show = min(n, 2048)
	}
	rw.literal(true, lineStyle)
	defer rw.literal(false, lineStyle)
	var shown int64
	for {
		m, err := lit.Read(s.buf)
		if m > 0 {
			chunk := s.buf[:m]
			if capture {
				raw = append(raw, chunk...)
			}
			if shown < show {
				rw.text(chunk[:min(int64(m), show-shown)], false)
				rw.flush()
			}
			shown += int64(m)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return raw, err
		}
	}
	if show < n {
		rw.note("[... %d more octets of this %d-octet literal not shown: use `save UID FILE` to keep it whole, or run with --raw]", n-show, n)
		rw.bol = true
	}
	if !capture {
		raw = elide(raw, brace)
	}
	return raw, nil
}

// elide rewrites the literal header that ends raw, whose "{" is at brace,
// to announce an empty literal: the helpers parse raw, and the real size is
// in Response.Sizes. The size is not searched for as text: a server may
// write it with leading zeros ({05}).
func elide(raw []byte, brace int) []byte {
	return append(raw[:brace], "{0}\r\n"...)
}

func (s *Session) sinkFor(h wire.Head, item string, n int64) (io.Writer, string) {
	if h.Kind != wire.Untagged || h.Name != "FETCH" {
		return nil, ""
	}
	for _, o := range s.tags.InFlight() {
		if o.cmd.Sink != nil {
			if w, where := o.cmd.Sink(h, item, n); w != nil {
				return w, where
			}
		}
	}
	return nil, ""
}

// dispatch updates the state and wakes whoever waits for the response.
func (s *Session) dispatch(r *Response) {
	h := r.Head
	switch h.Kind {
	case wire.Continuation:
		select {
		case s.cont <- h:
		default:
			s.pr.Warn("continuation request dropped: no command is waiting for one")
		}
	case wire.Tagged:
		o, ok := s.tags.Finish(h.Tag)
		if !ok {
			s.pr.Warn("the server completed tag %s, which no command in flight has (protocol violation)", h.Tag)
			return
		}
		s.state.complete(o.name, o.args, h)
		if !o.cmd.Internal && h.Name != "OK" {
			s.failed.Add(1)
		}
		o.result = h
		if o.abandoned.Load() {
			s.pr.Note("%s, which you stopped waiting for, has now completed: %s", o.tag, h.Name)
		}
		close(o.done)
	default:
		s.state.apply(h, r.Raw)
		for _, o := range s.tags.InFlight() {
			if o.cmd.OnData != nil {
				o.cmd.OnData(r)
			}
		}
	}
}

// stickyWriter remembers the first write error and then discards, so that
// a literal is always read to its end.
type stickyWriter struct {
	w   io.Writer
	err error
}
