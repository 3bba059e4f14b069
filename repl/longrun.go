package repl

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/imapsh/imapsh/repl/internal/sasl"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// longRun is what a long session needs beyond one connection: the
// keepalive, the login to repeat on reconnect, the counts of earlier
// connections for stats, and whether the loss of this one was said.
type longRun struct {
	ka    *keepalive
	stats *statsObserver
	// login is the last login imapsh made (the user and the mechanism
	// asked for, "" for its own choice), to repeat on reconnect.
	login struct {
		user, mech string
		ok         bool
	}
	// typed holds the passwords and tokens typed at a prompt this
	// session, in memory only, for reconnect; reconnecting says they may
	// be used. IMAPSH_PASSWORD, ~/.netrc and token files are read again
	// instead; a password typed in a LOGIN line is never kept.
	typed        map[typedKey]string
	reconnecting bool
	prevOctets   wire.Octets // of the connections before this one
	connects     int         // connections opened
	connectedAt  time.Time   // when the current one was
	lostSaid     *session.Session
	lostErr      error         // how the last connection ended under a command, as said
	restore      *restorePoint // what reconnect restores, until one logs in
	via          string        // how the connection goes: "" or ", through the SOCKS5 proxy ..."
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

type typedKey struct {
	user string
	need sasl.Need
}

// loggedIn records a successful login made by imapsh.
func (lr *longRun) loggedIn(user, mech string) {
	lr.login.user, lr.login.mech, lr.login.ok = user, mech, true
}

// keepTyped keeps a secret typed at a prompt.
func (lr *longRun) keepTyped(user string, need sasl.Need, secret string) {
	if lr.typed == nil {
		lr.typed = map[typedKey]string{}
	}
	lr.typed[typedKey{user, need}] = secret
}

// typedSecret returns a kept secret while reconnecting.
func (lr *longRun) typedSecret(user string, need sasl.Need) (string, bool) {
	if !lr.reconnecting {
		return "", false
	}
	s, ok := lr.typed[typedKey{user, need}]
	return s, ok
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

// offlineHelpers work without a connection; the others are refused while
// disconnected, as IMAP commands are.
var offlineHelpers = map[string]bool{
	"help": true, "explain": true, "caps": true, "check": true, "tls": true,
	"reconnect": true, "stats": true, "timestamps": true, "quit": true, "exit": true,
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
