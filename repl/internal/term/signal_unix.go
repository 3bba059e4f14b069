//go:build unix

package term

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

var terminating = []os.Signal{syscall.SIGTERM, syscall.SIGHUP}

// reraise ends the process by sig, as if it had not been caught: the
// parent sees the signal in the exit status.
func reraise(sig os.Signal) {
	signal.Reset(sig)
	if s, ok := sig.(syscall.Signal); ok {
		syscall.Kill(os.Getpid(), s)
	}
	// The signal is delivered to the process asynchronously; should it
	// not end the process, end it still.
	time.Sleep(time.Second)
	os.Exit(2)
}
