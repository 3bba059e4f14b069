//go:build !unix && !windows

package term

import (
	"errors"
	"os"
)

// openTTY: this system has no controlling terminal imapsh knows of.
func openTTY() (in, out *os.File, err error) {
	return nil, nil, errors.New("no terminal on this system")
}
