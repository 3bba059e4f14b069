package repl

import (
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// Ctrl-C while a helper waits: the helper gives up, the command's late
// data and completion arrive while the user goes on (run with -race: the
// data belongs to the engine until the command completes).
func TestCtrlCDuringHelper(t *testing.T) {
	ps := newPushServer(t, "UID")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("SELECT INBOX\r")
	tm.waitFor("INBOX rw 3> ")
	tm.typeKeys("whereis 5\r")
	tm.waitFor("C: a002 UID FETCH 5")
	ps.push("* 2 FETCH (UID 5 FLAGS (\\Seen))")
	tm.waitFor("S: * 2 FETCH (UID 5")
	tm.intr <- struct{}{}
	tm.waitFor("stopped waiting for a002")
	ps.push("* 2 FETCH (UID 5 RFC822.SIZE 10)")
	ps.release()
	tm.waitFor("a002, which you stopped waiting for, has now completed: OK")
	tm.typeKeys("NOOP\r")
	tm.waitFor("S: a003 OK NOOP completed")
	tm.typeKeys("\x04")
	tm.wait()
}

// Ctrl-C while IDLE waits for its "+": the IDLE is ended with DONE as soon
// as the server starts it, and the next command is sent after that, so the
// server never takes it for IDLE's terminator.
func TestCtrlCWhileIdleWaitsForPlus(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1 IDLE] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		if name == "IDLE" {
			time.Sleep(300 * time.Millisecond)
			c.Send("+ idling")
			if done, _ := c.ReadLine(); done != "DONE" {
				c.Send(tag + " BAD Expected DONE")
				return true
			}
		}
		c.Send(tag + " OK " + name + " completed")
		return true
	})
	tm := startTerm(t, srv.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("IDLE\r")
	tm.waitFor("C: a001 IDLE")
	tm.intr <- struct{}{}
	tm.waitFor("stopped waiting for a001")
	tm.typeKeys("NOOP\r")
	tm.waitFor("S: a002 OK NOOP completed")
	tm.typeKeys("\x04")
	tm.wait()
	out := tm.out.String()
	if !strings.Contains(out, "S: a001 OK IDLE completed") || strings.Contains(out, "Expected DONE") {
		t.Errorf("IDLE was not ended cleanly:\n%s", out)
	}
	log := strings.Join(srv.Log(), "\n")
	if i, j := strings.Index(log, "DONE"), strings.Index(log, "a002 NOOP"); i < 0 || j < i {
		t.Errorf("NOOP was sent before DONE:\n%s", log)
	}
}

// logout during IDLE does not wait for ever when the server never ends it.
func TestLogoutDuringIdleIsBounded(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1 IDLE] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		if name == "IDLE" {
			c.Send("+ idling")
			c.ReadLine() // DONE, never answered
			c.ReadLine()
			return false
		}
		c.Send(tag + " OK " + name + " completed")
		return true
	})
	start := time.Now()
	r := runScript(t, srv.Addr, "", "", "IDLE\n")
	if time.Since(start) > 30*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
	if !strings.Contains(r.Out, "sending DONE") {
		t.Errorf("no DONE at end of input:\n%s", r.Out)
	}
}

// A tagged line with no status is a protocol violation, not a Ctrl-C.
func TestBareTagLineIsNotAnInterrupt(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		switch name {
		case "SELECT":
			c.Send("* 2 EXISTS")
			c.Send(tag + " OK [READ-WRITE] done")
		case "FETCH":
			c.Send(tag)
		default:
			c.Send(tag + " OK done")
		}
		return true
	})
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nuids 1:2\n")
	if strings.Contains(r.Out, "stopped before") || !strings.Contains(r.Out, "without OK, NO or BAD") {
		t.Errorf("a bare tag line was not reported as such:\n%s", r.Out)
	}
}

// When the greeting is wrong, imapsh closes the connection before it gives
// up (a long-lived process embedding Run must not leak it).
func TestBadGreetingClosesConnection(t *testing.T) {
	closed := make(chan bool, 1)
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("HTTP/1.1 400 Bad Request")
		c.SetTimeout(5 * time.Second)
		_, err := c.ReadLine()
		closed <- err != nil && !strings.Contains(err.Error(), "timeout")
	})
	r := runScript(t, srv.Addr, "", "", "NOOP\n")
	if r.Err == nil {
		t.Fatal("Run succeeded")
	}
	if !<-closed {
		t.Error("the connection was left open after the bad greeting")
	}
}
