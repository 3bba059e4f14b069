package repl

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/wire"
)

// otherClient is a second connection, made with wire alone, that appends
// a message the way another mail client would.
func appendOther(t *testing.T, dc wire.DialConfig, user, pass, mailbox, msg string) {
	t.Helper()
	if dc.Timeout == 0 {
		dc.Timeout = 5 * time.Second
	}
	c, err := wire.Dial(context.Background(), dc)
	if err != nil {
		t.Fatalf("second connection: %v", err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	read := func(tag string) string {
		t.Helper()
		for {
			f, err := c.R.ReadFragment()
			if err != nil {
				t.Fatalf("second connection: %v", err)
			}
			if f.Literal >= 0 {
				t.Fatalf("second connection: unexpected literal in %q", f.Text)
			}
			line := string(f.Text)
			if tag == "" || strings.HasPrefix(line, tag+" ") || strings.HasPrefix(line, "+") {
				return line
			}
		}
	}
	read("") // greeting
	uq, _ := wire.Quote(user)
	pq, _ := wire.Quote(pass)
	c.W.WriteLine("o1 LOGIN " + uq + " " + pq)
	if l := read("o1"); !strings.HasPrefix(l, "o1 OK") {
		t.Fatalf("second connection LOGIN: %s", l)
	}
	mq, _ := wire.Quote(mailbox)
	c.W.WriteLine(fmt.Sprintf("o2 APPEND %s {%d}", mq, len(msg)))
	if l := read("o2"); !strings.HasPrefix(l, "+") {
		t.Fatalf("second connection APPEND: %s", l)
	}
	c.W.WriteLiteral(strings.NewReader(msg), int64(len(msg)))
	c.W.WriteLine("")
	if l := read("o2"); !strings.HasPrefix(l, "o2 OK") {
		t.Fatalf("second connection APPEND: %s", l)
	}
	c.W.WriteLine("o3 LOGOUT")
}

const otherMsg = "From: other@example.org\r\nSubject: pushed while idling\r\n\r\nhello\r\n"

// TestIdleDemoShowsOtherAppend: the idle helper against the demo server; a
// second connection appends to INBOX; the EXISTS arrives while idling, and
// Enter ends the IDLE with DONE.
func TestIdleDemoShowsOtherAppend(t *testing.T) {
	srv := startDemo(t)
	tm := startTermWith(t, srv.Addr, srv.User, srv.Password, nil)
	tm.waitFor("(no mailbox)> ")
	tm.typeKeys("SELECT INBOX\r")
	tm.waitFor("OK [READ-WRITE]")
	snap := tm.out.String()
	tm.typeKeys("idle\r")
	tm.waitAfter("OK [READ-WRITE]", "S: + ")
	tm.waitFor("IDLE (Enter or DONE ends it)> ")
	appendOther(t, wire.DialConfig{Addr: srv.Addr, Security: wire.Plaintext}, srv.User, srv.Password, "INBOX", otherMsg)
	tm.waitFor(" EXISTS")
	if strings.Contains(tm.out.String()[len(snap):], "C: DONE") {
		t.Fatalf("DONE before the user ended the IDLE:\n%s", tm.out.String())
	}
	tm.typeKeys("\r")
	tm.waitFor("C: DONE")
	tm.waitAfter("C: DONE", "S: a003 OK")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
}

// idleServer answers IDLE with "+", then pushes what push returns for the
// n-th IDLE, and completes it on DONE; every command is recorded.
func idleServer(t *testing.T, push func(n int) []string) *imaptest.Server {
	n := 0
	return scripted(t, "* OK [CAPABILITY IMAP4rev1 IDLE] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		switch name {
		case "IDLE":
			n++
			c.Send("+ idling")
			if push != nil {
				for _, l := range push(n) {
					c.Send(l)
				}
			}
			l, err := c.ReadLine()
			if err != nil {
				return false
			}
			if l != "DONE" {
				c.Send(tag + " BAD Expected DONE")
				return true
			}
			c.Send(tag + " OK IDLE terminated")
		case "SELECT":
			c.Send("* 3 EXISTS")
			c.Send("* OK [UIDVALIDITY 7] ok")
			c.Send(tag + " OK [READ-WRITE] SELECT completed")
		default:
			c.Send(tag + " OK " + name + " completed")
		}
		return true
	})
}

// TestIdleRenewScript: "idle --renew 300ms 1s" in a script renews the IDLE
// (DONE, then a new IDLE) before it ends after one second.
func TestIdleRenewScript(t *testing.T) {
	srv := idleServer(t, func(n int) []string { return []string{fmt.Sprintf("* %d EXISTS", 3+n)} })
	start := time.Now()
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nidle --renew 300ms 1s\nNOOP\n")
	took := time.Since(start)
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	idles, dones := 0, 0
	for _, l := range srv.Log() {
		if strings.HasSuffix(l, " IDLE") {
			idles++
		}
		if l == "DONE" {
			dones++
		}
	}
	if idles < 3 || dones != idles {
		t.Errorf("%d IDLE and %d DONE in 1s with renewals every 300ms, want 3 or more and as many DONE:\n%s", idles, dones, strings.Join(srv.Log(), "\n"))
	}
	if took < time.Second || took > 10*time.Second {
		t.Errorf("the script took %v for idle 1s", took)
	}
	for _, want := range []string{"renewing the IDLE (every 300ms)", "S: * 4 EXISTS", "S: * 5 EXISTS", "IDLE ended after 1s", "C: a00"} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
	if log := strings.Join(srv.Log(), "\n"); !strings.Contains(log, "NOOP") || strings.Index(log, "NOOP") < strings.LastIndex(log, "DONE") {
		t.Errorf("NOOP not sent after the last DONE:\n%s", log)
	}
}

// TestIdleLinesNotSent: while idling, a typed NOOP is not sent (it would
// get "BAD Expected DONE"), the user is told how to end IDLE, and DONE
// ends it; the same for a typed IDLE (the IMAP command). Ctrl-C ends an
// IDLE cleanly with a hint.
func TestIdleLinesNotSent(t *testing.T) {
	srv := idleServer(t, nil)
	tm := startTermWith(t, srv.Addr, "", "", nil)
	tm.waitFor("(not authenticated)> ")
	for _, cmd := range []string{"idle", "IDLE"} {
		mark := fmt.Sprintf("<%s>", cmd)
		tm.typeKeys("# " + mark + "\r")
		tm.typeKeys(cmd + "\r")
		tm.waitAfter(mark, "S: + idling")
		tm.typeKeys("NOOP\r")
		tm.waitAfter(mark, "IDLE is running: that line was not sent")
		tm.typeKeys("done\r")
		tm.waitAfter(mark, "OK IDLE terminated")
		if s := tm.screenSince(mark); !strings.Contains(s, "C: DONE") || strings.Contains(s, "NOOP completed") || strings.Contains(s, " BAD ") {
			t.Errorf("%s: want the NOOP held back and DONE sent:\n%s", cmd, s)
		}
	}
	tm.typeKeys("# <ctrl-c>\r")
	tm.typeKeys("idle\r")
	tm.waitAfter("<ctrl-c>", "S: + idling")
	tm.typeKeys("\x03") // Ctrl-C
	tm.waitFor("Ctrl-C ended the IDLE (DONE sent)")
	tm.typeKeys("NOOP\r")
	tm.waitFor("OK NOOP completed")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	var got []string
	for _, l := range srv.Log() {
		got = append(got, strings.TrimLeft(l, "a0123456789 "))
	}
	want := "IDLE DONE IDLE DONE IDLE DONE NOOP LOGOUT"
	if strings.Join(got, " ") != want {
		t.Errorf("server saw %q, want %q", strings.Join(got, " "), want)
	}
}

// TestIdleScriptNeedsDuration: a script's idle without a duration would
// never end; a typed IDLE in a script reads DONE from the script, and a
// line in between is refused and counted as a failure.
func TestIdleScript(t *testing.T) {
	srv := idleServer(t, nil)
	r := runScript(t, srv.Addr, "", "", "idle\n")
	if r.Err != ErrFailed || !strings.Contains(r.Out, "in a script, give idle a duration") {
		t.Errorf("idle without a duration: %v\n%s", r.Err, r.Out)
	}
	r = runScript(t, srv.Addr, "", "", "IDLE\nNOOP\nDONE\nNOOP\n")
	if r.Err != ErrFailed || !strings.Contains(r.Out, "error: IDLE is running: that line was not sent") {
		t.Errorf("typed IDLE in a script: %v\n%s", r.Err, r.Out)
	}
	if n := strings.Count(r.Out, "NOOP completed"); n != 1 {
		t.Errorf("%d NOOPs completed, want the one after DONE:\n%s", n, r.Out)
	}
}

// TestIdleRefused: a server without IDLE gets no idle from the helper.
func TestIdleRefused(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		c.Send(tag + " OK " + name + " completed")
		return true
	})
	r := runScript(t, srv.Addr, "", "", "idle 1s\n")
	if r.Err != ErrFailed || !strings.Contains(r.Out, "the server does not offer IDLE") {
		t.Errorf("%v\n%s", r.Err, r.Out)
	}
	for _, l := range srv.Log() {
		if strings.Contains(l, "IDLE") {
			t.Errorf("IDLE sent: %s", l)
		}
	}
}

func TestParseIdleArgs(t *testing.T) {
	for _, c := range []struct {
		in    string
		renew time.Duration
		limit time.Duration
		err   string
	}{
		{"", defaultIdleRenew, 0, ""},
		{"30s", defaultIdleRenew, 30 * time.Second, ""},
		{"--renew 10m", 10 * time.Minute, 0, ""},
		{"--renew=0 5m", 0, 5 * time.Minute, ""},
		{"5m --renew 1m", time.Minute, 5 * time.Minute, ""},
		{"--renew", 0, 0, "--renew needs a duration"},
		{"--renew soon", 0, 0, "not a duration"},
		{"forever", 0, 0, `"forever" is not a duration`},
		{"1m 2m", 0, 0, "one duration"},
		{"-5s", 0, 0, "unknown option"},
	} {
		opt, err := parseIdleArgs(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || opt.renew != c.renew || opt.limit != c.limit {
			t.Errorf("%q = %+v, %v; want renew %v limit %v", c.in, opt, err, c.renew, c.limit)
		}
	}
}
