package repl

import (
	"fmt"
	"sync"
	"time"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// waitOp waits as o.Wait does, under --command-timeout: when the command
// has not completed (nor asked for more) in time, it is reported and, at
// the terminal, the wait goes on (Ctrl-C still stops it); in script mode
// the run ends with a *ConnError (exit status 2) that names the command.
func (sh *Shell) waitOp(o *op, intr <-chan struct{}, wantCont bool) (session.WaitKind, wire.Head, error) {
	d := sh.commandTimeout()
	if d <= 0 {
		kind, h := o.Wait(intr, wantCont)
		return kind, h, nil
	}
	stop := make(chan struct{})
	var once sync.Once
	timedOut := false // written before stop is closed, read after
	t := time.AfterFunc(d, func() { once.Do(func() { timedOut = true; close(stop) }) })
	defer t.Stop()
	finished := make(chan struct{})
	defer close(finished)
	if intr != nil {
		go func() {
			select {
			case <-intr:
				once.Do(func() { close(stop) })
			case <-finished:
			}
		}()
	}
	kind, h := o.Wait(stop, wantCont)
	if kind != session.WaitInterrupted || !timedOut {
		return kind, h, nil
	}
	what := o.Tag + " " + o.Name
	if !sh.interactive {
		o.Abandon()
		return kind, h, &ConnError{fmt.Errorf("%s did not complete within %v (--command-timeout): the server may be stuck; giving up", what, d)}
	}
	sh.pr.Warn("%s has not completed after %v (--command-timeout); still waiting: Ctrl-C stops waiting", what, d)
	kind, h = o.Wait(intr, wantCont)
	return kind, h, nil
}
