package session

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// Response is one whole response as the caller sees it: its head and its
// bytes with literals inline. A literal that would take the response past
// the capture limit (or one sent to a sink) is kept as an empty one; Sizes
// gives every literal's real size, in order.
type Response struct {
	Head  wire.Head
	Raw   []byte
	Sizes []int64
}

// Command is a command to send.
type Command struct {
	Tag  string // the user's own tag; "" for the next one
	Text string // the command after the tag, up to and with a literal header
	// Display replaces Text in what a person is shown, to word a hidden
	// secret ("AUTHENTICATE PLAIN [credentials hidden]"). Observers that
	// keep lines use the secret spans the engine marks instead.
	Display string
	// Internal commands are a helper's: their NO or BAD is the helper's to
	// judge and does not count in Failed.
	Internal bool
	// Collect keeps a copy of every untagged response that arrives while
	// the command is in flight, for Result.Data.
	Collect bool
	// Quiet marks a command a person need not see (a keepalive NOOP): its
	// events, and those of the responses that arrive while only quiet
	// commands are in flight, carry Event.Quiet, so that an observer can
	// hold them back unless they bring news.
	Quiet bool
	// Sink, when it returns a writer, receives the octets of a literal of
	// an untagged FETCH response instead of the observers' screens. item
	// is the FETCH item the literal belongs to, such as "BODY[]"; where
	// says what becomes of the octets ("written to m.eml"). Sink and the
	// writer run on the reader goroutine; once the command is abandoned
	// (Op.Abandon) they are not called again.
	Sink func(h wire.Head, item string, size int64) (w io.Writer, where string)
}

// Result is how a command ended. It is read after the Op is done.
type Result struct {
	Status wire.Head   // the tagged completion
	Data   []*Response // untagged responses while in flight, when Collect
	Lost   bool        // the connection ended before the completion
}

// Options configures a Session.
type Options struct {
	TagPrefix string // "a" gives a001, a002 ...
	// CaptureLimit caps the literal octets kept per response in
	// Response.Raw; larger literals are elided (their size stays in Sizes).
	CaptureLimit int64
}

// Session is one IMAP connection: its reader goroutine, the tags in
// flight and the State. Start and the Op methods are safe for concurrent
// use with the reader goroutine; one goroutine drives the commands.
type Session struct {
	conn  *wire.Conn
	tags  *tagger.Tagger[*Op]
	hub   *Hub
	state *State
	opt   Options

	wmu     sync.Mutex // serializes writes
	closed  chan struct{}
	err     error // why the reader stopped; read after closed
	failed  atomic.Int32
	byeOK   atomic.Bool  // a LOGOUT was sent: the server closing is expected
	hangup  atomic.Bool  // imapsh closed the connection on purpose
	running atomic.Bool  // Run was called
	quietN  atomic.Int32 // quiet commands in flight
	// collecting counts the commands in flight that Collect untagged
	// responses: while there are none, dispatch does not look for them.
	collecting atomic.Int32
	// onClose runs on the reader goroutine when the connection has ended.
	onClose func()

	// pendingEnd is closed when no abandoned IDLE or AUTHENTICATE still
	// waits for its "+" (see Op.Abandon); nil when none does.
	pendMu     sync.Mutex
	pendingEnd chan struct{}

	// The reader goroutine's own, reused from one response to the next.
	raw     []byte
	rev     Event
	waitEv  Event    // Idle, reported by onWait
	holding bool     // the hub's lock is held (lockHub)
	resp    Response // its Head is the one Begin and Literal point to
	flight  []*Op
	// quiet marks the events of the response being read (see
	// Command.Quiet); deflate says its tagged OK turns on COMPRESS=DEFLATE.
	quiet, deflate bool
}

// New returns a Session on c. Events go to hub; st is updated from what the
// server says. The caller reads the greeting (Greeting), may run
// RoundTrip (STARTTLS), and then calls Run.
func New(c *wire.Conn, hub *Hub, st *State, opt Options) *Session {
	if opt.TagPrefix == "" {
		opt.TagPrefix = "a"
	}
	s := &Session{
		conn: c, hub: hub, state: st, opt: opt,
		tags:   tagger.New[*Op](opt.TagPrefix),
		closed: make(chan struct{}),
	}
	c.OnWait(s.onWait)
	return s
}

// ErrClosed is returned when the connection has ended.
var ErrClosed = errors.New("connection closed")

// State returns the session's State.
func (s *Session) State() *State { return s.state }

// Hub returns the hub the session reports to.
func (s *Session) Hub() *Hub { return s.hub }

// Conn returns the connection.
func (s *Session) Conn() *wire.Conn { return s.conn }

// Closed is closed when the connection has ended.
func (s *Session) Closed() <-chan struct{} { return s.closed }

// IsClosed reports whether the connection has ended.
func (s *Session) IsClosed() bool {
	select {
	case <-s.closed:
		return true
	default:
		return false
	}
}

// InFlight counts the commands in flight (abandoned ones included).
func (s *Session) InFlight() int { return len(s.tags.InFlight()) }

// Failed counts the commands not Internal that completed NO or BAD.
func (s *Session) Failed() int { return int(s.failed.Load()) }

// LogoutSent reports whether a LOGOUT was sent.
func (s *Session) LogoutSent() bool { return s.byeOK.Load() }

// OnClose sets a function run on the reader goroutine when the connection
// ends. Set it before Run.
func (s *Session) OnClose(f func()) { s.onClose = f }

// Hangup closes the connection on purpose: the end is not reported as a
// failure.
func (s *Session) Hangup() {
	s.hangup.Store(true)
	s.conn.Close()
}

// Err says why the connection ended: ErrClosed for an orderly end, else
// the read error. It blocks until the connection has ended.
func (s *Session) Err() error {
	<-s.closed
	if s.err == nil || errors.Is(s.err, io.EOF) {
		return ErrClosed
	}
	return s.err
}

// Op is a command in flight.
type Op struct {
	Tag, Name, Args string

	cmd    *Command
	s      *Session
	done   chan struct{}
	cont   chan wire.Head // continuation requests meant for this command
	result Result

	// mu guards the sink against Abandon: the reader holds it while it
	// writes a chunk to the sink.
	mu        sync.Mutex
	abandoned bool
	// endLine, when set, is sent by the reader goroutine as soon as this
	// abandoned command's "+" arrives ("DONE" for IDLE, "*" for
	// AUTHENTICATE), so the server is never left waiting.
	endLine string
	ended   bool
	// literals is set once a line of the command has announced a
	// synchronizing literal: the server may then ask it for more.
	literals atomic.Bool
}

// Done is closed when the command has completed (or the connection ended).
func (o *Op) Done() <-chan struct{} { return o.done }

// Result returns how the command ended. It must be called after Done is
// closed.
func (o *Op) Result() Result { return o.result }

// Status is Result().Status.
func (o *Op) Status() wire.Head { return o.result.Status }

// Abandoned reports whether the caller stopped waiting for the command.
func (o *Op) Abandoned() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.abandoned
}

// Abandon records that nobody waits for the command any more: its late
// completion is reported as a note, its sink gets no more octets (Abandon
// returns only once a chunk being written is done), and an IDLE or
// AUTHENTICATE still waiting for its "+" is ended (DONE, or "*") as soon as
// the "+" comes. Commands started meanwhile wait (see Start) until then.
func (o *Op) Abandon() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.abandoned {
		return
	}
	o.abandoned = true
	select {
	case <-o.done:
		return
	default:
	}
	var line string
	switch o.Name {
	case "IDLE":
		line = "DONE"
	case "AUTHENTICATE":
		line = "*"
	}
	if line == "" {
		return
	}
	select {
	case <-o.cont:
		// The "+" is here already: answer it now.
		o.ended = true
		o.s.writeLine(o, line, "", nil)
	default:
		o.endLine = line
		o.s.pendMu.Lock()
		if o.s.pendingEnd == nil {
			o.s.pendingEnd = make(chan struct{})
		}
		o.s.pendMu.Unlock()
	}
}

// Start registers and sends a command. The text may end in a literal
// header; the caller then sends the literal with SendLiteral after Wait
// returns WaitContinue (or at once for a non-synchronizing literal).
func (s *Session) Start(c *Command) (*Op, error) {
	if s.IsClosed() {
		return nil, s.Err()
	}
	if err := s.waitPendingEnd(); err != nil {
		return nil, err
	}
	tag := c.Tag
	if tag == "" {
		tag = s.tags.Next()
	}
	name, args := CommandName(c.Text)
	o := &Op{Tag: tag, Name: name, Args: args, cmd: c, s: s,
		done: make(chan struct{}), cont: make(chan wire.Head, 1)}
	if c.Collect {
		s.collecting.Add(1) // before the tag is in flight: see dispatch
	}
	if err := s.tags.Start(tag, o); err != nil {
		s.uncollect(o)
		return nil, err
	}
	if c.Quiet {
		s.quietN.Add(1)
	}
	s.state.begin(name, args)
	if name == "LOGOUT" {
		s.byeOK.Store(true)
	}
	line := tag + " " + c.Text
	o.noteLiteral(line)
	display := ""
	if c.Display != "" {
		display = tag + " " + c.Display
	}
	if err := s.writeLine(o, line, display, SecretSpans(line)); err != nil {
		s.finishTag(tag)
		return nil, err
	}
	return o, nil
}

// finishTag takes a command out of the table of commands in flight.
func (s *Session) finishTag(tag string) (*Op, bool) {
	o, ok := s.tags.Finish(tag)
	if ok {
		s.uncollect(o)
		if o.cmd.Quiet {
			s.quietN.Add(-1)
		}
	}
	return o, ok
}

// uncollect counts a command that collected responses out.
func (s *Session) uncollect(o *Op) {
	if o.cmd.Collect {
		s.collecting.Add(-1)
	}
}

// waitPendingEnd waits (up to 15 s) until no abandoned IDLE or
// AUTHENTICATE still waits for its "+": a command sent before it is ended
// would be taken by the server as its continuation line.
func (s *Session) waitPendingEnd() error {
	s.pendMu.Lock()
	ch := s.pendingEnd
	s.pendMu.Unlock()
	if ch == nil {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-s.closed:
		return s.Err()
	case <-time.After(15 * time.Second):
		return errors.New("an IDLE or AUTHENTICATE you stopped waiting for has not been answered by the server yet, so no other command can be sent (its next line would be taken as that command's); wait, or reconnect")
	}
}

// releasePending closes pendingEnd when no abandoned command awaits its
// "+" any more.
func (s *Session) releasePending() {
	for _, o := range s.tags.InFlight() {
		o.mu.Lock()
		waiting := o.endLine != "" && !o.ended
		o.mu.Unlock()
		if waiting {
			return
		}
	}
	s.pendMu.Lock()
	if s.pendingEnd != nil {
		close(s.pendingEnd)
		s.pendingEnd = nil
	}
	s.pendMu.Unlock()
}

func (s *Session) writeLine(o *Op, line, display string, secrets []Span) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.hub.Emit(&Event{Kind: Sent, Tag: o.Tag, Line: line, Display: display, Secrets: secrets, Internal: o.cmd.Internal, Quiet: o.cmd.Quiet})
	if err := s.conn.W.WriteLine(line); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}

// SendLine sends the next line of command o: an answer to a continuation
// request, or the rest of the command after a literal. display, when not
// "", is what a person is shown. A line of a LOGIN or AUTHENTICATE is
// marked secret whole.
func (s *Session) SendLine(o *Op, text, display string) error {
	o.noteLiteral(text)
	secret := o.Name == "LOGIN" || o.Name == "AUTHENTICATE"
	var spans []Span
	if secret && text != "" {
		spans = []Span{{0, len(text)}}
	}
	return s.writeLine(o, text, display, spans)
}

// SendLiteral sends n octets from r as the literal of command o; desc
// describes them for a person ("from m.eml"). The octets of a LOGIN or
// AUTHENTICATE literal are marked secret, and so are they when secret.
func (s *Session) SendLiteral(o *Op, r io.Reader, n int64, desc string, secret bool) error {
	secret = secret || o.Name == "LOGIN" || o.Name == "AUTHENTICATE"
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.hub.Emit(&Event{Kind: SentLiteral, Tag: o.Tag, Size: n, Text: desc, Secret: secret})
	tee := &teeReader{r: r, s: s, tag: o.Tag, secret: secret}
	if err := s.conn.W.WriteLiteral(tee, n); err != nil {
		return fmt.Errorf("sending the literal: %w", err)
	}
	return nil
}

// teeReader reports the octets of a literal to the observers as they are
// read for sending.
type teeReader struct {
	r      io.Reader
	s      *Session
	tag    string
	secret bool
}

func (t *teeReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.s.hub.Emit(&Event{Kind: SentData, Tag: t.tag, Data: p[:n], Secret: t.secret})
	}
	return n, err
}

// noteLiteral records that line announces a synchronizing literal.
func (o *Op) noteLiteral(line string) {
	if strings.HasSuffix(line, "}") && !strings.HasSuffix(line, "+}") {
		if i := strings.LastIndexByte(line, '{'); i >= 0 {
			o.literals.Store(true)
		}
	}
}

// WaitKind is what a wait ended with.
type WaitKind uint8

const (
	WaitDone        WaitKind = iota // the tagged completion arrived
	WaitContinue                    // the server asked this command for more ("+")
	WaitInterrupted                 // intr was closed: the caller stopped waiting
	WaitLost                        // the connection ended first
)

// Wait waits for the command's completion or, when wantCont, for a
// continuation request meant for it, whose head it returns (a SASL
// challenge is in its text). intr may be nil; when it is closed, Wait
// returns WaitInterrupted and the command goes on (see Abandon).
func (o *Op) Wait(intr <-chan struct{}, wantCont bool) (WaitKind, wire.Head) {
	var cont chan wire.Head
	if wantCont {
		cont = o.cont
	}
	// A completion that is already there wins over a "+".
	select {
	case <-o.done:
		if o.result.Lost {
			return WaitLost, wire.Head{}
		}
		return WaitDone, o.result.Status
	default:
	}
	select {
	case <-o.done:
		if o.result.Lost {
			return WaitLost, wire.Head{}
		}
		return WaitDone, o.result.Status
	case h := <-cont:
		return WaitContinue, h
	case <-intr:
		return WaitInterrupted, wire.Head{}
	case <-o.s.closed:
		// A command registered as the connection ended is never
		// completed: do not wait for it.
		select {
		case <-o.done:
			if !o.result.Lost {
				return WaitDone, o.result.Status
			}
		default:
		}
		return WaitLost, wire.Head{}
	}
}

// Run starts the reader goroutine.
func (s *Session) Run() {
	s.running.Store(true)
	go s.readLoop()
}

func (s *Session) readLoop() {
	var err error
	for err == nil {
		_, err = s.readResponse(true)
	}
	s.finish(err)
}

// finish records why the connection ended and releases every waiter.
func (s *Session) finish(err error) {
	s.err = err
	var reported error
	if !s.byeOK.Load() && !s.hangup.Load() {
		reported = err
		if reported == nil {
			reported = io.EOF
		}
	}
	// Observers first, so that whoever wakes up finds the end reported;
	// then closed: whoever wakes up below must find the session closed.
	s.hub.Emit(&Event{Kind: Closed, Err: reported})
	close(s.closed)
	for _, o := range s.tags.Drain() {
		s.uncollect(o)
		o.result.Lost = true
		close(o.done)
	}
	s.quietN.Store(0)
	s.pendMu.Lock()
	if s.pendingEnd != nil {
		close(s.pendingEnd)
		s.pendingEnd = nil
	}
	s.pendMu.Unlock()
	if s.onClose != nil {
		s.onClose()
	}
}

// Greeting reads the server's greeting on the calling goroutine (before
// Run).
func (s *Session) Greeting() (wire.Head, error) { return s.readResponse(false) }

// RoundTrip sends a command and reads responses on the calling goroutine
// until it completes. It is used before Run (STARTTLS), where nothing may
// read ahead.
func (s *Session) RoundTrip(c *Command) (wire.Head, error) {
	o, err := s.Start(c)
	if err != nil {
		return wire.Head{}, err
	}
	for {
		if _, err := s.readResponse(false); err != nil {
			s.finishTag(o.Tag)
			return wire.Head{}, err
		}
		select {
		case <-o.done:
			return o.result.Status, nil
		default:
		}
	}
}

// Close closes the connection without reporting it as a failure, and
// waits for the reader goroutine to end.
func (s *Session) Close() error {
	s.hangup.Store(true)
	err := s.conn.Close()
	if s.running.Load() {
		<-s.closed
	}
	return err
}
