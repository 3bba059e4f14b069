package repl

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/wire"
)

// hostileCase is one hostile server of the suite and what imapsh must do
// against it in script mode: end (cleanly, or with a connection error
// when connErr, exit status 2) within the test's bound, say what happened
// (want, in the output or the error), show no raw control character, and
// allocate at most alloc octets in all while doing so.
type hostileCase struct {
	name    string
	server  func(t testing.TB) *imaptest.Server
	script  string
	set     func(*Config)
	connErr bool
	want    []string
	check   func(t *testing.T, out string, srv *imaptest.Server)
	alloc   uint64 // 0: 64 MiB
}

// commandTimeout sets --command-timeout.
func commandTimeout(d time.Duration) func(*Config) {
	return func(c *Config) { c.CommandTimeout = &d }
}

// TestHostileSuite runs imapsh against every hostile server: the cases of
// the foundation issue and those of issue 20. Memory is checked by the
// process's allocations during the run (runtime.MemStats.TotalAlloc, the
// test servers' included), with a generous bound: what it catches is a
// response held whole (a 100 MB line, a huge literal).
func TestHostileSuite(t *testing.T) {
	cases := []hostileCase{
		{name: "escape sequences, NUL, C1, bidi and DEL everywhere",
			server: imaptest.EscapeServer, script: "SELECT INBOX\nFETCH 1 (BODY[])\n",
			want: []string{`\x1b[2J\x1b]0;pwned\x07`, `\u009b31m`, `raw:\x9b`, `bidi:\u202etxt.exe\u202c`, `nul:\x00`, "S: Subject: \\x1b[2J"}},
		{name: "a 100 MB line without CRLF",
			server: func(t testing.TB) *imaptest.Server { return imaptest.LongLineServer(t, 100<<20) },
			script: "NOOP\nNOOP\n", connErr: true,
			want: []string{"protocol error", "response line too long", "--max-line"}},
		{name: "a literal of 10^11 octets, then the connection closed",
			server: imaptest.HugeLiteralServer, script: "SELECT INBOX\nFETCH 1 (BODY[])\nNOOP\n", connErr: true,
			want: []string{"inside a literal {99999999999}", "S: This literal never ends."}},
		{name: "BYE and a closed socket in the middle of a command",
			server: imaptest.ByeMidCommand, script: "LOGIN u p\nSELECT INBOX\nNOOP\n", connErr: true,
			want: []string{"S: * BYE server shutting down"}},
		{name: "a server that never answers",
			server: imaptest.Unanswering, script: "NOOP\n", set: commandTimeout(time.Second), connErr: true,
			want: []string{"a001 NOOP did not complete within 1s"}},
		{name: "a literal that never finishes",
			server: imaptest.NeverEndingLiteral, script: "SELECT INBOX\nFETCH 1 BODY[]\n",
			set: commandTimeout(time.Second), connErr: true,
			want: []string{"S: The rest never comes.", "a002 FETCH did not complete within 1s"}},
		{name: "a + nobody asked for",
			server: imaptest.UnaskedContinuation, script: "NOOP\nNOOP\n",
			want: []string{"violation: [unsolicited-continuation]", `S: + feed me \x1b[31m`, "S: a002 OK NOOP completed"}},
		{name: "a tagged response with an unknown tag",
			server: imaptest.UnknownTag, script: "NOOP\n",
			want: []string{"S: zz999 OK", `violation: [unknown-tag] the server completed tag "zz999"`, "S: a001 OK NOOP completed"}},
		{name: "a tagged OK before the literal was sent",
			server: imaptest.OKBeforeLiteral, script: "APPEND INBOX <<EOF\nhello\nEOF\nNOOP\n",
			want: []string{"S: a001 OK APPEND completed without your message", "its 7 octets were not sent", "S: a002 OK NOOP completed"},
			check: func(t *testing.T, out string, srv *imaptest.Server) {
				if log := strings.Join(srv.Log(), "\n"); strings.Contains(log, "hello") || !strings.Contains(log, "a002 NOOP") {
					t.Errorf("the server read:\n%s", log)
				}
			}},
		{name: "* CAPABILITY in the middle of a FETCH",
			server: imaptest.CapabilityMidFetch, script: "SELECT INBOX\nFETCH 1:2 (UID BODY[])\ncaps\n",
			want: []string{"S: * CAPABILITY IMAP4rev1 UIDPLUS X-CHANGED-MIDWAY", "S: a002 OK FETCH completed", "X-CHANGED-MIDWAY"}},
		{name: "an EXPUNGE during a FETCH",
			server: imaptest.ExpungeDuringFetch, script: "SELECT INBOX\nFETCH 1:3 (UID FLAGS)\nNOOP\n",
			want: []string{"violation: [expunge-timing] EXPUNGE arrived while the server was responding to FETCH", "S: a002 OK FETCH completed"}},
		{name: "a literal of 2^64 octets",
			server: imaptest.HugeLiteralSize, script: "SELECT INBOX\nFETCH 1 BODY[]\nNOOP\n", connErr: true,
			want: []string{"protocol error", "literal too large", "{18446744073709551616}"},
			check: func(t *testing.T, out string, srv *imaptest.Server) {
				if strings.Contains(out, "C: a003 NOOP") {
					t.Errorf("the script went on:\n%s", out)
				}
			}},
		{name: "numbers over 2^32-1 where 32 bits are the rule",
			server: imaptest.OutOfRange, script: "SELECT INBOX\nFETCH 1:3 (UID FLAGS)\nNOOP\n",
			want: []string{"the number 4294967296 in \"* 4294967296 EXISTS\" is larger than 4294967295",
				"the number 99999999999 in \"* 99999999999 FETCH\" is larger than 4294967295",
				"[UIDNEXT 99999999999]\" is larger than 4294967295", "[UIDVALIDITY 18446744073709551616]\" is larger than 4294967295",
				"[uid-range] FETCH data for message 3 gives UID 4294967296",
				"S: a003 OK NOOP completed"},
			check: func(t *testing.T, out string, srv *imaptest.Server) {
				// A response not applied is judged by nobody: the
				// watchdog read no count of 0 into "* 4294967296 EXISTS".
				if strings.Contains(out, "exists-shrink") || strings.Contains(out, "has 0 messages") {
					t.Errorf("the watchdog judged a response whose number is out of range:\n%s", out)
				}
			}},
		{name: "one octet a second, never a line end",
			server: func(t testing.TB) *imaptest.Server { return imaptest.Trickle(t, time.Second) },
			script: "NOOP\n", set: commandTimeout(2 * time.Second), connErr: true,
			want: []string{"a001 NOOP did not complete within 2s"}},
		{name: "STARTTLS answered OK, then plaintext",
			server: imaptest.StartTLSPlaintext, script: "NOOP\n",
			set: func(c *Config) {
				c.Security, c.User, c.Timeout = wire.StartTLS, "alice", time.Second
			},
			connErr: true, want: []string{"after its STARTTLS OK failed"},
			check: func(t *testing.T, out string, srv *imaptest.Server) {
				// After the OK only a TLS handshake may come, no command.
				for _, l := range srv.Log()[1:] {
					if strings.HasPrefix(l, "a0") {
						t.Errorf("after STARTTLS the client sent %q in clear", l)
					}
				}
			}},
		{name: "100,000 capabilities",
			server: func(t testing.TB) *imaptest.Server { return imaptest.ManyCapabilities(t, 100000) },
			script: "CAPABILITY\ncaps\n",
			want:   []string{"X-CAP-99999 X-CAP-100000", "X-CAP-100000"}, alloc: 256 << 20},
		{name: "50,000 mailboxes",
			server: func(t testing.TB) *imaptest.Server { return imaptest.ManyMailboxes(t, 50000) },
			script: "LIST \"\" \"*\"\n",
			want:   []string{"S: * LIST (\\HasNoChildren) \"/\" Folder/50000", "S: a001 OK LIST completed"}, alloc: 256 << 20},
		{name: "mailbox names carrying escapes",
			server: imaptest.EvilMailboxes, script: "LIST \"\" \"*\"\nSELECT \"&ABs-[31mred\"\n",
			want: []string{`S: * LIST () "/" "Inbox\x1b[2J\x1b]0;pwned\x07"`, `S: evil\u202eexe.txt\x07`, `is "\\x1b[31mred" (modified UTF-7)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := tc.server(t)
			set := tc.set
			if set == nil {
				set = func(*Config) {}
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			done := make(chan scriptRun, 1)
			go func() {
				done <- runScript(t, srv.Addr, "", "", tc.script, func(c *Config) {
					c.Getenv = func(k string) string {
						if k == "IMAPSH_PASSWORD" {
							return "secret-password"
						}
						return ""
					}
					set(c)
				})
			}()
			var r scriptRun
			select {
			case r = <-done:
			case <-time.After(45 * time.Second):
				t.Fatalf("imapsh still runs after 45s")
			}
			runtime.ReadMemStats(&after)
			out := r.Out
			if r.Err != nil {
				out += "\n[error] " + r.Err.Error()
			}
			var ce *ConnError
			switch {
			case tc.connErr && !errors.As(r.Err, &ce):
				t.Errorf("Run = %v, want a connection error (exit 2)", r.Err)
			case !tc.connErr && r.Err != nil && !errors.Is(r.Err, ErrFailed):
				t.Errorf("Run = %v", r.Err)
			}
			if os.Getenv("IMAPSH_HOSTILE_SHOW") != "" {
				t.Logf("what imapsh printed (IMAPSH_HOSTILE_SHOW):\n%s", clipOut(out))
			}
			assertNoRawControls(t, r.Out)
			if r.Err != nil {
				// main prints it sanitized; what it says must be clear.
				assertNoRawControls(t, Sanitize(r.Err.Error()))
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("lacks %q:\n%s", w, clipOut(out))
				}
			}
			if tc.check != nil {
				tc.check(t, out, srv)
			}
			bound := tc.alloc
			if bound == 0 {
				bound = 64 << 20
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > bound {
				t.Errorf("allocated %d MiB while running, more than %d MiB", got>>20, bound>>20)
			}
			if strings.Contains(strings.Join(srv.Log(), "\n"), "secret-password") {
				t.Errorf("the password was sent")
			}
		})
	}
}

// clipOut keeps a failure message readable when the output is huge.
func clipOut(s string) string {
	if len(s) > 4000 {
		return s[:2000] + "\n[...]\n" + s[len(s)-2000:]
	}
	return s
}

// TestHostileTLSWithoutCloseNotify: a TLS server that cuts the TCP
// connection without close_notify, in the middle of a literal and between
// responses, is reported as a lost connection at once, not as a clean end
// and not after a wait.
func TestHostileTLSWithoutCloseNotify(t *testing.T) {
	cert := imaptest.SelfSigned(t, "imaptest", true)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, cert.PEM, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ script, want string }{
		{"SELECT INBOX\nFETCH 1 BODY[]\nNOOP\n", "connection closed inside a literal {100} after 20 octets"},
		{"SELECT INBOX\nNOOP\nNOOP\n", "S: * 4 EXISTS"},
	} {
		srv := imaptest.TLSAbort(t, cert.Cert)
		r := runScript(t, srv.Addr, "", "", tc.script, func(c *Config) { c.Security, c.CAFile = wire.ImplicitTLS, ca })
		var ce *ConnError
		if !errors.As(r.Err, &ce) {
			t.Errorf("%q: Run = %v, want a connection error (exit 2)\n%s", tc.script, r.Err, r.Out)
			continue
		}
		if out := r.Out + r.Err.Error(); !strings.Contains(out, tc.want) || strings.Contains(r.Out, "C: a003 NOOP") {
			t.Errorf("%q: lacks %q, or went on:\n%s", tc.script, tc.want, out)
		}
		assertNoRawControls(t, r.Out)
	}
}

// At the terminal, mailbox names that carry escapes are shown made
// visible in LIST's output, and completion never offers them (it offers
// only names that can be typed), so Tab cannot put an escape on the line.
func TestHostileMailboxNamesAtTheTerminal(t *testing.T) {
	srv := imaptest.EvilMailboxes(t)
	tm := startTermWith(t, srv.Addr, "", "", nil)
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys(`LIST "" "*"` + "\r")
	tm.waitFor("OK LIST completed")
	// INBOX is the one name completion can offer.
	tm.typeKeys("SELECT \t")
	tm.waitFor("SELECT INBOX ")
	tm.typeKeys("\r")
	tm.waitFor("C: a002 SELECT INBOX")
	tm.waitFor("S: a002 OK")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	screen := tm.out.String()
	// readline draws with its own escape sequences; the server's must
	// not be there.
	for _, evil := range []string{"\x1b[2J", "\x1b]0;pwned", "\u202e", "\x07", "\x1b[31m"} {
		if strings.Contains(screen, evil) {
			t.Errorf("the screen shows a raw %q:\n%q", evil, screen)
		}
	}
	for _, want := range []string{`"Inbox\x1b[2J\x1b]0;pwned\x07"`, `evil\u202eexe.txt\x07`} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
}
