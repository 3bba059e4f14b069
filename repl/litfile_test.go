package repl

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// runScriptWithin is runScript that fails the test when the run has not
// ended within d (a run that never ends is the defect being tested).
func runScriptWithin(t *testing.T, d time.Duration, addr, script string) scriptRun {
	t.Helper()
	res := make(chan scriptRun, 1)
	go func() { res <- runScript(t, addr, "", "", script) }()
	select {
	case r := <-res:
		return r
	case <-time.After(d):
		t.Fatalf("the script did not end within %v", d)
	}
	return scriptRun{}
}

// okServer answers every command OK; it advertises caps.
func okServer(t *testing.T, caps string) *imaptest.Server {
	return scripted(t, "* OK [CAPABILITY IMAP4rev1 "+caps+"] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		c.Send(tag + " OK " + name + " done")
		return true
	})
}

func assertNoAppendSent(t *testing.T, srv *imaptest.Server) {
	t.Helper()
	for _, l := range srv.Log() {
		if strings.Contains(l, "APPEND") {
			t.Errorf("APPEND was sent: %q", l)
		}
	}
}

// TestAppendFileOverLimitRefusedUnread refuses files larger than
// imapsh's cap, or than the server's APPENDLIMIT, from their size alone:
// the files are sparse and full of NUL octets, which a reading would
// report first.
func TestAppendFileOverLimitRefusedUnread(t *testing.T) {
	dir := t.TempDir()
	sparse := func(name string, size int64) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Skipf("cannot make a sparse file: %v", err)
		}
		f.Close()
		return path
	}
	huge := sparse("huge.eml", maxFileLiteral+1)
	big := sparse("big.eml", 10<<20)

	srv := okServer(t, "LITERAL+")
	r := runScriptWithin(t, 60*time.Second, srv.Addr, "APPEND INBOX <"+huge+"\nSEARCH TEXT <"+huge+"\nNOOP\n")
	want := fmt.Sprintf("huge.eml is %d octets, over imapsh's limit for one literal of %d: nothing was sent", maxFileLiteral+1, maxFileLiteral)
	if !errors.Is(r.Err, ErrFailed) || strings.Count(r.Out, want) != 2 || !strings.Contains(r.Out, "OK NOOP") {
		t.Errorf("Run = %v, want the cap named twice (%q):\n%s", r.Err, want, r.Out)
	}
	assertNoAppendSent(t, srv)

	srv = okServer(t, "LITERAL+ APPENDLIMIT=1000")
	r = runScriptWithin(t, 60*time.Second, srv.Addr, "APPEND INBOX <"+big+"\nNOOP\n")
	want = fmt.Sprintf("big.eml is %d octets, over the server's APPENDLIMIT of 1000: nothing was sent", 10<<20)
	if !errors.Is(r.Err, ErrFailed) || !strings.Contains(r.Out, want) || !strings.Contains(r.Out, "OK NOOP") {
		t.Errorf("Run = %v, want %q:\n%s", r.Err, want, r.Out)
	}
	assertNoAppendSent(t, srv)
}

// TestInteractiveCtrlCWhileMeasuring presses Ctrl-C while a file literal
// is being measured: nothing is sent and the session goes on.
func TestInteractiveCtrlCWhileMeasuring(t *testing.T) {
	srv := okServer(t, "LITERAL+")
	path := filepath.Join(t.TempDir(), "m.eml")
	os.WriteFile(path, bytes.Repeat([]byte("Subject: x\n\nbody\n"), 100_000), 0o600)
	tm := startTerm(t, srv.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	// The Ctrl-C is there as the measuring starts: the measuring must see
	// it (waiting for a server is not involved).
	tm.intr <- struct{}{}
	tm.typeKeys("APPEND INBOX <" + path + "\r")
	tm.waitFor("m.eml was not measured: stopped (Ctrl-C) while imapsh counted its octets: nothing was sent")
	tm.typeKeys("NOOP\r")
	tm.waitFor("OK NOOP done")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil && !errors.Is(err, ErrFailed) {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	assertNoAppendSent(t, srv)
}

// TestInteractiveCtrlCWhileSendingLiteral presses Ctrl-C while the octets
// of a large literal are being sent to a server that has stopped reading:
// the send stops, the connection is closed with the reason, the shell
// says it is disconnected, and Run returns that reason at Ctrl-D instead of
// hanging.
func TestInteractiveCtrlCWhileSendingLiteral(t *testing.T) {
	stall := make(chan struct{})
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		if name != "APPEND" {
			c.Send(tag + " OK " + name + " done")
			return true
		}
		c.Send("+ go ahead")
		<-stall // read nothing more
		return false
	})
	t.Cleanup(func() { close(stall) })
	path := filepath.Join(t.TempDir(), "big.eml")
	size := 64 << 20 // more than the socket buffers hold
	os.WriteFile(path, bytes.Repeat([]byte("x"), size), 0o600)
	tm := startTerm(t, srv.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("APPEND INBOX <" + path + "\r")
	tm.waitFor(fmt.Sprintf("[%d octets: from %s", size, path))
	time.Sleep(100 * time.Millisecond) // let the writing begin
	tm.intr <- struct{}{}
	tm.waitFor("(disconnected: type reconnect)> ")
	tm.typeKeys("\x04")
	err := tm.wait()
	var ce *ConnError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "a001 did not complete (no tagged OK): stopped (Ctrl-C) while sending the octets of "+path) {
		t.Fatalf("Run = %v, want the command reported incomplete\n%s", err, tm.out.String())
	}
	if strings.Contains(tm.out.String(), "warning: the server closed the connection") {
		t.Errorf("closing on purpose was reported as the server's doing:\n%s", tm.out.String())
	}
}
