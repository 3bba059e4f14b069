package repl

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/imapsh/imapsh/repl/internal/term"
	"github.com/imapsh/imapsh/wire"
)

// ConnError is a failure to connect, negotiate TLS or speak IMAP: exit
// status 2.
type ConnError struct{ Err error }

func (e *ConnError) Error() string { return e.Err.Error() }
func (e *ConnError) Unwrap() error { return e.Err }

func connErr(format string, args ...any) error {
	return &ConnError{fmt.Errorf(format, args...)}
}

// tlsConfig builds the TLS configuration: system roots (plus --ca),
// verification of the host name, SNI.
func (sh *Shell) tlsConfig() (*tls.Config, error) {
	cfg := &tls.Config{ServerName: sh.cfg.Host, MinVersion: tls.VersionTLS12}
	if sh.cfg.CAFile != "" {
		pem, err := os.ReadFile(sh.cfg.CAFile)
		if err != nil {
			return nil, &UsageError{fmt.Sprintf("--ca: %v", err)}
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &UsageError{fmt.Sprintf("--ca %s: no PEM certificate found in the file", sh.cfg.CAFile)}
		}
		cfg.RootCAs = pool
	}
	if sh.cfg.Insecure {
		cfg.InsecureSkipVerify = true
	}
	return cfg, nil
}

// connect dials, reads the greeting, upgrades with STARTTLS when asked,
// and starts the reader goroutine.
func (sh *Shell) connect(ctx context.Context) error {
	tcfg, err := sh.tlsConfig()
	if err != nil {
		return err
	}
	dc := wire.DialConfig{Addr: sh.cfg.addr(), Security: sh.cfg.Security, TLS: tcfg, Timeout: sh.cfg.Timeout}
	switch {
	case sh.cfg.Security == wire.Plaintext && !sh.cfg.Demo:
		sh.pr.Warn("--plaintext: no TLS; the password and all mail cross the network in clear")
	case sh.cfg.Insecure:
		sh.pr.Warn("--insecure: the server's certificate is not verified; anyone on the path can read and change this session")
	}
	conn, err := wire.Dial(ctx, dc)
	if err != nil {
		return &ConnError{err}
	}
	sh.conn = conn
	sh.sess = newSession(conn, sh.pr, sh.st, sh.cfg.TagPrefix, sessionOptions{
		interactive:  sh.interactive && !sh.cfg.Raw,
		literalLimit: sh.cfg.LiteralLimit,
		captureLimit: max(sh.cfg.LiteralLimit, 1<<20),
	})
	if st := conn.TLS(); st != nil {
		sh.pr.Note("connected to %s with %s%s", dc.Addr, tls.VersionName(st.Version), sh.verifiedNote())
	} else {
		sh.pr.Note("connected to %s", dc.Addr)
	}
	// The greeting and STARTTLS must come within the connect timeout; after
	// that a session may sit idle as long as the user likes.
	if sh.cfg.Timeout > 0 {
		sh.conn.SetReadDeadline(time.Now().Add(sh.cfg.Timeout))
	}
	if err := sh.greeting(); err != nil {
		return err
	}
	if sh.cfg.Security == wire.StartTLS {
		if err := sh.startTLS(ctx, dc); err != nil {
			return err
		}
	}
	sh.conn.SetReadDeadline(time.Time{})
	sh.sess.onClose = sh.con.Wake
	sh.sess.run()
	return nil
}

func (sh *Shell) verifiedNote() string {
	if sh.cfg.Insecure {
		return ", certificate NOT verified (--insecure)"
	}
	return ", certificate verified for " + sh.cfg.Host
}

// greeting reads the server's first response under the connect timeout.
func (sh *Shell) greeting() error {
	greet, err := sh.sess.readResponse()
	if err != nil {
		return connErr("reading the greeting from %s: %w", sh.cfg.addr(), err)
	}
	switch {
	case greet.Kind == wire.Untagged && (greet.Name == "OK" || greet.Name == "PREAUTH"):
		return nil
	case greet.Name == "BYE":
		return connErr("the server refused the connection: %s", sanitize(greet.Text))
	}
	return connErr("the server's greeting is not an IMAP greeting (expected \"* OK\"): is %s an IMAP port?", sh.cfg.addr())
}

// startTLS upgrades the connection. STARTTLS is required once asked for: if
// the server does not offer it or refuses it, imapsh stops rather than go on
// in clear.
func (sh *Shell) startTLS(ctx context.Context, dc wire.DialConfig) error {
	if !sh.st.KnowsCaps() {
		if _, err := sh.sess.roundTrip(&Command{Text: "CAPABILITY", Internal: true}); err != nil {
			return connErr("asking for capabilities: %w", err)
		}
	}
	if !sh.st.Has("STARTTLS") {
		return connErr("the server does not offer STARTTLS: refusing to continue in clear (use imaps:// on port 993, or --plaintext if you really mean it)")
	}
	h, err := sh.sess.roundTrip(&Command{Text: "STARTTLS", Internal: true})
	if err != nil {
		return connErr("STARTTLS: %w", err)
	}
	if h.Name != "OK" {
		return connErr("the server refused STARTTLS (%s %s): refusing to continue in clear", h.Name, sanitize(h.Text))
	}
	dc.Security = wire.ImplicitTLS
	n, err := sh.conn.UpgradeTLS(ctx, dc)
	if err != nil {
		return &ConnError{err}
	}
	if n > 0 {
		sh.pr.Warn("discarded %d bytes the server sent after its STARTTLS OK and before TLS (possible injection attack)", n)
	}
	// Nothing learnt before TLS is trusted (RFC 9051 section 6.2.1).
	sh.st.forgetCaps()
	sh.pr.Note("TLS started with %s%s", tls.VersionName(sh.conn.TLS().Version), sh.verifiedNote())
	if _, err := sh.sess.roundTrip(&Command{Text: "CAPABILITY", Internal: true}); err != nil {
		return connErr("asking for capabilities after STARTTLS: %w", err)
	}
	return nil
}

// errNoPassword is returned when no password can be had without a terminal.
var errNoPassword = errors.New("no password: set IMAPSH_PASSWORD, or run imapsh at a terminal to be asked for it")

// password returns the password from IMAPSH_PASSWORD or asks for it without
// echo.
func (sh *Shell) password(user string) (string, error) {
	if p := sh.cfg.Getenv("IMAPSH_PASSWORD"); p != "" {
		return p, nil
	}
	p, err := sh.con.ReadPassword(fmt.Sprintf("password for %s@%s: ", user, sh.cfg.Host))
	if errors.Is(err, term.ErrNoTerminal) {
		return "", errNoPassword
	}
	return p, err
}

// ensureCaps asks for the capabilities when none are known.
func (sh *Shell) ensureCaps() error {
	if sh.st.KnowsCaps() {
		return nil
	}
	_, err := sh.exec(&Command{Text: "CAPABILITY", Internal: true})
	return err
}

// login authenticates as user with password: AUTHENTICATE PLAIN (with
// SASL-IR when offered) when the server offers AUTH=PLAIN, else LOGIN with
// arguments quoted or sent as literals as the grammar needs. It returns
// whether the server accepted.
func (sh *Shell) login(user, pass string) (bool, error) {
	if err := sh.ensureCaps(); err != nil {
		return false, err
	}
	var h wire.Head
	var err error
	gen := sh.st.capsGeneration()
	switch {
	case sh.st.Has("AUTH=PLAIN"):
		h, err = sh.authPlain(user, pass)
	case sh.st.Has("LOGINDISABLED"):
		sh.loginRefusal = "the server forbids LOGIN here (LOGINDISABLED) and offers no AUTH=PLAIN: connect with TLS (imaps:// or --starttls)"
		sh.pr.Error("%s", sh.loginRefusal)
		return false, nil
	default:
		h, err = sh.loginCommand(user, pass)
	}
	if err != nil || h.Name != "OK" {
		sh.loginRefusal = "the server answered " + sanitize(statusText(h))
		if h.Name == "" {
			sh.loginRefusal = "no answer"
		}
		return false, err
	}
	sh.st.setUser(user)
	// Servers may change their capabilities after login (Gmail does): ask
	// again unless the server told us already.
	if sh.st.capsGeneration() == gen {
		_, err = sh.exec(&Command{Text: "CAPABILITY", Internal: true})
	}
	return true, err
}

func (sh *Shell) authPlain(user, pass string) (wire.Head, error) {
	ir := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
	if sh.st.Has("SASL-IR") || sh.st.Has("IMAP4REV2") {
		return sh.execHead(&Command{Text: "AUTHENTICATE PLAIN " + ir, Display: "AUTHENTICATE PLAIN [credentials hidden]"})
	}
	o, err := sh.sess.start(&Command{Text: "AUTHENTICATE PLAIN"})
	if err != nil {
		return wire.Head{}, err
	}
	if sh.sess.wait(o, true, nil) == waitContinue {
		if err := sh.sess.sendMore(ir, "[credentials hidden]"); err != nil {
			return wire.Head{}, err
		}
	}
	return sh.finishOp(o)
}

func (sh *Shell) loginCommand(user, pass string) (wire.Head, error) {
	u, uok := wire.Quote(user)
	p, pok := wire.Quote(pass)
	if uok && pok {
		return sh.execHead(&Command{Text: "LOGIN " + u + " " + p, Display: "LOGIN " + u + " [password hidden]"})
	}
	// Send what cannot be quoted as literals.
	args := []struct {
		q, raw string
		ok     bool
	}{{u, user, uok}, {p, pass, pok}}
	text := "LOGIN"
	var o *op
	for i, a := range args {
		if a.ok {
			text += " " + a.q
			continue
		}
		text += " " + sh.literalHeader(int64(len(a.raw)), false)
		var err error
		if o == nil {
			o, err = sh.sess.start(&Command{Text: text})
		} else {
			err = sh.sess.sendMore(text, text)
		}
		if err != nil {
			return wire.Head{}, err
		}
		if !sh.litNonSync(text) && sh.sess.wait(o, true, nil) != waitContinue {
			return sh.finishOp(o)
		}
		desc := "user name"
		if i == 1 {
			desc = "password, hidden"
		}
		if err := sh.sess.sendLiteral(strings.NewReader(a.raw), int64(len(a.raw)), desc); err != nil {
			return wire.Head{}, err
		}
		text = ""
	}
	if o == nil {
		return wire.Head{}, errors.New("login: nothing to send")
	}
	shown := text
	if pok && text != "" {
		shown = " [password hidden]"
	}
	if err := sh.sess.sendMore(text, shown); err != nil {
		return wire.Head{}, err
	}
	return sh.finishOp(o)
}
