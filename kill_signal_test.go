//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// TestCLIKillForceSignal sends the imapsh process a real SIGTERM while
// kill --force has taken \Deleted off the other messages: imapsh puts it
// back, sends no EXPUNGE, and only then dies of the signal.
func TestCLIKillForceSignal(t *testing.T) {
	if binary == "" {
		t.Fatal("the imapsh binary could not be built")
	}
	var proc atomic.Pointer[os.Process]
	cfg := imaptest.ExchangeConfig{}
	stores := 0
	cfg.BeforeCommand = func(x *imaptest.Exchange, c imaptest.Command) []string {
		if c.Name == "UID STORE" {
			if stores++; stores == 2 { // the others' \Deleted is off
				proc.Load().Signal(syscall.SIGTERM)
				time.Sleep(200 * time.Millisecond)
			}
		}
		return nil
	}
	x := imaptest.NewExchange(t, cfg)
	cmd := exec.Command(binary, "--plaintext", "-u", "tomas", x.Addr)
	cmd.Stdin = strings.NewReader("SELECT INBOX\nkill --yes --force 15541\nNOOP\n")
	cmd.Env = append(os.Environ(), "IMAPSH_PASSWORD=secret")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	proc.Store(cmd.Process)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("imapsh ended with %v, want death by SIGTERM\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
	}
	for _, u := range imaptest.DefaultDeletedUIDs {
		if !slices.Contains(x.Flags("INBOX", u), `\Deleted`) {
			t.Errorf("UID %d lost \\Deleted", u)
		}
	}
	if f := x.Flags("INBOX", imaptest.PoisonUID); f == nil || slices.Contains(f, `\Deleted`) {
		t.Errorf("the target: flags %q (nil: gone)", f)
	}
	for _, c := range x.Commands() {
		if strings.Contains(c, "EXPUNGE") || strings.Contains(c, "NOOP") {
			t.Errorf("sent %q", c)
		}
	}
	if !strings.Contains(out.String(), "kill stopped by a signal before the EXPUNGE: nothing was expunged") {
		t.Errorf("stdout:\n%s", out.String())
	}
}
