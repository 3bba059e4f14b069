package repl

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// Mailbox names typed in Unicode: IMAP4rev1 wants them in modified UTF-7
// (RFC 3501 section 5.1.3), so "SELECT Entwürfe" is sent as
// "SELECT Entw&APw-rfe", and the rewrite is said. Once UTF8=ACCEPT or
// IMAP4rev2 is enabled the name goes as UTF-8, in quotes. Only arguments
// that are mailbox names (or LIST patterns) are touched, only when they
// hold non-ASCII characters; a name typed in ASCII, "&" included, is sent
// as typed (it may be modified UTF-7 already).

// mailboxArgPos lists, per command, which arguments (0-based, after the
// command name) are mailbox names or LIST patterns.
var mailboxArgPos = map[string][]int{
	"SELECT": {0}, "EXAMINE": {0}, "CREATE": {0}, "DELETE": {0}, "RENAME": {0, 1},
	"SUBSCRIBE": {0}, "UNSUBSCRIBE": {0}, "STATUS": {0}, "APPEND": {0},
	"COPY": {1}, "MOVE": {1}, "UID COPY": {1}, "UID MOVE": {1},
	"LIST": {0, 1}, "LSUB": {0, 1}, "XLIST": {0, 1},
	"GETQUOTAROOT": {0}, "MYRIGHTS": {0}, "GETACL": {0}, "SETACL": {0},
	"DELETEACL": {0}, "LISTRIGHTS": {0}, "SETMETADATA": {0},
}

// encodeMailboxArgs rewrites the mailbox arguments of a command typed in
// Unicode. It returns the text to send and a note for each rewrite. A name
// for which listed reports true is one the server itself listed in 8-bit
// (against RFC 3501, but some do): it is sent as the server spells it.
func encodeMailboxArgs(text string, utf8 bool, listed func(string) bool) (string, []string, error) {
	name, _ := commandName(text)
	pos := mailboxArgPos[name]
	if pos == nil || isASCII(text) {
		return text, nil, nil
	}
	// Skip the command name (and UID).
	i := skipSpace(text, 0)
	for range strings.Count(name, " ") + 1 {
		i = skipSpace(text, skipWord(text, i))
	}
	var out strings.Builder
	var notes []string
	out.WriteString(text[:i])
	arg := 0
	for i < len(text) {
		c := text[i]
		if c == '{' || c == '<' || c == '~' {
			break // a literal or a file: the rest is sent as it is
		}
		isPos := contains(pos, arg)
		var end int
		var err error
		switch {
		case c == '(' && name == "LIST" && arg == 0:
			// LIST (SUBSCRIBED) "" "*": selection options come first
			// (RFC 5258) and are no argument of ours.
			end, err = skipList(text, i)
			if err != nil {
				return "", nil, err
			}
			out.WriteString(text[i:end])
			i = skipSpace(text, end)
			out.WriteString(text[end:i])
			continue
		case c == '(' && isPos:
			// LIST "" ("a" "b"): several patterns (RFC 5258).
			end, err = skipList(text, i)
			if err != nil {
				return "", nil, err
			}
			inner, n, err := encodeNames(text[i+1:end-1], utf8, listed)
			if err != nil {
				return "", nil, err
			}
			out.WriteString("(" + inner + ")")
			notes = append(notes, n...)
		case c == '(':
			end, err = skipList(text, i)
			if err != nil {
				return "", nil, err
			}
			out.WriteString(text[i:end])
		default:
			var val string
			val, end, err = readAString(text, i)
			if err != nil {
				return "", nil, err
			}
			if isPos && !isASCII(val) {
				enc, note, err := encodeName(val, c != '"', utf8, listed)
				if err != nil {
					return "", nil, err
				}
				out.WriteString(enc)
				if note != "" {
					notes = append(notes, note)
				}
			} else {
				out.WriteString(text[i:end])
			}
		}
		arg++
		i = skipSpace(text, end)
		out.WriteString(text[end:i])
	}
	out.WriteString(text[i:])
	return out.String(), notes, nil
}

// encodeNames rewrites the names in the inside of a list of patterns.
func encodeNames(inner string, utf8 bool, listed func(string) bool) (string, []string, error) {
	var out strings.Builder
	var notes []string
	i := 0
	for i < len(inner) {
		j := skipSpace(inner, i)
		out.WriteString(inner[i:j])
		if j >= len(inner) {
			break
		}
		val, end, err := readAString(inner, j)
		if err != nil {
			return "", nil, err
		}
		if isASCII(val) {
			out.WriteString(inner[j:end])
		} else {
			enc, note, err := encodeName(val, inner[j] != '"', utf8, listed)
			if err != nil {
				return "", nil, err
			}
			out.WriteString(enc)
			if note != "" {
				notes = append(notes, note)
			}
		}
		i = end
	}
	return out.String(), notes, nil
}

// encodeName returns a mailbox name (or LIST pattern) as sent, and the
// note that says so ("" when it goes as typed). bare says it was typed
// without quotes: its modified UTF-7 form adds only atom characters, so
// it stays bare (which keeps LIST's * and % wildcards usable).
func encodeName(val string, bare, utf8 bool, listed func(string) bool) (string, string, error) {
	if !utf8 && listed != nil && listed(val) {
		q, ok := quoteMailbox(val)
		if !ok {
			return "", "", &lineError{fmt.Sprintf("the mailbox name %q cannot be sent in a quoted string: send it as a literal ({N})", val)}
		}
		return q, fmt.Sprintf("%s is sent as the server listed it, in 8-bit (not modified UTF-7, against RFC 3501)", q), nil
	}
	if utf8 {
		q, ok := quoteMailbox(val)
		if !ok {
			return "", "", &lineError{fmt.Sprintf("the mailbox name %q holds characters that cannot be sent in a quoted string: send it as a literal ({N})", val)}
		}
		note := ""
		if bare {
			note = fmt.Sprintf("%s is sent as %s, UTF-8 in quotes (UTF8=ACCEPT is on)", val, q)
		}
		return q, note, nil
	}
	enc, err := wire.EncodeMailbox(val)
	if err != nil {
		return "", "", &lineError{fmt.Sprintf("the mailbox name %q: %v", val, err)}
	}
	q := enc
	if !bare {
		var ok bool
		if q, ok = wire.Quote(enc); !ok {
			return "", "", &lineError{fmt.Sprintf("the mailbox name %q cannot be sent", val)}
		}
	}
	return q, fmt.Sprintf("%q is sent as %s (modified UTF-7, RFC 3501 section 5.1.3)", val, q), nil
}

// readAString reads an atom (up to a space or parenthesis) or a quoted
// string at i, and returns its value and where it ends.
func readAString(s string, i int) (string, int, error) {
	if s[i] != '"' {
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '(' && s[j] != ')' {
			j++
		}
		return s[i:j], j, nil
	}
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if j+1 < len(s) {
				j++
				b.WriteByte(s[j])
			}
		case '"':
			return b.String(), j + 1, nil
		default:
			b.WriteByte(s[j])
		}
	}
	return "", 0, &lineError{fmt.Sprintf("unterminated quoted string at %d: nothing was sent", i+1)}
}

// skipList returns the end of the parenthesized list at i (past its ")").
func skipList(s string, i int) (int, error) {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '"':
			_, end, err := readAString(s, j)
			if err != nil {
				return 0, err
			}
			j = end - 1
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, &lineError{fmt.Sprintf("unbalanced parenthesis at %d: nothing was sent", i+1)}
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func skipWord(s string, i int) int {
	for i < len(s) && s[i] != ' ' && s[i] != '\t' {
		i++
	}
	return i
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// encodeTyped rewrites a typed command's mailbox names and says so.
func (sh *Shell) encodeTyped(text string) (string, error) {
	out, notes, err := encodeMailboxArgs(text, sh.st.UTF8(), sh.listed)
	if err != nil {
		return "", err
	}
	for _, n := range notes {
		sh.pr.Note("%s", n)
	}
	return out, nil
}

// mailboxArg returns a mailbox name (as the server spells it, or in
// Unicode) as a command argument, encoded as the connection needs.
func (sh *Shell) mailboxArg(name string) (string, error) {
	if !isASCII(name) {
		enc, _, err := encodeName(name, false, sh.st.UTF8(), sh.listed)
		return enc, err
	}
	q, ok := quoteMailbox(name)
	if !ok {
		return "", &lineError{fmt.Sprintf("the mailbox name %q cannot be typed: select it in the shell with a literal", name)}
	}
	return q, nil
}

// typableMailbox is a mailbox name as a person types it at imapsh: bare
// when no character needs quotes (non-ASCII letters need none, imapsh
// encodes them), else quoted; ok is false as for quoteMailbox.
func typableMailbox(name string) (string, bool) {
	q, ok := quoteMailbox(name)
	if !ok || isASCII(name) {
		return q, ok
	}
	ascii := strings.Map(func(r rune) rune {
		if r >= 0x80 {
			return 'x'
		}
		return r
	}, name)
	if a, ok := wire.Quote(ascii); ok && a == ascii {
		return name, true
	}
	return q, true
}

// shownMailbox is a mailbox name for the prompt: decoded, with the raw
// form beside it when they differ.
func shownMailbox(raw string, utf8 bool) string {
	m := session.DecodeMailbox(raw, utf8)
	show := func(name string) string {
		if q, ok := typableMailbox(name); ok {
			return q
		}
		return `"` + name + `"`
	}
	if m.Err != nil || m.Decoded == m.Raw {
		return show(raw)
	}
	return show(m.Decoded) + " [" + show(m.Raw) + "]"
}

// listed reports a non-ASCII name the server listed as it is (8-bit, not
// modified UTF-7).
func (sh *Shell) listed(name string) bool {
	for _, m := range sh.st.Mailboxes() {
		if m == name {
			return true
		}
	}
	return false
}
