package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/imapsh/imapsh/repl/internal/helpers"
	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/repl/internal/teach"
	"github.com/imapsh/imapsh/repl/internal/watchdog"
	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
	"golang.org/x/term"
)

// Shell is one imapsh run: a console, a connection and its state.
type Shell struct {
	cfg         Config
	con         console
	hub         *session.Hub
	term        *render.Terminal
	pr          notifier
	st          *State
	conn        *wire.Conn
	sess        *session.Session
	interactive bool
	localFailed int // helper failures and refused lines
	cont        *op // a command waiting for a continuation line from the user
	contSecret  bool
	typedCram   []byte             // the challenge of a CRAM-MD5 typed by hand (authtyped.go)
	transcript  *render.Transcript // --log, or nil
	wd          *watchdog.Watchdog // the protocol watchdog (repl/watchdog.go)
	explain     *teach.Explainer   // explain on|off (repl/teach.go)
	caps        *teach.Caps        // capabilities before and after login
	lessons     lessons            // mistakes that teach, the tour (lessons.go)
	// loginRefusal says why the last login failed, for the exit message.
	loginRefusal string
	// shield is in force while a helper puts back what it changed.
	shieldMu sync.Mutex
	shield   *shield
	ctx      context.Context
	lr       longRun // keepalive, reconnect, stats (longrun.go)
}

// Run runs imapsh with cfg. It returns nil when every command completed
// OK (or, at the terminal, when the user ended the session), ErrFailed
// when some completed NO or BAD in script mode, a *UsageError for bad
// invocations and a *ConnError or other error for connection, TLS or
// protocol failures.
func Run(ctx context.Context, cfg Config) error {
	cfg.defaults()
	sh := &Shell{cfg: cfg, ctx: ctx}
	if cfg.Interactive != nil {
		sh.interactive = *cfg.Interactive
	} else {
		f, ok := cfg.Stdin.(*os.File)
		sh.interactive = ok && term.IsTerminal(int(f.Fd()))
	}
	con, err := newConsole(sh)
	if err != nil {
		return err
	}
	sh.con = con
	defer con.Close()
	if sh.interactive {
		defer restoreOnSignal(con, func() bool { return sh.currentShield() != nil })()
	}
	sh.term = render.NewTerminal(con.Stdout(), render.Options{
		Color:        sh.useColor(),
		Summarize:    sh.interactive && !cfg.Raw,
		LiteralLimit: sh.cfg.LiteralLimit,
		// In a script the Terminal is the only writer to stdout: server
		// output is written in batches while it streams.
		Batch: !sh.interactive,
	})
	// The terminal is behind a filter that holds back the keepalive's
	// lines unless they bring news; other observers see everything.
	screen := render.NewQuietFilter(sh.term)
	sh.hub = session.NewHub(screen)
	if sh.interactive && !cfg.Raw && sh.stdoutTerminal() {
		// A status line for big literals, before the Terminal so that it
		// is erased before the Terminal prints; never in a transcript.
		sh.hub = session.NewHub(render.NewProgress(con.Stdout(), render.ProgressOptions{
			Min: max(1<<20, sh.cfg.LiteralLimit+1), Shown: 2048}), screen)
	}
	sh.pr = notifier{sh.hub}
	defer sh.flushOutput()
	sh.initLongRun()
	if cfg.LogFile != "" {
		tr, err := openTranscript(cfg.LogFile, cfg.LogSecrets)
		if err != nil {
			return err
		}
		defer tr.Close()
		sh.hub.Add(tr)
		sh.transcript = tr
		if cfg.LogSecrets {
			sh.pr.Warn("--log-secrets: %s records passwords and tokens as sent; do not share it", cfg.LogFile)
		}
	}
	sh.startWatchdog()
	sh.setupTeach()
	sh.setupLessons()

	pass := cfg.Password
	if cfg.Demo {
		sh.demoWelcome() // lessons.go
	}
	sh.st = session.NewState(sh.cfg.Host)
	if err := sh.connect(ctx); err != nil {
		return err
	}
	defer sh.sess.Close() // closing is ours: no warning
	if err := sh.startLogin(pass); err != nil {
		return err
	}
	if err := sh.afterLogin(); err != nil {
		return err
	}
	if sh.cfg.Mailbox != "" && sh.st.Snapshot().Conn == Authenticated {
		q, err := sh.mailboxArg(sh.cfg.Mailbox)
		if err != nil {
			return &UsageError{fmt.Sprintf("the mailbox %q in the URL needs a literal: select it in the shell instead", sh.cfg.Mailbox)}
		}
		if _, err := sh.exec(&Command{Text: "SELECT " + q}); err != nil {
			return err
		}
	}
	if err := sh.loop(); err != nil {
		return err
	}
	// At the terminal the user saw each failure and chose to end the
	// session: that is a success (as psql has it). Scripts report them,
	// and with --strict the server's violations too.
	if sh.strictFailed() || !sh.interactive && (sh.sess.Failed() > 0 || sh.localFailed > 0) {
		return ErrFailed
	}
	return nil
}

func (c *Config) defaults() {
	if c.Stdin == nil {
		c.Stdin = os.Stdin
	}
	if c.Stdout == nil {
		c.Stdout = os.Stdout
	}
	if c.Stderr == nil {
		c.Stderr = os.Stderr
	}
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	if c.TagPrefix == "" {
		c.TagPrefix = "a"
	}
	if c.Timeout == 0 {
		c.Timeout = 15 * time.Second
	}
	if c.LiteralLimit == 0 {
		c.LiteralLimit = 64 << 10
	}
	if c.Port == 0 {
		c.Port = 993
		if c.Security != wire.ImplicitTLS {
			c.Port = 143
		}
	}
}

// useColor decides color once: --color always/never, or auto: NO_COLOR
// unset, TERM not dumb and stdout a terminal.
func (sh *Shell) useColor() bool {
	switch sh.cfg.Color {
	case "always":
		return true
	case "never":
		return false
	}
	if sh.cfg.Getenv("NO_COLOR") != "" || sh.cfg.Getenv("TERM") == "dumb" {
		return false
	}
	return sh.stdoutTerminal()
}

// stdoutTerminal reports whether stdout is a terminal.
func (sh *Shell) stdoutTerminal() bool {
	f, ok := sh.cfg.Stdout.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// loop reads and runs lines until end of input, LOGOUT, or a lost connection.
func (sh *Shell) loop() error {
	for {
		if sh.sess.LogoutSent() && sh.st.Snapshot().Conn == LoggedOut {
			// After the LOGOUT the user asked for, the server closes the
			// connection.
			select {
			case <-sh.sess.Closed():
			case <-time.After(sh.cfg.Timeout):
			}
			sh.noteUnread()
			return nil
		}
		if err := sh.closedErr(); err != nil {
			if !sh.interactive {
				return err
			}
			// At the terminal the shell outlives the connection: the
			// prompt says so, and reconnect opens a new one.
			sh.sayLost()
		}
		var line string
		var err error
		if sh.cont != nil && sh.contSecret && sh.interactive {
			// An answer to an authentication challenge is a secret.
			line, err = sh.con.ReadPassword("+ ")
		} else {
			if sh.cont == nil {
				sh.lr.ka.arm()
			}
			line, err = sh.con.ReadLine(sh.prompt())
			sh.lr.ka.disarm()
		}
		switch {
		case errors.Is(err, errInterrupt), errors.Is(err, errWoken):
			// Woken: the connection ended; the next turn says so.
			continue
		case errors.Is(err, io.EOF):
			err = sh.endOfInput()
		case err == nil:
			sh.remember(line)
			err = sh.handle(line)
			switch {
			case err == nil:
				continue
			case errors.Is(err, errInputEnded):
				err = sh.endOfInput()
			case sh.interactive && sh.disconnected() && !errors.Is(err, errLoggedOut):
				// The connection ended under the command: said, and the
				// shell stays for a reconnect.
				sh.pr.Error("%s", err.Error())
				sh.lr.lostErr = err
				continue
			}
		}
		if errors.Is(err, errLoggedOut) {
			return nil
		}
		return err
	}
}

// closedErr reports a connection that has ended: nil after a LOGOUT the
// user asked for, a *ConnError otherwise.
func (sh *Shell) closedErr() error {
	if !sh.sess.IsClosed() {
		return nil
	}
	err := sh.sess.Err()
	if sh.sess.LogoutSent() && errors.Is(err, ErrClosed) {
		return errLoggedOut
	}
	if errors.Is(err, ErrClosed) {
		return &ConnError{errors.New("the server closed the connection")}
	}
	if errors.Is(err, wire.ErrLineTooLong) {
		return &ConnError{fmt.Errorf("protocol error: %w: the server sent a response line over imapsh's limit of %d bytes (literals not counted), and the connection is closed; if you trust this server, reconnect with a larger --max-line", err, sh.cfg.maxLine())}
	}
	if errors.Is(err, wire.ErrLiteralTooLarge) {
		return &ConnError{fmt.Errorf("protocol error: %w; the connection is closed", err)}
	}
	if errors.Is(err, wire.ErrSyntax) {
		return &ConnError{fmt.Errorf("protocol error: %w (the server sent a response imapsh cannot parse; the connection is closed)", err)}
	}
	return &ConnError{fmt.Errorf("connection lost: %w", err)}
}

var errLoggedOut = errors.New("logged out")

// endOfInput ends the session at the end of input: LOGOUT, unless the
// connection has ended already (then its loss is the result).
func (sh *Shell) endOfInput() error {
	if cerr := sh.closedErr(); cerr != nil {
		if sh.lr.lostErr != nil && !errors.Is(cerr, errLoggedOut) {
			return sh.lr.lostErr // the reason given when it happened
		}
		return cerr
	}
	return sh.logout()
}

// logout ends the session cleanly at the end of input.
func (sh *Shell) logout() error {
	if sh.cont != nil {
		// An IDLE or AUTHENTICATE is waiting for a line; end it politely.
		sh.pr.Note("end of input while %s waits for a continuation line: sending %s", sh.cont.Tag, endLine(sh.cont))
		sh.sess.SendLine(sh.cont, endLine(sh.cont), "")
		select {
		case <-sh.cont.Done():
		case <-sh.sess.Closed():
		case <-time.After(sh.cfg.Timeout):
			sh.pr.Warn("%s did not complete within %v after %s; logging out anyway", sh.cont.Tag, sh.cfg.Timeout, endLine(sh.cont))
		}
		sh.cont = nil
	}
	if sh.st.Snapshot().Conn == LoggedOut {
		return nil
	}
	_, err := sh.exec(&Command{Text: "LOGOUT", Internal: true})
	if errors.Is(err, errLoggedOut) {
		return nil
	}
	return err
}

// handle runs one input line. It returns an error only when the session
// cannot go on.
func (sh *Shell) handle(line string) error {
	if i := strings.IndexAny(line, "\r\x00"); i >= 0 {
		err := &lineError{fmt.Sprintf("the line holds a %s octet (at %d), which IMAP does not allow in a command line: nothing was sent (such data goes in a literal: <FILE or {N})",
			map[byte]string{'\r': "CR", 0: "NUL"}[line[i]], i+1)}
		if sh.cont != nil {
			err.msg += "; the server is still waiting for a line for " + sh.cont.Tag
		}
		return sh.localResult(err)
	}
	line, skip := sh.unpaste(line) // a line pasted from a transcript (paste.go)
	if skip {
		return nil
	}
	if sh.cont != nil {
		return sh.continueWith(line)
	}
	trimmed := strings.TrimSpace(line)
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return nil
	}
	word, args := trimmed, ""
	if i := strings.IndexAny(trimmed, " \t"); i >= 0 {
		word, args = trimmed[:i], trimmed[i+1:]
	}
	if h, ok := helperNamed(word); ok && h.Applies(args) && h.TypedAs(word) {
		if !offlineHelpers[h.Name] && sh.disconnected() {
			return sh.localResult(sh.errNotConnected(word))
		}
		err := h.Run(shellEnv{sh}, strings.TrimSpace(args))
		return sh.localResult(err)
	}
	if sh.disconnected() {
		return sh.localResult(sh.errNotConnected("the command"))
	}
	tag, text := tagger.Split(trimmed, wire.IsCommand)
	if tag != "" {
		if err := tagger.Valid(tag); err != nil {
			return sh.localResult(&lineError{err.Error()})
		}
	}
	return sh.localResult(sh.command(tag, text))
}

// lineError is a mistake in one input line: reported, counted as a failure,
// and the session goes on.
type lineError struct{ msg string }

func (e *lineError) Error() string { return e.msg }

// localResult reports a helper's or a line's own failure and decides
// whether the session can go on.
func (sh *Shell) localResult(err error) error {
	if err == nil {
		return nil
	}
	var le *lineError
	if errors.As(err, &le) {
		sh.pr.Error("%s", le.msg)
		sh.localFailed++
		return nil
	}
	var hle *helpers.LineError
	if errors.As(err, &hle) {
		sh.pr.Error("%s", hle.Msg)
		sh.localFailed++
		return nil
	}
	if errors.Is(err, errHelperFailed) || errors.Is(err, helpers.ErrFailed) {
		sh.localFailed++
		return nil
	}
	var ce *ConnError
	if errors.As(err, &ce) {
		return err
	}
	if cerr := sh.closedErr(); cerr != nil {
		return cerr
	}
	return err
}

// errHelperFailed is returned by a helper that reported its own failure.
var errHelperFailed = errors.New("helper failed")

// refused lists commands the shell does not pass through, and why.
var refused = map[string]string{
	"STARTTLS": "STARTTLS must happen before anything else: reconnect with --starttls (or imap://HOST)",
}

// command sends an IMAP command typed by the user, with any literals it
// names.
func (sh *Shell) command(tag, text string) error {
	name, args := commandName(text)
	if why, ok := refused[name]; ok {
		return &lineError{fmt.Sprintf("%s is not sent: %s", name, why)}
	}
	if name == "COMPRESS" {
		if err := sh.checkCompress(args); err != nil {
			return err
		}
	}
	text, err := sh.encodeTyped(text)
	if err != nil {
		return err
	}
	if ok, err := sh.beforeSend(name, text); !ok || err != nil { // lessons.go
		return err
	}
	plan, err := sh.planLiterals(text)
	if err != nil {
		if h, ok := typedHeader(text); ok {
			sh.skipTypedInput(h.n)
		}
		return err
	}
	return sh.sendPlan(tag, plan)
}

// remember adds a typed line to the history with its secrets replaced.
// Lines typed in answer to an authentication challenge are stored as a
// placeholder only.
func (sh *Shell) remember(line string) {
	if sh.cont != nil && sh.contSecret {
		sh.con.Remember("[hidden: answer to an authentication challenge]")
		return
	}
	if sh.cont == nil {
		sh.con.Remember(redact(line))
	}
}

// noteUnread says, in script mode, how many lines after a LOGOUT or quit
// were not run.
func (sh *Shell) noteUnread() {
	if sh.interactive {
		return
	}
	n := 0
	for {
		line, err := sh.con.ReadLine("")
		if err != nil {
			break
		}
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			n++
		}
	}
	if n > 0 {
		sh.pr.Note("the session ended before the last %d line(s) of the script: they were not run", n)
	}
}

// endLine is the line that ends a command waiting for a continuation line:
// "*" cancels an AUTHENTICATE exchange, DONE ends IDLE.
func endLine(o *op) string {
	if o.Name == "AUTHENTICATE" {
		return "*"
	}
	return "DONE"
}
