package repl

import (
	"fmt"
	"sort"
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
	// lowerOnly: only the word in lower case is the helper; in capitals
	// it is the IMAP command of that name (IDLE, ID).
	lowerOnly bool
	// offline: the helper works without a connection.
	offline bool
}

func (h helper) applies(args string) bool { return h.when == nil || h.when(args) }

var helpers map[string]helper

func init() {
	helpers = map[string]helper{
		"help": {usage: "help", summary: "this list; IMAP commands are typed as they are, tags are added for you", run: (*Shell).helpHelper, offline: true},
		"idle": {usage: idleUsage, summary: "IDLE (RFC 2177): shows new mail as it comes until Enter or DONE (or DURATION), re-issued every --renew (25m)",
			run: (*Shell).idleHelper, lowerOnly: true},
		"id": {usage: "id", summary: "sends ID (RFC 2971) with imapsh's name and version and shows the server's",
			when: noArgs, run: (*Shell).idHelper, lowerOnly: true},
		"reconnect": {usage: "reconnect", summary: "connects again with the same settings, logs in, selects the same mailbox, warns if its UIDVALIDITY changed",
			run: (*Shell).reconnectHelper, offline: true},
		"stats": {usage: "stats", summary: "octets sent and received (compressed and not), commands, round-trip times per command, session time",
			run: (*Shell).statsHelper, offline: true},
		"timestamps": {usage: "timestamps on|off", summary: "prefixes every printed line with the time since the previous one",
			run: (*Shell).timestampsHelper, offline: true},
		"login": {usage: "login USER", summary: "asks for USER's password without echo, then logs in (AUTHENTICATE PLAIN or LOGIN)",
			when: plainUserName, run: (*Shell).loginHelper},
		"whereis": {usage: "whereis UID", summary: "sequence number, flags, size, date, From and Subject of the message with that UID", run: (*Shell).whereisHelper},
		"uids":    {usage: "uids SEQSET", summary: "table of sequence numbers and UIDs, e.g. uids 1040:1050", run: (*Shell).uidsHelper},
		"probe":   {usage: "probe UID", summary: "tries each part of the message and says which the server delivers", run: (*Shell).probeHelper},
		"save":    {usage: "save UID FILE [--force]", summary: "writes the raw message (BODY.PEEK[]) to FILE, streamed, checked against RFC822.SIZE", run: (*Shell).saveHelper},
		"kill":    {usage: "kill [--yes] [--force] UID", summary: "deletes exactly that message and no other (asks first)", run: (*Shell).killHelper},
		"quit":    {usage: "quit", summary: "logs out (LOGOUT) and exits; so does exit, and Ctrl-D", when: noArgs, run: (*Shell).quitHelper, offline: true},
		"exit":    {usage: "exit", summary: "the same as quit", when: noArgs, run: (*Shell).quitHelper, offline: true},
	}
}

func (sh *Shell) helpHelper(string) error {
	names := make([]string, 0, len(helpers))
	for n := range helpers {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Type IMAP commands as they are (SELECT INBOX, FETCH 1:5 (UID FLAGS)); imapsh adds the tag.\n")
	b.WriteString("A line that starts with its own tag (a1 NOOP) is sent with that tag.\n")
	b.WriteString("Literals without counting: APPEND INBOX <file.eml, APPEND INBOX <<EOF ... EOF, or end a line in {N}.\n")
	b.WriteString("Helpers (a bare number is a UID; write #N for a sequence number):")
	for _, n := range names {
		fmt.Fprintf(&b, "\n  %-28s %s", helpers[n].usage, helpers[n].summary)
	}
	b.WriteString("\nKeys: Tab completes, Ctrl-R searches history, Ctrl-C clears the line or stops waiting, Ctrl-D logs out.")
	sh.pr.Plain("%s", b.String())
	return nil
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
	sh.keepLogin(user, pass) // asked for (or IMAPSH_PASSWORD): kept for reconnect
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

// quitHelper logs out; the shell ends when the server has said BYE. Without
// a connection it ends as at the end of input.
func (sh *Shell) quitHelper(string) error {
	if sh.disconnected() {
		return errInputEnded
	}
	return sh.logout()
}

// timestampsHelper turns the time prefixes of printed lines on or off.
func (sh *Shell) timestampsHelper(args string) error {
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "on":
		sh.term.SetTimestamps(true)
		sh.pr.Note("timestamps on: each line starts with the time since the previous one")
	case "off":
		sh.term.SetTimestamps(false)
		sh.pr.Note("timestamps off")
	default:
		return &lineError{"timestamps on|off: on prefixes every printed line with the time since the previous one"}
	}
	return nil
}
