package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// clock is a fake time that moves on by step at each reading.
type clock struct {
	t    time.Time
	step time.Duration
}

func (c *clock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

func TestProgressSavedLiteral(t *testing.T) {
	var out bytes.Buffer
	c := &clock{t: time.Unix(0, 0), step: 100 * time.Millisecond}
	p := NewProgress(&out, ProgressOptions{Min: 1000, Shown: 2048, Now: c.now})
	chunk := make([]byte, 1000)
	p.Observe(&session.Event{Kind: session.Literal, Size: 5000, Item: "BODY[]", Sink: "received by save"})
	for i := 0; i < 5; i++ {
		p.Observe(&session.Event{Kind: session.LiteralData, Data: chunk, Sink: "received by save"})
	}
	p.Observe(&session.Event{Kind: session.LiteralEnd, Size: 5000, Sink: "received by save"})
	got := out.String()
	for _, want := range []string{"\r[BODY[]: 2.0 kB of 5.0 kB (40%), 10.0 kB/s]\x1b[K", "\r[BODY[]: 4.0 kB of 5.0 kB (80%), ", "\r\x1b[K"} {
		if !strings.Contains(got, want) {
			t.Errorf("status lines %q lack %q", got, want)
		}
	}
	if !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("the status line is not erased at the end: %q", got)
	}
}

// TestProgressShownLiteral: a literal the Terminal prints gets a status
// line only after the part it prints, on a line of its own; a small one
// none; and any other event erases the line first.
func TestProgressShownLiteral(t *testing.T) {
	var out bytes.Buffer
	c := &clock{t: time.Unix(0, 0), step: time.Second}
	p := NewProgress(&out, ProgressOptions{Min: 1000, Shown: 2048, Now: c.now})
	p.Observe(&session.Event{Kind: session.Literal, Size: 500, Item: "BODY[]"})
	p.Observe(&session.Event{Kind: session.LiteralData, Data: make([]byte, 500)})
	p.Observe(&session.Event{Kind: session.LiteralEnd, Size: 500})
	if out.Len() != 0 {
		t.Fatalf("a small literal got a status line: %q", out.String())
	}
	p.Observe(&session.Event{Kind: session.Literal, Size: 10000, Item: "BODY[]"})
	p.Observe(&session.Event{Kind: session.LiteralData, Data: make([]byte, 2048)})
	if out.Len() != 0 {
		t.Fatalf("a status line over the printed part: %q", out.String())
	}
	p.Observe(&session.Event{Kind: session.LiteralData, Data: make([]byte, 3000)})
	if got := out.String(); !strings.HasPrefix(got, "\n[BODY[]: 5.0 kB of 10.0 kB (50%)") {
		t.Fatalf("first status line %q", got)
	}
	out.Reset()
	p.Observe(&session.Event{Kind: session.Note, Text: "hello"})
	if out.String() != "\r\x1b[K" {
		t.Errorf("a note did not erase the status line first: %q", out.String())
	}
}
