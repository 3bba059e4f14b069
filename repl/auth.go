package repl

import (
	"errors"
	"fmt"
	"github.com/imapsh/imapsh/repl/internal/helpers"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/repl/internal/sasl"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// login logs in as user: with mech when one is asked for (--auth, the
// authenticate helper), else with the best mechanism the server offers
// (SCRAM-SHA-256, SCRAM-SHA-1, PLAIN, LOGIN), else with the LOGIN command.
// pass, when not "", is the password (the demo's); otherwise the password
// or token comes from the environment, ~/.netrc, a file or a prompt, as the
// mechanism needs. It returns whether the server accepted; a server that
// accepts without proving it knows the password (SCRAM) ends the session
// with a *ConnError.
func (sh *Shell) login(user, mech, pass string) (bool, error) {
	if err := sh.ensureCaps(); err != nil {
		return false, err
	}
	asked := mech // for reconnect (longrun.go)
	gen := sh.st.CapsGeneration()
	offers := func(m string) bool { return sh.st.Has("AUTH=" + m) }
	if mech == "" && sh.st.Has("LOGINDISABLED") && sh.conn.TLS() == nil {
		return sh.refuseLogin(loginDisabledText(offers))
	}
	if mech == "" {
		mech = sasl.Choose(offers)
	} else if !offers(mech) {
		return sh.refuseLogin(fmt.Sprintf("the server does not offer AUTH=%s (%s): choose another with --auth or the authenticate helper, or leave the choice to imapsh", mech, offeredText(sh.st)))
	}
	var h wire.Head
	var why, err error
	if mech == "" {
		if sh.st.Has("LOGINDISABLED") {
			return sh.refuseLogin(loginDisabledText(offers))
		}
		if pass == "" {
			if pass, err = sh.secret(user, sasl.NeedPassword); err != nil {
				return false, sh.secretErr(err)
			}
		}
		h, err = sh.loginCommand(user, pass)
	} else {
		h, why, err = sh.saslLogin(user, mech, pass)
	}
	if err != nil {
		return false, err
	}
	if errors.Is(why, sasl.ErrServerUnproven) {
		return false, sh.stopUnproven(why)
	}
	if h.Name != "OK" {
		sh.loginRefusal = "the server answered " + render.Sanitize(helpers.StatusText(h))
		if h.Name == "" {
			sh.loginRefusal = "no answer"
		}
		if why != nil {
			sh.loginRefusal = why.Error() + "; " + sh.loginRefusal
		}
		return false, nil
	}
	sh.st.SetUser(user)
	sh.lr.loggedIn(user, asked)
	// Servers may change their capabilities after login (Gmail does): ask
	// again unless the server told us already.
	if sh.st.CapsGeneration() == gen {
		_, err = sh.exec(&Command{Text: "CAPABILITY", Internal: true})
	}
	if sh.transcript != nil && err == nil {
		sh.transcript.Header("capabilities after login " + strings.Join(sh.st.Caps(), " "))
	}
	return true, err
}

// refuseLogin records and (at the terminal) reports why no login was tried.
func (sh *Shell) refuseLogin(why string) (bool, error) {
	sh.loginRefusal = why
	if sh.interactive {
		// In a script the refusal ends the run and is said once, on stderr.
		sh.pr.Error("%s", why)
	}
	return false, nil
}

func loginDisabledText(offers func(string) bool) string {
	msg := "the server forbids LOGIN here (LOGINDISABLED) and wants TLS first: connect with TLS (imaps:// or --starttls)"
	for _, m := range []string{sasl.ScramSHA256, sasl.ScramSHA1} {
		if offers(m) {
			return msg + ", or, if you accept that your mail crosses the network in clear, log in with --auth " + m + ", which never sends the password"
		}
	}
	return msg
}

// offeredText lists the mechanisms imapsh knows that the server offers.
func offeredText(st *State) string {
	var auths []string
	for _, m := range sasl.Names() {
		if st.Has("AUTH=" + m) {
			auths = append(auths, "AUTH="+m)
		}
	}
	if len(auths) == 0 {
		return "it offers none that imapsh knows"
	}
	return "it offers " + strings.Join(auths, " ")
}

// stopUnproven ends the session with a server that could not prove it
// knows the password: it may be an impostor, so nothing more is sent.
func (sh *Shell) stopUnproven(why error) error {
	msg := fmt.Sprintf("%v. It may be an impostor: the connection is closed and nothing more is sent to it.", why)
	sh.loginRefusal = msg
	sh.sess.Hangup()
	<-sh.sess.Closed()
	return &ConnError{errors.New(msg)}
}

// saslLogin gets the secret mech needs and runs the exchange.
func (sh *Shell) saslLogin(user, mech, pass string) (wire.Head, error, error) {
	c := sasl.Credentials{User: user, Password: pass, Host: sh.cfg.Host, Port: sh.cfg.Port}
	if need := sasl.Needs(mech); need != sasl.NeedNothing && (need == sasl.NeedToken || pass == "") {
		secret, err := sh.secret(user, need)
		if err != nil {
			return wire.Head{}, nil, sh.secretErr(err)
		}
		if need == sasl.NeedToken {
			c.Token = secret
		} else {
			c.Password = secret
		}
	}
	m, err := sasl.New(mech, c)
	if err != nil {
		return wire.Head{}, nil, &lineError{err.Error()}
	}
	return sh.exchange(m)
}

// exchange runs one SASL exchange through the engine: AUTHENTICATE with
// the initial response when the server takes one (SASL-IR, IMAP4rev2),
// then an answer to each challenge. Each line is shown as sent (an answer
// that carries the password or token is hidden) and explained: a challenge
// below the server's line, an answer just above imapsh's (below, the
// server's reply could come first). It returns the tagged completion (zero when the user stopped
// waiting), the mechanism's own complaint if it cancelled the exchange or
// found the server's proof missing, and an error when the session cannot
// go on.
func (sh *Shell) exchange(m sasl.Mechanism) (wire.Head, error, error) {
	name, ir, err := m.Start()
	if err != nil {
		return wire.Head{}, nil, &lineError{err.Error()}
	}
	first := m.Step()
	cmd := &Command{Text: "AUTHENTICATE " + name}
	pending := ir != nil
	if pending && (sh.st.Has("SASL-IR") || sh.st.Has("IMAP4REV2")) {
		enc := sasl.Encode(ir)
		if enc == "" {
			enc = "=" // an empty initial response (RFC 4959)
		}
		cmd.Text += " " + enc
		cmd.Display = cmd.Text
		if first.Secret {
			cmd.Display = "AUTHENTICATE " + name + " [credentials hidden]"
		}
		pending = false
	}
	if !pending {
		sh.saslNotes(first.Answer)
	}
	o, err := sh.sess.Start(cmd)
	if err != nil {
		return wire.Head{}, nil, sh.startErr(err)
	}
	intr, stop := sh.interrupts()
	defer stop()
	var why error
	for {
		kind, h := o.Wait(intr, true)
		switch kind {
		case session.WaitDone:
			if h.Name == "OK" && why == nil {
				why = m.Finish()
			}
			return h, why, nil
		case session.WaitInterrupted:
			o.Abandon()
			sh.pr.Note("stopped waiting for %s: the exchange is cancelled (*) as soon as the server asks for the next step.", o.Tag)
			return wire.Head{}, errors.New("stopped"), nil
		case session.WaitLost:
			return wire.Head{}, nil, sh.closedOrLost()
		}
		if why != nil {
			// The exchange was cancelled; the server should end it.
			sh.pr.Warn("the server asked for more after the exchange was cancelled: answering * again")
			if err := sh.sess.SendLine(o, "*", "*"); err != nil {
				return wire.Head{}, why, sh.startErr(err)
			}
			continue
		}
		var answer []byte
		var step sasl.Step
		if pending {
			pending = false
			if ch, err := sasl.Decode(h.Text); err != nil || len(ch) != 0 {
				sh.pr.Note("the server's first challenge should be empty, since imapsh has not sent its initial response yet: sending it now all the same")
			}
			answer, step = ir, first
		} else {
			ch, derr := sasl.Decode(h.Text)
			if derr == nil {
				answer, derr = m.Next(ch)
				step = m.Step()
				sh.saslNotes(step.Challenge)
			}
			if derr != nil {
				why = derr
				sh.pr.Error("%v: cancelling the exchange (*)", derr)
				if err := sh.sess.SendLine(o, "*", "*"); err != nil {
					return wire.Head{}, why, sh.startErr(err)
				}
				continue
			}
		}
		enc := sasl.Encode(answer)
		shown := enc
		if step.Secret {
			shown = "[credentials hidden]"
		}
		// The note comes before the line: once the line is sent, the
		// server's answer may be printed at any moment.
		sh.saslNotes(step.Answer)
		if err := sh.sess.SendLine(o, enc, shown); err != nil {
			return wire.Head{}, why, sh.startErr(err)
		}
	}
}

// saslNotes prints the notes of a SASL step.
func (sh *Shell) saslNotes(lines []string) {
	if len(lines) > 0 {
		sh.pr.Note("%s", strings.Join(lines, "\n"))
	}
}

// authenticateHelper is `authenticate MECH [USER]`: a login with that
// mechanism, every step shown and explained.
func (sh *Shell) authenticateHelper(args string) error {
	f := strings.Fields(args)
	if len(f) == 0 || len(f) > 2 {
		return &lineError{"usage: authenticate MECH [USER], MECH one of " + strings.Join(sasl.Names(), ", ") + " (AUTHENTICATE in capitals is sent to the server as typed)"}
	}
	mech, ok := sasl.Canonical(f[0])
	if !ok {
		return &lineError{fmt.Sprintf("imapsh does not know the mechanism %q: it knows %s (type AUTHENTICATE in capitals to send another as typed)", f[0], strings.Join(sasl.Names(), ", "))}
	}
	if sh.st.Snapshot().Conn != NotAuthenticated {
		return &lineError{"already logged in: LOGOUT and reconnect to log in as someone else"}
	}
	user := sh.cfg.User
	if len(f) == 2 {
		user = f[1]
	}
	if user == "" && mech != sasl.External {
		u, err := sh.netrcLogin()
		if err != nil {
			return &lineError{err.Error()}
		}
		if u == "" {
			return &lineError{"authenticate " + mech + " needs a user: authenticate " + mech + " USER"}
		}
		user = u
	}
	ok, err := sh.login(user, mech, "")
	if err != nil {
		return err
	}
	if !ok {
		if !sh.interactive {
			sh.pr.Error("%s", sh.loginRefusal)
		}
		return errHelperFailed
	}
	return nil
}

// CheckAuth checks a mechanism name given with --auth and returns it in
// upper case.
func CheckAuth(name string) (string, error) {
	mech, ok := sasl.Canonical(name)
	if !ok {
		return "", &UsageError{fmt.Sprintf("--auth %s: unknown mechanism; imapsh knows %s", name, strings.Join(sasl.Names(), ", "))}
	}
	return mech, nil
}

// isAuthenticateHelper reports whether a typed line is the authenticate
// helper (lower case, no tag) rather than the IMAP command.
func isAuthenticateHelper(line string) bool {
	word, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	return word == "authenticate"
}
