package repl

import (
	"strings"
	"sync"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// markTracker is an observer that follows which messages of the selected
// mailbox the user marked \Deleted with STORE commands typed since it was
// selected, by their sequence numbers: from the FETCH responses to those
// commands, renumbered as EXPUNGE responses arrive. The EXPUNGE guard
// compares that count with what the server says carries \Deleted.
//
// It is safe for concurrent use.
type markTracker struct {
	mu      sync.Mutex
	storing map[string]bool // typed STORE commands in flight that touch \Deleted
	silent  bool            // a typed STORE .SILENT touched \Deleted: the count is unknown
	seqs    map[uint32]bool
}

func newMarkTracker() *markTracker {
	return &markTracker{storing: map[string]bool{}, seqs: map[uint32]bool{}}
}

// count returns how many messages the user marked, and whether that is
// known.
func (m *markTracker) count() (int, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.seqs), !m.silent
}

func (m *markTracker) reset() {
	m.storing, m.seqs, m.silent = map[string]bool{}, map[uint32]bool{}, false
}

// Interest names the events the tracker reads.
func (m *markTracker) Interest() session.Kinds {
	return session.KindsOf(session.Sent, session.End, session.Closed)
}

// Observe implements session.Observer.
func (m *markTracker) Observe(e *session.Event) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch e.Kind {
	case session.Closed:
		m.reset()
	case session.Sent:
		if e.Internal || e.Tag == "" || !strings.HasPrefix(e.Line, e.Tag+" ") {
			return
		}
		name, args := commandName(e.Line[len(e.Tag)+1:])
		switch name {
		case "SELECT", "EXAMINE", "UNSELECT", "CLOSE", "LOGOUT", "UNAUTHENTICATE":
			m.reset()
		case "STORE", "UID STORE":
			if !strings.Contains(strings.ToLower(args), `\deleted`) {
				return
			}
			if strings.Contains(strings.ToUpper(args), ".SILENT") {
				m.silent = true
				return
			}
			m.storing[e.Tag] = true
		}
	case session.End:
		m.response(e.Resp)
	}
}

func (m *markTracker) response(r *session.Response) {
	if r == nil {
		return
	}
	h := r.Head
	switch {
	case h.Kind == wire.Tagged:
		delete(m.storing, h.Tag)
	case h.Kind == wire.Untagged && h.Name == "EXPUNGE" && h.Num > 0:
		next := map[uint32]bool{}
		for s := range m.seqs {
			switch {
			case s > h.Num:
				next[s-1] = true
			case s < h.Num:
				next[s] = true
			}
		}
		m.seqs = next
	case h.Kind == wire.Untagged && h.Name == "FETCH" && len(m.storing) > 0:
		fd, ok, err := wire.ParseFetch(r.Raw)
		if !ok || err != nil {
			return
		}
		if flags, has := fd.Flags(); has {
			if hasDeleted(flags) {
				m.seqs[fd.Seq] = true
			} else {
				delete(m.seqs, fd.Seq)
			}
		}
	}
}

func hasDeleted(flags []string) bool {
	for _, f := range flags {
		if strings.EqualFold(f, `\Deleted`) {
			return true
		}
	}
	return false
}
