package repl

import (
	"github.com/imapsh/imapsh/repl/internal/session"
)

// The shell drives the engine (package session) and reports through its
// hub; these names keep the shell's code short.
type (
	// Command is a command to send (session.Command).
	Command = session.Command
	// Response is one whole response (session.Response).
	Response = session.Response
	// State is what the server has told (session.State).
	State = session.State
	// Snapshot is a copy of the State at one moment.
	Snapshot = session.Snapshot
	// ConnState is the IMAP connection state.
	ConnState = session.ConnState
	op        = session.Op
)

// The connection states (RFC 9051 section 3).
const (
	NotAuthenticated = session.NotAuthenticated
	Authenticated    = session.Authenticated
	Selected         = session.Selected
	LoggedOut        = session.LoggedOut
)

// ErrClosed is returned when the connection has ended.
var ErrClosed = session.ErrClosed

// notifier prints imapsh's own lines through the hub, so every observer
// (the terminal, a transcript) sees them.
type notifier struct{ hub *session.Hub }

// Note prints one of imapsh's own remarks.
func (p notifier) Note(format string, args ...any) { p.hub.Notef(session.LevelNote, format, args...) }

// Warn prints a warning the user should read.
func (p notifier) Warn(format string, args ...any) { p.hub.Notef(session.LevelWarn, format, args...) }

// Error prints an error of imapsh's (not the server's).
func (p notifier) Error(format string, args ...any) {
	p.hub.Notef(session.LevelError, format, args...)
}

// Plain prints lines of imapsh's own output (tables, help) without a color.
func (p notifier) Plain(format string, args ...any) {
	p.hub.Notef(session.LevelPlain, format, args...)
}

func commandName(text string) (name, args string) { return session.CommandName(text) }

// flushOutput writes the server output the Terminal holds back in script
// mode (render.Options.Batch), through the hub so that it comes in order
// with the events being delivered: before imapsh writes elsewhere (stderr,
// a password prompt) and at the end.
func (sh *Shell) flushOutput() { sh.hub.Emit(&session.Event{Kind: session.Idle}) }
