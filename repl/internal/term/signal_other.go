//go:build !unix

package term

import (
	"os"
	"syscall"
)

// On Windows, os/signal delivers SIGTERM for the console window being
// closed, a log-off and a shutdown.
var terminating = []os.Signal{syscall.SIGTERM}

// reraise ends the process: a signal cannot be sent again here, and the
// system ends the process anyway once the handler returns.
func reraise(os.Signal) {
	os.Exit(2)
}
