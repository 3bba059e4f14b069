// Package teach explains IMAP to the person at the shell: help entries for
// the commands of IMAP4rev1 and IMAP4rev2 (RFC 3501 section 6, RFC 9051
// section 6) and the common extensions, explanations of responses and
// response codes (RFC 9051 section 7), an observer that writes a short
// note under each response (Explainer), and a record of the capabilities a
// server advertised before and after STARTTLS and login (Caps).
//
// The texts are imapsh's own words; each names the RFC section it
// summarises. Nothing here performs I/O: notes go to a function the shell
// gives, help comes back as text.
package teach

import "strings"

// State is where a command is valid: the connection states of RFC 9051
// section 3, grouped as the help index shows them.
type State uint8

const (
	// AnyState: valid in every state (CAPABILITY, NOOP, LOGOUT).
	AnyState State = iota
	// NotAuthenticated: before login (STARTTLS, AUTHENTICATE, LOGIN).
	NotAuthenticated
	// Authenticated: after login, with or without a selected mailbox.
	Authenticated
	// Selected: only with a mailbox selected.
	Selected
)

// String says where a command of this group is valid.
func (s State) String() string {
	switch s {
	case AnyState:
		return "any state"
	case NotAuthenticated:
		return "not authenticated state (before login)"
	case Authenticated:
		return "authenticated or selected state (after login)"
	}
	return "selected state (after SELECT or EXAMINE)"
}

var stateTitles = [...]string{
	AnyState:         "Any state",
	NotAuthenticated: "Not authenticated (before login)",
	Authenticated:    "Authenticated (after login; also valid with a mailbox selected)",
	Selected:         "Selected (after SELECT or EXAMINE)",
}

// Outcome is how an example line ends against the demo server.
type Outcome string

const (
	// None: the line is not a command (literal text, DONE, EOF).
	None Outcome = ""
	OK   Outcome = "OK"
	NO   Outcome = "NO"
	BAD  Outcome = "BAD"
	// Refused: imapsh does not send the command and says why.
	Refused Outcome = "refused"
)

// Step is one line of a worked example, typed as it is at the imapsh
// prompt, with the outcome it has against `imapsh --demo`.
type Step struct {
	Line string
	Want Outcome
}

// Command is the help entry of an IMAP command (or of a command form such
// as UID FETCH).
type Command struct {
	Name   string // upper case: "FETCH", "UID FETCH"
	Syntax string
	State  State
	Valid  string // where it is valid, when State says it too coarsely
	Needs  string // the capability it needs; "" for IMAP4rev1 and IMAP4rev2
	// Ext marks an extension's entry: what it adds to other commands
	// (CONDSTORE, SPECIAL-USE), not a command of its own.
	Ext     bool
	Summary string // one line for the index
	Text    string // what it does
	Replies string // the responses to expect
	RFC     string // RFC and sections
	Example []Step
	Demo    string // what the example shows in the demo, when not plain OK
	See     []string
}

// valid says where the command is valid.
func (c *Command) valid() string {
	if c.Valid != "" {
		return c.Valid
	}
	return c.State.String()
}

// Topic is the help entry of a response, a response code, a FETCH item or
// a concept.
type Topic struct {
	Name   string // upper case: "EXISTS", "UIDVALIDITY", "ENVELOPE"
	Kind   string // "untagged response", "response code", "FETCH item" ...
	Syntax string
	Text   string
	RFC    string
	See    []string
}

// normalize upper-cases a topic and collapses blanks: "uid  fetch" is
// "UID FETCH"; brackets and a leading "\" or "*" are kept.
func normalize(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), " "))
}
