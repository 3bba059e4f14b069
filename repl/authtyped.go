package repl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/sasl"
	"github.com/imapsh/imapsh/wire"
)

// typedChallenge explains a challenge ("+ ...") of an AUTHENTICATE typed by
// hand, decoded and read as its mechanism's message. For CRAM-MD5 at the
// terminal it offers to compute the answer: an empty answer (Enter) asks
// for the password without echo (see typedAnswer).
func (sh *Shell) typedChallenge(o *op, h wire.Head) {
	mech, _, _ := strings.Cut(o.Args, " ")
	mech = strings.ToUpper(mech)
	sh.saslNotes(sasl.DecodeChallenge(mech, h.Text))
	sh.typedCram = nil
	if mech != sasl.CramMD5 || !sh.interactive || sh.touring() { // the tour answers itself (tour_steps.go)
		return
	}
	if ch, err := sasl.Decode(h.Text); err == nil && len(ch) > 0 {
		sh.typedCram = ch
		sh.pr.Note("type the answer in base64 (it is not echoed), or * to cancel; or press Enter, and imapsh asks for your password without echo and computes the answer for you")
	}
}

// typedAnswer replaces an empty answer to a CRAM-MD5 challenge typed by
// hand with the answer imapsh computes from the user's password, and
// explains it. It returns the line to send and what to show of it. Any
// other answer is returned as it is.
func (sh *Shell) typedAnswer(line, shown string) (string, string) {
	ch := sh.typedCram
	sh.typedCram = nil
	if ch == nil || line != "" {
		return line, shown
	}
	user, err := sh.cramUser()
	var pass string
	if err == nil {
		pass, err = sh.password(user)
	}
	if err == nil && pass == "" {
		err = errors.New("an empty password")
	}
	if err != nil {
		if errors.Is(err, errInterrupt) {
			err = errors.New("interrupted")
		}
		sh.pr.Error("%v: cancelling the exchange (*)", err)
		return "*", "*"
	}
	answer, digest := sasl.CramAnswer(user, pass, ch)
	enc := sasl.Encode(answer)
	sh.saslNotes(sasl.DescribeCramAnswer(user, digest))
	return enc, enc
}

// cramUser asks for the user name, offering the one imapsh knows.
func (sh *Shell) cramUser() (string, error) {
	def := sh.cfg.User
	prompt := "user name for CRAM-MD5: "
	if def != "" {
		prompt = fmt.Sprintf("user name for CRAM-MD5 [%s]: ", def)
	}
	u, err := sh.con.ReadLine(prompt)
	if err != nil {
		return "", err
	}
	if u = strings.TrimSpace(u); u == "" {
		u = def
	}
	if u == "" {
		return "", errors.New("no user name")
	}
	return u, nil
}
