package repl

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

func (sh *Shell) prompt() string {
	if sh.cont != nil {
		return "+ "
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
		fmt.Fprintf(&b, " %s %s %d", quoteIfNeeded(s.Mailbox), mode, s.Exists)
	case LoggedOut:
		b.WriteString(" (logged out)")
	}
	return sanitize(b.String()) + "> "
}

func quoteIfNeeded(s string) string {
	if q, ok := wire.Quote(s); ok {
		return q
	}
	return fmt.Sprintf("%q", s)
}
