//go:build unix

package repl

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAppendRefusesNonRegularFile refuses a FIFO (which would be measured
// from one writer and sent from the next, and whose opening waits for a
// writer) and a device (/dev/zero never ends) at once.
func TestAppendRefusesNonRegularFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, c := range []struct{ path, want string }{
		{fifo, fifo + " is a named pipe (FIFO): a literal is read twice"},
		{"/dev/zero", "/dev/zero is a device: a literal is read twice"},
	} {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			srv := okServer(t, "LITERAL+")
			r := runScriptWithin(t, 20*time.Second, srv.Addr, "APPEND INBOX <"+c.path+"\nNOOP\n")
			if !errors.Is(r.Err, ErrFailed) || !strings.Contains(r.Out, c.want) || !strings.Contains(r.Out, "nothing was sent") || !strings.Contains(r.Out, "OK NOOP") {
				t.Errorf("Run = %v, want %q:\n%s", r.Err, c.want, r.Out)
			}
			assertNoAppendSent(t, srv)
		})
	}
}
