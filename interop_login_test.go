package main

import (
	"encoding/base64"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
)

// TestInteropLogin logs in every way the server offers: -u over implicit
// TLS and over STARTTLS (imapsh picks the best mechanism offered), --auth
// with each SASL mechanism the server lists that imapsh speaks with a
// password, the login helper, a typed LOGIN, a typed AUTHENTICATE for each
// mechanism a person can type (PLAIN, LOGIN); and the refusals: no
// password in clear where the server says LOGINDISABLED, a wrong password.
func TestInteropLogin(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		b64 := func(v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) }
		// Each way ends with NOOP in the authenticated state: "OK" to it
		// shows the login held.
		noopOK := regexp.MustCompile(`C: (a\d+) NOOP\n(?:S: \* .*\n)*S: (a\d+) OK`)
		loggedIn := func(t *testing.T, way, out string) {
			t.Helper()
			if m := noopOK.FindStringSubmatch(out); m == nil || m[1] != m[2] {
				t.Errorf("%s: %s: no OK to the NOOP after login:\n%s", s.name, way, out)
			}
		}

		code, out, stderr := s.run(t, "NOOP\n", s.loginArgs()...)
		if code != 0 {
			t.Errorf("-u: exit %d, stderr %q\n%s", code, stderr, out)
		}
		if s.tls != "" {
			wantAll(t, s, out, "certificate verified for 127.0.0.1")
		}
		if m := regexp.MustCompile(`C: a001 (AUTHENTICATE \S+|LOGIN)`).FindStringSubmatch(out); m == nil {
			t.Errorf("%s: -u: no login:\n%s", s.name, out)
		} else {
			t.Logf("%s: -u chose %s", s.name, m[1])
		}
		loggedIn(t, "-u", out)

		if s.starttls != "" {
			_, port, _ := strings.Cut(s.starttls, ":")
			code, out, stderr := s.run(t, "NOOP\n", "--ca", s.ca, "imap://"+s.user+"@localhost:"+port)
			if code != 0 {
				t.Errorf("STARTTLS: exit %d, stderr %q\n%s", code, stderr, out)
			}
			starttls, auth := strings.Index(out, "C: a001 STARTTLS"), strings.Index(out, "AUTHENTICATE ")
			if starttls < 0 || auth < starttls || !strings.Contains(out, "TLS started with TLS 1.3, certificate verified for localhost") {
				t.Errorf("%s: login did not wait for STARTTLS:\n%s", s.name, out)
			}
			// The capabilities from before TLS are asked again after it.
			if !regexp.MustCompile(`(?s)TLS started.*C: a002 CAPABILITY`).MatchString(out) {
				t.Errorf("%s: capabilities not asked again after STARTTLS:\n%s", s.name, out)
			}
			loggedIn(t, "STARTTLS", out)
		}

		// Without -u: the login helper, then what a person types.
		code, out, stderr = s.run(t, "login "+s.user+"\nNOOP\n", s.connArgs()...)
		if code != 0 {
			t.Errorf("login helper: exit %d, stderr %q\n%s", code, stderr, out)
		}
		loggedIn(t, "login helper", out)

		code, out, stderr = s.run(t, "LOGIN "+s.user+" \""+s.pass+"\"\nNOOP\n", s.connArgs()...)
		if code != 0 || !strings.Contains(out, "LOGIN "+s.user+" [hidden]") {
			t.Errorf("typed LOGIN: exit %d, stderr %q\n%s", code, stderr, out)
		}
		loggedIn(t, "typed LOGIN", out)

		code, out, _ = s.run(t, "CAPABILITY\n", s.connArgs()...)
		if code != 0 {
			t.Fatalf("CAPABILITY: exit %d\n%s", code, out)
		}
		caps := regexp.MustCompile(`S: \* CAPABILITY (.*)`).FindStringSubmatch(out)
		if caps == nil {
			t.Fatalf("no CAPABILITY response:\n%s", out)
		}
		// --auth MECH for each mechanism imapsh can do with a password.
		for _, c := range strings.Fields(caps[1]) {
			mech, ok := strings.CutPrefix(strings.ToUpper(c), "AUTH=")
			if !ok || !strings.Contains(" PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 ", " "+mech+" ") {
				continue
			}
			code, out, stderr := s.run(t, "NOOP\n", append([]string{"--auth", mech}, s.loginArgs()...)...)
			if code != 0 || !strings.Contains(out, "C: a001 AUTHENTICATE "+mech) {
				t.Errorf("--auth %s: exit %d, stderr %q\n%s", mech, code, stderr, out)
			}
			loggedIn(t, "--auth "+mech, out)
		}

		mechs := 0
		for _, c := range strings.Fields(caps[1]) {
			var script string
			switch strings.ToUpper(c) {
			case "AUTH=PLAIN":
				script = "AUTHENTICATE PLAIN\n" + b64("\x00"+s.user+"\x00"+s.pass) + "\nNOOP\n"
			case "AUTH=LOGIN":
				script = "AUTHENTICATE LOGIN\n" + b64(s.user) + "\n" + b64(s.pass) + "\nNOOP\n"
			default:
				continue
			}
			mechs++
			code, out, stderr := s.run(t, script, s.connArgs()...)
			if code != 0 {
				t.Errorf("typed %s: exit %d, stderr %q\n%s", c, code, stderr, out)
			}
			loggedIn(t, "typed "+c, out)
			if strings.Contains(out, b64(s.pass)) || strings.Contains(out, b64("\x00"+s.user+"\x00"+s.pass)) {
				t.Errorf("%s: typed %s: the encoded password was printed:\n%s", s.name, c, out)
			}
		}
		if mechs == 0 {
			t.Errorf("%s offers neither AUTH=PLAIN nor AUTH=LOGIN where imapsh connects: %s", s.name, caps[1])
		}

		if s.q.loginDisabledInClear {
			code, out, stderr := s.run(t, "NOOP\n", "--plaintext", "-u", s.user, s.strict)
			if code != 2 || strings.Contains(out, "LOGIN "+s.user) || strings.Contains(out, "AUTHENTICATE") {
				t.Errorf("--plaintext against LOGINDISABLED: exit %d, stderr %q\n%s", code, stderr, out)
			}
			if !strings.Contains(stderr, "LOGINDISABLED") || strings.Count(out+stderr, "forbids LOGIN") != 1 {
				t.Errorf("%s: the refusal is not said once, naming LOGINDISABLED:\nstdout:\n%s\nstderr: %s", s.name, out, stderr)
			}
			// Asked for, a mechanism that never sends the password goes
			// ahead in clear where the server offers it there.
			greeting := regexp.MustCompile(`S: \* OK \[CAPABILITY [^\]]*\]`).FindString(out)
			if greeting == "" {
				t.Errorf("%s: no capabilities in the greeting on %s:\n%s", s.name, s.strict, out)
			}
			for _, c := range strings.Fields(greeting) {
				mech, ok := strings.CutPrefix(strings.Trim(strings.ToUpper(c), "[]"), "AUTH=")
				if !ok || !strings.Contains(" CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 ", " "+mech+" ") {
					continue
				}
				code, out, stderr := s.run(t, "NOOP\n", "--plaintext", "--auth", mech, "-u", s.user, s.strict)
				switch {
				case s.q.authRefusedInClear:
					if code != 2 || !strings.Contains(stderr, "login as "+s.user+" failed: the server answered NO") {
						t.Errorf("--auth %s in clear, which the server refuses: exit %d, stderr %q\n%s", mech, code, stderr, out)
					}
				case code != 0:
					t.Errorf("--auth %s in clear: exit %d, stderr %q\n%s", mech, code, stderr, out)
				default:
					loggedIn(t, "--auth "+mech+" in clear", out)
				}
				t.Logf("%s: --auth %s in clear on %s: exit %d", s.name, mech, s.strict, code)
			}
			// With STARTTLS the same port takes the login.
			code, out, stderr = s.run(t, "NOOP\n", "--starttls", "--ca", s.ca, "-u", s.user, s.strict)
			if code != 0 || !strings.Contains(out, "TLS started") {
				t.Errorf("--starttls on the LOGINDISABLED port: exit %d, stderr %q\n%s", code, stderr, out)
			}
		}

		code, out, stderr = imapsh(t, []string{"IMAPSH_PASSWORD=not-the-password"}, "NOOP\n", s.loginArgs()...)
		if v := violationRe.FindString(out); v != "" {
			t.Errorf("%s: wrong password: a false alarm: %s", s.name, v)
		}
		if code != 2 || !strings.Contains(stderr, "login as "+s.user+" failed: the server answered NO") {
			t.Errorf("wrong password: exit %d, stderr %q\n%s", code, stderr, out)
		}
		if strings.Contains(out, "closed network connection") || strings.Contains(out+stderr, "not-the-password") {
			t.Errorf("%s: wrong password: imapsh's own hang-up reported, or the password printed:\n%s\n%s", s.name, out, stderr)
		}
	})
}

// TestInteropCertificate: the server's certificate is verified, the host
// name included; --insecure skips that with a warning.
func TestInteropCertificate(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		if s.tls == "" {
			t.Skip(s.name + " speaks plaintext only")
		}
		code, _, stderr := s.run(t, "NOOP\n", "-u", s.user, s.tls)
		if code != 2 || !strings.Contains(stderr, "--ca FILE") || !strings.Contains(stderr, "--insecure") {
			t.Errorf("unverified certificate: exit %d, stderr %q", code, stderr)
		}
		// Right issuer, wrong name: the same server reached as 127.0.0.3,
		// which its certificate does not name.
		fwd := forward(t, "127.0.0.3:0", s.tls)
		code, _, stderr = s.run(t, "NOOP\n", "--timeout", "5s", "--ca", s.ca, "-u", s.user, fwd)
		if code != 2 || !strings.Contains(stderr, "127.0.0.3") || !strings.Contains(stderr, "certificate") {
			t.Errorf("wrong host name: exit %d, stderr %q", code, stderr)
		}
		t.Logf("wrong host name: %s", stderr)
		code, out, stderr := s.run(t, "NOOP\n", "--insecure", "-u", s.user, s.tls)
		if code != 0 || !strings.Contains(out, "warning: --insecure") {
			t.Errorf("--insecure: exit %d, stderr %q\n%s", code, stderr, out)
		}
	})
}

// forward listens on listen and relays each connection to target, until
// the test ends. It returns the address it listens on.
func forward(t *testing.T, listen, target string) string {
	t.Helper()
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		t.Skipf("cannot listen on %s for the wrong-name check: %v", listen, err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
	return ln.Addr().String()
}

// TestInteropURLSelectsMailbox: a mailbox in an imap:// URL is selected
// after login.
func TestInteropURLSelectsMailbox(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		if s.starttls == "" {
			t.Skip(s.name + " has no STARTTLS port")
		}
		_, port, _ := strings.Cut(s.starttls, ":")
		code, out, stderr := s.run(t, "NOOP\n", "--ca", s.ca, "imap://"+s.user+"@localhost:"+port+"/INBOX")
		if code != 0 || !regexp.MustCompile(`C: a\d+ SELECT INBOX\n`).MatchString(out) || !strings.Contains(out, "OK [READ-WRITE]") {
			t.Errorf("exit %d, stderr %q\n%s", code, stderr, out)
		}
	})
}
