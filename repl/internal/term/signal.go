package term

import (
	"io"
	"os"
	"os/signal"
)

// RestoreOnSignal makes SIGTERM and SIGHUP (on Windows: closing the console
// window, logging off, shutting down) close c, which gives the terminal
// back in its normal mode, before they end the process as they would have.
// Call stop when c is closed the ordinary way. While shielded (which may be
// nil) reports true, a signal is left to whoever holds the shield (a helper
// putting back what it changed, which ends the process itself).
func RestoreOnSignal(c io.Closer, shielded func() bool) (stop func()) {
	sigs := make(chan os.Signal, 1)
	// A signal ignored when imapsh started stays ignored: under nohup a
	// hangup must not end the session (Notify would stop ignoring it).
	var catch []os.Signal
	for _, s := range terminating {
		if !signal.Ignored(s) {
			catch = append(catch, s)
		}
	}
	if len(catch) > 0 {
		signal.Notify(sigs, catch...)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-sigs:
				if shielded != nil && shielded() {
					continue
				}
				c.Close()
				reraise(sig)
				return
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(sigs); close(done) }
}

// Interrupts returns a channel that is closed when the user presses
// Ctrl-C (SIGINT, or the console's Ctrl-C event on Windows), for a wait
// that Ctrl-C should stop. While it is in use, Ctrl-C does not end the
// process. Call stop when the wait is over.
func Interrupts() (<-chan struct{}, func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	intr := make(chan struct{})
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			close(intr)
		case <-done:
		}
	}()
	return intr, func() { signal.Stop(sig); close(done) }
}
