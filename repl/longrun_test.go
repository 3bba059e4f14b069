package repl

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
)

func ptr[T any](v T) *T { return &v }

// TestKeepaliveQuiet: with --keepalive 150ms the shell sends NOOPs while
// the user sits at the prompt, and shows none of their lines; when one
// brings news (EXISTS), the NOOP and its responses are shown and the
// prompt follows the count. A typed command is shown as always.
func TestKeepaliveQuiet(t *testing.T) {
	var news atomic.Bool
	noops := atomic.Int32{}
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		switch name {
		case "NOOP":
			noops.Add(1)
			if news.CompareAndSwap(true, false) {
				c.Send("* 4 EXISTS")
				c.Send("* 1 RECENT")
			} else {
				c.Send("* OK still here")
			}
			c.Send(tag + " OK NOOP completed")
		case "SELECT":
			c.Send("* 3 EXISTS")
			c.Send("* OK [UIDVALIDITY 7] ok")
			c.Send(tag + " OK [READ-WRITE] SELECT completed")
		default:
			c.Send(tag + " OK " + name + " completed")
		}
		return true
	})
	tm := startTermWith(t, srv.Addr, "", "", func(c *Config) { c.Keepalive = ptr(150 * time.Millisecond) })
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("explain on\r") // the explanations follow what is shown
	tm.waitFor("explain is on")
	tm.typeKeys("SELECT INBOX\r")
	tm.waitFor("INBOX rw 3> ")
	mark := len(tm.out.String())
	deadline := time.Now().Add(10 * time.Second)
	for noops.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := noops.Load(); n < 3 {
		t.Fatalf("%d keepalive NOOPs in 10s with --keepalive 150ms", n)
	}
	if s := tm.out.String(); strings.Contains(s, "NOOP") || strings.Contains(s, "still here") || strings.Contains(s[mark:], "explain") {
		t.Fatalf("a keepalive without news was shown:\n%s", s)
	}
	tm.typeKeys("CHE") // half-typed when the news comes
	news.Store(true)
	tm.waitFor("S: * 4 EXISTS")
	// The prompt is drawn again with the new count, the line kept.
	tm.waitFor("INBOX rw 4> CHE")
	tm.typeKeys("\x15") // Ctrl-U: the half-typed line goes
	s := tm.out.String()
	shown := regexp.MustCompile(`C: (a\d+) NOOP\n`).FindStringSubmatch(s)
	if shown == nil || !strings.Contains(s, "S: * 1 RECENT") || !strings.Contains(s, "S: "+shown[1]+" OK NOOP completed") {
		t.Fatalf("the NOOP that brought news is not shown whole:\n%s", s)
	}
	if strings.Contains(s, "still here") {
		t.Errorf("an untagged OK without news was shown:\n%s", s)
	}
	tm.typeKeys("CHECK\r")
	tm.waitFor("OK CHECK completed")
	tm.typeKeys("stats\r")
	tm.waitFor("round trips")
	if !regexp.MustCompile(`NOOP\s+\d+ `).MatchString(tm.out.String()) {
		t.Errorf("stats do not count the keepalive NOOPs:\n%s", tm.out.String())
	}
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
}

// TestKeepaliveOffInScripts: no NOOP goes out by itself in script mode.
func TestKeepaliveOffInScripts(t *testing.T) {
	srv := idleServer(t, nil)
	r := runScript(t, srv.Addr, "", "", "idle 700ms\n")
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	for _, l := range srv.Log() {
		if strings.Contains(l, "NOOP") {
			t.Errorf("a NOOP in script mode: %s", l)
		}
	}
}

// exchangeThroughCable starts the Exchange imitation behind a cable that
// the test can cut.
func exchangeThroughCable(t *testing.T) (*imaptest.Exchange, *cable) {
	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{})
	return x, newCable(t, x.Addr)
}

// TestReconnectUIDValidity: the cable to the server is cut; the shell
// says so at once and the prompt changes; commands are not sent;
// reconnect logs in again with the kept password, selects INBOX again and
// warns that its UIDVALIDITY changed. A second cut with no change is
// noted as such; a reconnect while the server is down fails and says to
// try again.
func TestReconnectUIDValidity(t *testing.T) {
	x, cb := exchangeThroughCable(t)
	tm := startTermWith(t, cb.Addr, "tomas", "secret", nil)
	tm.waitFor("tomas@127.0.0.1 (no mailbox)> ")
	tm.typeKeys("SELECT INBOX\r")
	tm.waitFor(fmt.Sprintf("[UIDVALIDITY %d]", imaptest.InboxUIDValidity))
	tm.waitFor("tomas@127.0.0.1 INBOX rw ")

	cb.cut()
	tm.waitFor("warning: the server closed the connection")
	tm.waitFor("# not connected: type reconnect")
	tm.waitFor("tomas@127.0.0.1 INBOX rw 1234 (disconnected: type reconnect)> ")
	tm.typeKeys("NOOP\r")
	tm.waitFor("error: the command was not sent: not connected")
	tm.typeKeys("uids 1:3\r")
	tm.waitFor("error: uids was not sent: not connected")

	if err := x.SetUIDValidity("INBOX", 4242); err != nil {
		t.Fatal(err)
	}
	tm.typeKeys("reconnect\r")
	tm.waitFor(fmt.Sprintf("warning: the UIDVALIDITY of INBOX changed from %d to 4242: every UID noted before the reconnect means nothing now", imaptest.InboxUIDValidity))
	tm.waitFor("tomas@127.0.0.1 INBOX rw 1234> ")
	if strings.Contains(tm.out.String(), "password for") {
		t.Errorf("asked for a password that was kept:\n%s", tm.out.String())
	}

	cb.cut()
	tm.waitFor("(disconnected: type reconnect)> ")
	tm.typeKeys("# second\r")
	tm.typeKeys("reconnect\r")
	tm.waitAfter("# second", "INBOX selected again: UIDVALIDITY 4242 unchanged, so UIDs noted before still hold; 1234 messages (1234 before)")

	cb.cut()
	cb.setDown(true)
	tm.waitFor("(disconnected: type reconnect)> ")
	tm.typeKeys("# third\r")
	tm.typeKeys("reconnect\r")
	tm.waitAfter("# third", "reconnect failed: ")
	tm.waitAfter("# third", "type reconnect to try again")
	tm.waitAfter("# third", "(disconnected: type reconnect)> ")
	cb.setDown(false)
	tm.typeKeys("# fourth\r")
	tm.typeKeys("reconnect\r")
	tm.waitAfter("# fourth", "INBOX selected again")
	tm.typeKeys("stats\r")
	tm.waitAfter("# fourth", "connections (this one")

	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil && !errors.Is(err, ErrFailed) {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	logins := 0
	for _, c := range x.Commands() {
		if strings.Contains(c, "LOGIN") || strings.Contains(c, "AUTHENTICATE") {
			logins++
		}
	}
	if logins != 4 {
		t.Errorf("%d logins, want 4 (the first and three reconnects):\n%s", logins, strings.Join(x.Commands(), "\n"))
	}
}

// TestReconnectAsksPassword: a user who logged in with a typed LOGIN line
// (whose password is not kept) is asked for it on reconnect, without echo.
func TestReconnectAsksPassword(t *testing.T) {
	_, cb := exchangeThroughCable(t)
	tm := startTermWith(t, cb.Addr, "", "", nil)
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("LOGIN tomas secret\r")
	tm.waitFor("tomas@127.0.0.1 (no mailbox)> ")
	cb.cut()
	tm.waitFor("(disconnected: type reconnect)> ")
	tm.typeKeys("reconnect\r")
	tm.waitFor("password for tomas@127.0.0.1: ")
	mark := len(tm.out.String())
	tm.typeKeys("secret\r")
	tm.waitFor("tomas@127.0.0.1 (no mailbox)> ")
	if strings.Contains(tm.out.String()[mark:], "secret") {
		t.Errorf("the password was echoed:\n%s", tm.out.String()[mark:])
	}
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
}

// TestScriptEndsOnLostConnection: in a script a dropped connection still
// ends the run (exit status 2), since the lines after it assume it.
func TestScriptEndsOnLostConnection(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		if name == "CHECK" {
			return false // hang up
		}
		c.Send(tag + " OK " + name + " completed")
		return true
	})
	r := runScript(t, srv.Addr, "", "", "NOOP\nCHECK\nNOOP\n")
	var ce *ConnError
	if !errors.As(r.Err, &ce) {
		t.Fatalf("Run = %v, want a ConnError\n%s", r.Err, r.Out)
	}
}

// hangingServer never completes FETCH; it answers everything else.
func hangingServer(t *testing.T, release <-chan struct{}) *imaptest.Server {
	return scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		switch name {
		case "FETCH":
			c.Send("* 1 FETCH (FLAGS ())")
			if release == nil {
				c.SetTimeout(time.Minute)
				c.ReadLine() // never answers; the client goes away
				return false
			}
			<-release
			c.Send(tag + " OK FETCH completed, late")
		case "SELECT":
			c.Send("* 1 EXISTS")
			c.Send(tag + " OK [READ-WRITE] SELECT completed")
		default:
			c.Send(tag + " OK " + name + " completed")
		}
		return true
	})
}

// TestCommandTimeoutScript: a script against a server that never completes
// FETCH ends with a ConnError (exit status 2) that names the command, in
// about the timeout.
func TestCommandTimeoutScript(t *testing.T) {
	srv := hangingServer(t, nil)
	start := time.Now()
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nFETCH 1 FLAGS\nNOOP\n", func(c *Config) { c.CommandTimeout = ptr(400 * time.Millisecond) })
	took := time.Since(start)
	var ce *ConnError
	if !errors.As(r.Err, &ce) || !strings.Contains(r.Err.Error(), "a002 FETCH did not complete within 400ms (--command-timeout)") {
		t.Fatalf("Run = %v, want the FETCH named\n%s", r.Err, r.Out)
	}
	if took < 400*time.Millisecond || took > 8*time.Second {
		t.Errorf("took %v", took)
	}
	for _, l := range srv.Log() {
		if strings.Contains(l, "NOOP") {
			t.Errorf("the script went on after the timeout: %s", l)
		}
	}
}

// TestCommandTimeoutTerminal: at the terminal the timeout is reported and
// the wait goes on; the late completion is shown.
func TestCommandTimeoutTerminal(t *testing.T) {
	release := make(chan struct{})
	srv := hangingServer(t, release)
	tm := startTermWith(t, srv.Addr, "", "", func(c *Config) { c.CommandTimeout = ptr(300 * time.Millisecond) })
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("SELECT INBOX\r")
	tm.waitFor("INBOX rw 1> ")
	tm.typeKeys("FETCH 1 FLAGS\r")
	tm.waitFor("warning: a002 FETCH has not completed after 300ms (--command-timeout); still waiting: Ctrl-C stops waiting")
	close(release)
	tm.waitFor("S: a002 OK FETCH completed, late")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
}

// TestTimestamps: "timestamps on" prefixes each line with the time since
// the previous one; "off" stops it.
func TestTimestamps(t *testing.T) {
	srv := idleServer(t, nil)
	r := runScript(t, srv.Addr, "", "", "NOOP\ntimestamps on\nNOOP\ntimestamps off\nCHECK\n")
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	stamped := regexp.MustCompile(`(?m)^\+\d+\.\d{3}s +C: a002 NOOP$`)
	if !stamped.MatchString(r.Out) || !regexp.MustCompile(`(?m)^\+\d+\.\d{3}s +S: a002 OK NOOP completed$`).MatchString(r.Out) {
		t.Errorf("no timestamps on the second NOOP:\n%s", r.Out)
	}
	if !regexp.MustCompile(`(?m)^C: a001 NOOP$`).MatchString(r.Out) || !regexp.MustCompile(`(?m)^C: a003 CHECK$`).MatchString(r.Out) {
		t.Errorf("timestamps before on or after off:\n%s", r.Out)
	}
	if r := runScript(t, srv.Addr, "", "", "timestamps maybe\n"); r.Err != ErrFailed || !strings.Contains(r.Out, "timestamps on|off") {
		t.Errorf("timestamps maybe: %v\n%s", r.Err, r.Out)
	}
}

// TestStats: the stats helper counts commands and octets and shows round
// trips per command name.
func TestStats(t *testing.T) {
	srv := idleServer(t, nil)
	r := runScript(t, srv.Addr, "", "", "NOOP\nNOOP\nCHECK\nstats\n")
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	for _, re := range []string{
		`# session: \d`,
		`# IMAP \(uncompressed\) +\d+ +\d+`,
		`# compressed: no`,
		`# network \(TLS included\) +\d+ +\d+`,
		`# commands: 3 sent, 0 in flight`,
		`# CHECK +1 `,
		`# NOOP +2 `,
	} {
		if !regexp.MustCompile(re).MatchString(r.Out) {
			t.Errorf("stats lack %s:\n%s", re, r.Out)
		}
	}
	// The octets: three commands sent, a001 NOOP\r\n is 11.
	want := len("a001 NOOP\r\na002 NOOP\r\na003 CHECK\r\n")
	if !regexp.MustCompile(fmt.Sprintf(`# IMAP \(uncompressed\) +%d +\d+\n`, want)).MatchString(r.Out) {
		t.Errorf("IMAP octets sent: want %d:\n%s", want, r.Out)
	}
}

// TestIDHelper: id sends imapsh's name and version and lays out the
// server's answer; --id does it after login; a server without ID gets
// none.
func TestIDHelper(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1 ID] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		switch name {
		case "ID":
			c.Send(`* ID ("name" "Scripted" "version" "1.0" "support-url" NIL)`)
			c.Send(tag + " OK ID completed")
		default:
			c.Send(tag + " OK " + name + " completed")
		}
		return true
	})
	r := runScript(t, srv.Addr, "", "", "id\n", func(c *Config) { c.Version = "9.9.9" })
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	if !strings.Contains(strings.Join(srv.Log(), "\n"), `ID ("name" "imapsh" "version" "9.9.9")`) {
		t.Errorf("ID line: %q", srv.Log())
	}
	for _, want := range []string{"# the server identifies itself as:", "#   name         Scripted", "#   version      1.0", "#   support-url  (none)"} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
	r = runScript(t, srv.Addr, "tomas", "pw", "NOOP\n", func(c *Config) { c.SendID = true })
	log := strings.Join(srv.Log(), "\n")
	if r.Err != nil || strings.Count(log, `ID ("name" "imapsh"`) != 2 || strings.Index(log, "LOGIN") > strings.LastIndex(log, `ID ("name"`) {
		t.Errorf("--id: %v, log:\n%s\n%s", r.Err, log, r.Out)
	}

	plain := idleServer(t, nil)
	r = runScript(t, plain.Addr, "", "", "id\n")
	if r.Err != ErrFailed || !strings.Contains(r.Out, "the server does not offer ID (RFC 2971)") {
		t.Errorf("id without ID: %v\n%s", r.Err, r.Out)
	}
	r = runScript(t, plain.Addr, "tomas", "pw", "NOOP\n", func(c *Config) { c.SendID = true })
	if r.Err != nil || !strings.Contains(r.Out, "--id not sent") {
		t.Errorf("--id without ID: %v\n%s", r.Err, r.Out)
	}
	// ID in capitals with arguments is the IMAP command, sent as typed.
	r = runScript(t, srv.Addr, "", "", "ID NIL\n")
	if r.Err != nil || !strings.Contains(strings.Join(srv.Log(), "\n"), "ID NIL") {
		t.Errorf("ID NIL: %v\n%s", r.Err, r.Out)
	}
}
