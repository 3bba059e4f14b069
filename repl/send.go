package repl

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// sendPlan sends a command with its literals: each literal header is sent,
// then (unless non-synchronizing) imapsh waits for the server's "+" before
// the octets. If the server answers with a tagged NO or BAD instead, the
// octets are not sent and the session stays in step.
func (sh *Shell) sendPlan(tag string, p *plan) error {
	header := func(i int) string {
		if i < len(p.lits) {
			l := p.lits[i]
			return sh.literalHeader(l.size, l.binary)
		}
		if p.typed != nil {
			return sh.typedLiteralHeader(p.typed)
		}
		return ""
	}
	// An APPEND's typed message is read first, to check its count
	// (typedmsg.go).
	if done, err := sh.preReadMessage(p); done || err != nil {
		return err
	}
	defer sh.takePreRead()
	text := strings.TrimRight(p.segs[0], " ")
	if len(p.lits) > 0 || p.typed != nil {
		text = p.segs[0] + header(0)
	}
	if tag == "" {
		tag = p.tag
	}
	c := &Command{Tag: tag, Text: text}
	o, err := sh.sess.Start(c)
	if err != nil {
		return sh.startErr(err)
	}
	line := text
	for i, l := range p.lits {
		if ok, err := sh.awaitGoAhead(o, line, l.size); !ok || err != nil {
			if err == nil && p.typed != nil {
				sh.skipTypedInput(p.typed.n)
			}
			return err
		}
		r, err := l.open()
		if err != nil {
			return sh.abortCommand(o, l.openError(err))
		}
		stopped, err := sh.sendLiteralStoppable(o, r, l.size, l.desc)
		if stopped {
			r.Close()
			return sh.abortCommand(o, fmt.Errorf("stopped (Ctrl-C) while sending the octets of %s", l.name()))
		}
		if err == nil {
			if extra, _ := r.Read(make([]byte, 1)); extra > 0 {
				sh.pr.Warn("%s grew while it was being sent: only the %d octets it had when measured went to the server", l.name(), l.size)
			}
		}
		r.Close()
		if err != nil {
			return sh.abortCommand(o, fmt.Errorf("%s: %w (did the file change while it was sent?)", l.name(), err))
		}
		line = p.segs[i+1] + header(i+1)
		if len(p.lits) == i+1 && p.typed == nil {
			line = strings.TrimRight(line, " ")
		}
		shown := ""
		if p.secret && strings.TrimSpace(line) != "" {
			shown = "[rest of the line hidden]"
		}
		if err := sh.sess.SendLine(o, line, shown); err != nil {
			return sh.abortCommand(o, err)
		}
	}
	if p.typed != nil {
		return sh.typedLiterals(o, line)
	}
	_, err = sh.finishOp(o)
	return err
}

// typedLiteralHeader is the header the user typed, made safe: {N+} is sent
// as {N} when the server does not accept non-synchronizing literals.
func (sh *Shell) typedLiteralHeader(h *litHeader) string {
	if h.nonSync && !sh.nonSync(h.n) {
		sh.pr.Note("the server does not accept {%d+} (no LITERAL+): sending {%d} and waiting for its go-ahead", h.n, h.n)
		return wire.LiteralHeader(h.n, false, false)
	}
	return wire.LiteralHeader(h.n, h.nonSync, h.binary)
}

// awaitGoAhead waits for the "+" that lets a synchronizing literal go. It
// returns ok=false when the server completed the command instead (the
// refusal is shown; the octets are not sent).
func (sh *Shell) awaitGoAhead(o *op, line string, n int64) (bool, error) {
	if sh.litNonSync(line) {
		return true, nil
	}
	intr, stop := sh.interrupts()
	defer stop()
	kind, h, err := sh.waitOp(o, intr, true)
	if err != nil {
		return false, err
	}
	switch kind {
	case session.WaitContinue:
		return true, nil
	case session.WaitDone:
		sh.pr.Note("the server answered %s instead of asking for the literal: its %d octets were not sent", h.Name, n)
		return false, nil
	case session.WaitInterrupted:
		// The server may still ask for the octets at any moment, and
		// would then read whatever comes next as the literal: the
		// connection cannot stay in step.
		return false, sh.abortCommand(o, errors.New("interrupted while waiting for the server's go-ahead for a literal"))
	}
	return false, sh.closedOrLost()
}

// abortCommand handles a failure in the middle of a command: the server
// still expects the rest, so the connection cannot be trusted to stay in
// step and is closed. The user learns that the command did not complete.
func (sh *Shell) abortCommand(o *op, err error) error {
	sh.sess.Hangup()
	<-sh.sess.Closed()
	return &ConnError{fmt.Errorf("%s did not complete (no tagged OK): %w; the connection was closed so the server cannot mistake later input for the rest of %s", o.Tag, err, o.Tag)}
}

func (sh *Shell) closedOrLost() error {
	if err := sh.closedErr(); err != nil {
		return err
	}
	return &ConnError{errors.New("connection lost")}
}

// typedLiterals reads the octets of literals announced by hand ({N} at the
// end of a line) from the following input lines: each line's content, plus
// CRLF while the literal wants more. What follows the last octet on a line
// continues the command; a line that would overrun the count is refused.
func (sh *Shell) typedLiterals(o *op, line string) error {
	bare := strings.TrimPrefix(o.Name, "UID ") // UID LOGIN is no command, but carries the secret
	secret := bare == "LOGIN" || bare == "AUTHENTICATE"
	for {
		h, ok := typedHeader(line)
		if !ok {
			_, err := sh.finishOp(o)
			return err
		}
		n := h.n
		if ok, err := sh.awaitGoAhead(o, line, n); !ok || err != nil {
			if err == nil {
				sh.skipTypedInput(n)
			}
			return err
		}
		data, rest, err := sh.readTypedOrPre(n, secret)
		if err != nil {
			return sh.abortCommand(o, err)
		}
		desc := "typed"
		if secret {
			desc = "typed, hidden"
		}
		if err := sh.sess.SendLiteral(o, bytes.NewReader(data), n, desc, secret); err != nil {
			return sh.abortCommand(o, err)
		}
		shown := rest
		if secret && rest != "" {
			shown = "[rest of the line hidden]"
		}
		if shown == rest {
			shown = ""
		}
		if err := sh.sess.SendLine(o, rest, shown); err != nil {
			return sh.abortCommand(o, err)
		}
		line = rest
	}
}

// readTyped collects n octets from input lines and returns them with the
// rest of the last line. With hidden (a LOGIN or AUTHENTICATE line) the
// lines are read at the terminal without echo, as a password is.
func (sh *Shell) readTyped(n int64, hidden bool) (data []byte, rest string, err error) {
	read, what := sh.con.ReadLine, "literal"
	if hidden && sh.interactive {
		read, what = sh.con.ReadPassword, "literal, not echoed"
	}
	data = make([]byte, 0, min(n, 1<<20))
	if n == 0 {
		rest, err := read("rest of the command (Enter if none)> ")
		return data, rest, err
	}
	for int64(len(data)) < n {
		left := n - int64(len(data))
		line, err := read(fmt.Sprintf("%s, %d of %d octets left> ", what, left, n))
		if errors.Is(err, errInterrupt) {
			sh.pr.Note("the server is waiting for %d more octets; IMAP cannot abort a literal, so finish it (or press Ctrl-D to drop the connection)", left)
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("input ended with %d of %d literal octets still owed", left, n)
		}
		switch l := int64(len(line)); {
		case l >= left:
			data = append(data, line[:left]...)
			return data, line[left:], nil
		case l+2 <= left:
			data = append(data, line...)
			data = append(data, "\r\n"...)
		default: // l+1 == left: the CRLF would overrun
			msg := fmt.Sprintf("that line is %d octets and with its CRLF %d, but only %d remain: the literal would overrun its count", l, l+2, left)
			if !sh.interactive {
				return nil, "", errors.New(msg)
			}
			sh.pr.Error("%s; type it again (the line was not used)", msg)
		}
	}
	// The count ended with a line end: the rest of the command (often
	// nothing) comes on the next line.
	rest, err = read("rest of the command (Enter if none)> ")
	return data, rest, err
}

// skipTypedInput drops the input that was meant as the octets of a refused
// typed literal, and the rest of its command. In a script those lines are
// already there and must not run as commands; at the terminal nothing has
// been typed yet.
func (sh *Shell) skipTypedInput(n int64) {
	if sh.interactive || sh.takePreRead() != nil {
		return
	}
	for {
		_, rest, err := sh.readTyped(n, false)
		if err != nil {
			return
		}
		h, ok := typedHeader(rest)
		if !ok {
			break
		}
		n = h.n
	}
	sh.pr.Note("skipped the script input meant as the refused literal's octets and the rest of its command")
}
