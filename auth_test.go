package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// secretForms returns each secret and every base64 text that carries it,
// whatever its offset in the encoded blob: the middle of the encoding of
// the secret after 0, 1 and 2 other octets. "\x00alice\x00wonderland"
// (PLAIN) and "user=...\x01auth=Bearer TOKEN" (XOAUTH2) encode to texts
// that hold one of them. The blobs given whole are searched too.
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

// noSecret fails when any of texts holds a form of the secrets; what
// names the texts ("stdout", "history").
func noSecret(t *testing.T, what string, texts map[string]string, secrets ...string) {
	t.Helper()
	for name, text := range texts {
		for _, f := range secretForms(secrets...) {
			if strings.Contains(text, f) {
				t.Errorf("%s: %s holds the secret form %q:\n%s", what, name, f, text)
			}
		}
	}
}

func TestSecretFormsCatchEveryEncoding(t *testing.T) {
	forms := secretForms("wonderland")
	for _, blob := range []string{"\x00alice\x00wonderland", "alice\x00wonderland", "wonderland", "x\x01auth=Bearer wonderland\x01\x01"} {
		enc := base64.StdEncoding.EncodeToString([]byte(blob))
		found := false
		for _, f := range forms {
			found = found || strings.Contains(enc, f)
		}
		if !found {
			t.Errorf("base64 of %q (%s) escapes the search", blob, enc)
		}
	}
}

func TestDovecotAuthEachMechanism(t *testing.T) {
	d := needDovecot(t)
	notes := map[string][]string{
		"PLAIN":         {"C: a001 AUTHENTICATE PLAIN [credentials hidden]", `the user "` + d.user + `" and the password (hidden)`},
		"LOGIN":         {"C: a001 AUTHENTICATE LOGIN", `the server's prompt: "Username:"`, `the server's prompt: "Password:"`, "C: [credentials hidden]"},
		"CRAM-MD5":      {"C: a001 AUTHENTICATE CRAM-MD5", "# the challenge, decoded: \"<", "HMAC-MD5 of the challenge keyed with the password: "},
		"SCRAM-SHA-1":   {"C: a001 AUTHENTICATE SCRAM-SHA-1 biws", "i=4096: the iteration count", "the salt, ", "p=", "verified: the signature matches"},
		"SCRAM-SHA-256": {"C: a001 AUTHENTICATE SCRAM-SHA-256 biws", "i=4096: the iteration count", "PBKDF2-HMAC-SHA-256", "verified: the signature matches"},
	}
	for mech, want := range notes {
		t.Run(mech, func(t *testing.T) {
			code, out, stderr := imapsh(t, d.env(), "NOOP\n", "--ca", d.ca, "--auth", strings.ToLower(mech), "-u", d.user, d.tls)
			if code != 0 || !strings.Contains(out, "S: a001 OK") {
				t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
			}
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			noSecret(t, mech, map[string]string{"stdout": out, "stderr": stderr}, d.pass, "\x00"+d.user+"\x00"+d.pass)

			// The wrong password is refused, and not shown either.
			code, out, stderr = imapsh(t, []string{"IMAPSH_PASSWORD=not-the-password"}, "NOOP\n", "--ca", d.ca, "--auth", mech, "-u", d.user, d.tls)
			if code != 2 || !strings.Contains(stderr, "login as "+d.user+" failed") {
				t.Errorf("wrong password: exit %d, stderr %q\n%s", code, stderr, out)
			}
			noSecret(t, mech+" wrong password", map[string]string{"stdout": out, "stderr": stderr}, "not-the-password")
		})
	}
}

func TestDovecotAutomaticChoice(t *testing.T) {
	d := needDovecot(t)
	code, out, stderr := imapsh(t, d.env(), "NOOP\n", "--ca", d.ca, "-u", d.user, d.tls)
	if code != 0 || !strings.Contains(out, "C: a001 AUTHENTICATE SCRAM-SHA-256 ") || !strings.Contains(out, "verified") {
		t.Errorf("Dovecot offers SCRAM-SHA-256, imapsh should pick it: exit %d, stderr %q\n%s", code, stderr, out)
	}
	// In clear, against LOGINDISABLED, the automatic choice refuses; asked
	// for, SCRAM (which never sends the password) goes ahead.
	strict := os.Getenv("IMAPSH_DOVECOT_STARTTLS_STRICT")
	if strict == "" {
		t.Skip("no strict STARTTLS address")
	}
	code, out, stderr = imapsh(t, d.env(), "NOOP\n", "--plaintext", "-u", d.user, strict)
	if code != 2 || !strings.Contains(stderr, "--auth SCRAM-SHA-256, which never sends the password") {
		t.Errorf("automatic login in clear: exit %d, stderr %q\n%s", code, stderr, out)
	}
	code, out, stderr = imapsh(t, d.env(), "NOOP\n", "--plaintext", "--auth", "SCRAM-SHA-256", "-u", d.user, strict)
	if code != 0 || !strings.Contains(out, "verified") {
		t.Errorf("--auth SCRAM-SHA-256 in clear: exit %d, stderr %q\n%s", code, stderr, out)
	}
	noSecret(t, "in clear", map[string]string{"stdout": out, "stderr": stderr}, d.pass)
	code, out, stderr = imapsh(t, d.env(), "NOOP\n", "--plaintext", "--auth", "PLAIN", "-u", d.user, strict)
	if code != 2 || !strings.Contains(stderr, "does not offer AUTH=PLAIN (it offers AUTH=SCRAM-SHA-256 AUTH=SCRAM-SHA-1 AUTH=CRAM-MD5)") {
		t.Errorf("--auth PLAIN in clear: exit %d, stderr %q\n%s", code, stderr, out)
	}
}

// TestDovecotLoginFormsWriteNoSecret logs in every way a script can and
// searches stdout and stderr for the password in every form.
func TestDovecotLoginFormsWriteNoSecret(t *testing.T) {
	d := needDovecot(t)
	plainIR := base64.StdEncoding.EncodeToString([]byte("\x00" + d.user + "\x00" + d.pass))
	forms := []struct {
		name, script string
		args         []string
		env          []string
		want         string
	}{
		{"IMAPSH_PASSWORD", "NOOP\n", []string{"-u", d.user}, d.env(), "S: a001 OK"},
		{"LOGIN atom", "LOGIN " + d.user + " " + d.pass + "\nNOOP\n", nil, nil, "C: a001 LOGIN " + d.user + " [hidden]"},
		{"LOGIN quoted", "LOGIN " + d.user + ` "` + d.pass + `"` + "\nNOOP\n", nil, nil, "C: a001 LOGIN " + d.user + " [hidden]"},
		{"LOGIN literal", "LOGIN " + d.user + " {" + strconv.Itoa(len(d.pass)) + "}\n" + d.pass + "\nNOOP\n", nil, nil, "octets: typed, hidden]"},
		{"AUTHENTICATE with initial response", "AUTHENTICATE PLAIN " + plainIR + "\nNOOP\n", nil, nil, "C: a001 AUTHENTICATE PLAIN [hidden]"},
		{"AUTHENTICATE without initial response", "AUTHENTICATE PLAIN\n" + plainIR + "\nNOOP\n", nil, nil, "C: [hidden: answer to an authentication challenge]"},
		{"login helper", "login " + d.user + "\nNOOP\n", nil, d.env(), "AUTHENTICATE SCRAM-SHA-256"},
		{"authenticate scram-sha-1", "authenticate scram-sha-1 " + d.user + "\nNOOP\n", nil, d.env(), "verified"},
		{"authenticate scram-sha-256", "authenticate scram-sha-256 " + d.user + "\nNOOP\n", nil, d.env(), "verified"},
		{"authenticate cram-md5", "authenticate cram-md5 " + d.user + "\nNOOP\n", nil, d.env(), "HMAC-MD5"},
		{"authenticate plain", "authenticate plain " + d.user + "\nNOOP\n", nil, d.env(), "[credentials hidden]"},
		{"authenticate login", "authenticate login " + d.user + "\nNOOP\n", nil, d.env(), `"Password:"`},
	}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			logFile := filepath.Join(t.TempDir(), "session.log")
			args := append([]string{"--ca", d.ca, "--log", logFile}, append(f.args, d.tls)...)
			env := append([]string{"IMAPSH_PASSWORD=", "HOME=" + t.TempDir()}, f.env...)
			code, out, stderr := imapsh(t, env, f.script, args...)
			if code != 0 || !strings.Contains(out, f.want) || !strings.Contains(out, "OK NOOP completed") {
				t.Errorf("exit %d (want 0), output lacks %q or NOOP's OK; stderr %q\n%s", code, f.want, stderr, out)
			}
			log, err := os.ReadFile(logFile)
			if err != nil || !strings.Contains(string(log), "OK NOOP completed") {
				t.Errorf("the transcript is missing or incomplete (%v):\n%s", err, log)
			}
			noSecret(t, f.name, map[string]string{"stdout": out, "stderr": stderr, "transcript": string(log)}, d.pass, "\x00"+d.user+"\x00"+d.pass)
		})
	}
}

// With --log-secrets the same search finds the password in the
// transcript: the search above can fail.
func TestDovecotLogSecretsKeepsThem(t *testing.T) {
	d := needDovecot(t)
	logFile := filepath.Join(t.TempDir(), "session.log")
	code, out, stderr := imapsh(t, []string{"IMAPSH_PASSWORD="}, "LOGIN "+d.user+" "+d.pass+"\nNOOP\n", "--ca", d.ca, "--log", logFile, "--log-secrets", d.tls)
	log, _ := os.ReadFile(logFile)
	if code != 0 || !strings.Contains(string(log), "LOGIN "+d.user+" "+d.pass) || !strings.Contains(out, "--log-secrets") {
		t.Errorf("exit %d, stderr %q; the transcript lacks the password:\n%s", code, stderr, log)
	}
	noSecret(t, "--log-secrets", map[string]string{"stdout": out, "stderr": stderr}, d.pass)
}

func TestDovecotNetrc(t *testing.T) {
	d := needDovecot(t)
	host, _, _ := strings.Cut(d.tls, ":")
	home := t.TempDir()
	netrc := filepath.Join(home, ".netrc")
	os.WriteFile(netrc, []byte("# test\nmachine "+host+"\n  login "+d.user+"\n  password "+d.pass+"\n"), 0o600)
	env := []string{"IMAPSH_PASSWORD=", "HOME=" + home}

	code, out, stderr := imapsh(t, env, "NOOP\n", "--ca", d.ca, "-u", d.user, d.tls)
	if code != 0 || !strings.Contains(out, "using the password for "+d.user+" from "+netrc) {
		t.Errorf("-u with .netrc: exit %d, stderr %q\n%s", code, stderr, out)
	}
	noSecret(t, "netrc", map[string]string{"stdout": out, "stderr": stderr}, d.pass)
	// --auth without -u takes the user from .netrc too.
	code, out, stderr = imapsh(t, env, "NOOP\n", "--ca", d.ca, "--auth", "CRAM-MD5", d.tls)
	if code != 0 || !strings.Contains(out, "the answer: the user \""+d.user+"\"") {
		t.Errorf("--auth with .netrc: exit %d, stderr %q\n%s", code, stderr, out)
	}
	noSecret(t, "netrc --auth", map[string]string{"stdout": out, "stderr": stderr}, d.pass)

	// A .netrc others can read is refused, with what to do.
	os.Chmod(netrc, 0o644)
	code, out, stderr = imapsh(t, env, "NOOP\n", "--ca", d.ca, "-u", d.user, d.tls)
	if code != 2 || !strings.Contains(stderr, "chmod 600 "+netrc) || strings.Contains(out, "AUTHENTICATE") {
		t.Errorf("a .netrc readable by others: exit %d, stderr %q\n%s", code, stderr, out)
	}
	noSecret(t, "netrc refused", map[string]string{"stdout": out, "stderr": stderr}, d.pass)
}

const testToken = "ya29.a0-imapsh-test-token-Zx9"

func TestCLIOAuthMechanisms(t *testing.T) {
	for _, mech := range []string{"XOAUTH2", "OAUTHBEARER"} {
		for _, ir := range []bool{true, false} {
			srv := imaptest.NewSASLServer(t, imaptest.SASLConfig{User: "bob@example.com", Token: testToken, Mechs: []string{mech}, SASLIR: ir, Host: "127.0.0.1"})
			dir := t.TempDir()
			tokenFile := filepath.Join(dir, "token")
			os.WriteFile(tokenFile, []byte(testToken+"\n"), 0o600)
			base := []string{"--plaintext", "--auth", mech, "-u", "bob@example.com", srv.Addr}
			// The right token, from the environment and from a file.
			for _, how := range []struct {
				env  []string
				args []string
			}{
				{[]string{"IMAPSH_OAUTH2_TOKEN=" + testToken}, nil},
				{nil, []string{"--oauth2-token-file", tokenFile}},
			} {
				logFile := filepath.Join(t.TempDir(), "session.log")
				code, out, stderr := imapsh(t, how.env, "NOOP\n", append(append(how.args, "--log", logFile), base...)...)
				if code != 0 || !strings.Contains(out, "authentication successful") || !strings.Contains(out, "[the token, "+strconv.Itoa(len(testToken))+" characters, hidden]") {
					t.Errorf("%s (SASL-IR %v): exit %d, stderr %q\n%s", mech, ir, code, stderr, out)
				}
				log, err := os.ReadFile(logFile)
				if err != nil || !strings.Contains(string(log), "AUTHENTICATE "+mech) {
					t.Errorf("%s: the transcript is missing or incomplete (%v):\n%s", mech, err, log)
				}
				noSecret(t, mech, map[string]string{"stdout": out, "stderr": stderr, "transcript": string(log)}, testToken)
			}
			// A refused token: the error challenge is decoded and answered.
			code, out, stderr := imapsh(t, []string{"IMAPSH_OAUTH2_TOKEN=expired-token-1234"}, "NOOP\n", base...)
			wantAnswer := "C: \n"
			if mech == "OAUTHBEARER" {
				wantAnswer = "C: AQ==\n"
			}
			if code != 2 || !strings.Contains(out, "scope: \""+imaptest.OAuth2Scope+"\"") || !strings.Contains(out, wantAnswer) || !strings.Contains(stderr, "NO [AUTHENTICATIONFAILED]") {
				t.Errorf("%s refused token (SASL-IR %v): exit %d, stderr %q\n%s", mech, ir, code, stderr, out)
			}
			noSecret(t, mech+" refused", map[string]string{"stdout": out, "stderr": stderr}, "expired-token-1234")
			ev := strings.Join(srv.Events(), "; ")
			if !strings.Contains(ev, mech+" refused, answered ok") || strings.Contains(ev, "error") {
				t.Errorf("%s (SASL-IR %v): the server saw %s", mech, ir, ev)
			}
		}
	}
	// A token file others can read is refused.
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte(testToken), 0o644)
	srv := imaptest.NewSASLServer(t, imaptest.SASLConfig{User: "bob", Token: testToken, Mechs: []string{"XOAUTH2"}, SASLIR: true})
	code, out, stderr := imapsh(t, nil, "NOOP\n", "--plaintext", "--auth", "XOAUTH2", "--oauth2-token-file", tokenFile, "-u", "bob", srv.Addr)
	if code != 2 || !strings.Contains(stderr, "chmod 600 "+tokenFile) || strings.Contains(out, "AUTHENTICATE") {
		t.Errorf("a token file others can read: exit %d, stderr %q\n%s", code, stderr, out)
	}
}

func TestCLIScramServerMustProveItKnowsThePassword(t *testing.T) {
	cases := []struct {
		end      imaptest.ScramEnd
		code     int
		want     string
		wantSeen string
	}{
		{imaptest.ScramValid, 0, "verified: the signature matches", "SCRAM-SHA-256 ok"},
		{imaptest.ScramWrong, 2, "the server signature is wrong: the server did not prove that it knows your password. It may be an impostor", "cancelled after the server signature"},
		{imaptest.ScramMissing, 2, "accepted the login without sending its signature", "no server signature"},
	}
	for _, c := range cases {
		srv := imaptest.NewSASLServer(t, imaptest.SASLConfig{User: "carol", Password: "p4ss-w0rd!", Mechs: []string{"SCRAM-SHA-256", "PLAIN"}, Scram: c.end})
		code, out, stderr := imapsh(t, []string{"IMAPSH_PASSWORD=p4ss-w0rd!"}, "NOOP\n", "--plaintext", "-u", "carol", srv.Addr)
		if code != c.code || !strings.Contains(out+stderr, c.want) {
			t.Errorf("%v: exit %d (want %d), want %q; stderr %q\n%s", c.end, code, c.code, c.want, stderr, out)
		}
		if c.code != 0 && strings.Contains(out, "NOOP") {
			t.Errorf("%v: a command was sent to a server that did not prove itself:\n%s", c.end, out)
		}
		if ev := strings.Join(srv.Events(), "; "); !strings.Contains(ev, c.wantSeen) {
			t.Errorf("%v: the server saw %s", c.end, ev)
		}
		noSecret(t, "SCRAM", map[string]string{"stdout": out, "stderr": stderr}, "p4ss-w0rd!")
	}
}
