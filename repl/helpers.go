package repl

import (
	"strings"
)

// helper is a word of the shell's own, typed like a command. Helpers show
// the IMAP commands they send, so the user learns what happens.
type helper struct {
	usage   string
	summary string
	// applies decides from the arguments whether the line is this helper
	// (LOGIN with two arguments is the IMAP command; login USER is the
	// helper). nil means always.
	when func(args string) bool
	run  func(sh *Shell, args string) error
	// lower: the helper is run only when typed in lower case (check;
	// CHECK is the IMAP command).
	lower bool
}

func (h helper) applies(args string) bool { return h.when == nil || h.when(args) }

func (h helper) typedAs(word string) bool { return !h.lower || word == strings.ToLower(word) }

var helpers map[string]helper

func init() {
	helpers = map[string]helper{
		"help":    {usage: "help [COMMAND|RESPONSE]", summary: "this list; help FETCH, help EXISTS, help UIDVALIDITY explain one", run: (*Shell).helpHelper},
		"explain": {usage: "explain [on|off]", summary: "a note under each response saying what it means; alone: explains the last command's responses", run: (*Shell).explainHelper},
		"caps":    {usage: "caps", summary: "the server's capabilities by group, what each means, what changed after STARTTLS and login", when: noArgs, run: (*Shell).capsHelper},
		"login": {usage: "login USER", summary: "asks for USER's password without echo, then logs in (AUTHENTICATE PLAIN or LOGIN)",
			when: plainUserName, run: (*Shell).loginHelper},
		"whereis": {usage: "whereis UID", summary: "sequence number, flags, size, date, From and Subject of the message with that UID", run: (*Shell).whereisHelper},
		"uids":    {usage: "uids SEQSET", summary: "table of sequence numbers and UIDs, e.g. uids 1040:1050", run: (*Shell).uidsHelper},
		"probe":   {usage: "probe UID", summary: "tries each part of the message and says which the server delivers", run: (*Shell).probeHelper},
		"save":    {usage: "save UID FILE [--force]", summary: "writes the raw message (BODY.PEEK[]) to FILE, streamed, checked against RFC822.SIZE", run: (*Shell).saveHelper},
		"kill":    {usage: "kill [--yes] [--force] UID", summary: "deletes exactly that message and no other (asks first)", run: (*Shell).killHelper},
		"check":   {usage: "check", summary: "the protocol watchdog's report: each rule of IMAP the server broke, with the RFC and the lines, for its vendor", when: noArgs, run: (*Shell).checkHelper, lower: true},
		"tour":    {usage: "tour [N|list]", summary: "a guided walk through IMAP in short steps, against the sandbox (--demo); tour N starts at step N", run: (*Shell).tourHelper, lower: true},
		"confirm": {usage: "confirm [on|off]", summary: "at the terminal, a bare EXPUNGE or CLOSE that would remove messages you did not mark shows their UIDs and asks first (on by default)", run: (*Shell).confirmHelper, lower: true},
		"quit":    {usage: "quit", summary: "logs out (LOGOUT) and exits; so does exit, and Ctrl-D", when: noArgs, run: (*Shell).quitHelper},
		"exit":    {usage: "exit", summary: "the same as quit", when: noArgs, run: (*Shell).quitHelper},
	}
}

// loginHelper logs in as USER with a password read without echo (or from
// IMAPSH_PASSWORD).
func (sh *Shell) loginHelper(args string) error {
	user := strings.TrimSpace(args)
	if sh.st.Snapshot().Conn != NotAuthenticated {
		return &lineError{"already logged in: LOGOUT and reconnect to log in as someone else"}
	}
	pass, err := sh.password(user)
	if err != nil {
		return &lineError{err.Error()}
	}
	ok, err := sh.login(user, pass)
	if err != nil {
		return err
	}
	if !ok {
		return errHelperFailed
	}
	return nil
}

func noArgs(args string) bool { return strings.TrimSpace(args) == "" }

// plainUserName decides that "login X" is the helper: X is one plain
// word. A quoted user name, a literal header ({5}, {5+}, ~{5}) or a file
// (<F) is IMAP's LOGIN with its first argument, and its continuation
// lines must reach the command, not run as commands.
func plainUserName(args string) bool {
	f := strings.Fields(args)
	if len(f) != 1 {
		return false
	}
	if _, lit := typedHeader(f[0]); lit {
		return false
	}
	return !strings.ContainsAny(f[0][:1], `"<`)
}

// quitHelper logs out; the shell ends when the server has said BYE.
func (sh *Shell) quitHelper(string) error { return sh.logout() }
