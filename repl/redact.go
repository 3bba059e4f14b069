package repl

import (
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// Lines that carry credentials (LOGIN's password, AUTHENTICATE's initial
// response) are recognized here, whatever separates their words, so that no
// argument of theirs but the user name and the mechanism is ever shown: not
// in the C: line, a note, an error, nor the history.

// secretLine is a LOGIN or AUTHENTICATE command line cut into words.
type secretLine struct {
	tag   string   // the user's own tag; "" when none
	uid   bool     // "UID LOGIN": no such command, but it carries the secret all the same
	name  string   // "LOGIN" or "AUTHENTICATE"
	typed string   // the command name as typed ("login", "UID LOGIN")
	args  []string // the arguments: words, with quoted strings kept whole
}

// parseSecretLine recognizes a LOGIN or AUTHENTICATE line in any case,
// with or without a tag of its own (a1 LOGIN ...), whatever runs of spaces
// and tabs separate its words. It does not perform I/O.
func parseSecretLine(line string) (secretLine, bool) {
	words := splitWords(line)
	var s secretLine
	i := 0
	if len(words) > 1 && !wire.IsCommand(words[0]) {
		s.tag, i = words[0], 1
	}
	if i < len(words) && strings.EqualFold(words[i], "UID") {
		s.uid = true
		s.typed = words[i] + " "
		i++
	}
	if i >= len(words) {
		return secretLine{}, false
	}
	s.typed += words[i]
	s.name = strings.ToUpper(words[i])
	if s.name != "LOGIN" && s.name != "AUTHENTICATE" {
		return secretLine{}, false
	}
	s.args = words[i+1:]
	return s, true
}

// head is the command name as sent: "LOGIN", or "UID LOGIN".
func (s secretLine) head() string {
	if s.uid {
		return "UID " + s.name
	}
	return s.name
}

// text is the command without its tag, its words separated by single
// spaces as IMAP requires (a tab is no separator in IMAP).
func (s secretLine) text() string {
	return strings.Join(append([]string{s.typed}, s.args...), " ")
}

// redacted shows the command with every argument hidden but the user name
// (when it is a plain word or a quoted string, not a literal or a file) and
// the SASL mechanism.
func (s secretLine) redacted() string {
	out := s.head()
	if s.tag != "" {
		out = s.tag + " " + out
	}
	if len(s.args) == 0 {
		return out
	}
	first := "[hidden]"
	switch {
	case s.name == "LOGIN" && !s.uid && plainUser(s.args[0]):
		first = s.args[0]
	case s.name == "AUTHENTICATE" && !s.uid && isMechanism(s.args[0]):
		first = s.args[0]
	}
	out += " " + first
	if len(s.args) > 1 {
		out += " [hidden]"
	}
	return out
}

// plainUser reports a user name argument that may be shown: a complete
// quoted string, or a word that is no literal ({N}, ~{N}), no file (<F)
// and holds no quote.
func plainUser(w string) bool {
	if strings.HasPrefix(w, `"`) {
		return len(w) > 1 && skipQuoted(w, 0) == len(w) && strings.HasSuffix(w, `"`)
	}
	return !strings.ContainsAny(w, `"{}<`)
}

// isMechanism reports a SASL mechanism name (RFC 4422 section 3.1: upper
// case letters, digits, hyphen and underscore; any case accepted here).
func isMechanism(w string) bool {
	if w == "" || len(w) > 20 {
		return false
	}
	for _, c := range w {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// splitWords cuts a line at runs of spaces and tabs. A quoted string
// (with its backslash escapes) is part of its word, spaces and all; an
// unterminated one runs to the end of the line.
func splitWords(line string) []string {
	var words []string
	start := -1
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if start >= 0 {
				words = append(words, line[start:i])
				start = -1
			}
			continue
		case start < 0:
			start = i
		}
		if c == '"' {
			i = skipQuoted(line, i) - 1
		}
	}
	if start >= 0 {
		words = append(words, line[start:])
	}
	return words
}

// redact returns line with any credential it carries replaced, for history
// and transcripts: LOGIN's password, AUTHENTICATE's initial response. Lines
// that carry no secret are returned unchanged.
func redact(line string) string {
	if isAuthenticateHelper(line) {
		return line // authenticate MECH USER holds no secret
	}
	if s, ok := parseSecretLine(line); ok {
		return s.redacted()
	}
	return line
}
