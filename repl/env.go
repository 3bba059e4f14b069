package repl

import (
	"fmt"

	"github.com/imapsh/imapsh/repl/internal/helpers"
	"github.com/imapsh/imapsh/repl/internal/session"
)

// shellEnv is the shell as the helpers see it (helpers.Env): commands run
// on its session and are shown like the user's own, reports go through the
// hub, and the user answers at its console.
type shellEnv struct{ sh *Shell }

// Run sends a helper's command and waits for it; Ctrl-C at the terminal
// stops the wait.
func (e shellEnv) Run(c *session.Command) (*session.Op, error) { return e.sh.exec(c) }

func (e shellEnv) State() session.Snapshot { return e.sh.st.Snapshot() }

func (e shellEnv) Has(capability string) bool { return e.sh.st.Has(capability) }

func (e shellEnv) Report(l session.Level, format string, args ...any) {
	e.sh.hub.Notef(l, format, args...)
}

func (e shellEnv) Confirm(prompt string) (string, error) { return e.sh.con.ReadLine(prompt) }

func (e shellEnv) Interactive() bool { return e.sh.interactive }

var _ helpers.Env = shellEnv{}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
