package render_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestQuietFilter runs quiet NOOPs against a server that has nothing to say
// to the first, news for the second (EXISTS after an OK that is no news),
// an [ALERT] for the third and a NO for the fourth; a typed NOOP in between
// is shown whole. Behind the filter the terminal shows only the news and
// the commands that brought it; the record of everything (Plain, not
// behind the filter) has every line.
func TestQuietFilter(t *testing.T) {
	n := 0
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK ready")
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, _, _ := strings.Cut(line, " ")
			n++
			switch n {
			case 1:
				c.Send("* OK still here")
				c.Send(tag + " OK NOOP completed")
			case 2:
				c.Send("* OK [HIGHESTMODSEQ 9] nothing")
				c.Send("* 3 EXISTS")
				c.Send("* 1 RECENT")
				c.Send(tag + " OK NOOP completed")
			case 3:
				c.Send(tag + " OK typed noop")
			case 4:
				c.Send("* OK [ALERT] maintenance at noon")
				c.Send(tag + " OK NOOP completed")
			case 5:
				c.Send(tag + " NO [UNAVAILABLE] try later")
			}
		}
	})
	conn, err := wire.Dial(context.Background(), wire.DialConfig{Addr: srv.Addr, Security: wire.Plaintext, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var screen, record lockedBuffer
	plain := render.NewPlain(&record)
	hub := session.NewHub(render.NewQuietFilter(render.NewTerminal(&screen, render.Options{})), plain)
	s := session.New(conn, hub, session.NewState("h"), session.Options{CaptureLimit: 1 << 20})
	if _, err := s.Greeting(); err != nil {
		t.Fatal(err)
	}
	s.Run()
	defer s.Close()
	for i, quiet := range []bool{true, true, false, true, true} {
		o, err := s.Start(&session.Command{Text: "NOOP", Internal: quiet, Quiet: quiet})
		if err != nil {
			t.Fatal(err)
		}
		if kind, _ := o.Wait(nil, false); kind != session.WaitDone {
			t.Fatalf("NOOP %d: %v", i+1, kind)
		}
	}
	plain.Flush()
	want := strings.Join([]string{
		"S: * OK ready",
		"C: a002 NOOP",
		"S: * 3 EXISTS",
		"S: * 1 RECENT",
		"S: a002 OK NOOP completed",
		"C: a003 NOOP",
		"S: a003 OK typed noop",
		"C: a004 NOOP",
		"S: * OK [ALERT] maintenance at noon",
		"S: a004 OK NOOP completed",
		"C: a005 NOOP",
		"S: a005 NO [UNAVAILABLE] try later",
		"",
	}, "\n")
	got := screen.String()
	if got != want {
		t.Errorf("screen:\n%s\nwant:\n%s", got, want)
	}
	for _, l := range []string{"a001 NOOP", "* OK still here", "a001 OK NOOP completed", "HIGHESTMODSEQ 9"} {
		if !strings.Contains(record.String(), l) {
			t.Errorf("the full record lacks %q:\n%s", l, record.String())
		}
	}
}
