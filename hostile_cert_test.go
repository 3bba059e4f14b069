package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// Certificate names carrying escape sequences (a hostile server's, or a
// man in the middle's) reach the terminal only made visible: in the error
// of a failed verification (the names the certificate is valid for), and
// in the tls helper's description of the chain (subject, issuer, names).
func TestCLICertificateNamesWithEscapes(t *testing.T) {
	const evilCN = "evil\x1b]0;pwned\x07\u202e"
	// Not valid for localhost, and one that is but has no trusted issuer.
	elsewhere := imaptest.SelfSigned(t, evilCN, false, "evil\x1b[31m.example", "x\x1b[2J.example")
	untrusted := imaptest.SelfSigned(t, evilCN, false, "localhost", "evil\x1b[31m.example")
	ca := filepath.Join(t.TempDir(), "evil-ca.pem")
	if err := os.WriteFile(ca, elsewhere.PEM, 0o644); err != nil {
		t.Fatal(err)
	}
	server := func(cert imaptest.TLSCert) string {
		srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
			if c.StartTLS(cert.Cert) != nil {
				return
			}
			c.Send("* OK [CAPABILITY IMAP4rev1] ready")
			for {
				line, err := c.ReadLine()
				if err != nil {
					return
				}
				tag, rest, _ := strings.Cut(line, " ")
				if strings.EqualFold(rest, "LOGOUT") {
					c.Send("* BYE bye")
					c.Send(tag + " OK LOGOUT completed")
					return
				}
				c.Send(tag + " OK done")
			}
		})
		// By name, for the error to list the names the certificate is for.
		_, port, _ := strings.Cut(srv.Addr, ":")
		return "localhost:" + port
	}
	raw := []string{"\x1b", "\x07", "\u202e"}
	noRaw := func(what, s string) {
		t.Helper()
		for _, r := range raw {
			if strings.Contains(s, r) {
				t.Errorf("%s holds a raw %q:\n%q", what, r, s)
			}
		}
	}
	// Trusted, but not for localhost: the error lists the names it is for.
	code, out, stderr := imapsh(t, nil, "NOOP\n", "--ca", ca, server(elsewhere))
	if code != 2 || !strings.Contains(stderr, `evil\x1b[31m.example`) || !strings.Contains(stderr, `x\x1b[2J.example`) {
		t.Errorf("name mismatch: exit %d, stderr %q", code, stderr)
	}
	noRaw("stderr", stderr)
	noRaw("stdout", out)
	// Not trusted at all: the chain is shown, to be checked.
	addr := server(untrusted)
	code, out, stderr = imapsh(t, nil, "NOOP\n", addr)
	if code != 2 || !strings.Contains(stderr, "unknown authority") || !strings.Contains(out+stderr, `names:       localhost, evil\x1b[31m.example`) {
		t.Errorf("unknown authority: exit %d, stderr %q, stdout:\n%s", code, stderr, out)
	}
	noRaw("stderr", stderr)
	noRaw("stdout", out)
	// Looked at anyway: the tls helper shows the chain, made visible.
	code, out, stderr = imapsh(t, nil, "tls\n", "--insecure", addr)
	if code != 0 || !strings.Contains(out, `CN=evil\x1b]0\;pwned\x07\u202e`) || !strings.Contains(out, `names:       localhost, evil\x1b[31m.example`) {
		t.Errorf("tls helper: exit %d\n%s\n%s", code, out, stderr)
	}
	noRaw("stderr", stderr)
	noRaw("stdout", out)
}
