package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The protocol watchdog raises no false alarm on correct servers in long
// sessions: select, fetch, store, search, expunge, append, copy, move,
// IDLE with changes made meanwhile by a second connection. Every run is
// --strict, so a violation would also fail the exit status.
//
// The same long session against real servers is TestInteropWatchdogLongSession
// (interop_watchdog_test.go), with a second connection appending, flagging
// and expunging while imapsh idles.
//
// The demo session leaves out MOVE: the demo's server (go-imap v2
// v2.0.0-beta.8, imapmemserver) reports each moved message with two
// EXPUNGE responses, and the watchdog rightly says so at the next FETCH.

func TestCLIDemoWatchdogLongSession(t *testing.T) {
	script := `CAPABILITY
LIST "" "*"
SELECT INBOX
FETCH 1:* (UID FLAGS RFC822.SIZE)
STORE 1:3 +FLAGS (\Deleted)
SEARCH DELETED
UID SEARCH ALL
SEARCH RETURN (MIN MAX COUNT) ALL
EXPUNGE
FETCH 1:* (UID FLAGS)
IDLE
DONE
APPEND INBOX <<EOF
Subject: one

hello
EOF
NOOP
FETCH 1:* (UID)
UID FETCH 1:* (FLAGS)
COPY 1:2 Archive
FETCH 1:* (UID)
UID STORE 1:* +FLAGS (\Seen)
STATUS Archive (MESSAGES UIDNEXT)
SELECT Archive
FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])
UID STORE 1:* +FLAGS (\Deleted)
UID EXPUNGE 1:*
EXAMINE Poison
FETCH 1:* (UID FLAGS)
SEARCH ALL
UNSELECT
SELECT INBOX
FETCH 1:* (UID)
UID MOVE 8 Work
MOVE 1 Work
FETCH 1:* (UID)
CLOSE
check
`
	code, out, stderr := imapsh(t, nil, script, "--demo", "--strict")
	if code != 0 || strings.Contains(out, "violation:") || !strings.Contains(out, "# protocol watchdog: no violation seen in this session") {
		t.Fatalf("exit %d (want 0), stderr %q\n%s", code, stderr, out)
	}
	for _, want := range []string{"EXPUNGE", "S: + idling", "[APPENDUID", "S: * ESEARCH", "UID EXPUNGE 1:*", "UID MOVE 8 Work", "COPYUID"} {
		if !strings.Contains(out, want) {
			t.Errorf("the session lacks %q: it did not exercise what it should\n%s", want, out)
		}
	}
}

// liveRun is imapsh run with a stdin the test writes line by line, while it
// watches the output.
type liveRun struct {
	t     *testing.T
	cmd   *exec.Cmd
	in    io.WriteCloser
	mu    sync.Mutex
	out   bytes.Buffer
	seen  int // output already matched by wait
	errb  bytes.Buffer
	ended chan error
}

func (r *liveRun) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.Write(p)
}

func startLive(t *testing.T, env []string, args ...string) *liveRun {
	t.Helper()
	if binary == "" {
		t.Fatal("the imapsh binary could not be built")
	}
	r := &liveRun{t: t, ended: make(chan error, 1)}
	r.cmd = exec.Command(binary, args...)
	r.cmd.Env = append(os.Environ(), env...)
	r.cmd.Stdout, r.cmd.Stderr = r, &r.errb
	var err error
	if r.in, err = r.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.ended <- r.cmd.Wait() }()
	t.Cleanup(func() { r.cmd.Process.Kill() })
	return r
}

func (r *liveRun) send(lines ...string) {
	for _, l := range lines {
		io.WriteString(r.in, l+"\n")
	}
}

// wait waits until the output after what was matched before matches re.
func (r *liveRun) wait(re string) {
	r.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		rest := r.out.String()[r.seen:]
		if loc := rx.FindStringIndex(rest); loc != nil {
			r.seen += loc[1]
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.t.Fatalf("no %q in the output:\n%s", re, r.out.String())
}

// finish closes stdin and returns the exit status and the whole output.
func (r *liveRun) finish() (int, string) {
	r.t.Helper()
	r.in.Close()
	var err error
	select {
	case err = <-r.ended:
	case <-time.After(30 * time.Second):
		r.t.Fatal("imapsh did not end")
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return code, r.out.String() + r.errb.String()
}
