package session_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/repl/internal/session"
)

// picky is an observer that asks for some kinds only.
type picky struct {
	recorder
	want session.Kinds
}

func (p *picky) Interest() session.Kinds { return p.want }

// The hub hands an observer with an Interest only the kinds it names, and
// one without every kind but Idle; Idle comes when the engine has handed
// on what it read, before it waits for more: after the greeting, between
// commands, and after the last response of each.
func TestHubInterestAndIdle(t *testing.T) {
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK ready")
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, _, _ := strings.Cut(line, " ")
			c.Send("* 1 EXISTS")
			c.Send(tag + " OK done")
		}
	})
	all := &recorder{}
	ends := &picky{want: session.KindsOf(session.End, session.Idle)}
	s := dial(t, srv, all, ends)
	run(t, s, &session.Command{Text: "NOOP"})
	run(t, s, &session.Command{Text: "NOOP"})
	s.Close()

	all.mu.Lock()
	if slices.Contains(all.kinds, session.Idle) {
		t.Errorf("an observer without Interest got Idle: %v", all.kinds)
	}
	if !slices.Contains(all.kinds, session.Sent) || !slices.Contains(all.kinds, session.Text) {
		t.Errorf("an observer without Interest missed events: %v", all.kinds)
	}
	all.mu.Unlock()

	ends.mu.Lock()
	defer ends.mu.Unlock()
	var idles int
	for _, k := range ends.kinds {
		switch k {
		case session.End:
		case session.Idle:
			idles++
		default:
			t.Errorf("an observer interested in End and Idle got %v", k)
		}
	}
	// At least: before the first command's responses and before the
	// second's (the responses of one command may come in one read).
	if idles < 2 {
		t.Errorf("Idle came %d times: %v", idles, ends.kinds)
	}
	if ends.kinds[len(ends.kinds)-1] != session.Idle {
		t.Errorf("the engine waited without an Idle first: %v", ends.kinds)
	}
}

// Observers added and removed while events flow see whole events, and a
// removed observer sees none afterwards.
func TestHubAddRemove(t *testing.T) {
	h := session.NewHub()
	a, b := &recorder{}, &picky{want: session.KindsOf(session.Note)}
	h.Add(a)
	h.Add(b)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 100 {
			h.Emit(&session.Event{Kind: session.Note, Text: "n"})
		}
	}()
	h.Emit(&session.Event{Kind: session.Begin})
	wg.Wait()
	h.Remove(a)
	h.Emit(&session.Event{Kind: session.Note})
	if n := len(a.kinds); n != 101 {
		t.Errorf("a saw %d events, want 101", n)
	}
	if n := len(b.kinds); n != 101 {
		t.Errorf("b saw %d notes, want 101 (and no Begin)", n)
	}
	if !h.Wants(session.Note) || h.Wants(session.Idle) {
		t.Error("Wants is wrong")
	}
}
