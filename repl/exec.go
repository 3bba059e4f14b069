package repl

import (
	"errors"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/term"
	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// exec sends a command without literals and waits for its completion. It
// returns errLoggedOut or a *ConnError if the connection ended.
func (sh *Shell) exec(c *Command) (*op, error) {
	o, err := sh.sess.start(c)
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
	return o.result, nil
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
	intr, stop := sh.interrupts()
	defer stop()
	kind := sh.sess.wait(o, true, intr)
	for kind == waitContinue && !takesContinuation(o.name) {
		// Answering would send the next input line untagged, as data.
		sh.pr.Warn("the server asked for more (+), but %s takes no continuation: ignored (a protocol violation)", o.name)
		kind = sh.sess.wait(o, true, intr)
	}
	switch kind {
	case waitDone:
		return o.result, nil
	case waitContinue:
		sh.cont = o
		sh.contSecret = o.name == "AUTHENTICATE"
		return wire.Head{}, nil
	case waitInterrupted:
		sh.pr.Note("stopped waiting for %s. IMAP cannot cancel a command: the server is still working on it.", o.tag)
		sh.pr.Note("its responses will be shown as they arrive, and its completion reported; the session stays usable.")
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
	shown := line
	if sh.contSecret {
		shown = "[hidden: answer to an authentication challenge]"
	}
	if err := sh.sess.sendMore(line, shown); err != nil {
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
