package render

import (
	"slices"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// QuietFilter stands in front of an observer (the terminal) and keeps from
// it the lines of quiet commands (session.Command.Quiet: the keepalive's
// NOOP) unless they bring news. The line imapsh sent is held back; when a
// response marked Quiet brings news (see News), the held line is shown
// first, then the response, and the command's later responses and its
// completion; a quiet command that brings nothing is never shown. Events
// not marked Quiet pass unchanged. Other observers (a transcript, the
// watchdog) are not behind the filter and see everything.
//
// Like every observer it is called one event at a time; it keeps no Event
// or Data past the call (held lines are copied).
type QuietFilter struct {
	next  session.Observer
	held  []session.Event // Sent events of quiet commands, not shown yet
	shown bool            // the held commands' lines are being shown
	pass  bool            // the quiet response being read is shown
}

// NewQuietFilter returns a filter in front of next.
func NewQuietFilter(next session.Observer) *QuietFilter {
	return &QuietFilter{next: next}
}

// Interest is what the observer behind the filter takes, and what the
// filter itself reads to follow quiet commands.
func (q *QuietFilter) Interest() session.Kinds {
	k := session.AllKinds
	if i, ok := q.next.(session.Interested); ok {
		k = i.Interest()
	}
	return k | session.KindsOf(session.Sent, session.Begin, session.End, session.Closed)
}

// News reports whether a response to a quiet command is worth showing:
// everything but an OK without [ALERT] and a CAPABILITY list. So EXISTS,
// RECENT, EXPUNGE, VANISHED, FETCH, FLAGS, BYE, NO, BAD and an [ALERT] are
// shown.
func News(h *wire.Head) bool {
	if h == nil {
		return false
	}
	if h.CodeName() == "ALERT" {
		return true
	}
	return h.Name != "OK" && h.Name != "CAPABILITY"
}

// Observe implements session.Observer.
func (q *QuietFilter) Observe(e *session.Event) {
	if e.Kind == session.Closed {
		q.held, q.shown, q.pass = nil, false, false
		q.next.Observe(e)
		return
	}
	if !e.Quiet {
		q.next.Observe(e)
		return
	}
	switch e.Kind {
	case session.Sent, session.SentLiteral, session.SentData:
		if q.shown {
			q.next.Observe(e)
			return
		}
		if e.Kind == session.Sent {
			h := *e
			h.Secrets = slices.Clone(e.Secrets)
			h.Data = nil
			q.held = append(q.held, h)
		}
	case session.Begin:
		q.pass = q.shown || News(e.Head)
		if q.pass && !q.shown {
			q.shown = true
			for i := range q.held {
				q.next.Observe(&q.held[i])
			}
		}
		if q.pass {
			q.next.Observe(e)
		}
	case session.End:
		if q.pass {
			q.next.Observe(e)
		}
		q.pass = false
		if e.Resp != nil && e.Resp.Head.Kind == wire.Tagged {
			q.held = slices.DeleteFunc(q.held, func(h session.Event) bool { return h.Tag == e.Resp.Head.Tag })
			if len(q.held) == 0 {
				q.shown = false
			}
		}
	default:
		if q.pass {
			q.next.Observe(e)
		}
	}
}
