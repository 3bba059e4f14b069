package repl

import (
	"bytes"
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imapsh/imapsh/repl/internal/term"
	"github.com/imapsh/imapsh/wire"
)

// syncBuffer is a bytes.Buffer safe for the reader goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// vterm is an in-process terminal session: keys go in through a pipe,
// the screen is collected in out.
type vterm struct {
	t    *testing.T
	keys *io.PipeWriter
	out  *syncBuffer
	done chan struct{} // closed when Run returns
	err  error         // Run's result, read after done
	intr chan struct{}
}

// startTerm runs the interactive shell against addr with readline's input
// and output replaced by pipes.
func startTerm(t *testing.T, addr, user, pass, histFile string, edit ...func(*Config)) *vterm {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	pr, pw := io.Pipe()
	tm := &vterm{t: t, keys: pw, out: &syncBuffer{}, done: make(chan struct{}), intr: make(chan struct{}, 1)}
	yes := true
	cfg := Config{
		Host: host, Port: p, Security: wire.Plaintext, User: user,
		Color: "never", Timeout: 5 * time.Second,
		Stdout: tm.out, Stderr: tm.out, Interactive: &yes, HistoryFile: histFile,
		Getenv: func(k string) string {
			if k == "IMAPSH_PASSWORD" {
				return pass
			}
			return ""
		},
		termIO: func(c *term.Config) {
			c.Stdin = pr
			c.Stdout = tm.out
			c.Stderr = tm.out
			c.Virtual = true
			c.Width = func() int { return 0 }
		},
		testInterrupt: tm.intr,
	}
	for _, e := range edit {
		e(&cfg)
	}
	go func() { tm.err = Run(context.Background(), cfg); close(tm.done) }()
	t.Cleanup(func() {
		pw.Close()
		select {
		case <-tm.done:
		case <-time.After(5 * time.Second):
		}
	})
	return tm
}

// typeKeys sends keystrokes as a terminal would.
func (tm *vterm) typeKeys(s string) {
	tm.t.Helper()
	if _, err := tm.keys.Write([]byte(s)); err != nil {
		tm.t.Fatalf("typing %q: %v", s, err)
	}
}

// waitFor waits until the screen contains want.
func (tm *vterm) waitFor(want string) {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.out.String(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("screen never showed %q; screen:\n%s", want, tm.out.String())
}

// wait waits for the shell to end and returns Run's result.
func (tm *vterm) wait() error {
	tm.t.Helper()
	select {
	case <-tm.done:
		return tm.err
	case <-time.After(10 * time.Second):
		tm.t.Fatalf("shell did not exit; screen:\n%s", tm.out.String())
	}
	return nil
}

func TestInteractiveBasic(t *testing.T) {
	srv := startDemo(t)
	tm := startTerm(t, srv.Addr, srv.User, srv.Password, "-")
	tm.waitFor("demo@127.0.0.1 (no mailbox)> ")
	tm.typeKeys("select Poison\r")
	tm.waitFor("Poison rw 21> ")
	tm.typeKeys("\x04") // Ctrl-D logs out
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	if !strings.Contains(tm.out.String(), "C: a004 LOGOUT") && !strings.Contains(tm.out.String(), "LOGOUT") {
		t.Errorf("no LOGOUT:\n%s", tm.out.String())
	}
}
