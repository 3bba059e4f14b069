package session

import (
	"errors"
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// MailboxName is a mailbox name as the server sent it and as a person
// reads it.
type MailboxName struct {
	Raw     string // as on the wire
	Decoded string // the name itself: Raw decoded from modified UTF-7, or Raw
	// Err says why Raw is not valid modified UTF-7 (then Decoded is Raw).
	Err error
}

// DecodeMailbox interprets a mailbox name from the server: modified UTF-7
// (RFC 3501 section 5.1.3), or UTF-8 when utf8 (UTF8=ACCEPT or IMAP4rev2
// is enabled). An invalid name is never decoded loosely: Err says why.
func DecodeMailbox(raw string, utf8 bool) MailboxName {
	if utf8 || !strings.Contains(raw, "&") && isASCII(raw) {
		return MailboxName{Raw: raw, Decoded: raw}
	}
	d, err := wire.DecodeMailbox(raw)
	if err != nil {
		return MailboxName{Raw: raw, Decoded: raw, Err: err}
	}
	return MailboxName{Raw: raw, Decoded: d}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Note says what a person should know about the name: its decoded form
// when that differs from the raw one, or why it cannot be decoded; "" when
// there is nothing to say.
func (m MailboxName) Note() string {
	switch {
	case m.Err != nil:
		why := strings.TrimPrefix(m.Err.Error(), wire.ErrUTF7.Error()+": ")
		if errors.Is(m.Err, wire.ErrUTF7) {
			return fmt.Sprintf("mailbox name %q is not valid modified UTF-7 (%s): shown as the server sent it", m.Raw, why)
		}
		return fmt.Sprintf("mailbox name %q: %v", m.Raw, m.Err)
	case m.Decoded != m.Raw:
		return fmt.Sprintf("mailbox name %q is %q (modified UTF-7)", m.Raw, m.Decoded)
	}
	return ""
}

// mailboxNote returns the note on the mailbox name of a LIST, LSUB, XLIST
// or STATUS response, or "".
func mailboxNote(h wire.Head, raw []byte, utf8 bool) string {
	if h.Kind != wire.Untagged {
		return ""
	}
	idx := 0
	switch h.Name {
	case "LIST", "LSUB", "XLIST":
		idx = 4 // * LIST (flags) "/" name
	case "STATUS":
		idx = 2 // * STATUS name (items)
	default:
		return ""
	}
	vals, err := wire.Parse(raw)
	if err != nil || len(vals) <= idx || vals[idx].IsNIL() || vals[idx].Kind == wire.List {
		return ""
	}
	return DecodeMailbox(string(vals[idx].Bytes), utf8).Note()
}
