package repl

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/repl/internal/session"
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
	certs, err := sh.cfg.clientCertificate()
	if err != nil {
		return nil, err
	}
	cfg.Certificates = certs
	return cfg, nil
}

// connect dials, reads the greeting, upgrades with STARTTLS when asked,
// and starts the reader goroutine.
func (sh *Shell) connect(ctx context.Context) error {
	tcfg, err := sh.tlsConfig()
	if err != nil {
		return err
	}
	dial, via, err := sh.proxyDial()
	if err != nil {
		return err
	}
	sh.lr.via = via
	dc := wire.DialConfig{Addr: sh.cfg.addr(), Security: sh.cfg.Security, TLS: tcfg, Timeout: sh.cfg.Timeout, Dial: dial}
	switch {
	case sh.cfg.Security == wire.Plaintext && !sh.cfg.Demo:
		sh.pr.Warn("--plaintext: no TLS; the password and all mail cross the network in clear")
	case sh.cfg.Insecure:
		sh.pr.Warn("--insecure: the server's certificate is not verified; anyone on the path can read and change this session")
	}
	conn, err := wire.Dial(ctx, dc)
	if err != nil {
		sh.explainTLSFailure(err)
		return &ConnError{err}
	}
	conn.R.SetMaxLine(sh.cfg.maxLine())
	sh.conn = conn
	sh.sess = session.New(conn, sh.hub, sh.st, session.Options{
		TagPrefix:    sh.cfg.TagPrefix,
		CaptureLimit: max(sh.cfg.LiteralLimit, 1<<20),
	})
	if st := conn.TLS(); st != nil {
		sh.pr.Note("connected to %s%s with %s%s", dc.Addr, via, tls.VersionName(st.Version), sh.verifiedNote())
	} else {
		sh.pr.Note("connected to %s%s", dc.Addr, via)
	}
	// The greeting and STARTTLS must come within the connect timeout; after
	// that a session may sit idle as long as the user likes.
	if sh.cfg.Timeout > 0 {
		sh.conn.SetReadDeadline(time.Now().Add(sh.cfg.Timeout))
	}
	if err := sh.greeting(); err != nil {
		sh.sess.Close()
		return err
	}
	if sh.cfg.Security == wire.StartTLS {
		if err := sh.startTLS(ctx, dc); err != nil {
			sh.sess.Close()
			return err
		}
	}
	sh.conn.SetReadDeadline(time.Time{})
	sh.logHeader()
	sh.sess.OnClose(sh.con.Wake)
	sh.sess.Run()
	sh.connected()
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
	greet, err := sh.sess.Greeting()
	if err != nil {
		return connErr("reading the greeting from %s: %w%s", sh.cfg.addr(), err, sh.clientCertHint(err))
	}
	switch {
	case greet.Kind == wire.Untagged && (greet.Name == "OK" || greet.Name == "PREAUTH"):
		return nil
	case greet.Name == "BYE":
		return connErr("the server refused the connection: %s", render.Sanitize(greet.Text))
	}
	return connErr("the server's greeting is not an IMAP greeting (expected \"* OK\"): is %s an IMAP port?", sh.cfg.addr())
}

// startTLS upgrades the connection. STARTTLS is required once asked for: if
// the server does not offer it or refuses it, imapsh stops rather than go on
// in clear.
func (sh *Shell) startTLS(ctx context.Context, dc wire.DialConfig) error {
	if !sh.st.KnowsCaps() {
		if _, err := sh.sess.RoundTrip(&Command{Text: "CAPABILITY", Internal: true}); err != nil {
			return connErr("asking for capabilities: %w", err)
		}
	}
	if !sh.st.Has("STARTTLS") {
		return connErr("the server does not offer STARTTLS: refusing to continue in clear (use imaps:// on port 993, or --plaintext if you really mean it)")
	}
	h, err := sh.sess.RoundTrip(&Command{Text: "STARTTLS", Internal: true})
	if err != nil {
		return connErr("STARTTLS: %w", err)
	}
	if h.Name != "OK" {
		return connErr("the server refused STARTTLS (%s %s): refusing to continue in clear", h.Name, render.Sanitize(h.Text))
	}
	dc.Security = wire.ImplicitTLS
	n, err := sh.conn.UpgradeTLS(ctx, dc)
	if err != nil {
		sh.explainTLSFailure(err)
		return &ConnError{startTLSHandshakeError(dc.Addr, err)}
	}
	sh.conn.R.SetMaxLine(sh.cfg.maxLine()) // a new reader over TLS
	if n > 0 {
		sh.pr.Warn("discarded %d bytes the server sent after its STARTTLS OK and before TLS (possible injection attack)", n)
	}
	// Nothing learnt before TLS is trusted (RFC 9051 section 6.2.1).
	sh.st.ForgetCaps()
	sh.pr.Note("TLS started with %s%s", tls.VersionName(sh.conn.TLS().Version), sh.verifiedNote())
	if _, err := sh.sess.RoundTrip(&Command{Text: "CAPABILITY", Internal: true}); err != nil {
		return connErr("asking for capabilities after STARTTLS: %w", err)
	}
	return nil
}

// startTLSHandshakeError explains a failed handshake after the server's
// STARTTLS OK. A certificate problem is explained as on port 993; any other
// failure gets its own advice, since wire's ("try --starttls") would
// suggest what is already in use.
func startTLSHandshakeError(addr string, err error) error {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	if errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid) {
		return err
	}
	cause := errors.Unwrap(err)
	if cause == nil {
		cause = err
	}
	return fmt.Errorf("TLS handshake with %s after its STARTTLS OK failed: %w (the server, or something between, did not start TLS as it said; imapsh will not go on in clear: try imaps:// on port 993, or ask the server's administrator)", addr, cause)
}

// errNoPassword is returned when no password can be had without a terminal.
var errNoPassword = errors.New("no password: set IMAPSH_PASSWORD, add the host to ~/.netrc, or run imapsh at a terminal to be asked for it")

// ensureCaps asks for the capabilities when none are known.
func (sh *Shell) ensureCaps() error {
	if sh.st.KnowsCaps() {
		return nil
	}
	_, err := sh.exec(&Command{Text: "CAPABILITY", Internal: true})
	return err
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
			o, err = sh.sess.Start(&Command{Text: text})
		} else {
			err = sh.sess.SendLine(o, text, text)
		}
		if err != nil {
			return wire.Head{}, err
		}
		if !sh.litNonSync(text) {
			if kind, _ := o.Wait(nil, true); kind != session.WaitContinue {
				return sh.finishOp(o)
			}
		}
		desc := "user name"
		if i == 1 {
			desc = "password, hidden"
		}
		if err := sh.sess.SendLiteral(o, strings.NewReader(a.raw), int64(len(a.raw)), desc, i == 1); err != nil {
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
	if err := sh.sess.SendLine(o, text, shown); err != nil {
		return wire.Head{}, err
	}
	return sh.finishOp(o)
}

// logHeader writes the TLS summary and the capabilities to the transcript.
func (sh *Shell) logHeader() {
	if sh.transcript == nil {
		return
	}
	lines := []string{"server " + sh.cfg.addr()}
	if st := sh.conn.TLS(); st != nil {
		lines = append(lines, fmt.Sprintf("TLS %s, %s%s", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite), sh.verifiedNote()))
		if len(st.PeerCertificates) > 0 {
			c := st.PeerCertificates[0]
			sum := sha256.Sum256(c.Raw)
			lines = append(lines, fmt.Sprintf("certificate subject %q, issuer %q, DNS names %q, valid %s to %s, SHA-256 %X",
				c.Subject.String(), c.Issuer.String(), c.DNSNames, c.NotBefore.UTC().Format(time.DateOnly), c.NotAfter.UTC().Format(time.DateOnly), sum[:]))
		}
	} else {
		lines = append(lines, "no TLS")
	}
	if caps := sh.st.Caps(); len(caps) > 0 {
		lines = append(lines, "capabilities "+strings.Join(caps, " "))
	}
	sh.transcript.Header(lines...)
}
