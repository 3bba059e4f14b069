package repl

import (
	"errors"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/wire"
)

// TestMaxLineNamedAndHonoured: the over-long line error names the limit
// and the flag that raises it, and a raised limit lets the line through.
func TestMaxLineNamedAndHonoured(t *testing.T) {
	srv := imaptest.LongLineServer(t, 4096)
	r := runScript(t, srv.Addr, "", "", "NOOP\n", func(c *Config) { c.MaxLine = 2048 })
	var ce *ConnError
	if !errors.As(r.Err, &ce) || !errors.Is(r.Err, wire.ErrLineTooLong) {
		t.Fatalf("Run = %v, want a ConnError wrapping ErrLineTooLong", r.Err)
	}
	for _, want := range []string{"imapsh's limit of 2048 bytes", "reconnect with a larger --max-line"} {
		if !strings.Contains(r.Err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, r.Err)
		}
	}
	srv = imaptest.LongLineServer(t, 4096)
	r = runScript(t, srv.Addr, "", "", "NOOP\n", func(c *Config) { c.MaxLine = 8192 })
	if r.Err != nil || !strings.Contains(r.Out, "OK done") {
		t.Errorf("with --max-line 8192: Run = %v\n%.2000s", r.Err, r.Out)
	}
}

// TestStartTLSThenPlaintextHint: a server that says OK to STARTTLS and
// then speaks in clear gets an explanation that does not suggest
// --starttls, which was in use.
func TestStartTLSThenPlaintextHint(t *testing.T) {
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready")
		line, err := c.ReadLine()
		if err != nil {
			return
		}
		tag, _, _ := strings.Cut(line, " ")
		c.Send(tag + " OK begin TLS now")
		if _, err := c.ReadN(5); err != nil { // the ClientHello has begun
			return
		}
		c.Send("* BYE no TLS here after all")
	})
	r := runScript(t, srv.Addr, "", "", "NOOP\n", func(c *Config) { c.Security = wire.StartTLS })
	var ce *ConnError
	if !errors.As(r.Err, &ce) {
		t.Fatalf("Run = %v, want a ConnError\n%s", r.Err, r.Out)
	}
	if strings.Contains(r.Err.Error(), "--starttls") || !strings.Contains(r.Err.Error(), "after its STARTTLS OK failed") {
		t.Errorf("error = %v", r.Err)
	}
}
