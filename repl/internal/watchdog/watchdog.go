// Package watchdog is imapsh's protocol watchdog: an observer of the
// engine's events (package session) that keeps its own model of the
// session (the commands in flight and their continuations, the selected
// mailbox with its message count, UIDNEXT, UIDVALIDITY and the UIDs the
// server told for each sequence number, the capabilities and the
// extensions the client enabled) and reports each rule of IMAP the server
// breaks, the moment the offending response ends, with the RFC section and
// the lines that show it.
//
// The rules come from RFC 3501 and RFC 9051 (sections 2.2, 2.3.1, 4.3,
// 5.2, 5.3, 5.5, 7.2, 7.4/7.5), RFC 2177 (IDLE), RFC 4315 (UIDPLUS),
// RFC 4731 (ESEARCH) and RFC 7162 (CONDSTORE, QRESYNC); see Rules. Legal
// look-alikes that have misled client authors (APPENDUID without UIDPLUS,
// a new CAPABILITY list at login) get a teaching note instead.
//
// The watchdog never calls into the engine and performs no I/O; findings
// go to a sink the caller gives. It judges only what it can know: when its
// model is uncertain (a count it never learnt, responses during a SELECT
// that may belong to the mailbox before) it stays silent rather than raise
// a false alarm.
package watchdog

import (
	"strings"
	"sync"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// MaxShown caps the findings of one rule delivered to the sink per
// connection; later ones are counted (Violations, Summary) but not sent,
// so a server that breaks a rule on every line does not drown the session.
const MaxShown = 5

// maxKept caps the findings kept for the summary.
const maxKept = 200

// Watchdog checks a session's events against the rules of IMAP. It is an
// Observer (session.Observer) and safe for concurrent use: Summary and
// Violations may be called while events arrive.
type Watchdog struct {
	mu   sync.Mutex
	sink func(Finding)
	st   stats
	c    *conn     // the model of the current connection
	out  []Finding // findings waiting for the sink
}

// stats is what outlives a connection.
type stats struct {
	violations int
	responses  int
	greeting   string
	kept       []Finding
	unshown    map[string]int
}

// New returns a Watchdog that hands each finding to sink (which may be
// nil). sink is called on the goroutine that delivers the event, right
// after the watchdog has seen the End of the offending response, and must
// not block for long.
func New(sink func(Finding)) *Watchdog {
	return &Watchdog{sink: sink, c: newConn(), st: stats{unshown: map[string]int{}}}
}

// Interest names the events the watchdog reads.
func (w *Watchdog) Interest() session.Kinds {
	return session.KindsOf(session.Sent, session.SentLiteral, session.Begin, session.Text, session.Literal, session.End, session.Closed)
}

// Observe checks one event. Events arrive one at a time (the hub delivers
// them so); the beginning and the text of a response only note, in the
// model of the connection, what its End is judged by, and take no lock:
// nothing else reads those notes.
func (w *Watchdog) Observe(e *session.Event) {
	switch e.Kind {
	case session.Begin, session.Text, session.Literal:
		w.c.observe(w, e)
		return
	}
	w.mu.Lock()
	w.c.observe(w, e)
	if e.Kind == session.Closed {
		w.c = newConn()
	}
	out := w.out
	w.out = nil
	w.mu.Unlock()
	if w.sink != nil {
		for _, f := range out {
			w.sink(f)
		}
	}
}

// report records a finding and queues it for the sink.
func (w *Watchdog) report(f Finding) {
	if f.RFC == "" {
		f.RFC = rfc[f.Rule]
	}
	if !f.Note {
		w.st.violations++
	}
	w.c.shown[f.Rule]++
	if w.c.shown[f.Rule] > MaxShown || len(w.st.kept) >= maxKept {
		w.st.unshown[f.Rule]++
		return
	}
	w.st.kept = append(w.st.kept, f)
	w.out = append(w.out, f)
}

// Violations counts the violations seen so far, shown or not (notes do
// not count).
func (w *Watchdog) Violations() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.st.violations
}

// Findings returns the findings kept so far (violations and notes), in
// order.
func (w *Watchdog) Findings() []Finding {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Finding(nil), w.st.kept...)
}

// Summary returns a report of every finding of the session with the lines
// that showed it, ready to paste into a report to the server's vendor.
func (w *Watchdog) Summary() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var b strings.Builder
	summary(&b, &w.st)
	return b.String()
}
