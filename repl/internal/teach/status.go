package teach

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// continuation explains a "+" from the command waiting for it.
func (m *model) continuation(h wire.Head) string {
	c, ok := m.inFlight()
	switch {
	case !ok:
		return "continuation request (+) while no command waits for one: the server broke the protocol; imapsh ignores it."
	case c.name == "IDLE":
		return "continuation request (+): IDLE has begun. The server now sends updates (EXISTS, EXPUNGE, FETCH) as they happen; " +
			"type DONE to end it, then the tagged OK follows."
	case c.name == "AUTHENTICATE":
		text := strings.TrimSpace(h.Text)
		if text == "" {
			return "continuation request (+): the server waits for your first SASL message, in base64 (or * to cancel)."
		}
		if dec, err := base64.StdEncoding.DecodeString(text); err == nil && printable(dec) {
			return fmt.Sprintf("continuation request (+): the server's SASL challenge, base64 for %q; answer with one base64 line (or * to cancel).", dec)
		}
		return "continuation request (+): the server's SASL challenge (base64); answer with one base64 line (or * to cancel)."
	}
	return fmt.Sprintf("continuation request (+): the server is ready for the literal that %s announced with {N}: its octets follow now, "+
		"then the rest of the command line.", c.name)
}

func printable(b []byte) bool {
	for _, r := range string(b) {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return len(b) > 0
}

// tagged explains a tagged completion.
func (m *model) tagged(h wire.Head) string {
	m.hint = ""
	c, ok := m.finish(h.Tag)
	if !ok {
		return fmt.Sprintf("a tagged answer for %s, which no command in flight has: the server broke the protocol.", h.Tag)
	}
	var b strings.Builder
	switch h.Name {
	case "OK":
		fmt.Fprintf(&b, "tagged: %s (%s) is done and succeeded (OK).", h.Tag, c.name)
		m.completedOK(&b, c)
	case "NO":
		fmt.Fprintf(&b, "tagged: %s (%s) failed (NO): the server understood the command but could not or would not carry it out; "+
			"the command itself was not wrong (that would be BAD).", h.Tag, c.name)
		m.completedNO(&b, c)
	case "BAD":
		fmt.Fprintf(&b, "tagged: %s (%s) was rejected (BAD): the server did not accept the command itself "+
			"(syntax, unknown command, or not valid in this state); nothing was done.", h.Tag, c.name)
		if hint := m.completedBAD(c); hint != "" {
			b.WriteString(" " + hint)
			if !c.internal {
				m.hint = hint
			}
		}
	default:
		fmt.Fprintf(&b, "tagged: %s ends with %s, which is not OK, NO or BAD: the server broke the protocol.", h.Tag, h.Name)
		return b.String()
	}
	if h.Code != "" {
		b.WriteString(" ")
		b.WriteString(m.code(h))
	}
	return b.String()
}

func (m *model) completedOK(b *strings.Builder, c cmdInfo) {
	switch c.name {
	case "LOGIN", "AUTHENTICATE":
		m.conn = session.Authenticated
		b.WriteString(" You are logged in (authenticated state): SELECT a mailbox to work on its messages.")
	case "SELECT", "EXAMINE":
		m.conn, m.mailbox, m.pending, m.before = session.Selected, m.pending, "", nil
		mode := "read-write"
		if m.readOnly {
			mode = "read-only"
		}
		fmt.Fprintf(b, " %s is selected (%s)", m.mailbox, mode)
		switch {
		case m.existsKnown && m.exists == 0:
			b.WriteString(": empty")
		case m.existsKnown:
			fmt.Fprintf(b, ": %d messages, sequence numbers 1 to %d", m.exists, m.exists)
		}
		if m.uidValidity != 0 {
			fmt.Fprintf(b, ", UIDVALIDITY %d", m.uidValidity)
		}
		if m.uidNext != 0 {
			fmt.Fprintf(b, ", next UID %d", m.uidNext)
		}
		b.WriteString(".")
	case "CLOSE":
		m.mailboxState = mailboxState{conn: session.Authenticated}
		b.WriteString(" No mailbox is selected now; if it was read-write, its messages marked \\Deleted were removed (silently).")
	case "UNSELECT":
		m.mailboxState = mailboxState{conn: session.Authenticated}
		b.WriteString(" No mailbox is selected now; nothing was expunged.")
	case "LOGOUT":
		m.conn = session.LoggedOut
		b.WriteString(" The server closes the connection now.")
	case "UNAUTHENTICATE":
		m.mailboxState = mailboxState{conn: session.NotAuthenticated}
		b.WriteString(" You are logged out but still connected (not authenticated state).")
	case "STARTTLS":
		b.WriteString(" TLS starts now; the capabilities must be asked again.")
	}
}

func (m *model) completedNO(b *strings.Builder, c cmdInfo) {
	switch c.name {
	case "SELECT", "EXAMINE":
		m.pending, m.before = "", nil
		m.mailboxState = mailboxState{conn: session.Authenticated}
		b.WriteString(" No mailbox is selected now (a failed SELECT leaves none).")
	case "FETCH", "UID FETCH":
		b.WriteString(" If other messages can be fetched and this one cannot, it may be a poison message: try probe UID, save UID FILE.")
	case "LOGIN", "AUTHENTICATE":
		b.WriteString(" Check the user name and password (and the mechanism); you are still not logged in.")
	}
}

// completedBAD applies a BAD completion and returns what it teaches: the
// state the command needs, a capability the server lacks, the syntax.
func (m *model) completedBAD(c cmdInfo) string {
	if (c.name == "SELECT" || c.name == "EXAMINE") && m.before != nil {
		// BAD: not carried out; the mailbox selected before stays.
		m.mailboxState, m.before, m.pending = *m.before, nil, ""
	}
	entry, known := LookupCommand(c.name)
	if !known {
		if first, _, _ := strings.Cut(c.name, " "); !wire.IsCommand(first) {
			return fmt.Sprintf("imapsh does not know %s either: check the spelling (help lists the commands).", c.name)
		}
		return ""
	}
	var hints []string
	switch {
	case entry.State == Selected && m.conn != session.Selected:
		hints = append(hints, fmt.Sprintf("%s is valid only with a mailbox selected: SELECT (or EXAMINE) one first.", c.name))
	case entry.State == NotAuthenticated && m.conn != session.NotAuthenticated:
		hints = append(hints, fmt.Sprintf("%s is valid only before login, and you are logged in already.", c.name))
	case entry.State == Authenticated && m.conn == session.NotAuthenticated:
		hints = append(hints, fmt.Sprintf("%s is valid only after login: log in first (login USER).", c.name))
	case c.name == "ENABLE" && m.conn == session.Selected:
		hints = append(hints, "ENABLE is meant for before any SELECT.")
	case m.conn == session.Selected && m.existsKnown && takesSeqSet(c.name):
		if set, _, _ := strings.Cut(c.args, " "); beyond(set, m.exists) {
			hints = append(hints, fmt.Sprintf("%s holds %d messages: sequence numbers above %d do not exist (UID %s takes UIDs).", m.box(), m.exists, m.exists, c.name))
		}
	}
	if entry.Needs != "" && !m.offers(entry.Needs) {
		hints = append(hints, fmt.Sprintf("This server does not advertise %s, so it may not support it.", entry.Needs))
	}
	hints = append(hints, fmt.Sprintf("Syntax: %s (help %s).", entry.Syntax, strings.ToLower(entry.Name)))
	return strings.Join(hints, " ")
}

// untaggedStatus explains "* OK", "* NO", "* BAD", "* BYE" and "* PREAUTH".
func (m *model) untaggedStatus(h wire.Head) string {
	code := ""
	if h.Code != "" {
		code = " " + m.code(h)
	}
	if !m.greeted && len(m.tags) == 0 {
		m.greeted = true
		switch h.Name {
		case "OK":
			m.conn = session.NotAuthenticated
			return "the greeting: the server is ready and you are not logged in yet (not authenticated state)." + code
		case "PREAUTH":
			m.conn = session.Authenticated
			return "the greeting PREAUTH: you are logged in already (authenticated state); no LOGIN is needed." + code
		case "BYE":
			m.conn = session.LoggedOut
			return "the greeting is BYE: the server refuses this connection and closes it."
		}
	}
	m.greeted = true
	switch h.Name {
	case "BYE":
		m.conn = session.LoggedOut
		if c, ok := m.inFlight(); ok && c.name == "LOGOUT" {
			return "untagged BYE: the server closes the connection, as LOGOUT asked; the tagged OK comes next."
		}
		return "untagged BYE: the server is closing the connection on its own (an idle timeout, a shutdown, or an error); reconnect to go on."
	case "NO":
		return "untagged NO: a warning from the server; no command failed because of it." + code
	case "BAD":
		return "untagged BAD: the server could not make sense of something and cannot tie it to a command." + code
	case "PREAUTH":
		return "untagged PREAUTH after the greeting: the server broke the protocol."
	}
	if code == "" {
		return "untagged OK: a remark from the server, not the end of any command."
	}
	return "untagged OK" + code
}

// takesSeqSet reports the commands whose first argument is a sequence set.
func takesSeqSet(name string) bool {
	switch name {
	case "FETCH", "STORE", "COPY", "MOVE":
		return true
	}
	return false
}

// beyond reports whether a sequence set names a number above exists.
func beyond(set string, exists uint32) bool {
	s, err := wire.ParseSeqSet(set)
	if err != nil {
		return false
	}
	for _, r := range s.Ranges() {
		if max(r[0], r[1]) > exists || (exists == 0) {
			return true
		}
	}
	return false
}
