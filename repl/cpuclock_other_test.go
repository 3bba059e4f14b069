//go:build !unix

package repl

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
