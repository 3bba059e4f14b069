package repl

import (
	"errors"
	"github.com/imapsh/imapsh/repl/internal/session"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// Regressions found by review: each test names the defect it guards.

func TestHangupDoesNotRunTheHalfTypedLine(t *testing.T) {
	ps := newPushServer(t, "")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("CREATE never-entered")
	tm.waitFor("> CREATE never-entered")
	tm.keys.Close() // the terminal goes away
	tm.wait()
	for _, l := range ps.Log() {
		if strings.Contains(l, "CREATE") {
			t.Errorf("a line that was never entered was sent: %q", l)
		}
	}
}

func TestCompletionSkipsUnsafeMailboxNames(t *testing.T) {
	sh := &Shell{st: session.NewState("h")}
	sh.st.SetMailboxes("evil\x1b[2Jname", "bidi\u202etxt", "lit\x07bx", "Work", "Straße", "Old Mail")
	cases := []struct {
		line string
		want []string
	}{
		{`SELECT "e`, nil},
		{`SELECT "b`, nil},
		{`SELECT "l`, nil},
		{"SELECT w", nil}, // mailbox names are case-sensitive
		{"SELECT W", []string{"ork "}},
		{`SELECT "S`, []string{`traße" `}},
		{"SELECT ", []string{`"Old Mail" `, `"Straße" `, "INBOX ", "Work "}},
		{"SELECT i", []string{"nbox "}}, // INBOX is not
	}
	for _, c := range cases {
		checkCompletion(t, sh, c.line, c.want)
	}
}

func TestTypedBinaryLiteral(t *testing.T) {
	var got []byte
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1 BINARY] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		if strings.HasSuffix(line, "~{3}") {
			c.Send("+ go")
			got, _ = c.ReadN(3)
			c.ReadLine()
		}
		c.Send(tag + " OK " + name + " done")
		return true
	})
	r := runScript(t, srv.Addr, "", "", "APPEND INBOX ~{3}\nabc\nNOOP\n")
	if r.Err != nil || string(got) != "abc" {
		t.Fatalf("Run = %v, server got %q\n%s", r.Err, got, r.Out)
	}
	// Without BINARY, ~{N} is refused before anything is sent, and the
	// script's literal lines are skipped, not run.
	srv2 := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		c.Send(tag + " OK " + name + " done")
		return true
	})
	r = runScript(t, srv2.Addr, "", "", "APPEND INBOX ~{9}\nDELETE x\nNOOP\n")
	if !errors.Is(r.Err, ErrFailed) || !strings.Contains(r.Out, "does not advertise BINARY") {
		t.Errorf("Run = %v\n%s", r.Err, r.Out)
	}
	for _, l := range srv2.Log() {
		if strings.Contains(l, "APPEND") || strings.Contains(l, "DELETE") {
			t.Errorf("sent %q", l)
		}
	}
}

func TestRefusedTypedLiteralSkipsItsLines(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		if name == "APPEND" {
			c.Send(tag + " NO [TRYCREATE] Mailbox doesn't exist")
			return true
		}
		c.Send(tag + " OK " + name + " done")
		return true
	})
	// The literal's 30 octets: "Subject: x" CRLF CRLF "CREATE injected" ... and
	// the rest of the command on the line after.
	r := runScript(t, srv.Addr, "", "", "APPEND nowhere {31}\nSubject: x\n\nCREATE injected\n\nNOOP\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v\n%s", r.Err, r.Out)
	}
	log := strings.Join(srv.Log(), "\n")
	if strings.Contains(log, "CREATE") || strings.Contains(log, "Subject") {
		t.Errorf("the refused literal's lines ran as commands:\n%s", log)
	}
	if !strings.Contains(log, "a002 NOOP") {
		t.Errorf("the script did not go on after the skipped literal:\n%s", log)
	}
}

func TestScriptNotesLinesAfterQuit(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "NOOP\nquit\nNOOP\n# a comment\nSELECT INBOX\n")
	if r.Err != nil || !strings.Contains(r.Out, "the last 2 line(s) of the script: they were not run") {
		t.Errorf("Run = %v\n%s", r.Err, r.Out)
	}
}

func TestAuthenticateAnswerNotEchoed(t *testing.T) {
	var answer string
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		if name == "AUTHENTICATE" {
			c.Send("+ ")
			answer, _ = c.ReadLine()
		}
		c.Send(tag + " OK " + name + " done")
		return true
	})
	tm := startTerm(t, srv.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("AUTHENTICATE PLAIN\r")
	tm.waitFor("S: + ")
	tm.typeKeys("AGFsaWNlAHNlY3JldA==\r")
	tm.waitFor("OK AUTHENTICATE done")
	tm.typeKeys("\x04")
	tm.wait()
	if answer != "AGFsaWNlAHNlY3JldA==" {
		t.Errorf("server got %q", answer)
	}
	if strings.Contains(tm.out.String(), "AGFsaWNl") {
		t.Errorf("the SASL answer reached the screen:\n%s", tm.out.String())
	}
}
