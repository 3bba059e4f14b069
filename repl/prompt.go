package repl

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/helpers"
	"github.com/imapsh/imapsh/repl/internal/render"
)

func (sh *Shell) prompt() string {
	if sh.cont != nil {
		return "+ "
	}
	if sh.disconnected() {
		// A server going down says BYE first, which logs out: the prompt
		// still names the mailbox that reconnect selects again.
		s := sh.st.Snapshot()
		if s.Mailbox != "" {
			s.Conn = Selected
		}
		p := strings.TrimSuffix(promptFor(s), "> ")
		return strings.TrimSuffix(p, " (logged out)") + " (disconnected: type reconnect)> "
	}
	return promptFor(sh.st.Snapshot())
}

// promptFor renders the state: user@host mailbox rw count>.
func promptFor(s Snapshot) string {
	var b strings.Builder
	if s.User != "" {
		b.WriteString(s.User + "@")
	}
	b.WriteString(s.Host)
	switch s.Conn {
	case NotAuthenticated:
		b.WriteString(" (not authenticated)")
	case Authenticated:
		b.WriteString(" (no mailbox)")
	case Selected:
		mode := "rw"
		if s.ReadOnly {
			mode = "ro"
		}
		fmt.Fprintf(&b, " %s %s %d", shownMailbox(s.Mailbox, s.UTF8), mode, s.Exists)
	case LoggedOut:
		b.WriteString(" (logged out)")
	}
	return render.Sanitize(b.String()) + "> "
}

// quoteMailbox returns a mailbox name as it is typed in a command (see
// helpers.QuoteMailbox).
func quoteMailbox(name string) (string, bool) { return helpers.QuoteMailbox(name) }

// displayMailbox returns a mailbox name for messages (see
// helpers.DisplayMailbox).
func displayMailbox(name string) string { return helpers.DisplayMailbox(name) }
