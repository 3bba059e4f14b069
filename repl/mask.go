package repl

import (
	"unicode/utf8"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// maskSecrets draws the line being typed with its credentials shown as
// '*': LOGIN's password and AUTHENTICATE's initial response. The cursor
// stays right because each character is drawn as one star. (While a
// password, a token or a secret literal is read, the console draws
// nothing at all.) It is called by the line editor's goroutine.
func maskSecrets(line []rune) []rune {
	s := string(line)
	if isAuthenticateHelper(s) {
		return line // authenticate MECH USER holds no secret
	}
	spans := session.SecretSpans(s)
	if len(spans) == 0 {
		return line
	}
	out := line
	for _, sp := range spans {
		// Byte offsets to rune offsets.
		from := utf8.RuneCountInString(s[:sp.Start])
		to := from + utf8.RuneCountInString(s[sp.Start:sp.End])
		out = maskRunes(out, from, to)
	}
	return out
}

// maskRunes returns a copy of line with runes [from, to) replaced by '*'.
func maskRunes(line []rune, from, to int) []rune {
	out := append([]rune(nil), line...)
	for i := from; i < to && i < len(out); i++ {
		out[i] = '*'
	}
	return out
}
