package repl

import "github.com/imapsh/imapsh/repl/internal/term"

// console is where lines come from and output goes: readline at a
// terminal, plain lines from a pipe in script mode (package term).
type console = term.Console

var (
	// errInterrupt is returned by ReadLine when the user pressed Ctrl-C:
	// the line being typed is discarded.
	errInterrupt = term.ErrInterrupt
	// errWoken is returned by ReadLine when the connection ended while
	// the user was typing (the session's onClose wakes the console).
	errWoken = term.ErrWoken
)

func newConsole(sh *Shell) (console, error) {
	if !sh.interactive {
		return term.NewPlain(sh.cfg.Stdin, sh.cfg.Stdout), nil
	}
	path := sh.cfg.HistoryFile
	if path == "" {
		path = term.HistoryPath(sh.cfg.Getenv)
	}
	if path == "-" {
		path = ""
	}
	cfg := term.Config{
		Completer:    &completer{sh: sh},
		Mask:         maskSecrets,
		HistoryFile:  path,
		HistoryLimit: sh.cfg.HistoryLimit,
	}
	if sh.cfg.termIO != nil {
		sh.cfg.termIO(&cfg)
	}
	return term.NewReadline(cfg)
}

// restoreOnSignal makes SIGTERM and SIGHUP give the terminal back in its
// normal mode before they end the process as they would have.
// While shielded reports true, a helper's shield handles them.
func restoreOnSignal(con console, shielded func() bool) (stop func()) {
	return term.RestoreOnSignal(con, shielded)
}
