// Package term is imapsh's terminal side: the console lines are read from
// (a line editor at a terminal, plain lines from a pipe in script mode),
// the history file, the password prompt and the signals that concern the
// terminal (Ctrl-C while waiting, SIGTERM and SIGHUP). It knows nothing of
// IMAP or of a session: a console outlives any connection.
//
// It builds on Linux, macOS, FreeBSD and Windows.
package term

import (
	"errors"
	"io"
)

// Errors returned by Console.ReadLine and Console.ReadPassword.
var (
	// ErrInterrupt: the user pressed Ctrl-C; the line being typed was
	// dropped.
	ErrInterrupt = errors.New("interrupted")
	// ErrWoken: Wake ended the read. The console stays usable.
	ErrWoken = errors.New("woken")
	// ErrNoTerminal: a password was asked for with no terminal to ask at.
	ErrNoTerminal = errors.New("no terminal to ask at")
)

// Console is where lines come from and output goes. ReadLine,
// ReadPassword, Remember and Close are called from one goroutine; Stdout's
// writer and Wake may be used from any.
type Console interface {
	// ReadLine shows prompt and reads one line, without its line end. It
	// returns io.EOF at the end of input (Ctrl-D on an empty line, the
	// terminal gone, the end of a script), ErrInterrupt on Ctrl-C and
	// ErrWoken after Wake.
	ReadLine(prompt string) (string, error)
	// ReadPassword shows prompt and reads a secret without echo; the
	// cursor ends on a new line. A plain console asks at the controlling
	// terminal, or returns ErrNoTerminal.
	ReadPassword(prompt string) (string, error)
	// Remember adds a line to the history. The caller redacts it first.
	Remember(line string)
	// Stdout is where output goes. At a terminal, a write while a line
	// is being typed appears above the prompt, and the prompt and the
	// half-typed line are drawn again below it: write whole lines, once.
	Stdout() io.Writer
	// Wake ends the ReadLine or ReadPassword in progress, or the next one
	// if none is, with ErrWoken (a dropped connection calls it). The
	// half-typed line is dropped; later reads work as usual.
	Wake()
	// SetPrompt draws the prompt of the ReadLine in progress again as
	// prompt, the half-typed line kept (news at the prompt changed the
	// state it shows); it does nothing when no line is being read, or a
	// secret is.
	SetPrompt(prompt string)
	// Close gives the terminal back in its normal mode and closes the
	// history. It may be called more than once, from any goroutine.
	Close() error
}

// Completer offers Tab completions, as readline's AutoCompleter does: for
// the line and the cursor position, the candidates (each the text that
// would follow the cursor) and how many runes before the cursor they
// replace. It is called on the line editor's goroutine.
type Completer interface {
	Do(line []rune, pos int) (candidates [][]rune, length int)
}

// DefaultHistoryLimit is the number of history entries kept when
// Config.HistoryLimit is 0.
const DefaultHistoryLimit = 5000

// DefaultCompletionQuery is the number of Tab candidates above which the
// console asks before it lists them, when Config.CompletionQuery is 0.
const DefaultCompletionQuery = 100

// Config configures a readline console. The zero value reads the process's
// terminal with no completion and no history.
type Config struct {
	// Completer offers Tab completions; nil: none.
	Completer Completer
	// CompletionQuery is the number of candidates above which the first
	// Tab only says how many there are (and inserts their common
	// beginning) and a second Tab on the same line lists them; 0 means
	// DefaultCompletionQuery.
	CompletionQuery int

	// HistoryFile is where the history is kept ("" keeps none); see
	// HistoryPath. The file and its directory are made private to the
	// user.
	HistoryFile string
	// HistoryLimit is how many entries are kept, in memory and in the
	// file; 0 means DefaultHistoryLimit.
	HistoryLimit int

	// Stdin, Stdout and Stderr replace the process's terminal (nil keeps
	// it). Stderr gets the console's own warnings (about the history).
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Width returns the terminal's width in columns; nil asks the
	// terminal. A width of 0 or less counts as 80.
	Width func() int
	// Virtual says that Stdin and Stdout are a terminal already in raw
	// mode (an in-process test): the console neither checks nor switches
	// the mode.
	Virtual bool
	// Mask, when set, paints the line being typed: the shell shows
	// credentials (LOGIN's password) as stars. It runs on the line
	// editor's goroutine and returns a line of the same length.
	Mask func(line []rune) []rune
}
