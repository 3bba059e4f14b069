package repl

import (
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/imapsh/imapsh/repl/internal/render"
)

// shield defers the signals that would end imapsh or stop a wait
// (Ctrl-C, SIGTERM, SIGHUP) while a helper puts back what it changed
// (helpers.Env.Shield). It is safe for concurrent use.
type shield struct {
	mu     sync.Mutex
	hits   int
	sig    os.Signal     // the first signal
	first  chan struct{} // closed by the first
	second chan struct{} // closed by the second: a wait stops
}

func (s *shield) hit(sig os.Signal) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits++
	switch s.hits {
	case 1:
		s.sig = sig
		close(s.first)
	case 2:
		close(s.second)
	}
	return s.hits
}

// currentShield returns the shield in force, or nil.
func (sh *Shell) currentShield() *shield {
	sh.shieldMu.Lock()
	defer sh.shieldMu.Unlock()
	return sh.shield
}

func (sh *Shell) setShield(s *shield) {
	sh.shieldMu.Lock()
	sh.shield = s
	sh.shieldMu.Unlock()
}

// Shield implements helpers.Env.
func (e shellEnv) Shield() (<-chan struct{}, func()) {
	sh := e.sh
	s := &shield{first: make(chan struct{}), second: make(chan struct{})}
	sigs := make(chan os.Signal, 4)
	src := (<-chan os.Signal)(sigs)
	if sh.cfg.testSignals != nil {
		src = sh.cfg.testSignals
	} else {
		signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case sig := <-src:
				if s.hit(sig) == 1 {
					sh.pr.Warn("%s: imapsh first puts back what it changed (a command in flight is waited for); send it again to stop waiting", signalName(sig))
				}
			case <-done:
				return
			}
		}
	}()
	sh.setShield(s)
	return s.first, func() {
		signal.Stop(sigs)
		close(done)
		<-finished
		sh.setShield(nil)
		s.mu.Lock()
		sig := s.sig
		s.mu.Unlock()
		if sig != nil && (sig != os.Interrupt || !sh.interactive) {
			sh.raise(sig)
		}
	}
}

// raise ends imapsh as sig would have, now that the helper is done.
func (sh *Shell) raise(sig os.Signal) {
	if sh.cfg.testRaise != nil {
		sh.cfg.testRaise(sig)
		return
	}
	sh.con.Close() // the terminal back in its normal mode
	signal.Reset(sig)
	if p, err := os.FindProcess(os.Getpid()); err == nil && p.Signal(sig) == nil {
		time.Sleep(time.Second) // the signal ends the process meanwhile
	}
	os.Exit(2)
}

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "Ctrl-C"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return sig.String()
}

// Alert implements helpers.Env: a line on stderr, made safe for the
// terminal.
func (e shellEnv) Alert(format string, args ...any) {
	var b strings.Builder
	for _, l := range strings.Split(sprintf(format, args...), "\n") {
		b.WriteString("imapsh: " + render.Sanitize(l) + "\n")
	}
	e.sh.flushOutput() // what stdout holds back comes first
	e.sh.cfg.Stderr.Write([]byte(b.String()))
}
