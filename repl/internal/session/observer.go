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
	// Idle: the engine has handed on everything the connection delivered
	// so far and is about to wait for more: an observer that holds output
	// back writes it now. It goes only to observers whose Interest names
	// it.
	Idle

	numKinds
)

// Kinds is a set of event kinds.
type Kinds uint32

// KindsOf returns the set of the kinds given.
func KindsOf(kinds ...EventKind) Kinds {
	var m Kinds
	for _, k := range kinds {
		m |= 1 << k
	}
	return m
}

// Has reports whether k is in the set.
func (m Kinds) Has(k EventKind) bool { return m&(1<<k) != 0 }

// AllKinds is every kind but Idle: what an observer without an Interest
// method is given.
var AllKinds = Kinds(1<<numKinds-1) &^ KindsOf(Idle)

// Interested is an Observer that needs only some kinds of events: the Hub
// hands it only those, so the events it ignores cost it nothing.
type Interested interface {
	Observer
	Interest() Kinds
}

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
	obs atomic.Pointer[hubList]
}

// hubList is the observers in the order added, and for each kind of
// event those that take it, in the same order.
type hubList struct {
	all    []Observer
	byKind [numKinds][]Observer
}

func newHubList(all []Observer) *hubList {
	l := &hubList{all: all}
	for _, o := range all {
		kinds := AllKinds
		if i, ok := o.(Interested); ok {
			kinds = i.Interest()
		}
		for k := EventKind(0); k < numKinds; k++ {
			if kinds.Has(k) {
				l.byKind[k] = append(l.byKind[k], o)
			}
		}
	}
	return l
}

// NewHub returns a Hub with the given observers.
func NewHub(obs ...Observer) *Hub {
	h := &Hub{}
	h.obs.Store(newHubList(append([]Observer(nil), obs...)))
	return h
}

// Add adds an observer; it sees the events from then on.
func (h *Hub) Add(o Observer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.obs.Store(newHubList(append(append([]Observer(nil), h.obs.Load().all...), o)))
}

// Remove removes an observer added before.
func (h *Hub) Remove(o Observer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var list []Observer
	for _, x := range h.obs.Load().all {
		if x != o {
			list = append(list, x)
		}
	}
	h.obs.Store(newHubList(list))
}

// Emit delivers e to every observer that takes its kind.
func (h *Hub) Emit(e *Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.deliver(e)
}

// deliver hands e to the observers; h.mu is held. The engine holds it
// across the events of a short response, so that they cost one lock.
func (h *Hub) deliver(e *Event) {
	for _, o := range h.obs.Load().byKind[e.Kind] {
		o.Observe(e)
	}
}

// Wants reports whether some observer takes events of kind k, so that
// the engine need not build one nobody reads.
func (h *Hub) Wants(k EventKind) bool { return len(h.obs.Load().byKind[k]) > 0 }

// Notef emits a Note.
func (h *Hub) Notef(l Level, format string, args ...any) {
	h.Emit(&Event{Kind: Note, Level: l, Text: fmt.Sprintf(format, args...)})
}
