// Package helpers is imapsh's poison-message toolkit: whereis, uids, probe,
// save and kill find, test, keep and delete one message by UID in the
// selected mailbox. They send ordinary IMAP commands (RFC 9051 sections
// 6.4.4 SEARCH, 6.4.5 FETCH, 6.4.6 STORE, 6.4.3 EXPUNGE, 6.4.9 UID; RFC
// 4315 UID EXPUNGE; RFC 7162 VANISHED) through an Env, so every command and
// response is shown as the user's own would be, and the same helper can run
// on any session an Env stands for. The package performs no terminal I/O
// of its own; save writes the file it is asked to write.
package helpers

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// Env is what a helper needs of the shell: a session to run commands on,
// a place to report, and the user.
type Env interface {
	// Run sends a command and waits for its completion. A wait the user
	// stopped (Ctrl-C) returns an Op that is not done. An error means the
	// command could not be sent or the connection ended.
	Run(c *session.Command) (*session.Op, error)
	// State is what the server has told about the session.
	State() session.Snapshot
	// Has reports whether the server advertised a capability.
	Has(capability string) bool
	// Report shows one of the helper's own lines (several, split at \n).
	Report(level session.Level, format string, args ...any)
	// Confirm asks the user for a line (kill's "type yes").
	Confirm(prompt string) (string, error)
	// Interactive reports whether a person is at a terminal.
	Interactive() bool
	// Shield keeps Ctrl-C, SIGTERM and SIGHUP from ending imapsh or
	// stopping a wait until release is called, while a helper has
	// something to put back (kill --force): the first such signal closes
	// signaled instead, and only a second one stops a wait (Run then
	// returns an Op not done). release then ends imapsh as the signal
	// would have, when it was SIGTERM or SIGHUP (or Ctrl-C in a script).
	Shield() (signaled <-chan struct{}, release func())
	// Alert writes a line to stderr at once: what the user must do by
	// hand, when imapsh may be about to end.
	Alert(format string, args ...any)
}

// Helper is a word of the shell's own, typed like a command.
type Helper struct {
	Name    string
	Usage   string
	Summary string   // one line, for help
	RFC     []string // the sections whose commands it sends
	// When decides from the arguments whether the line is this helper
	// (LOGIN with two arguments is the IMAP command; login USER is the
	// helper). nil means always.
	When func(args string) bool
	Run  func(env Env, args string) error
	// LowerOnly: the helper is run only when typed in lower case (check;
	// CHECK is the IMAP command).
	LowerOnly bool
}

// TypedAs reports whether word, as typed, calls the helper.
func (h Helper) TypedAs(word string) bool { return !h.LowerOnly || word == strings.ToLower(word) }

// Applies reports whether a line with these arguments is the helper.
func (h Helper) Applies(args string) bool { return h.When == nil || h.When(args) }

// Table returns the toolkit's helpers.
func Table() []Helper {
	return []Helper{
		{Name: "whereis", Usage: "whereis UID", Summary: "sequence number, flags, size, date, From and Subject of the message with that UID; what is withheld",
			RFC: []string{"RFC 9051 6.4.4", "6.4.5", "6.4.9"}, Run: with((*tool).whereisHelper)},
		{Name: "uids", Usage: "uids SEQSET", Summary: "table of sequence numbers and UIDs, e.g. uids 1040:1050 (or #1040:#1050)",
			RFC: []string{"RFC 9051 6.4.5"}, Run: with((*tool).uidsHelper)},
		{Name: "probe", Usage: "probe UID", Summary: "tries each part of the message and says which the server delivers",
			RFC: []string{"RFC 9051 6.4.5", "6.4.9"}, Run: with((*tool).probeHelper)},
		{Name: "save", Usage: "save UID FILE [--force]", Summary: "writes the raw message (BODY.PEEK[]) to FILE, checked against RFC822.SIZE; else what can be had",
			RFC: []string{"RFC 9051 6.4.5", "6.4.9"}, Run: with((*tool).saveHelper)},
		{Name: "kill", Usage: "kill [--yes] [--force] UID", Summary: "deletes exactly that message and no other (asks first; --uidvalidity N: only if it still is N)",
			RFC: []string{"RFC 9051 6.4.3", "6.4.4", "6.4.6", "6.4.9", "RFC 4315 2.1"}, Run: with((*tool).killHelper)},
	}
}

// LineError is a mistake in how a helper was called (usage, a bad
// argument, no mailbox selected): nothing was sent for it. The shell
// reports Msg and counts the line as failed.
type LineError struct{ Msg string }

func (e *LineError) Error() string { return e.Msg }

// ErrFailed is returned by a helper that has reported its own failure.
var ErrFailed = errors.New("helper failed")

// isConnErr reports whether err means the session cannot go on (the
// connection is gone), as opposed to a failure the helper reported.
func isConnErr(err error) bool {
	var le *LineError
	return err != nil && !errors.Is(err, ErrFailed) && !errors.As(err, &le)
}

// tool is one run of a helper on an Env.
type tool struct {
	env Env
	tr  *tracker // the message the helper works on (see start)
	// quietStop leaves the report of a wait the user stopped to the
	// helper (see run).
	quietStop bool
}

// with makes a helper's Run from a method of tool.
func with(f func(t *tool, args string) error) func(Env, string) error {
	return func(env Env, args string) error { return f(&tool{env: env, tr: &tracker{}}, args) }
}

// Plain prints lines of the helper's output (tables, reports).
func (t *tool) Plain(format string, args ...any) {
	t.env.Report(session.LevelPlain, format, args...)
}

// Note prints a remark.
func (t *tool) Note(format string, args ...any) { t.env.Report(session.LevelNote, format, args...) }

// Warn prints something the user should read.
func (t *tool) Warn(format string, args ...any) { t.env.Report(session.LevelWarn, format, args...) }

// Error prints the helper's failure.
func (t *tool) Error(format string, args ...any) {
	t.env.Report(session.LevelError, format, args...)
}

// QuoteMailbox returns a mailbox name as it is typed in a command: an
// atom, or a quoted string (UTF-8 allowed, as IMAP4rev2 and UTF8=ACCEPT
// servers send). ok is false for names that cannot be typed safely: with
// controls, invisible formatting characters or invalid UTF-8 (such a name
// needs a literal).
func QuoteMailbox(name string) (string, bool) {
	if !utf8.ValidString(name) {
		return "", false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || render.IsFormatChar(r) {
			return "", false
		}
	}
	if q, ok := wire.Quote(name); ok {
		return q, true
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`, true
}

// DisplayMailbox returns a mailbox name for messages: as it would be typed
// when it can be, else in quotes (the printer makes it safe).
func DisplayMailbox(name string) string {
	if q, ok := QuoteMailbox(name); ok {
		return q
	}
	return `"` + name + `"`
}
