package repl

import (
	"sync"
	"time"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// keepalive sends a NOOP when the user has sat at the prompt for a while,
// so that the server's inactivity timer (30 minutes at most servers, RFC
// 9051 section 5.4) does not log them out. The NOOP is Internal and Quiet:
// its lines reach the screen only when a response brings news (see
// render.QuietFilter); a transcript records them all.
//
// The shell arms it while it waits at the prompt and disarms it before it
// acts on a line; disarm waits for a NOOP in flight, so the keepalive never
// sends while the shell does.
type keepalive struct {
	sh    *Shell
	every time.Duration // 0: off

	mu    sync.Mutex
	armed bool
	timer *time.Timer
	sess  *session.Session // armed for this connection
	busy  bool             // fire is sending a NOOP or waiting for it
	op    *op              // the NOOP in flight
	over  chan struct{}    // closed when fire is done
}

// arm starts the clock: a NOOP goes out after every of silence.
func (k *keepalive) arm() {
	if k.every <= 0 || k.sh.sess.IsClosed() {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.armed, k.sess = true, k.sh.sess
	if k.timer == nil {
		k.timer = time.AfterFunc(k.every, k.fire)
	} else {
		k.timer.Reset(k.every)
	}
}

// fire runs on the timer's goroutine.
func (k *keepalive) fire() {
	k.mu.Lock()
	if !k.armed || k.busy || k.sess.IsClosed() {
		k.mu.Unlock()
		return
	}
	if k.sess.InFlight() > 0 {
		// A command the user stopped waiting for is still running: its
		// responses keep the connection busy; look again later.
		k.timer.Reset(k.every)
		k.mu.Unlock()
		return
	}
	sess := k.sess
	k.busy, k.over = true, make(chan struct{})
	k.mu.Unlock()

	o, err := sess.Start(&Command{Text: "NOOP", Internal: true, Quiet: true})
	if err == nil {
		k.mu.Lock()
		k.op = o
		k.mu.Unlock()
		o.Wait(nil, false) // the completion, or the end of the connection
	}

	k.mu.Lock()
	if k.armed && err == nil {
		// The user still sits at the prompt: the NOOP may have brought
		// news (EXISTS, EXPUNGE) that the prompt's count shows.
		k.sh.con.SetPrompt(k.sh.prompt())
	}
	k.op, k.busy = nil, false
	close(k.over)
	if k.armed && !sess.IsClosed() {
		k.timer.Reset(k.every)
	}
	k.mu.Unlock()
}

// disarm stops the clock and waits (at most the connect timeout) for a
// NOOP in flight to complete, so that the shell never sends while it does.
func (k *keepalive) disarm() {
	if k.every <= 0 {
		return
	}
	k.mu.Lock()
	k.armed = false
	if k.timer != nil {
		k.timer.Stop()
	}
	busy, over := k.busy, k.over
	k.mu.Unlock()
	if !busy {
		return
	}
	select {
	case <-over:
	case <-time.After(k.sh.cfg.Timeout):
		k.mu.Lock()
		o := k.op
		k.mu.Unlock()
		k.sh.pr.Warn("the keepalive NOOP has not completed after %v; going on without it", k.sh.cfg.Timeout)
		if o != nil {
			o.Abandon()
		}
	}
}
