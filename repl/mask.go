package repl

import (
	"sync/atomic"
	"unicode/utf8"

	"github.com/chzyer/readline"
	"github.com/imapsh/imapsh/repl/internal/session"
)

// secretPainter draws the line being typed with its credentials shown as
// '*': LOGIN's password and AUTHENTICATE's initial response. The cursor
// stays right because each character is drawn as one star. While blank is
// set (a password, a token or a secret literal is being read) nothing is
// drawn at all, so that not even the secret's length shows. It is called
// by the line editor's goroutine.
type secretPainter struct {
	blank atomic.Bool
}

func (p *secretPainter) Paint(line []rune, _ int) []rune {
	if p.blank.Load() {
		return nil
	}
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

// quietCompleter completes nothing while a secret is being read, so Tab
// neither changes nor lists anything about it.
type quietCompleter struct {
	inner readline.AutoCompleter
	p     *secretPainter
}

func (c quietCompleter) Do(line []rune, pos int) ([][]rune, int) {
	if c.p.blank.Load() {
		return nil, 0
	}
	return c.inner.Do(line, pos)
}

// maskRunes returns a copy of line with runes [from, to) replaced by '*'.
func maskRunes(line []rune, from, to int) []rune {
	out := append([]rune(nil), line...)
	for i := from; i < to && i < len(out); i++ {
		out[i] = '*'
	}
	return out
}
