package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// A watchdog finding is imapsh's own line in a color of its own (black on
// yellow), never mistaken for server text; without color it is a "# "
// line that says "violation:".
func TestViolationLine(t *testing.T) {
	for _, colored := range []bool{true, false} {
		var out bytes.Buffer
		term := NewTerminal(&out, Options{Color: colored})
		term.Observe(&session.Event{Kind: session.Note, Level: session.LevelViolation, Text: "[bare-lf] a line \x1b[31mended in LF"})
		got := out.String()
		if !strings.HasPrefix(got, "# ") || !strings.Contains(got, "violation: [bare-lf] a line \\x1b[31mended in LF") {
			t.Errorf("color %v: %q", colored, got)
		}
		if hasColor := strings.Contains(got, "\x1b[30;43m"); hasColor != colored {
			t.Errorf("color %v: black on yellow present = %v: %q", colored, hasColor, got)
		}
	}
}
