package repl

import (
	"errors"
	"strings"
	"sync"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/repl/internal/term"
	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// exec sends a command without literals and waits for its completion. It
// returns errLoggedOut or a *ConnError if the connection ended.
func (sh *Shell) exec(c *Command) (*op, error) {
	o, err := sh.sess.Start(c)
	if err != nil {
		return nil, sh.startErr(err)
	}
	_, err = sh.finishOp(o)
	return o, err
}

// execHead is exec returning the tagged completion.
func (sh *Shell) execHead(c *Command) (wire.Head, error) {
	o, err := sh.exec(c)
	if err != nil {
		return wire.Head{}, err
	}
	return doneStatus(o), nil
}

// doneStatus is the tagged completion of o, or a zero Head when o has not
// completed (the user stopped waiting).
func doneStatus(o *op) wire.Head {
	select {
	case <-o.Done():
		return o.Status()
	default:
		return wire.Head{}
	}
}

func (sh *Shell) startErr(err error) error {
	if errors.Is(err, tagger.ErrInFlight) {
		return &lineError{err.Error()}
	}
	if cerr := sh.closedErr(); cerr != nil {
		return cerr
	}
	return &ConnError{err}
}

// finishOp waits for a command's completion; at the terminal Ctrl-C stops
// the wait. A continuation request from the server hands the next input
// line to the command (IDLE, AUTHENTICATE).
func (sh *Shell) finishOp(o *op) (wire.Head, error) {
	intr, stopSignals := sh.interrupts()
	stop := sync.OnceFunc(stopSignals)
	defer stop()
	kind, h, err := sh.waitOp(o, intr, true)
	for err == nil && kind == session.WaitContinue && !takesContinuation(o.Name) {
		// Answering would send the next input line untagged, as data.
		sh.pr.Warn("the server asked for more (+), but %s takes no continuation: ignored (a protocol violation)", o.Name)
		kind, h, err = sh.waitOp(o, intr, true)
	}
	if err != nil {
		return wire.Head{}, err
	}
	switch kind {
	case session.WaitDone:
		return h, nil
	case session.WaitContinue:
		if o.Name == "IDLE" {
			// A typed IDLE: the next lines end it, or are refused.
			stop()
			return wire.Head{}, sh.idling(o, idleOptions{})
		}
		sh.cont = o
		sh.contSecret = o.Name == "AUTHENTICATE"
		if sh.contSecret {
			sh.typedChallenge(o, h)
		}
		return wire.Head{}, nil
	case session.WaitInterrupted:
		o.Abandon()
		sh.pr.Note("stopped waiting for %s. IMAP cannot cancel a command: the server is still working on it.", o.Tag)
		switch o.Name {
		case "IDLE":
			sh.pr.Note("the IDLE is ended (DONE) as soon as the server starts it, so the next command is not taken for its DONE.")
		case "AUTHENTICATE":
			sh.pr.Note("the exchange is cancelled (*) as soon as the server asks for the next step.")
		default:
			sh.pr.Note("its responses will be shown as they arrive, and its completion reported; the session stays usable.")
		}
		return wire.Head{}, nil
	}
	if err := sh.closedErr(); err != nil {
		return wire.Head{}, err
	}
	return wire.Head{}, &ConnError{errors.New("connection lost")}
}

// interrupts returns a channel closed when the user presses Ctrl-C while
// imapsh waits for the server (at the terminal only).
func (sh *Shell) interrupts() (<-chan struct{}, func()) {
	if s := sh.currentShield(); s != nil {
		// A helper is putting things back: only a second signal stops
		// the wait.
		return s.second, func() {}
	}
	if !sh.interactive {
		return nil, func() {}
	}
	if sh.cfg.testInterrupt != nil {
		return sh.cfg.testInterrupt, func() {}
	}
	return term.Interrupts()
}

// continueWith sends a line typed in answer to a continuation request.
func (sh *Shell) continueWith(line string) error {
	o := sh.cont
	sh.cont = nil
	shown := ""
	if sh.contSecret {
		shown = "[hidden: answer to an authentication challenge]"
	}
	line, shown = sh.typedAnswer(line, shown)
	if err := sh.sess.SendLine(o, line, shown); err != nil {
		return sh.startErr(err)
	}
	_, err := sh.finishOp(o)
	return err
}

// takesContinuation reports commands that are answered line by line after
// a "+": IDLE (DONE), AUTHENTICATE (the SASL exchange), and commands imapsh
// does not know, which may be extensions that do.
func takesContinuation(name string) bool {
	first, _, _ := strings.Cut(name, " ")
	return name == "IDLE" || name == "AUTHENTICATE" || !wire.IsCommand(first)
}
