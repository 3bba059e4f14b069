package repl

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// secretForms returns each secret, its base64, and the middle of the
// base64 of the secret after 0, 1 and 2 other octets: whatever a blob
// around the secret holds, its base64 contains one of these.
func secretForms(secrets ...string) []string {
	var out []string
	for _, s := range secrets {
		out = append(out, s, base64.StdEncoding.EncodeToString([]byte(s)))
		for pad := 0; pad < 3; pad++ {
			enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("\x00", pad) + s))
			start, end := (pad*8+5)/6, ((pad+len(s))*8)/6-1
			if end > start+4 {
				out = append(out, enc[start:end])
			}
		}
	}
	return out
}

func assertNoSecret(t *testing.T, what string, texts map[string]string, secrets ...string) {
	t.Helper()
	for name, text := range texts {
		for _, f := range secretForms(secrets...) {
			if strings.Contains(text, f) {
				t.Errorf("%s: %s holds the secret form %q:\n%s", what, name, f, text)
			}
		}
	}
}

func TestRedactKeepsTheAuthenticateHelper(t *testing.T) {
	cases := map[string]string{
		"authenticate xoauth2 bob@example.com": "authenticate xoauth2 bob@example.com",
		"AUTHENTICATE PLAIN AGFsaWNl":          "AUTHENTICATE PLAIN [hidden]",
		"a1 authenticate plain AGFsaWNl":       "a1 AUTHENTICATE plain [hidden]",
	}
	for in, want := range cases {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSecretPainter(t *testing.T) {
	cases := map[string]string{
		"LOGIN alice wonderland":      "LOGIN alice **********",
		`a1 login alice "w\"ä"`:       `a1 login alice ******`,
		"LOGIN alice":                 "LOGIN alice",
		"AUTHENTICATE PLAIN AGFsaWNl": "AUTHENTICATE PLAIN ********",
		"AUTHENTICATE CRAM-MD5":       "AUTHENTICATE CRAM-MD5",
		"SELECT INBOX":                "SELECT INBOX",
		"authenticate plain alice":    "authenticate plain alice",
	}
	for in, want := range cases {
		if got := string(maskSecrets([]rune(in))); got != want {
			t.Errorf("Paint(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDovecotInteractiveLoginForms logs in at the terminal every way a
// person can and searches the screen and the history file for the password
// in every form.
func TestDovecotInteractiveLoginForms(t *testing.T) {
	addr, user, pass := os.Getenv("IMAPSH_DOVECOT_STARTTLS"), os.Getenv("IMAPSH_DOVECOT_USER"), os.Getenv("IMAPSH_DOVECOT_PASSWORD")
	if addr == "" {
		t.Skip("no Dovecot: run .ci/dovecot-up and source its env file")
	}
	// Dovecot takes a login in clear from 127.0.0.1 (it counts as local).
	ir := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
	askPass := "password for " + user + "@127.0.0.1: "
	type key struct{ wait, keys string }
	forms := []struct {
		name  string
		login string // -u
		steps []key
		want  string
	}{
		{"password prompt", user, []key{{askPass, pass + "\r"}}, "AUTHENTICATE SCRAM-SHA-256"},
		{"LOGIN atom", "", []key{{"> ", "LOGIN " + user + " " + pass + "\r"}}, "C: a001 LOGIN " + user + " [hidden]"},
		{"LOGIN quoted", "", []key{{"> ", "LOGIN " + user + ` "` + pass + `"` + "\r"}}, "C: a001 LOGIN " + user + " [hidden]"},
		{"LOGIN literal", "", []key{{"> ", "LOGIN " + user + " {" + strconv.Itoa(len(pass)) + "}\r"}, {"octets left> ", pass + "\r"}}, "octets: typed, hidden]"},
		{"AUTHENTICATE with initial response", "", []key{{"> ", "AUTHENTICATE PLAIN " + ir + "\r"}}, "C: a001 AUTHENTICATE PLAIN [hidden]"},
		{"AUTHENTICATE without initial response", "", []key{{"> ", "AUTHENTICATE PLAIN\r"}, {"S: + ", ir + "\r"}}, "[hidden: answer to an authentication challenge]"},
		{"AUTHENTICATE CRAM-MD5 computed", "", []key{{"> ", "AUTHENTICATE CRAM-MD5\r"}, {"press Enter", "\r"}, {"user name for CRAM-MD5: ", user + "\r"}, {askPass, pass + "\r"}},
			"HMAC-MD5 of the challenge keyed with the password"},
		{"login helper", "", []key{{"> ", "login " + user + "\r"}, {askPass, pass + "\r"}}, "verified: the signature matches"},
		{"authenticate scram-sha-256", "", []key{{"> ", "authenticate scram-sha-256 " + user + "\r"}, {askPass, pass + "\r"}}, "verified: the signature matches"},
		{"authenticate scram-sha-1", "", []key{{"> ", "authenticate scram-sha-1 " + user + "\r"}, {askPass, pass + "\r"}}, "verified: the signature matches"},
		{"authenticate cram-md5", "", []key{{"> ", "authenticate cram-md5 " + user + "\r"}, {askPass, pass + "\r"}}, "HMAC-MD5"},
		{"authenticate plain", "", []key{{"> ", "authenticate plain " + user + "\r"}, {askPass, pass + "\r"}}, "AUTHENTICATE PLAIN [credentials hidden]"},
		{"authenticate login", "", []key{{"> ", "authenticate login " + user + "\r"}, {askPass, pass + "\r"}}, `the server's prompt: "Password:"`},
	}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			hist := filepath.Join(t.TempDir(), "history")
			tm := startTerm(t, addr, f.login, "", hist)
			for _, k := range f.steps {
				tm.waitFor(k.wait)
				tm.typeKeys(k.keys)
			}
			tm.waitFor("(no mailbox)> ")
			tm.typeKeys("NOOP\r")
			tm.waitFor("OK NOOP completed")
			tm.typeKeys("\x04")
			if err := tm.wait(); err != nil {
				t.Errorf("Run: %v", err)
			}
			screen := tm.out.String()
			if !strings.Contains(screen, f.want) {
				t.Errorf("the screen lacks %q:\n%s", f.want, screen)
			}
			h, err := os.ReadFile(hist)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(h), "NOOP") {
				t.Errorf("the history was not written: %q", h)
			}
			assertNoSecret(t, f.name, map[string]string{"screen": screen, "history": string(h)}, pass, "\x00"+user+"\x00"+pass)
		})
	}
}

func TestInteractiveOAuthTokenPrompt(t *testing.T) {
	const token = "ya29.interactive-token-Qw7"
	for _, mech := range []string{"XOAUTH2", "OAUTHBEARER"} {
		srv := imaptest.NewSASLServer(t, imaptest.SASLConfig{User: "bob", Token: token, Mechs: []string{mech}, SASLIR: true})
		hist := filepath.Join(t.TempDir(), "history")
		tm := startTerm(t, srv.Addr, "", "", hist)
		tm.waitFor("(not authenticated)> ")
		tm.typeKeys("authenticate " + strings.ToLower(mech) + " bob\r")
		tm.waitFor("OAuth2 access token for bob@127.0.0.1: ")
		tm.typeKeys(token + "\r")
		tm.waitFor("bob@127.0.0.1 (no mailbox)> ")
		tm.typeKeys("\x04")
		tm.wait()
		h, _ := os.ReadFile(hist)
		if !strings.Contains(string(h), "authenticate "+strings.ToLower(mech)+" bob") {
			t.Errorf("history %q", h)
		}
		assertNoSecret(t, mech, map[string]string{"screen": tm.out.String(), "history": string(h)}, token)
		if ev := srv.Events(); len(ev) != 1 || ev[0] != mech+" ok" {
			t.Errorf("%s: the server saw %q", mech, ev)
		}
	}
}

// TestScriptAuthenticateHelperUsage checks the helper's own errors and that
// AUTHENTICATE in capitals still goes to the server as typed.
func TestScriptAuthenticateHelperUsage(t *testing.T) {
	srv := imaptest.NewSASLServer(t, imaptest.SASLConfig{User: "bob", Password: "pw-123456", Mechs: []string{"PLAIN"}})
	r := runScript(t, srv.Addr, "", "", "authenticate\nauthenticate digest-md5 bob\nauthenticate scram-sha-256 bob\nAUTHENTICATE PLAIN\n*\n")
	for _, want := range []string{
		"usage: authenticate MECH [USER]",
		`does not know the mechanism "digest-md5"`,
		"does not offer AUTH=SCRAM-SHA-256 (it offers AUTH=PLAIN)",
		"C: a001 AUTHENTICATE PLAIN",
		"an empty challenge: the server waits for the initial response",
		"BAD AUTHENTICATE cancelled",
	} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
	if r.Err != ErrFailed {
		t.Errorf("Run = %v, want ErrFailed", r.Err)
	}
}

// TestInteractiveInterruptedExchangeSendsNoCredentials stops waiting for an
// AUTHENTICATE whose server is slow to ask for the initial response: when
// its "+" comes at last, the exchange is cancelled with "*" and the
// credentials are never sent.
func TestInteractiveInterruptedExchangeSendsNoCredentials(t *testing.T) {
	release := make(chan struct{})
	got := make(chan string, 1)
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] slow server", func(c *imaptest.Conn, tag, name, line string) bool {
		if name != "AUTHENTICATE" {
			c.Send(tag + " OK " + name + " done")
			return true
		}
		<-release
		c.Send("+ ")
		answer, err := c.ReadLine()
		if err != nil {
			return false
		}
		got <- answer
		c.Send(tag + " BAD AUTHENTICATE cancelled")
		return true
	})
	tm := startTerm(t, srv.Addr, "", "pw-0123456789", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("authenticate plain bob\r")
	tm.waitFor("C: a001 AUTHENTICATE PLAIN")
	tm.intr <- struct{}{}
	tm.waitFor("stopped waiting for a001")
	close(release)
	if answer := <-got; answer != "*" {
		t.Errorf("after Ctrl-C the server got %q, want *", answer)
	}
	tm.waitFor("a001, which you stopped waiting for, has now completed: BAD")
	tm.typeKeys("NOOP\r")
	tm.waitFor("S: a002 OK NOOP done")
	tm.typeKeys("\x04")
	tm.wait()
	assertNoSecret(t, "interrupted", map[string]string{"screen": tm.out.String()}, "pw-0123456789", "\x00bob\x00pw-0123456789")
}
