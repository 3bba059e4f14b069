package repl

import (
	"slices"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/helpers"
)

// helperTable is every word of the shell's own, typed like a command: the
// shell's (help, login, quit, exit), which need the shell itself, and the
// poison-message toolkit (package helpers), which works through an Env.
// Helpers show the IMAP commands they send, so the user learns what
// happens. The helperTable feeds completion and help.
var helperTable []helpers.Helper

func init() {
	helperTable = append([]helpers.Helper{
		{Name: "help", Usage: "help [COMMAND|RESPONSE]", Summary: "this list; help FETCH, help EXISTS, help UIDVALIDITY explain one", Run: shellOnly((*Shell).helpHelper)},
		{Name: "explain", Usage: "explain [on|off]", Summary: "a note under each response saying what it means; alone: explains the last command's responses", Run: shellOnly((*Shell).explainHelper)},
		{Name: "caps", Usage: "caps", Summary: "the server's capabilities by group, what each means, what changed after STARTTLS and login", When: noArgs, Run: shellOnly((*Shell).capsHelper)},
		{Name: "check", Usage: "check", Summary: "the protocol watchdog's report: each rule of IMAP the server broke, with the RFC and the lines, for its vendor",
			When: noArgs, Run: shellOnly((*Shell).checkHelper), LowerOnly: true},
		{Name: "login", Usage: "login USER", Summary: "asks for USER's password without echo (unless IMAPSH_PASSWORD or ~/.netrc has it), then logs in (SCRAM, PLAIN, LOGIN)",
			RFC:  []string{"RFC 9051 6.2.2", "6.2.3", "RFC 4616", "RFC 5802", "RFC 7677"},
			When: plainUserName, Run: shellOnly((*Shell).loginHelper)},
		{Name: "authenticate", Usage: "authenticate MECH [USER]", Summary: "logs in with that SASL mechanism (SCRAM-SHA-256, PLAIN, CRAM-MD5, XOAUTH2 ...), each step shown and explained; AUTHENTICATE in capitals goes to the server as typed",
			RFC: []string{"RFC 9051 6.2.2", "RFC 4422", "RFC 2195", "RFC 5802", "RFC 7628"}, LowerOnly: true, Run: shellOnly((*Shell).authenticateHelper)},
		{Name: "tls", Usage: "tls", Summary: "the TLS version, cipher suite and the server's certificate chain (names, validity, SHA-256 fingerprints), and whether it was verified",
			When: noArgs, Run: shellOnly((*Shell).tlsHelper)},
		{Name: "tour", Usage: "tour [N|list]", Summary: "a guided walk through IMAP in short steps, against the sandbox (--demo); tour N starts at step N",
			LowerOnly: true, Run: shellOnly((*Shell).tourHelper)},
		{Name: "confirm", Usage: "confirm [on|off]", Summary: "at the terminal a bare EXPUNGE or CLOSE that would remove messages you did not mark lists them and asks first",
			LowerOnly: true, Run: shellOnly((*Shell).confirmHelper)},
		{Name: "idle", Usage: idleUsage, Summary: "IDLE: shows new mail and changes as they come until Enter or DONE (or DURATION), renewed every --renew (25m); IDLE in capitals is the command as typed",
			RFC: []string{"RFC 9051 6.3.13", "RFC 2177"}, LowerOnly: true, Run: shellOnly((*Shell).idleHelper)},
		{Name: "id", Usage: "id", Summary: "sends ID with imapsh's name and version and shows the server's, field by field",
			RFC: []string{"RFC 2971"}, When: noArgs, LowerOnly: true, Run: shellOnly((*Shell).idHelper)},
		{Name: "reconnect", Usage: "reconnect", Summary: "connects again with the same settings, logs in, selects the same mailbox, warns if its UIDVALIDITY changed",
			Run: shellOnly((*Shell).reconnectHelper)},
		{Name: "stats", Usage: "stats", Summary: "octets sent and received (compressed and not), commands, round-trip times per command, session time",
			Run: shellOnly((*Shell).statsHelper)},
		{Name: "timestamps", Usage: "timestamps on|off", Summary: "prefixes every printed line with the time since the previous one",
			Run: shellOnly((*Shell).timestampsHelper)},
		{Name: "quit", Usage: "quit", Summary: "logs out (LOGOUT) and exits; so does exit, and Ctrl-D", RFC: []string{"RFC 9051 6.1.3"},
			When: noArgs, Run: shellOnly((*Shell).quitHelper)},
		{Name: "exit", Usage: "exit", Summary: "the same as quit", RFC: []string{"RFC 9051 6.1.3"}, When: noArgs, Run: shellOnly((*Shell).quitHelper)},
	}, helpers.Table()...)
	slices.SortFunc(helperTable, func(a, b helpers.Helper) int { return strings.Compare(a.Name, b.Name) })
}

// shellOnly makes a helper's Run from a method of the shell: the helpers
// that log in or out run on the shell's own Env only.
func shellOnly(f func(sh *Shell, args string) error) func(helpers.Env, string) error {
	return func(env helpers.Env, args string) error { return f(env.(shellEnv).sh, args) }
}

// helperNamed returns the helper called name (case-insensitive).
func helperNamed(name string) (helpers.Helper, bool) {
	for _, h := range helperTable {
		if strings.EqualFold(h.Name, name) {
			return h, true
		}
	}
	return helpers.Helper{}, false
}

// loginHelper logs in as USER with the mechanism imapsh chooses and a
// password from IMAPSH_PASSWORD, ~/.netrc, or read without echo.
func (sh *Shell) loginHelper(args string) error {
	user := strings.TrimSpace(args)
	if sh.st.Snapshot().Conn != NotAuthenticated {
		return &lineError{"already logged in: LOGOUT and reconnect to log in as someone else"}
	}
	ok, err := sh.login(user, "", "")
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

// quitHelper logs out; the shell ends when the server has said BYE. Without
// a connection it ends as at the end of input.
func (sh *Shell) quitHelper(string) error {
	if sh.disconnected() {
		return errInputEnded
	}
	return sh.logout()
}
