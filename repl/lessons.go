package repl

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/teach"
	"github.com/imapsh/imapsh/wire"
)

// Mistakes that teach: what the shell says before it sends a command that
// is in the wrong state, or an EXPUNGE that would remove more than the
// user marked. Pasting (paste.go), literal counts (typedmsg.go) and the
// tour (tour.go) are the other lessons.

// lessons is the shell's state for the lessons.
type lessons struct {
	noConfirm bool         // confirm off: a bare EXPUNGE or CLOSE does not ask
	marks     *markTracker // \Deleted set by typed STORE commands
	tour      *tourState   // the tour, once started
	// indent is the leading blank of the last input line, which the
	// lines of a literal pasted with it lose too (paste.go).
	indent string
	// pre is an APPEND's typed message, read before the command is sent
	// (typedmsg.go).
	pre *preRead
}

// setupLessons adds the observers the lessons need.
func (sh *Shell) setupLessons() {
	sh.lessons.marks = newMarkTracker()
	sh.hub.Add(sh.lessons.marks)
}

// demoWelcome is what --demo says first.
func (sh *Shell) demoWelcome() {
	sh.pr.Note("imapsh demo: a sandbox IMAP server inside this process on %s, with sample mail.", sh.cfg.addr())
	sh.pr.Note("Nothing here touches a real account. New to IMAP? Type tour for a guided walk.")
	sh.pr.Note("Or try LIST \"\" \"*\", SELECT INBOX, FETCH 1:* (UID FLAGS); in SELECT Poison,")
	sh.pr.Note("whereis UID, probe UID, kill UID. help lists the rest.")
	if sh.cfg.User == "" && sh.cfg.DemoUser != "" {
		sh.pr.Note("You are not logged in (--login-yourself). The sandbox's user is %s, its password %s.", sh.cfg.DemoUser, sh.cfg.DemoPassword)
		sh.pr.Note("Log in with LOGIN %s %s, AUTHENTICATE PLAIN or AUTHENTICATE CRAM-MD5 (CAPABILITY lists them).", sh.cfg.DemoUser, sh.cfg.DemoPassword)
	}
}

// beforeSend runs the checks on a typed command before it is sent: a note
// when the command is not valid in the present state (it is still sent, so
// the user sees the server's answer), and at the terminal the EXPUNGE
// guard. ok is false when the user chose not to send it.
func (sh *Shell) beforeSend(name, text string) (ok bool, err error) {
	sh.stateNote(name)
	_, args := commandName(text)
	if (name == "EXPUNGE" || name == "CLOSE") && strings.TrimSpace(args) == "" {
		return sh.confirmExpunge(name)
	}
	return true, nil
}

// stateNote says, before a command goes, which state it needs when the
// session is not in it (FETCH before SELECT).
func (sh *Shell) stateNote(name string) {
	if sh.cont != nil {
		return
	}
	c, known := teach.LookupCommand(name)
	if !known {
		return
	}
	conn := sh.st.Snapshot().Conn
	var need string
	switch {
	case conn == LoggedOut:
		return
	case c.State == teach.Selected && conn != Selected:
		need = fmt.Sprintf("%s works on the messages of a selected mailbox, and none is selected: SELECT (or EXAMINE) one first", name)
	case c.State == teach.Authenticated && conn == NotAuthenticated:
		need = fmt.Sprintf("%s is valid only after login, and you are not logged in: LOGIN (or AUTHENTICATE) first", name)
	case c.State == teach.NotAuthenticated && conn != NotAuthenticated:
		need = fmt.Sprintf("%s is valid only before login, and you are logged in", name)
	default:
		return
	}
	sh.pr.Note("%s. Sent anyway, so you see how the server answers.", need)
}

// confirmExpunge is the EXPUNGE guard: at the terminal, before a bare
// EXPUNGE or CLOSE in a mailbox open read-write, it asks the server which
// messages carry \Deleted (UID SEARCH DELETED) and, when some were not
// marked by the user's own STORE commands since the mailbox was selected,
// shows their UIDs and asks. Never in a script; confirm off turns it off.
func (sh *Shell) confirmExpunge(name string) (bool, error) {
	snap := sh.st.Snapshot()
	if !sh.interactive || sh.lessons.noConfirm || snap.Conn != Selected || snap.ReadOnly {
		return true, nil
	}
	o, err := sh.exec(&Command{Text: "UID SEARCH DELETED", Internal: true, Collect: true})
	if err != nil {
		return false, err
	}
	if st := doneStatus(o); st.Name != "OK" {
		sh.pr.Warn("UID SEARCH DELETED was not answered OK, so imapsh cannot tell what %s would remove: it is sent as you typed it", name)
		return true, nil
	}
	var uids []uint32
	for _, r := range o.Result().Data {
		if sd, isSearch, err := wire.ParseSearch(r.Raw); isSearch && err == nil && (!sd.ESearch || sd.Tag == "" || sd.Tag == o.Tag) {
			uids = append(uids, sd.All...)
		}
	}
	mine, known := sh.lessons.marks.count()
	if len(uids) == 0 || known && len(uids) <= mine {
		return true, nil
	}
	what, instead := "removes every message marked \\Deleted", "To remove one message only, use kill UID."
	if name == "CLOSE" {
		what = "closes the mailbox and silently removes every message marked \\Deleted"
		instead = "UNSELECT closes it and removes nothing."
	}
	whose := "none of them by a STORE you typed since the mailbox was selected"
	switch {
	case !known:
		whose = "imapsh cannot tell which of them you marked (a STORE .SILENT gives no answer to count)"
	case mine == 1:
		whose = "you marked 1 of them since the mailbox was selected; the others were marked before, by you or another client"
	case mine > 1:
		whose = fmt.Sprintf("you marked %d of them since the mailbox was selected; the others were marked before, by you or another client", mine)
	}
	sh.pr.Warn("%s %s in %s, for good: %s (%s). %s",
		name, what, displayMailbox(snap.Mailbox), uidList(uids), whose, instead)
	answer, err := sh.con.ReadLine(fmt.Sprintf("remove these %d messages with %s? type yes to go on (confirm off stops asking): ", len(uids), name))
	if err != nil || !strings.EqualFold(strings.TrimSpace(answer), "yes") {
		sh.pr.Note("%s was not sent; nothing was removed.", name)
		return false, nil
	}
	return true, nil
}

// uidList writes UIDs for a person: "UID 22" or "UIDs 12, 13 and 22".
func uidList(uids []uint32) string {
	if len(uids) == 1 {
		return fmt.Sprintf("UID %d", uids[0])
	}
	parts := make([]string, len(uids))
	for i, u := range uids {
		parts[i] = fmt.Sprint(u)
	}
	if len(parts) > 20 {
		parts = append(parts[:20], fmt.Sprintf("... (%d in all)", len(uids)))
		return "UIDs " + strings.Join(parts, ", ")
	}
	return "UIDs " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// confirmHelper turns the EXPUNGE guard on or off.
func (sh *Shell) confirmHelper(args string) error {
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "on":
		sh.lessons.noConfirm = false
		sh.pr.Note("confirm is on: at the terminal a bare EXPUNGE or CLOSE that would remove messages you did not mark asks first.")
	case "off":
		sh.lessons.noConfirm = true
		sh.pr.Note("confirm is off: EXPUNGE and CLOSE go as typed.")
	case "":
		state := "on"
		if sh.lessons.noConfirm {
			state = "off"
		}
		sh.pr.Note("confirm is %s (confirm on|off).", state)
	default:
		return &lineError{"confirm takes on or off"}
	}
	return nil
}
