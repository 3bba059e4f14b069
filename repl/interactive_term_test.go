package repl

import (
	"fmt"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// Terminal-side defects: each test names what a person at the terminal saw.

func TestInteractiveCtrlCClosesCompletionAndClearsLine(t *testing.T) {
	ps := newPushServer(t, "")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	// Tab after "FETCH 1 (" lists the FETCH items; Ctrl-C must close the
	// list and drop the half line, not leave it for the next command.
	tm.typeKeys("FETCH 1 (\t")
	tm.waitFor("ENVELOPE")
	tm.typeKeys("\x03")
	tm.typeKeys("NOOP\r")
	tm.waitFor("S: a001 OK NOOP completed")
	tm.typeKeys("\x04")
	tm.wait()
	for _, l := range ps.Log() {
		if strings.Contains(l, "FETCH") {
			t.Errorf("the line cleared with Ctrl-C was sent: %q", l)
		}
	}
}

func TestInteractiveNULDoesNotSubmit(t *testing.T) {
	ps := newPushServer(t, "")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	// Ctrl-Space types a NUL: it must neither submit the line nor, on an
	// empty line, end the session.
	tm.typeKeys("\x00")
	tm.typeKeys("NO\x00OP\r")
	tm.waitFor("S: a001 OK NOOP completed")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Errorf("Run = %v", err)
	}
	log := strings.Join(ps.Log(), "\n")
	if !strings.Contains(log, "a001 NOOP") || strings.Contains(log, " NO\n") {
		t.Errorf("server got:\n%s", log)
	}
}

func TestInteractivePasswordPromptEndsItsLine(t *testing.T) {
	ps := newPushServer(t, "")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("login alice\r")
	tm.waitFor("password for alice@127.0.0.1: ")
	tm.typeKeys("pa55-w0rd\r")
	tm.waitFor("alice@127.0.0.1 (no mailbox)> ")
	tm.typeKeys("\x04")
	tm.wait()
	screen := tm.out.String()
	next := strings.Index(screen, "C: a001 LOGIN")
	prompt := strings.LastIndex(screen[:max(next, 0)], "password for alice@127.0.0.1: ")
	if next < 0 || prompt < 0 {
		t.Fatalf("screen:\n%q", screen)
	}
	if between := screen[prompt:next]; !strings.Contains(between, "\n") {
		t.Errorf("the output after the password prompt goes on the prompt's line: %q", between)
	}
}

func TestInteractiveTabOverManyMailboxesAsksFirst(t *testing.T) {
	ps := newPushServer(t, "LIST")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("LIST \"\" *\r")
	tm.waitFor("C: a001 LIST")
	const n = 2000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "* LIST () \"/\" box%04d\r\n", i)
	}
	ps.push(strings.TrimSuffix(b.String(), "\r\n"))
	ps.release()
	tm.waitFor("a001 OK held command completed")
	tm.waitFor("(not authenticated)> ")
	before := len(tm.out.String())
	tm.typeKeys("SELECT \t")
	tm.waitFor("2001 possibilities")
	if got := strings.Count(tm.out.String()[before:], "box1"); got > 0 {
		t.Errorf("Tab listed %d names without asking", got)
	}
	// Tab again lists them all.
	tm.typeKeys("\t")
	tm.waitFor("box1999")
	tm.typeKeys("\x03\x04")
	tm.wait()
}

func TestInteractiveExitStatusIgnoresFailures(t *testing.T) {
	// At the terminal the user saw each NO and BAD and chose to leave:
	// Ctrl-D or quit ends with status 0 (psql's convention). Scripts still
	// report them (TestScriptExitStatusOnNO).
	for _, leave := range []string{"\x04", "quit\r"} {
		srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
			switch name {
			case "DELETE":
				c.Send(tag + " NO no such mailbox")
			case "FROB":
				c.Send(tag + " BAD unknown command")
			default:
				c.Send(tag + " OK " + name + " done")
			}
			return true
		})
		tm := startTerm(t, srv.Addr, "", "", "-")
		tm.waitFor("(not authenticated)> ")
		tm.typeKeys("DELETE nothing\r")
		tm.waitFor("NO no such mailbox")
		tm.typeKeys("FROB\r")
		tm.waitFor("BAD unknown command")
		tm.typeKeys("whereis\r") // a helper's own failure
		tm.waitFor("whereis")
		tm.typeKeys(leave)
		if err := tm.wait(); err != nil {
			t.Errorf("leaving with %q: Run = %v, want nil (exit 0)\n%s", leave, err, tm.out.String())
		}
	}
}
