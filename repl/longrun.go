package repl

import (
	"errors"
	"fmt"
	"time"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// longRun is what a long session needs beyond one connection: the
// keepalive, the login to repeat on reconnect, the counts of earlier
// connections for stats, and whether the loss of this one was said.
type longRun struct {
	ka    *keepalive
	stats *statsObserver
	// kept is the login to repeat on reconnect. The password is kept in
	// memory only when it came from IMAPSH_PASSWORD or a prompt of this
	// session (or the demo), never from a typed LOGIN line.
	kept struct {
		user, pass string
		ok         bool
	}
	prevOctets  wire.Octets // of the connections before this one
	connects    int         // connections opened
	connectedAt time.Time   // when the current one was
	lostSaid    *session.Session
	lostErr     error         // how the last connection ended under a command, as said
	restore     *restorePoint // what reconnect restores, until one logs in
	via         string        // how the connection goes: "" or ", through the SOCKS5 proxy ..."
}

// Defaults for a long session.
const (
	defaultKeepalive      = 4 * time.Minute  // at the terminal
	defaultCommandTimeout = 10 * time.Minute // in script mode
	defaultIdleRenew      = 25 * time.Minute // idle --renew
)

// initLongRun sets up the stats observer and the keepalive; call it once
// the hub exists.
func (sh *Shell) initLongRun() {
	sh.lr.stats = newStatsObserver(time.Now)
	sh.hub.Add(sh.lr.stats)
	every := time.Duration(0)
	switch {
	case sh.cfg.Keepalive != nil:
		every = *sh.cfg.Keepalive
	case sh.interactive:
		every = defaultKeepalive
	}
	sh.lr.ka = &keepalive{sh: sh, every: every}
}

// commandTimeout is the --command-timeout in effect.
func (sh *Shell) commandTimeout() time.Duration {
	switch {
	case sh.cfg.CommandTimeout != nil:
		return *sh.cfg.CommandTimeout
	case sh.interactive:
		return 0
	}
	return defaultCommandTimeout
}

// keepLogin records a successful login for reconnect.
func (sh *Shell) keepLogin(user, pass string) {
	sh.lr.kept.user, sh.lr.kept.pass, sh.lr.kept.ok = user, pass, true
}

// afterLogin does what the flags ask for right after login: ID (--id),
// then COMPRESS=DEFLATE (--compress).
func (sh *Shell) afterLogin() error {
	if sh.st.Snapshot().Conn == NotAuthenticated {
		return nil
	}
	if sh.cfg.SendID {
		if err := sh.sendID(true); err != nil && !isLineError(err) {
			return err
		}
	}
	if sh.cfg.Compress {
		if err := sh.startCompress(); err != nil && !isLineError(err) {
			return err
		}
	}
	return nil
}

func isLineError(err error) bool {
	var le *lineError
	return errors.As(err, &le) || errors.Is(err, errHelperFailed)
}

// disconnected reports whether the connection has ended without a LOGOUT
// the user asked for.
func (sh *Shell) disconnected() bool {
	return sh.sess.IsClosed() && !(sh.sess.LogoutSent() && sh.st.Snapshot().Conn == LoggedOut)
}

// sayLost tells, once per connection, that the connection is gone and what
// to do; the terminal has already shown why (the Closed event).
func (sh *Shell) sayLost() {
	if sh.lr.lostSaid == sh.sess {
		return
	}
	sh.lr.lostSaid = sh.sess
	sh.pr.Note("not connected: type reconnect to connect again with the same settings (and log in and select as before), or Ctrl-D to leave")
}

// errNotConnected is the answer to a command typed while disconnected.
func (sh *Shell) errNotConnected(what string) error {
	why := "the connection has ended"
	if err := sh.closedErr(); err != nil && !errors.Is(err, errLoggedOut) {
		why = err.Error()
	}
	return &lineError{fmt.Sprintf("%s was not sent: not connected (%s); type reconnect first", what, why)}
}
