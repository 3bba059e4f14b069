package repl

import (
	"fmt"
	"github.com/imapsh/imapsh/repl/internal/render"
	"strings"
	"unicode/utf8"

	"github.com/imapsh/imapsh/wire"
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

// quoteMailbox returns a mailbox name as it is typed in a command: an
// atom, or a quoted string (UTF-8 allowed, as IMAP4rev2 and UTF8=ACCEPT
// servers send). ok is false for names that cannot be typed safely: with
// controls, invisible formatting characters or invalid UTF-8 (such a name
// needs a literal).
func quoteMailbox(name string) (string, bool) {
	if !utf8.ValidString(name) {
		return "", false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || render.IsFormatChar(r) {
			return "", false
		}
	}
	if q, ok := wire.Quote(name); ok {
		return q, true
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`, true
}

// displayMailbox returns a mailbox name for messages: as it would be typed
// when it can be, else in quotes (the printer makes it safe).
func displayMailbox(name string) string {
	if q, ok := quoteMailbox(name); ok {
		return q
	}
	return `"` + name + `"`
}
