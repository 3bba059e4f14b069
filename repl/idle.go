package repl

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// idleOptions says how an IDLE (RFC 2177) runs.
type idleOptions struct {
	renew time.Duration // end the IDLE and issue a new one this often; 0 never
	limit time.Duration // end it after this long; 0 when the user says
}

const idleUsage = "idle [--renew DURATION] [DURATION]"

// parseIdleArgs reads "idle [--renew DURATION] [DURATION]".
func parseIdleArgs(args string) (idleOptions, error) {
	opt := idleOptions{renew: defaultIdleRenew}
	f := strings.Fields(args)
	for i := 0; i < len(f); i++ {
		w := f[i]
		if w == "--renew" || strings.HasPrefix(w, "--renew=") {
			v, ok := strings.CutPrefix(w, "--renew=")
			if !ok {
				if i+1 >= len(f) {
					return opt, &lineError{"--renew needs a duration, such as --renew 25m (0 never renews): " + idleUsage}
				}
				i++
				v = f[i]
			}
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return opt, &lineError{fmt.Sprintf("--renew %s: not a duration (write 25m, 90s, 0 for never): %s", v, idleUsage)}
			}
			opt.renew = d
			continue
		}
		if strings.HasPrefix(w, "-") {
			return opt, &lineError{fmt.Sprintf("idle: unknown option %s: %s", w, idleUsage)}
		}
		d, err := time.ParseDuration(w)
		if err != nil || d <= 0 {
			return opt, &lineError{fmt.Sprintf("idle: %q is not a duration (write 30s, 5m, 1h): %s", w, idleUsage)}
		}
		if opt.limit != 0 {
			return opt, &lineError{"idle takes one duration: " + idleUsage}
		}
		opt.limit = d
	}
	return opt, nil
}

// idleHelper runs "idle": IDLE until Enter (or DONE, or the duration),
// re-issued every --renew.
func (sh *Shell) idleHelper(args string) error {
	opt, err := parseIdleArgs(args)
	if err != nil {
		return err
	}
	if !sh.interactive && opt.limit == 0 {
		return &lineError{"in a script, give idle a duration (idle 30s): it idles that long, showing what arrives, then ends the IDLE"}
	}
	if err := sh.ensureCaps(); err != nil {
		return err
	}
	if !sh.st.Has("IDLE") {
		return &lineError{"the server does not offer IDLE (RFC 2177): type IDLE to try anyway, or NOOP to poll"}
	}
	o, err := sh.beginIdle(nil)
	if err != nil || o == nil {
		return err
	}
	return sh.idling(o, opt)
}

// beginIdle sends IDLE and waits for the server's "+". It returns nil, nil
// when the server refused (its NO or BAD is shown) or the user stopped
// waiting. stop replaces Ctrl-C when not nil (a renewal has no user).
func (sh *Shell) beginIdle(stop <-chan struct{}) (*op, error) {
	o, err := sh.sess.Start(&Command{Text: "IDLE"})
	if err != nil {
		return nil, sh.startErr(err)
	}
	intr, done := stop, func() {}
	if intr == nil {
		intr, done = sh.interrupts()
	}
	defer done()
	kind, _, err := sh.waitOp(o, intr, true)
	switch {
	case err != nil:
		return nil, err
	case kind == session.WaitContinue:
		return o, nil
	case kind == session.WaitDone:
		return nil, nil
	case kind == session.WaitInterrupted:
		o.Abandon()
		sh.pr.Note("stopped waiting for %s's go-ahead: the IDLE is ended (DONE) as soon as the server starts it", o.Tag)
		return nil, nil
	}
	return nil, sh.closedOrLost()
}

// idling runs an IDLE the server has accepted (o got its "+"): what the
// server pushes is shown as it comes while the shell waits for Enter or
// DONE (or the limit), renewing the IDLE as asked. A typed line other than
// DONE is not sent: the server would take it for the end of IDLE. Ctrl-C
// ends the IDLE cleanly.
func (sh *Shell) idling(o *op, opt idleOptions) error {
	id := &idler{sh: sh, opt: opt, stop: make(chan struct{}), done: make(chan struct{})}
	sh.pr.Note("%s", id.intro())
	go id.run(o)
	if !sh.interactive && opt.limit > 0 {
		<-id.done
		return id.err
	}
	for {
		line, err := sh.con.ReadLine(sh.idlePrompt())
		select {
		case <-id.done:
			// The IDLE ended on its own (the limit, a failed renewal,
			// the server) as the user typed: the line is a command.
			if err == nil && !isDone(line) && id.err == nil {
				sh.remember(line)
				return sh.handle(line)
			}
			if errors.Is(err, io.EOF) && id.err == nil {
				return errInputEnded
			}
			return id.err
		default:
		}
		switch {
		case errors.Is(err, errWoken):
			if sh.sess.IsClosed() {
				<-id.done
				return id.err
			}
			continue // a wake meant for an earlier read
		case errors.Is(err, errInterrupt):
			id.end()
			sh.pr.Note("Ctrl-C ended the IDLE (DONE sent); Enter or DONE end it too")
			return id.err
		case errors.Is(err, io.EOF):
			sh.pr.Note("end of input during IDLE: sending DONE")
			id.end()
			if id.err != nil {
				return id.err
			}
			return errInputEnded
		case err != nil:
			id.end()
			return err
		}
		if isDone(line) {
			id.end()
			return id.err
		}
		const msg = "IDLE is running: that line was not sent (the server would take it for the end of IDLE and answer BAD); press Enter or type DONE to end IDLE first"
		if sh.interactive {
			sh.pr.Warn("%s", msg)
		} else {
			sh.pr.Error("%s", msg)
			sh.localFailed++
		}
	}
}

// errInputEnded says the input ended inside a helper (an IDLE): the shell
// ends as at the end of input.
var errInputEnded = errors.New("end of input")

// isDone reports a line that ends an IDLE: empty, or DONE.
func isDone(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.EqualFold(t, "DONE")
}

func (sh *Shell) idlePrompt() string {
	return strings.TrimSuffix(promptFor(sh.st.Snapshot()), "> ") + " IDLE (Enter or DONE ends it)> "
}

// idler owns a running IDLE on its own goroutine: renewals, the limit, and
// the DONE that ends it.
type idler struct {
	sh   *Shell
	opt  idleOptions
	stop chan struct{} // closed by the shell: end the IDLE
	done chan struct{} // closed when the IDLE is over
	err  error         // why it ended badly; read after done
}

func (id *idler) intro() string {
	s := "IDLE: what the server pushes (new mail, expunges, flag changes) is shown as it comes"
	if id.opt.limit > 0 {
		s += fmt.Sprintf("; it ends after %v", id.opt.limit)
	}
	if id.sh.interactive {
		s += "; Enter or DONE ends it"
	}
	if id.opt.renew > 0 {
		s += fmt.Sprintf("; renewed every %v, before servers drop it", id.opt.renew)
	}
	return s
}

// end asks run to end the IDLE and waits until it has.
func (id *idler) end() {
	select {
	case <-id.stop:
	default:
		close(id.stop)
	}
	<-id.done
}

func (id *idler) run(o *op) {
	defer close(id.done)
	sh := id.sh
	var renewC, limitC <-chan time.Time
	var renew *time.Timer
	if id.opt.renew > 0 {
		renew = time.NewTimer(id.opt.renew)
		defer renew.Stop()
		renewC = renew.C
	}
	if id.opt.limit > 0 {
		limit := time.NewTimer(id.opt.limit)
		defer limit.Stop()
		limitC = limit.C
	}
	for {
		select {
		case <-id.stop:
			id.err = id.sendDone(o)
			return
		case <-limitC:
			id.err = id.sendDone(o)
			if id.err == nil {
				sh.pr.Note("IDLE ended after %v", id.opt.limit)
			}
			sh.con.Wake()
			return
		case <-renewC:
			sh.pr.Note("renewing the IDLE (every %v), before the server drops it", id.opt.renew)
			if id.err = id.sendDone(o); id.err != nil {
				sh.con.Wake()
				return
			}
			next, err := sh.beginIdle(id.stop)
			if err != nil || next == nil {
				id.err = err
				select {
				case <-id.stop:
					return // the user ended it while it was being renewed
				default:
				}
				if err == nil && !sh.sess.IsClosed() {
					sh.pr.Warn("the IDLE could not be renewed; it is over")
				}
				sh.con.Wake()
				return
			}
			o = next
			renew.Reset(id.opt.renew)
		case <-o.Done():
			if !o.Result().Lost {
				sh.pr.Warn("the server ended %s (%s) without waiting for DONE", o.Tag, o.Status().Name)
			}
			id.err = sh.closedErrOrNil()
			sh.con.Wake()
			return
		}
	}
}

// sendDone ends IDLE o and waits for its completion.
func (id *idler) sendDone(o *op) error {
	sh := id.sh
	if err := sh.sess.SendLine(o, "DONE", ""); err != nil {
		return sh.startErr(err)
	}
	// A server answers DONE at once; the connect timeout bounds the wait.
	wait := sh.cfg.Timeout
	select {
	case <-o.Done():
		return sh.closedErrOrNil()
	case <-time.After(wait):
		o.Abandon()
		msg := fmt.Sprintf("%s IDLE did not complete within %v after DONE", o.Tag, wait)
		if !sh.interactive {
			return &ConnError{errors.New(msg + " (--timeout): the server may be stuck; giving up")}
		}
		sh.pr.Warn("%s; its completion will be reported when it comes", msg)
		return nil
	}
}

// closedErrOrNil is closedErr, but nil after a LOGOUT the user asked for.
func (sh *Shell) closedErrOrNil() error {
	err := sh.closedErr()
	if errors.Is(err, errLoggedOut) {
		return nil
	}
	return err
}
