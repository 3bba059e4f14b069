//go:build unix

package term

import (
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// TestRestoreOnSignal runs itself as a child that gets SIGTERM or SIGHUP: the
// console must be closed first, and the child must still die of the signal.
func TestRestoreOnSignal(t *testing.T) {
	if marker := os.Getenv("IMAPSH_TERM_TEST_MARKER"); marker != "" {
		stop := RestoreOnSignal(closerFunc(func() error {
			return os.WriteFile(marker, []byte("closed"), 0o600)
		}), nil)
		defer stop()
		n, _ := strconv.Atoi(os.Getenv("IMAPSH_TERM_TEST_SIGNAL"))
		syscall.Kill(os.Getpid(), syscall.Signal(n))
		time.Sleep(3 * time.Second)
		os.Exit(0) // reached only when the signal is ignored
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		marker := filepath.Join(t.TempDir(), "marker")
		cmd := exec.Command(os.Args[0], "-test.run=^TestRestoreOnSignal$")
		cmd.Env = append(os.Environ(), "IMAPSH_TERM_TEST_MARKER="+marker,
			"IMAPSH_TERM_TEST_SIGNAL="+strconv.Itoa(int(sig)))
		err := cmd.Run()
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if signal.Ignored(sig) {
			// Ignored here (under nohup, say), so in the child from its
			// start: it must stay ignored, the console untouched.
			if err != nil {
				t.Errorf("%v, ignored when the child started: child ended with %v (%v), want exit 0", sig, cmd.ProcessState, err)
			}
			if _, serr := os.Stat(marker); serr == nil {
				t.Errorf("%v, ignored when the child started, closed the console", sig)
			}
			continue
		}
		if !ok || !ws.Signaled() || ws.Signal() != sig {
			t.Errorf("child ended with %v (%v), want death by %v", cmd.ProcessState, err, sig)
		}
		if b, _ := os.ReadFile(marker); string(b) != "closed" {
			t.Errorf("the console was not closed before the process ended")
		}
	}
}

func TestInterrupts(t *testing.T) {
	intr, stop := Interrupts()
	defer stop()
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case <-intr:
	case <-time.After(5 * time.Second):
		t.Fatal("Ctrl-C (SIGINT) did not close the channel")
	}
}
