package session

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/imapsh/imapsh/wire"
)

// EventKind says what an Event reports.
type EventKind uint8

const (
	// Sent: imapsh wrote a line (Line, without CRLF) for command Tag. The
	// octets in Secrets are credentials: an observer that keeps or shows
	// the line must hide them. Display, when set, is what a person should
	// be shown instead of Line.
	Sent EventKind = iota
	// SentLiteral: the octets of a literal follow (Size of them, described
	// by Text); Secret says they are a credential.
	SentLiteral
	// SentData: octets of that literal as written (Data), in order.
	SentData
	// Begin: a server response begins; Head is its parsed first line.
	Begin
	// Text: response text outside literals, line ends included (Data).
	// BareLF says that the server ended the line this text ends with a
	// bare LF instead of CRLF.
	Text
	// Literal: a server literal of Size octets begins; Item is the FETCH
	// item it belongs to ("BODY[]"), Sink says where a helper sends its
	// octets ("" when nowhere).
	Literal
	// LiteralData: octets of that literal (Data), in order.
	LiteralData
	// LiteralEnd: the literal is over; Size is the octets read, Err the
	// failure of the helper's sink if any.
	LiteralEnd
	// End: the response is complete (Resp), and the State has applied it.
	End
	// Note: imapsh's own remark (Text) at a Level.
	Note
	// Anomaly: the server broke the protocol in a way the engine noticed
	// (Text says how); the session goes on.
	Anomaly
	// Closed: the connection has ended; Err says why (nil after a LOGOUT
	// or a close imapsh asked for).
	Closed
)

// Level ranks a Note.
type Level uint8

const (
	LevelPlain Level = iota // imapsh's own output: tables, reports
	LevelNote               // a remark
	LevelWarn               // something the user should read
	LevelError              // imapsh's own failure (not the server's)
)

// LevelViolation marks a rule of the protocol the server broke, as the
// protocol watchdog reports it: not imapsh's failure, not server text.
const LevelViolation = LevelError + 1

// Span marks octets [Start, End) of a line.
type Span struct{ Start, End int }

// Event is one thing that happened in a session. An observer must not keep
// the Event, Data or Resp beyond the call: they are reused.
type Event struct {
	Kind     EventKind
	Tag      string // the command a Sent, SentLiteral or SentData belongs to
	Line     string // Sent: the line as written
	Display  string // Sent: what to show a person instead, when set
	Secrets  []Span // Sent: credentials within Line
	Secret   bool   // SentLiteral, SentData: the octets are a credential
	Internal bool   // Sent: the command is a helper's, not typed
	// Quiet: the event belongs to a quiet command (Command.Quiet), or to a
	// response that arrived while only quiet commands were in flight.
	Quiet  bool
	Head   *wire.Head
	Data   []byte
	Size   int64
	Item   string
	Sink   string
	Resp   *Response
	BareLF bool // Text: the line ended in a bare LF
	// Rule names, for an Anomaly that a protocol checker also reports,
	// the rule broken ("unknown-tag"), so a printer can leave it to the
	// checker.
	Rule  string
	Level Level
	Text  string
	Err   error
}

// Observer watches a session. Observe is called for every event, one
// event at a time, in the order things happened, from whichever goroutine
// caused it (the reader goroutine for responses). It must not call back
// into the Session or the Hub and must not block for long.
type Observer interface {
	Observe(e *Event)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(e *Event)

// Observe calls f(e).
func (f ObserverFunc) Observe(e *Event) { f(e) }

// Hub hands events to its observers. It outlives a connection: a shell
// keeps one Hub and gives it to each Session it opens. It is safe for
// concurrent use.
type Hub struct {
	mu  sync.Mutex // serializes delivery
	obs atomic.Pointer[[]Observer]
}

// NewHub returns a Hub with the given observers.
func NewHub(obs ...Observer) *Hub {
	h := &Hub{}
	list := append([]Observer(nil), obs...)
	h.obs.Store(&list)
	return h
}

// Add adds an observer; it sees the events from then on.
func (h *Hub) Add(o Observer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	list := append(append([]Observer(nil), *h.obs.Load()...), o)
	h.obs.Store(&list)
}

// Remove removes an observer added before.
func (h *Hub) Remove(o Observer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var list []Observer
	for _, x := range *h.obs.Load() {
		if x != o {
			list = append(list, x)
		}
	}
	h.obs.Store(&list)
}

// Emit delivers e to every observer.
func (h *Hub) Emit(e *Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, o := range *h.obs.Load() {
		o.Observe(e)
	}
}

// Notef emits a Note.
func (h *Hub) Notef(l Level, format string, args ...any) {
	h.Emit(&Event{Kind: Note, Level: l, Text: fmt.Sprintf(format, args...)})
}
