package repl

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/sasl"
)

// tourStep is one step of the tour.
type tourStep struct {
	title string
	intro string
	cmd   string // the line the step runs on Enter, and that typing matches
	show  string // what to show instead of cmd (an APPEND with its message)
	// script replaces cmd in a script (kill asks at the terminal only).
	script string
	needs  tourNeeds
	run    func(sh *Shell) error // runs the step on Enter instead of cmd
	// answer answers the continuation request the command leaves waiting
	// (AUTHENTICATE's challenge), however the command was sent.
	answer  func(sh *Shell) error
	accepts func(typed string) bool
	explain func(sh *Shell, r tourResult) string
}

const tourWelcome = `Welcome to the imapsh tour of IMAP (RFC 9051, RFC 3501), against the sandbox.
Each step shows a command: press Enter and imapsh sends it, or type it yourself
(try your own commands too: the step waits). skip goes to the next step, stop
leaves the tour; tour N starts at step N, tour list shows them all.
Lines marked C: are what your client sends, S: what the server sends; lines
with # are imapsh's own, like this one.`

const tourEnd = `
── the end of the tour ──
You have seen tags and tagged completions (OK, NO, BAD), untagged data (*),
the states (not authenticated, authenticated, selected), sequence numbers
that shift and UIDs that stay, literals ({N} and the + that lets them go),
and two ways to log in. help lists every command (help FETCH, help EXISTS),
explain on notes what each response means, and you can paste a transcript
from a tutorial: C: and S: prefixes are understood, server lines skipped.`

// tourMessage is the message the APPEND step sends.
const tourMessage = "Subject: Hello from the tour\r\n\r\nWritten by hand, counted by imapsh.\r\n"

// tourSteps is the tour: logging in (tour_login.go), a mailbox and its
// messages (tour_mail.go), and the poison-message story (tour_poison.go).
var tourSteps = concat(tourLogin, tourMail, tourPoison)

func concat(parts ...[]tourStep) []tourStep {
	var all []tourStep
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

// tourList is the list of steps.
func tourList() string {
	var b strings.Builder
	b.WriteString("The tour's steps (tour N starts at step N):")
	for i, st := range tourSteps {
		fmt.Fprintf(&b, "\n  %2d  %s", i+1, st.title)
	}
	return b.String()
}

// tourCRAM answers the CRAM-MD5 challenge: decoded, the answer worked
// out and shown step by step, sent on Enter.
func tourCRAM(sh *Shell) error {
	if !strings.EqualFold(sh.cont.Name, "AUTHENTICATE") {
		return sh.continueWith(endLine(sh.cont))
	}
	text, _ := sh.lessons.tour.rec.sofar().continuation()
	challenge, err := sasl.Decode(strings.TrimSpace(text))
	if err != nil || len(challenge) == 0 {
		sh.pr.Note("the challenge is not a CRAM-MD5 one (%q): the tour cancels the exchange with *", text)
		return sh.continueWith("*")
	}
	answer, digest := sasl.CramAnswer(sh.cfg.DemoUser, sh.cfg.DemoPassword, challenge)
	line := sasl.Encode(answer)
	sh.pr.Plain("The tour works out the answer to %s:\n"+
		"the user name, a space, and HMAC-MD5 of the challenge keyed with the password\n"+
		"%q, in hex:    %s %s\n"+
		"in base64, the line to send:\n"+
		"                %s", challenge, sh.cfg.DemoPassword, sh.cfg.DemoUser, digest, line)
	sh.typedCram = nil // the line is worked out here, not on an empty Enter
	if sh.interactive {
		typed, err := sh.con.ReadLine("Enter sends the tour's line (or type your own)> ")
		if err != nil {
			typed = "*"
			sh.pr.Note("the tour cancels the exchange with *")
		}
		if t := strings.TrimSpace(typed); t != "" {
			line = t
		}
	}
	return sh.continueWith(line)
}

// tourAppend sends tourMessage with a synchronizing literal, as a person
// would type it: the line up to {N}, the server's "+", the octets, CRLF.
func tourAppend(sh *Shell) error {
	n := int64(len(tourMessage))
	text := fmt.Sprintf(`APPEND INBOX (\Seen) {%d}`, n)
	o, err := sh.sess.Start(&Command{Text: text})
	if err != nil {
		return sh.startErr(err)
	}
	if ok, err := sh.awaitGoAhead(o, text, n); !ok || err != nil {
		return err
	}
	if err := sh.sess.SendLiteral(o, strings.NewReader(tourMessage), n, "the tour's message", false); err != nil {
		return sh.abortCommand(o, err)
	}
	if err := sh.sess.SendLine(o, "", ""); err != nil {
		return sh.abortCommand(o, err)
	}
	_, err = sh.finishOp(o)
	return err
}

func joinRaw(rs []tourResp) []byte {
	var b []byte
	for _, r := range rs {
		b = append(b, r.raw...)
	}
	return b
}
