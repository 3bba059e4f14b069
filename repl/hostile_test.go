package repl

import (
	"errors"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/wire"
)

// rawControls are bytes and characters that must never reach a terminal
// from server text.
var rawControls = []string{"\x1b", "\x07", "\x00", "\x7f", "\u009b", "\x9b", "\u202e", "\u202c"}

func assertNoRawControls(t *testing.T, out string) {
	t.Helper()
	for _, c := range rawControls {
		if strings.Contains(out, c) {
			t.Errorf("output contains raw %q:\n%q", c, out)
		}
	}
}

func TestHostileEscapes(t *testing.T) {
	srv := imaptest.EscapeServer(t)
	r := runScript(t, srv.Addr, "u", "p", "SELECT INBOX\nFETCH 1 (BODY[])\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	assertNoRawControls(t, r.Out)
	for _, want := range []string{`\x1b[2J\x1b]0;pwned\x07`, `\u009b31m`, `raw:\x9b`, `bidi:\u202etxt.exe\u202c`, `del:\x7f`, `nul:\x00`} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks the visible form %q:\n%s", want, r.Out)
		}
	}
	// The literal's lines are shown, sanitized, each as a server line.
	if !strings.Contains(r.Out, "S: Subject: \\x1b[2J") {
		t.Errorf("literal lines not shown as server lines:\n%s", r.Out)
	}
}

func TestHostileLongLine(t *testing.T) {
	srv := imaptest.LongLineServer(t, wire.DefaultMaxLine+1<<20)
	r := runScript(t, srv.Addr, "", "", "NOOP\nNOOP\n")
	var ce *ConnError
	if !errors.As(r.Err, &ce) || !errors.Is(r.Err, wire.ErrLineTooLong) {
		t.Fatalf("Run = %v, want a ConnError wrapping ErrLineTooLong", r.Err)
	}
	if !strings.Contains(r.Err.Error(), "protocol error") {
		t.Errorf("error does not say protocol error: %v", r.Err)
	}
	if len(r.Out) > 1<<20 {
		t.Errorf("printed %d bytes of an over-long line", len(r.Out))
	}
}

func TestHostileHugeLiteral(t *testing.T) {
	srv := imaptest.HugeLiteralServer(t)
	r := runScript(t, srv.Addr, "u", "p", "SELECT INBOX\nFETCH 1 (BODY[])\nNOOP\n")
	if r.Err == nil || !strings.Contains(r.Err.Error(), "inside a literal {99999999999}") {
		t.Fatalf("Run = %v, want an error naming the broken literal\n%s", r.Err, r.Out)
	}
	var ce *ConnError
	if !errors.As(r.Err, &ce) {
		t.Errorf("not a connection error (exit 2): %T", r.Err)
	}
	if !strings.Contains(r.Out, "S: This literal never ends.") {
		t.Errorf("the literal's octets were not shown as they came:\n%s", r.Out[:min(len(r.Out), 2000)])
	}
	if strings.Contains(r.Out, "C: a004 NOOP") {
		t.Errorf("the script went on after the connection broke")
	}
}

func TestHostileByeMidCommand(t *testing.T) {
	srv := imaptest.ByeMidCommand(t)
	r := runScript(t, srv.Addr, "", "", "LOGIN u p\nSELECT INBOX\nNOOP\n")
	var ce *ConnError
	if !errors.As(r.Err, &ce) {
		t.Fatalf("Run = %v, want a ConnError\n%s", r.Err, r.Out)
	}
	if !strings.Contains(r.Out, "S: * BYE server shutting down") {
		t.Errorf("BYE not shown:\n%s", r.Out)
	}
	if strings.Contains(r.Out, "C: a003 NOOP") {
		t.Errorf("the script went on after the connection closed:\n%s", r.Out)
	}
}
