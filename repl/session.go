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
	case <-s.closed:
		// A command registered as the connection ended is never
		// completed: do not wait for it.
		select {
		case <-o.done:
			if !o.lost {
				return waitDone
			}
		default:
		}
		return waitLost
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
	// Closed first: whoever wakes up below must find the session closed.
	close(s.closed)
	for _, o := range s.tags.Drain() {
		o.lost = true
		close(o.done)
	}
	if s.onClose != nil {
		s.onClose()
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

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err == nil {
		_, s.err = s.w.Write(p)
	}
	return len(p), nil
}
