package repl

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/imapsh/imapsh/repl/internal/helpers"
	"github.com/imapsh/imapsh/repl/internal/render"
)

// openTranscript creates the --log file: mode 0600, and never over an
// existing file.
func openTranscript(path string, secrets bool) (*render.Transcript, error) {
	f, err := os.OpenFile(helpers.ExpandHome(path), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, &UsageError{fmt.Sprintf("--log %s: the file exists; imapsh never overwrites a transcript: give a new name or remove it", path)}
	}
	if err != nil {
		return nil, &UsageError{fmt.Sprintf("--log: %v", err)}
	}
	return render.NewTranscript(f, secrets, func() time.Time { return time.Now().UTC() }), nil
}
