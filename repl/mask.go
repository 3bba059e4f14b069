package repl

import (
	"sync/atomic"
	"unicode/utf8"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// secretPainter draws the line being typed with its credentials shown as
// '*': LOGIN's password, AUTHENTICATE's initial response, and, while all is
// set, the whole line (the octets of a LOGIN or AUTHENTICATE literal typed
// by hand). The cursor stays right because each character is drawn as one
// star. It is called by the line editor's goroutine.
type secretPainter struct{ all *atomic.Bool }

func (p secretPainter) Paint(line []rune, _ int) []rune {
	if p.all != nil && p.all.Load() {
		return maskRunes(line, 0, len(line))
	}
	s := string(line)
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
