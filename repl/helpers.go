package repl

import (
	"fmt"
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
		{Name: "help", Usage: "help", Summary: "this list; IMAP commands are typed as they are, tags are added for you", Run: shellOnly((*Shell).helpHelper)},
		{Name: "login", Usage: "login USER", Summary: "asks for USER's password without echo, then logs in (AUTHENTICATE PLAIN or LOGIN)",
			RFC:  []string{"RFC 9051 6.2.2", "6.2.3", "RFC 4616"},
			When: func(args string) bool { return len(strings.Fields(args)) == 1 }, Run: shellOnly((*Shell).loginHelper)},
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

func (sh *Shell) helpHelper(string) error {
	var b strings.Builder
	b.WriteString("Type IMAP commands as they are (SELECT INBOX, FETCH 1:5 (UID FLAGS)); imapsh adds the tag.\n")
	b.WriteString("A line that starts with its own tag (a1 NOOP) is sent with that tag.\n")
	b.WriteString("Literals without counting: APPEND INBOX <file.eml, APPEND INBOX <<EOF ... EOF, or end a line in {N}.\n")
	b.WriteString("Helpers (a bare number is a UID; write #N for a sequence number):")
	w := 0
	for _, h := range helperTable {
		w = max(w, len(h.Usage))
	}
	for _, h := range helperTable {
		fmt.Fprintf(&b, "\n  %-*s  %s", w, h.Usage, h.Summary)
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
	return nil
}

func noArgs(args string) bool { return strings.TrimSpace(args) == "" }

// quitHelper logs out; the shell ends when the server has said BYE.
func (sh *Shell) quitHelper(string) error { return sh.logout() }
