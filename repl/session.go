package repl

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// Response is one whole response as the helpers see it: its head and its
// bytes with literals inline. A literal larger than the capture limit (or
// one sent to a sink) is replaced by an empty one; Sizes gives every
// literal's real size.
type Response struct {
	Head  wire.Head
	Raw   []byte
	Sizes []int64
}

// Command is a command to send.
type Command struct {
	Tag  string // the user's own tag; "" for the next one
	Text string // the command after the tag, up to and with a literal header
	// Display replaces Text in the printed echo, to keep secrets off screen.
	Display string
	// Internal commands are a helper's: their NO or BAD is the helper's to
	// judge and does not count in the exit status.
	Internal bool
	// OnData receives every untagged response that arrives while the
	// command is in flight. It runs on the reader goroutine and must copy
	// what it keeps.
	OnData func(*Response)
	// Sink, when it returns a writer, receives the octets of a literal of
	// an untagged FETCH response instead of the screen. item is the fetch
	// item the literal belongs to, such as "BODY[]"; where says what became
	// of the octets, for the note shown in their place ("saved to m.eml").
	Sink func(h wire.Head, item string, size int64) (w io.Writer, where string)
}

// op is a command in flight.
type op struct {
	cmd       *Command
	tag, name string
	args      string
	done      chan struct{}
	result    wire.Head // the tagged completion
	lost      bool      // the connection ended before completion
	abandoned atomic.Bool
}

// Session is a connection with its reader goroutine, tagger, state and
// printer.
type Session struct {
	conn  *wire.Conn
	tags  *tagger.Tagger[*op]
	pr    *Printer
	state *State
	opt   sessionOptions

	wmu    sync.Mutex // serializes writes
	cont   chan wire.Head
	closed chan struct{}
	err    error // why the reader stopped; read after closed
	failed atomic.Int32
	byeOK  atomic.Bool // a LOGOUT was sent: the server closing is expected
	hangup atomic.Bool // imapsh closed the connection on purpose
	// onClose runs on the reader goroutine when the connection has ended,
	// to wake a console waiting for input.
	onClose func()

	buf []byte // literal chunk buffer, reader goroutine only
	raw []byte
}

type sessionOptions struct {
	interactive  bool  // summarise large literals
	literalLimit int64 // literals above this are summarised when interactive
	captureLimit int64 // literals above this are not kept for helpers
}

func newSession(c *wire.Conn, pr *Printer, st *State, prefix string, opt sessionOptions) *Session {
	return &Session{
		conn: c, pr: pr, state: st, opt: opt,
		tags:   tagger.New[*op](prefix),
		cont:   make(chan wire.Head, 16),
		closed: make(chan struct{}),
		buf:    make([]byte, 32<<10),
	}
}

// ErrClosed is returned when the connection has ended.
var ErrClosed = errors.New("connection closed")

// start registers and sends a command. The text may end in a literal
// header; the caller then sends the literal with sendLiteral.
func (s *Session) start(c *Command) (*op, error) {
	select {
	case <-s.closed:
		return nil, s.closedErr()
	default:
	}
	tag := c.Tag
	if tag == "" {
		tag = s.tags.Next()
	}
	name, args := commandName(c.Text)
	o := &op{cmd: c, tag: tag, name: name, args: args, done: make(chan struct{})}
	if err := s.tags.Start(tag, o); err != nil {
		return nil, err
	}
	// A continuation request that arrived before this command was sent
	// cannot be for it.
	for len(s.cont) > 0 {
		<-s.cont
	}
	s.state.begin(name, args)
	if name == "LOGOUT" {
		s.byeOK.Store(true)
	}
	shown := c.Text
	if c.Display != "" {
		shown = c.Display
	}
	s.pr.Sent(tag + " " + shown)
	if err := s.writeLine(tag + " " + c.Text); err != nil {
		s.tags.Finish(tag)
		return nil, err
	}
	return o, nil
}

// commandName returns the upper-cased command name ("UID FETCH" for UID
// commands) and the rest of the text.
func commandName(text string) (name, args string) {
	name, args, _ = strings.Cut(strings.TrimSpace(text), " ")
	name = strings.ToUpper(name)
	if name == "UID" {
		sub, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
		name, args = "UID "+strings.ToUpper(sub), rest
	}
	return name, strings.TrimSpace(args)
}

func (s *Session) writeLine(line string) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.conn.W.WriteLine(line); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}

// sendMore sends the next line of a command after a literal; display is what
// is echoed.
func (s *Session) sendMore(text, display string) error {
	s.pr.Sent(display)
	return s.writeLine(text)
}

// sendLiteral sends a literal's octets.
func (s *Session) sendLiteral(r io.Reader, n int64, desc string) error {
	s.pr.Sent(fmt.Sprintf("[%d octets: %s]", n, desc))
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.conn.W.WriteLiteral(r, n); err != nil {
		return fmt.Errorf("sending the literal: %w", err)
	}
	return nil
}

// waitKind is what a wait ended with.
type waitKind uint8

const (
	waitDone        waitKind = iota // the tagged completion arrived
	waitContinue                    // the server asked for more ("+")
	waitInterrupted                 // the user stopped waiting
	waitLost                        // the connection ended
)

// wait waits for the command's completion or, when wantCont, for a
// continuation request. intr may be nil.
func (s *Session) wait(o *op, wantCont bool, intr <-chan struct{}) waitKind {
	var cont chan wire.Head
	if wantCont {
		cont = s.cont
	}
	select {
	case <-o.done:
		if o.lost {
			return waitLost
		}
		return waitDone
	case <-cont:
		return waitContinue
	case <-intr:
		o.abandoned.Store(true)
		return waitInterrupted
	}
}

// closedErr says why the connection ended.
func (s *Session) closedErr() error {
	<-s.closed
	if s.err == nil || errors.Is(s.err, io.EOF) {
		return ErrClosed
	}
	return s.err
}

// run starts the reader goroutine.
func (s *Session) run() { go s.readLoop() }

func (s *Session) readLoop() {
	var err error
	for err == nil {
		_, err = s.readResponse()
	}
	s.finish(err)
}

// finish records why the connection ended and releases every waiter.
func (s *Session) finish(err error) {
	s.err = err
	if !s.byeOK.Load() && !s.hangup.Load() {
		if err == io.EOF {
			s.pr.Warn("the server closed the connection")
		} else {
			s.pr.Warn("the connection failed: %v", err)
		}
	}
	if s.onClose != nil {
		s.onClose()
	}
	for _, o := range s.tags.Drain() {
		o.lost = true
		close(o.done)
	}
	close(s.closed)
}

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
		raw = append(raw, f.Text...)
		rw.text(f.Text, f.Literal < 0)
		if f.Literal < 0 {
			break
		}
		raw = append(raw, "\r\n"...)
		rw.text([]byte("\r\n"), true)
		resp.Sizes = append(resp.Sizes, f.Literal)
		item := fetchItemBefore(f.Text)
		if raw, err = s.readLiteral(rw, lineStyle, h, item, f.Literal, raw); err != nil {
			rw.end()
			return h, err
		}
		if f, err = s.conn.R.ReadFragment(); err != nil {
			rw.end()
			return h, err
		}
	}
	rw.end()
	s.raw = raw
	resp.Raw = raw
	s.dispatch(&resp)
	return h, nil
}

// fetchItemBefore returns the word before a literal header, such as
// "BODY[]" in "* 1 FETCH (BODY[] {5}".
func fetchItemBefore(text []byte) string {
	s := strings.TrimRight(string(text), "}+-0123456789{~")
	s = strings.TrimRight(s, " ")
	if i := strings.LastIndexAny(s, " ("); i >= 0 {
		s = s[i+1:]
	}
	return strings.ToUpper(s)
}

// readLiteral streams one literal to a sink or the screen, keeping a copy
// in raw when it is small enough for the helpers.
func (s *Session) readLiteral(rw *respWriter, lineStyle style, h wire.Head, item string, n int64, raw []byte) ([]byte, error) {
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
		return elide(raw, n), err
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
		raw = elide(raw, n)
	}
	return raw, nil
}

// elide rewrites the literal header that ends raw to announce an empty
// literal: the helpers parse raw, and the real size is in Response.Sizes.
func elide(raw []byte, n int64) []byte {
	hdr := fmt.Sprintf("{%d}\r\n", n)
	if i := strings.LastIndex(string(raw), hdr); i >= 0 {
		raw = append(raw[:i], "{0}\r\n"...)
	}
	return raw
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

// roundTrip sends a command and reads responses on the calling goroutine
// until it completes. It is used before the reader goroutine runs (the
// greeting phase and STARTTLS), where nothing may read ahead.
func (s *Session) roundTrip(c *Command) (wire.Head, error) {
	o, err := s.start(c)
	if err != nil {
		return wire.Head{}, err
	}
	for {
		if _, err := s.readResponse(); err != nil {
			s.tags.Finish(o.tag)
			return wire.Head{}, err
		}
		select {
		case <-o.done:
			return o.result, nil
		default:
		}
	}
}

// stickyWriter remembers the first write error and then discards, so that
// a literal is always read to its end.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err == nil {
		_, s.err = s.w.Write(p)
	}
	return len(p), nil
}
