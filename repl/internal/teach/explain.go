package teach

import (
	"bytes"
	"strings"
	"sync"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// Explainer is a session.Observer that, when on, writes a short note under
// each response saying what it means in context: untagged data against
// the mailbox it describes, EXPUNGE and the renumbering it causes, FETCH
// items (ENVELOPE and BODYSTRUCTURE laid out), response codes, tagged
// completions (NO against BAD), continuation requests and BYE.
//
// It keeps its own small model from the events: the connection state, the
// selected mailbox, its message count and the sequence-number-to-UID
// pairs it has seen. Notes go to the function given to NewExplainer, which
// is called during event delivery and must not call back into the hub.
// The notes of the responses since the last command you typed are kept
// for Last, whether the explainer is on or not. It is safe for concurrent
// use.
type Explainer struct {
	mu    sync.Mutex
	on    bool
	hints bool
	note  func(text string)
	m     model
	last  []explained
	more  int // responses of the last command not kept in last
}

// explained is an entry of Last: a response and its note, or, for a FETCH
// response that arrived while notes were off, what it takes to write them
// when Last asks (most are never asked for).
type explained struct {
	Explained
	raw   []byte // the response, when its note is still to be written
	fetch fetchContext
}

// lazyMax is the largest FETCH response whose note is left for Last to
// write; a larger one (a message body) is explained at once and not kept.
const lazyMax = 4 << 10

// Explained is a response line and the note that explains it.
type Explained struct {
	Line string // the first line of the response, without its line end
	Note string
}

// maxLast caps the responses kept for Last.
const maxLast = 200

// NewExplainer returns an explainer, off, writing notes with note.
func NewExplainer(note func(text string)) *Explainer {
	return &Explainer{note: note, m: newModel()}
}

// SetOn turns the notes on or off.
func (x *Explainer) SetOn(on bool) {
	x.mu.Lock()
	x.on = on
	x.mu.Unlock()
}

// SetHints turns on, for when notes are off, a short hint under a BAD
// answer to a typed command: the state or the syntax it needs.
func (x *Explainer) SetHints(on bool) {
	x.mu.Lock()
	x.hints = on
	x.mu.Unlock()
}

// On reports whether notes are written.
func (x *Explainer) On() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.on
}

// Last returns the responses since the last command typed (or sent by a
// helper, when none was typed since) with their notes, and how many more
// arrived than were kept.
func (x *Explainer) Last() ([]Explained, int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]Explained, len(x.last))
	for i := range x.last {
		e := &x.last[i]
		if e.raw != nil {
			e.Explained = Explained{Line: firstLine(e.raw), Note: e.fetch.note(e.raw)}
			e.raw = nil
		}
		out[i] = e.Explained
	}
	return out, x.more
}

// Interest names the events the explainer reads.
func (x *Explainer) Interest() session.Kinds {
	return session.KindsOf(session.Sent, session.Closed, session.End)
}

// Observe updates the model and, when on, writes the note of a response.
func (x *Explainer) Observe(e *session.Event) {
	x.mu.Lock()
	defer x.mu.Unlock()
	switch e.Kind {
	case session.Sent:
		if x.m.sent(e.Tag, e.Line, e.Internal) && !e.Internal {
			x.last, x.more = x.last[:0], 0
		}
	case session.Closed:
		x.m.closed()
	case session.End:
		if e.Resp == nil {
			return
		}
		if h := e.Resp.Head; !x.on && h.Kind == wire.Untagged && h.Name == "FETCH" {
			switch {
			case len(x.last) >= maxLast:
				// Nobody will read this note: keep the model, skip the
				// words.
				x.m.trackFetch(h.Num, e.Resp.Raw)
				x.more++
				return
			case len(e.Resp.Raw) <= lazyMax:
				// Perhaps somebody will: keep what it takes to write it.
				x.m.responses++
				x.m.greeted = true
				x.last = append(x.last, explained{raw: bytes.Clone(e.Resp.Raw), fetch: x.m.fetchContext(h.Num, e.Resp.Raw)})
				return
			}
		}
		note := x.m.explain(e.Resp.Head, e.Resp.Raw)
		if note == "" {
			return
		}
		if len(x.last) < maxLast {
			x.last = append(x.last, explained{Explained: Explained{Line: firstLine(e.Resp.Raw), Note: note}})
		} else {
			x.more++
		}
		switch {
		case x.on && x.note != nil:
			x.note("explain: " + note)
		case x.hints && x.note != nil && x.m.hint != "" && e.Resp.Head.Kind == wire.Tagged:
			x.note("hint: " + x.m.hint)
		}
	}
}

// firstLine returns the first line of raw without its line end, cut to a
// readable length.
func firstLine(raw []byte) string {
	if i := bytes.IndexByte(raw, '\n'); i >= 0 {
		raw = raw[:i]
	}
	s := string(raw[:min(len(raw), 121)])
	s = strings.TrimRight(s, "\r")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// explain returns the note of one response and applies it to the model.
func (m *model) explain(h wire.Head, raw []byte) string {
	m.responses++
	switch h.Kind {
	case wire.Continuation:
		return m.continuation(h)
	case wire.Tagged:
		return m.tagged(h)
	}
	if h.IsStatus() {
		return m.untaggedStatus(h)
	}
	return m.data(h, raw)
}
