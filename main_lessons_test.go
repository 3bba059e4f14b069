package main

import (
	"strings"
	"testing"
)

// TestCLILoginYourself: --demo --login-yourself starts before login and
// says how to log in; the learner's own LOGIN works; the flag needs --demo.
func TestCLILoginYourself(t *testing.T) {
	code, out, stderr := imapsh(t, nil, "CAPABILITY\nLOGIN demo demo\nSELECT INBOX\n", "--demo", "--login-yourself")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	for _, want := range []string{
		"# You are not logged in (--login-yourself). The sandbox's user is demo, its password demo.",
		"# Log in with LOGIN demo demo, AUTHENTICATE PLAIN or AUTHENTICATE CRAM-MD5",
		"C: a001 CAPABILITY",
		"AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5",
		"C: a002 LOGIN demo [hidden]",
		"S: a003 OK [READ-WRITE]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "AUTHENTICATE PLAIN [credentials hidden]") {
		t.Errorf("the shell logged in by itself:\n%s", out)
	}

	code, _, stderr = imapsh(t, nil, "", "--login-yourself", "mail.example.com")
	if code != 2 || !strings.Contains(stderr, "--login-yourself only applies with --demo") {
		t.Errorf("--login-yourself without --demo: exit %d, %q", code, stderr)
	}
}

// TestCLITourInScript: imapsh --demo runs the tour from a pipe, from
// the logged-in start, to the end, exit status 0.
func TestCLITourInScript(t *testing.T) {
	code, out, stderr := imapsh(t, nil, "tour\n", "--demo")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	for _, want := range []string{"New to IMAP? Type tour", "── tour 1 of 21", "C: a002 UNAUTHENTICATE", "── the end of the tour ──"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
