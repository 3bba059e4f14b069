package render

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/fatih/color"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// writeCounter counts the Writes made to it.
type writeCounter struct {
	bytes.Buffer
	writes int
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// session of events: a command, untagged lines, a literal, a note in the
// middle, the completion.
func feed(t *Terminal, lines int) {
	emit := func(e session.Event) { t.Observe(&e) }
	response := func(text string) {
		h := wire.ParseHead([]byte(text))
		emit(session.Event{Kind: session.Begin, Head: &h})
		emit(session.Event{Kind: session.Text, Data: []byte(text)})
		emit(session.Event{Kind: session.End, Resp: &session.Response{Head: h, Raw: []byte(text)}})
	}
	emit(session.Event{Kind: session.Sent, Tag: "a1", Line: "a1 FETCH 1:* (UID FLAGS BODY[])"})
	for i := 1; i <= lines; i++ {
		response("* " + strings.Repeat("7", i%5+1) + " FETCH (UID 9 FLAGS (\\Seen))")
		if i == lines/2 {
			emit(session.Event{Kind: session.Note, Level: session.LevelWarn, Text: "in the middle"})
		}
	}
	h := wire.ParseHead([]byte("* 1 FETCH (BODY[] {12}"))
	emit(session.Event{Kind: session.Begin, Head: &h})
	emit(session.Event{Kind: session.Text, Data: []byte("* 1 FETCH (BODY[] {12}")})
	emit(session.Event{Kind: session.Text, Data: []byte("\r\n")})
	emit(session.Event{Kind: session.Literal, Size: 12, Item: "BODY[]"})
	emit(session.Event{Kind: session.LiteralData, Data: []byte("hello\x1b\r\nworld")})
	emit(session.Event{Kind: session.LiteralEnd, Size: 12})
	emit(session.Event{Kind: session.Text, Data: []byte(")")})
	emit(session.Event{Kind: session.End, Resp: &session.Response{Head: h}})
	response("a1 OK [READ-WRITE] done")
}

// With Batch, the Terminal writes exactly what it writes without, in
// fewer Writes: server output waits for Idle (or batchSize octets), lines
// of imapsh's own go out at once, after what was held back.
func TestTerminalBatch(t *testing.T) {
	for _, colored := range []bool{false, true} {
		var plain, batched writeCounter
		feed(NewTerminal(&plain, Options{Color: colored}), 5000)
		bt := NewTerminal(&batched, Options{Color: colored, Batch: true})
		feed(bt, 5000)
		bt.Observe(&session.Event{Kind: session.Idle})
		if plain.String() != batched.String() {
			t.Fatalf("color %v: batched output differs:\n%q\n%q", colored, plain.String()[:300], batched.String()[:300])
		}
		if plain.writes < 5000 || batched.writes > 20 {
			t.Errorf("color %v: %d writes without Batch, %d with", colored, plain.writes, batched.writes)
		}
	}

	var w writeCounter
	bt := NewTerminal(&w, Options{Batch: true})
	if !bt.Interest().Has(session.Idle) || NewTerminal(&w, Options{}).Interest().Has(session.Idle) {
		t.Error("Interest: Idle wanted only with Batch")
	}
	h := wire.ParseHead([]byte("* 3 EXISTS"))
	bt.Observe(&session.Event{Kind: session.Begin, Head: &h})
	bt.Observe(&session.Event{Kind: session.Text, Data: []byte("* 3 EXISTS")})
	bt.Observe(&session.Event{Kind: session.End})
	if w.Len() != 0 {
		t.Fatalf("written before Idle: %q", w.String())
	}
	bt.Observe(&session.Event{Kind: session.Note, Level: session.LevelNote, Text: "mine"})
	if got, want := w.String(), "S: * 3 EXISTS\n# mine\n"; got != want {
		t.Fatalf("a note: %q, want %q (held-back output first)", got, want)
	}
}

// The palette writes exactly what fatih/color's Sprint writes.
func TestStyleMatchesColor(t *testing.T) {
	for _, attrs := range [][]color.Attribute{{color.FgCyan, color.Bold}, {color.Bold, color.Underline}, {color.FgBlack, color.BgYellow}, {color.FgHiBlue}} {
		c := color.New(attrs...)
		c.EnableColor()
		if got, want := string(newStyle(c).wrap(nil, []byte("some text"))), c.Sprint("some text"); got != want {
			t.Errorf("%v: %q, want %q", attrs, got, want)
		}
	}
	if got := string(newStyle(color.New(color.FgRed)).wrap(nil, nil)); got != "" {
		t.Errorf("empty text: %q", got)
	}
}

// refText is how the Terminal printed response text before its fast path:
// each line (up to LF, a CR before it dropped) sanitized and wrapped in
// the style on its own. FuzzText holds the fast path to it.
type refText struct {
	st   style
	san  sanitizer
	bol  bool
	out  []byte
	code []byte
	hl   style
}

func (r *refText) text(b []byte, final bool) {
	for len(b) > 0 {
		if r.bol {
			r.out = append(r.out, prefixServer...)
			r.bol = false
		}
		i := bytes.IndexByte(b, '\n')
		seg := b
		if i >= 0 {
			seg = b[:i]
			if len(seg) > 0 && seg[len(seg)-1] == '\r' {
				seg = seg[:len(seg)-1]
			}
		}
		clean := r.san.append(nil, seg, final || i >= 0)
		if j := bytes.Index(clean, r.code); len(r.code) > 0 && j >= 0 {
			k := j + len(r.code)
			r.out = r.st.wrap(r.out, clean[:j])
			r.out = r.hl.wrap(r.out, clean[j:k])
			r.out = r.st.wrap(r.out, clean[k:])
			r.code = nil
		} else {
			r.out = r.st.wrap(r.out, clean)
		}
		if i < 0 {
			return
		}
		r.out = append(r.out, '\n')
		r.bol = true
		b = b[i+1:]
	}
}

// FuzzText holds the printer to refText: uncolored, the input cut into
// chunks as literal chunks come prints exactly as the whole input does
// (a CRLF split between chunks included); colored, the whole input prints
// as refText prints it.
func FuzzText(f *testing.F) {
	for _, s := range []string{"* OK [UIDNEXT 5] hi\r\nline two\r\n", "a\\\r\nb\x1b\r\n\r\n", "caf\xc3\r\n\xa9\n", "plain text only", "\r", "\r\n\r\n", "x\\", "[CODE] [CODE]\nz", "ab\r\r\ncd\r"} {
		f.Add([]byte(s), uint8(3), true, false)
	}
	var long []byte
	for i := 0; i < 40; i++ {
		long = append(long, strings.Repeat("x", i)...)
		long = append(long, [][]byte{[]byte("\r\n"), []byte("\\Seen\r\n"), []byte("\x1b\r\n"), []byte("caf\xc3\xa9\r\n"), []byte("\n"), []byte("\r")}[i%6]...)
	}
	f.Add(long, uint8(128), false, false)
	f.Add(long, uint8(131), false, false)
	f.Add(long, uint8(255), false, false)
	f.Fuzz(func(t *testing.T, in []byte, cut uint8, colored, code bool) {
		pal := newPalette(true)
		st := style{}
		if colored {
			st = pal.untagged
		}
		term := NewTerminal(io.Discard, Options{Color: true})
		rw := &term.rw
		rw.st, rw.first, rw.bol = st, true, true
		ref := &refText{st: st, bol: true, hl: pal.code}
		if code {
			rw.code, ref.code = []byte("[CODE]"), []byte("[CODE]")
		}
		ref.text(in, true)
		if colored || code {
			rw.text(in, true)
		} else {
			// Cut into chunks of cut octets, the last one final: small
			// ones, or from 128 octets up, where whole lines are
			// copied many at a time.
			size := int(cut)%17 + 1
			if cut >= 128 {
				size = 128 + (int(cut)-128)*16
			}
			for b := in; len(b) > 0; {
				n := min(size, len(b))
				rw.text(b[:n], n == len(b))
				b = b[n:]
			}
		}
		rw.flushCR() // as the literal's end does
		if !bytes.Equal(rw.out, ref.out) {
			t.Fatalf("text:\n%q\nwant:\n%q", rw.out, ref.out)
		}
	})
}
