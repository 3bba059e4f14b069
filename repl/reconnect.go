package repl

import (
	"fmt"
	"strings"
	"time"
)

// reconnectHelper dials again with the same settings (TLS, STARTTLS,
// proxy), logs in again as the same user, turns back on what was on (ID,
// COMPRESS, the ENABLEd extensions) and selects the same mailbox, then
// warns if its UIDVALIDITY changed: every UID noted before means nothing
// then. A connection still open is closed first, without LOGOUT.
func (sh *Shell) reconnectHelper(args string) error {
	if strings.TrimSpace(args) != "" {
		return &lineError{"reconnect takes no arguments: it connects again with the settings imapsh was started with"}
	}
	// What to restore is taken at the first attempt after a loss: a failed
	// attempt forgets the state, and the next one restores the same.
	if sh.lr.restore == nil {
		sh.lr.restore = &restorePoint{sh.st.Snapshot(), sh.st.Enabled()}
	}
	before, enabled := sh.lr.restore.snap, sh.lr.restore.enabled
	if !sh.sess.IsClosed() {
		sh.pr.Note("closing this connection (without LOGOUT) to open a new one")
		sh.sess.Close()
	}
	if sh.conn != nil {
		sh.lr.prevOctets = sh.lr.prevOctets.Add(sh.conn.Octets())
		sh.conn = nil
	}
	sh.st.Reset()
	old := sh.sess
	if err := sh.connect(sh.ctx); err != nil {
		// A session that failed on its way up was never run: go back to
		// the closed one, so the shell knows it is not connected.
		sh.sess, sh.conn = old, nil
		return &lineError{fmt.Sprintf("reconnect failed: %v; type reconnect to try again", err)}
	}
	if err := sh.loginAgain(before.User); err != nil {
		return err
	}
	sh.lr.restore = nil // connected and logged in: a later loss starts afresh
	if err := sh.afterLogin(); err != nil {
		return err
	}
	if len(enabled) > 0 && sh.st.Snapshot().Conn != NotAuthenticated {
		if _, err := sh.exec(&Command{Text: "ENABLE " + strings.Join(enabled, " "), Internal: true}); err != nil {
			return err
		}
	}
	// The mailbox is kept through a BYE (a server going down says one).
	if before.Mailbox == "" || sh.st.Snapshot().Conn == NotAuthenticated {
		return nil
	}
	return sh.reselect(before)
}

// restorePoint is what reconnect restores: the state before the loss.
type restorePoint struct {
	snap    Snapshot
	enabled []string
}

// loginAgain logs in as user (the one logged in before) as imapsh did
// before: the same mechanism, with a password or token from where it came
// (IMAPSH_PASSWORD, ~/.netrc, a token file, or the one typed at a prompt
// this session, kept in memory); one typed in a LOGIN line was not kept,
// so it is asked for. A user whose name is unknown (a typed AUTHENTICATE)
// is told to log in by hand.
func (sh *Shell) loginAgain(user string) error {
	if sh.st.Snapshot().Conn != NotAuthenticated {
		return nil // PREAUTH
	}
	mech := ""
	if sh.lr.login.ok && (user == "" || user == sh.lr.login.user) {
		user, mech = sh.lr.login.user, sh.lr.login.mech
	}
	if user == "" {
		sh.pr.Note("connected; no login was made before (or its user is unknown): log in as before")
		return nil
	}
	sh.lr.reconnecting = true
	ok, err := sh.login(user, mech, sh.cfg.Password)
	sh.lr.reconnecting = false
	if err != nil {
		return err
	}
	if !ok {
		return &lineError{fmt.Sprintf("reconnected, but the login as %s failed: %s", user, sh.loginRefusal)}
	}
	return nil
}

// reselect selects the mailbox that was selected before the connection
// was lost, as it was (SELECT or EXAMINE), and compares its UIDVALIDITY.
func (sh *Shell) reselect(before Snapshot) error {
	arg, err := sh.mailboxArg(before.Mailbox)
	if err != nil {
		return err
	}
	verb := "SELECT"
	if before.ReadOnly {
		verb = "EXAMINE"
	}
	h, err := sh.execHead(&Command{Text: verb + " " + arg})
	if err != nil {
		return err
	}
	name := shownMailbox(before.Mailbox, before.UTF8)
	if h.Name != "OK" {
		if h.Name != "" {
			sh.pr.Warn("%s could not be selected again (%s): it may have been deleted or renamed; you are logged in with no mailbox selected", name, h.Name)
		}
		return nil
	}
	after := sh.st.Snapshot()
	switch {
	case before.UIDValidity != 0 && after.UIDValidity != before.UIDValidity:
		sh.pr.Warn("the UIDVALIDITY of %s changed from %d to %d: every UID noted before the reconnect means nothing now (the mailbox was recreated, or the server rebuilt its index); look the messages up again", name, before.UIDValidity, after.UIDValidity)
	case before.UIDValidity != 0:
		sh.pr.Note("%s selected again: UIDVALIDITY %d unchanged, so UIDs noted before still hold; %d messages (%d before)", name, after.UIDValidity, after.Exists, before.Exists)
	default:
		sh.pr.Note("%s selected again; the server gave no UIDVALIDITY before, so UIDs cannot be compared", name)
	}
	return nil
}

// connected records a new connection for stats.
func (sh *Shell) connected() {
	sh.lr.connects++
	sh.lr.connectedAt = time.Now()
	sh.lr.lostErr = nil
}
