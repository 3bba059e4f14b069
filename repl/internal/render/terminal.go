// Package render shows a session to people: Terminal prints every event
// of the engine (package session) with the prefixes of the RFC examples,
// in color when asked, with untrusted server text made safe (Sanitize);
// Plain writes a redacted plain-text record of the same events. Both are
// observers: the engine knows nothing of them.
package render

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fatih/color"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// Printed lines carry the prefixes of RFC 9051's examples, so the output is
// unambiguous without color: "C: " for what imapsh sent, "S: " for what the
// server sent, and "# " for imapsh's own notes.
const (
	prefixClient = "C: "
	prefixServer = "S: "
	prefixNote   = "# "
)

// style is one color of the palette: the escape sequences that go before
// and after the text, worked out once; a zero style prints plain text.
type style struct{ pre, post string }

// newStyle takes the escape sequences of a color from fatih/color, so a
// colored text is written exactly as c.Sprint writes it.
func newStyle(c *color.Color) style {
	s := c.Sprint("x")
	i := strings.IndexByte(s, 'x')
	return style{pre: s[:i], post: s[i+1:]}
}

// wrap appends text, which is already sanitized, in the style; an empty
// text gets no escape sequences.
func (s style) wrap(dst []byte, text []byte) []byte {
	if s.pre == "" || len(text) == 0 {
		return append(dst, text...)
	}
	dst = append(dst, s.pre...)
	dst = append(dst, text...)
	return append(dst, s.post...)
}

type palette struct {
	client, untagged, cont, ok, no, bad, code, note, warn, err, literal style
	violation                                                           style // the watchdog's findings
}

func newPalette(enabled bool) palette {
	if !enabled {
		return palette{}
	}
	mk := func(attrs ...color.Attribute) style {
		c := color.New(attrs...)
		c.EnableColor()
		return newStyle(c)
	}
	return palette{
		client:   mk(color.FgCyan, color.Bold),
		untagged: mk(color.FgHiBlue),
		cont:     mk(color.FgMagenta),
		ok:       mk(color.FgGreen),
		no:       mk(color.FgYellow),
		bad:      mk(color.FgRed, color.Bold),
		code:     mk(color.Bold, color.Underline),
		note:     mk(color.FgHiBlack),
		warn:     mk(color.FgYellow),
		err:      mk(color.FgRed, color.Bold),
		// Black on yellow: a finding of imapsh's, never server text.
		violation: mk(color.FgBlack, color.BgYellow),
	}
}

// Options configures a Terminal.
type Options struct {
	Color bool // use the palette
	// Summarize shows only the first 2048 octets of literals larger than
	// LiteralLimit, then a note (at the terminal; scripts see all).
	Summarize    bool
	LiteralLimit int64
	// Batch holds server output back until the engine waits for the
	// network (the Idle event) or batchSize octets are pending, so that a
	// burst of short responses is written with a few Writes instead of one
	// each. Lines imapsh sends and its notes are written at once. For a
	// writer nobody else writes to (script mode); an Idle event sent
	// through the hub writes what is pending. While timestamps are on,
	// every line is written when it comes, so that it is timed then.
	Batch bool
	// Timestamps prefixes every line with the time since the previous
	// one (see SetTimestamps).
	Timestamps bool
}

// batchSize is how much server output Batch holds back at most. (Batch is
// fixed by NewTerminal; SetOptions does not change it.)
const batchSize = 64 << 10

// Terminal prints a session's events. It builds each line or batch whole,
// colors included, and writes it with one Write call, so a readline
// prompt is redrawn once per batch. Observe must be called one event at a
// time, as a Hub does (it takes no lock of its own for each event); the
// setters are safe for concurrent use.
type Terminal struct {
	w       io.Writer
	stamp   *stampWriter // w, with the timestamps when they are on
	stamped atomic.Bool  // they are on
	pal     palette
	buf     []byte
	pend    []byte // with Batch: output not written yet

	mu  sync.Mutex // guards opt and cover
	opt Options
	// cover says which anomaly rules are reported by another observer.
	cover func(rule string) bool

	// The response being streamed, reader goroutine only (events arrive
	// one at a time).
	rw        respWriter
	lineStyle style
	lit       struct {
		n, show, shown int64
		item, sink     string
	}
}

// NewTerminal returns a Terminal writing to w.
func NewTerminal(w io.Writer, opt Options) *Terminal {
	st := &stampWriter{w: w, now: time.Now}
	t := &Terminal{w: st, stamp: st, pal: newPalette(opt.Color), opt: opt}
	st.setOn(opt.Timestamps)
	t.stamped.Store(opt.Timestamps)
	t.rw.p = t
	return t
}

// SetTimestamps turns on or off the prefix of every printed line with the
// time since the previous line began ("+0.075s "); the first line after
// turning it on is timed from that moment.
func (p *Terminal) SetTimestamps(on bool) {
	p.stamp.setOn(on)
	p.stamped.Store(on)
}

// SetCovered names the anomaly rules another observer (the protocol
// watchdog) reports, so that the Terminal does not say them twice.
func (p *Terminal) SetCovered(covered func(rule string) bool) {
	p.mu.Lock()
	p.cover = covered
	p.mu.Unlock()
}

func (p *Terminal) covered(rule string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return rule != "" && p.cover != nil && p.cover(rule)
}

// Interest names the events the Terminal prints (all but the octets of
// literals imapsh sends, which it summarises), and Idle when it batches.
func (p *Terminal) Interest() session.Kinds {
	k := session.AllKinds &^ session.KindsOf(session.SentData)
	if p.opt.Batch {
		k |= session.KindsOf(session.Idle)
	}
	return k
}

// commit hands output on: written at once, or with Batch kept until
// batchSize octets are pending. It returns b emptied for reuse.
func (p *Terminal) commit(b []byte) []byte {
	switch {
	case len(b) == 0:
	case !p.opt.Batch || p.stamped.Load():
		p.writePending()
		p.w.Write(b)
	case len(p.pend)+len(b) < batchSize:
		if len(p.pend) == 0 {
			p.pend, b = b, p.pend // no copy
		} else {
			p.pend = append(p.pend, b...)
		}
	case len(p.pend) == 0:
		p.w.Write(b)
	default:
		p.pend = append(p.pend, b...)
		p.writePending()
	}
	if cap(b) > 1<<20 {
		return nil
	}
	return b[:0]
}

// writePending writes what Batch holds back.
func (p *Terminal) writePending() {
	if len(p.pend) > 0 {
		p.w.Write(p.pend)
		p.pend = p.pend[:0]
	}
	if cap(p.pend) > 1<<20 {
		p.pend = nil
	}
}

// SetOptions changes the literal summary settings.
func (p *Terminal) SetOptions(opt Options) {
	p.mu.Lock()
	p.opt.Summarize, p.opt.LiteralLimit = opt.Summarize, opt.LiteralLimit
	p.mu.Unlock()
}

// flush writes imapsh's own lines (p.buf) at once, after any output held
// back.
func (p *Terminal) flush() {
	p.buf = p.commit(p.buf)
	p.writePending()
}

// Observe prints one event. An Idle event writes what Batch holds back.
func (p *Terminal) Observe(e *session.Event) {
	switch e.Kind {
	case session.Sent:
		line := e.Display
		if line == "" {
			line = session.Redact(e.Line, e.Secrets)
		}
		p.sent(line)
	case session.SentLiteral:
		p.sent(fmt.Sprintf("[%d octets: %s]", e.Size, e.Text))
	case session.Begin:
		p.rw.start(*e.Head)
		p.lineStyle = p.rw.st
	case session.Text:
		p.rw.text(e.Data, true)
	case session.Literal:
		p.literalStart(e)
	case session.LiteralData:
		if p.lit.sink == "" && p.lit.shown < p.lit.show {
			p.rw.text(e.Data[:min(int64(len(e.Data)), p.lit.show-p.lit.shown)], false)
			if !p.opt.Batch || len(p.rw.out) >= batchSize {
				p.rw.flush()
			}
		}
		p.lit.shown += int64(len(e.Data))
	case session.LiteralEnd:
		p.literalEnd(e)
	case session.End:
		p.rw.end()
	case session.Note:
		p.note(e.Level, e.Text)
	case session.Anomaly:
		if p.covered(e.Rule) {
			break
		}
		p.note(session.LevelWarn, e.Text)
	case session.Closed:
		switch {
		case e.Err == nil:
			p.flush()
		case e.Err == io.EOF:
			p.note(session.LevelWarn, "the server closed the connection")
		default:
			p.note(session.LevelWarn, fmt.Sprintf("the connection failed: %v", e.Err))
		}
	case session.Idle:
		// The engine waits for the network: show what came so far, the
		// response in progress included.
		p.rw.flush()
		p.writePending()
	}
}

func (p *Terminal) literalStart(e *session.Event) {
	p.lit.n, p.lit.shown, p.lit.item, p.lit.sink = e.Size, 0, e.Item, e.Sink
	p.lit.show = e.Size
	p.mu.Lock()
	if p.opt.Summarize && e.Size > p.opt.LiteralLimit {
		p.lit.show = min(e.Size, 2048)
	}
	p.mu.Unlock()
	if e.Sink == "" {
		p.rw.literal(true, p.lineStyle)
	}
}

func (p *Terminal) literalEnd(e *session.Event) {
	l := &p.lit
	switch {
	case l.sink != "" && e.Err != nil && e.Err != io.EOF && e.Size == l.n:
		p.rw.note("[%d octets of %s read; writing them %s failed: %v]", e.Size, l.item, l.sink, e.Err)
	case l.sink != "":
		p.rw.note("[%d of %d octets of %s %s, not shown]", e.Size, l.n, l.item, l.sink)
	default:
		if l.show < l.n && e.Size == l.n {
			p.rw.note("[... %d more octets of this %d-octet literal not shown: use `save UID FILE` to keep it whole, or run with --raw]", l.n-l.show, l.n)
			p.rw.bol = true
		}
		p.rw.literal(false, p.lineStyle)
	}
}

// sent prints a line imapsh sent to the server.
func (p *Terminal) sent(line string) {
	p.buf = append(p.buf, prefixClient...)
	p.buf = p.pal.client.wrap(p.buf, []byte(sanitize(line)))
	p.buf = append(p.buf, '\n')
	p.flush()
}

func (p *Terminal) note(l session.Level, text string) {
	switch l {
	case session.LevelPlain:
		p.line(style{}, text)
	case session.LevelNote:
		p.line(p.pal.note, text)
	case session.LevelWarn:
		p.line(p.pal.warn, "warning: "+text)
	case session.LevelViolation:
		p.line(p.pal.violation, "violation: "+text)
	default:
		p.line(p.pal.err, "error: "+text)
	}
}

// line prints lines of imapsh's own, each sanitized and prefixed "# ".
func (p *Terminal) line(s style, text string) {
	for _, l := range strings.Split(text, "\n") {
		p.buf = append(p.buf, prefixNote...)
		p.buf = s.wrap(p.buf, []byte(sanitize(l)))
		p.buf = append(p.buf, '\n')
	}
	p.flush()
}

// respStyle picks the color of a response from its head.
func (p *Terminal) respStyle(h wire.Head) style {
	switch {
	case h.Kind == wire.Continuation:
		return p.pal.cont
	case h.Name == "BAD" || h.Name == "BYE":
		return p.pal.bad
	case h.Kind == wire.Tagged && h.Name == "OK":
		return p.pal.ok
	case h.Kind == wire.Tagged:
		if h.Name == "NO" {
			return p.pal.no
		}
		return p.pal.bad // a tagged response that is no status at all
	case h.Name == "NO":
		return p.pal.no
	}
	return p.pal.untagged
}

// respWriter prints one response as it streams in: the text of its lines
// and literals, each server line prefixed "S: ", everything sanitized. It
// is used under the Terminal's lock.
type respWriter struct {
	p     *Terminal
	st    style
	code  []byte // "[CODE]" (sanitized) to highlight on the first line, or nil
	first bool
	bol   bool // at the beginning of a printed line
	san   sanitizer
	out   []byte // the response so far, not handed on yet
	clean []byte // scratch for sanitized segments
	cr    bool   // a CR ended the last chunk: is an LF next?
}

func (r *respWriter) start(h wire.Head) {
	r.st, r.first, r.bol = r.p.respStyle(h), true, true
	r.code = r.code[:0]
	if h.Code != "" {
		r.code = append(append(append(r.code, '['), sanitize(h.Code)...), ']')
	}
	r.san = sanitizer{}
	r.out = r.out[:0]
	r.cr = false
}

// text adds response bytes: CRLF or LF ends a printed line. With final
// false (a literal's chunk, more to come) a CR at the end is held until
// the next chunk says whether an LF follows it: a CRLF split between two
// chunks ends a line as any other, whatever the chunks.
func (r *respWriter) text(b []byte, final bool) {
	if r.cr {
		r.cr = false
		if len(b) > 0 && b[0] == '\n' {
			if r.bol { // the line was the CR alone
				r.out = append(r.out, prefixServer...)
			}
			r.out = append(r.out, '\n')
			r.bol = true
			b = b[1:]
		} else {
			r.loneCR()
		}
	}
	if !final && len(b) > 0 && b[len(b)-1] == '\r' {
		r.text(b[:len(b)-1], true) // a CR follows: nothing before it is cut short
		if !r.san.clear() {
			// Octets held from the chunk before (part of a UTF-8
			// sequence, a backslash): the CR ends them.
			if r.bol {
				r.out = append(r.out, prefixServer...)
				r.bol = false
			}
			r.clean = r.san.append(r.clean[:0], nil, true)
			r.out = r.st.wrap(r.out, r.clean)
		}
		r.cr = true
		return
	}
	if r.first && len(r.code) > 0 {
		r.textCode(b, final)
		return
	}
	// One pass: the printable ASCII at the start of each line is copied
	// as it is, and a line made of nothing else ends without a search for
	// its end; the rest of a line goes through the sanitizer. Each line's
	// text is wrapped in the style's escape sequences (none around an
	// empty one), as segment does.
	out, pre := r.out, r.st.pre
	if pre == "" && r.san.clear() {
		// The common case, uncolored lines of plain text ending in CRLF
		// (a message body in a script): copied line by line.
		for len(b) > 0 {
			if r.bol && len(b) >= 128 { // (a chunk of a literal, not one line)
				// Lines of plain ASCII, many at a time (SSE2 on amd64);
				// the rest, one by one below.
				out = slices.Grow(out, 2*len(b))
				nd, ns := plainLines(out[len(out):cap(out)], b)
				out, b = out[:len(out)+nd], b[ns:]
				if len(b) == 0 {
					break
				}
			}
			n := plainSpan(b)
			if n == len(b) {
				// Plain to the end, with no line end (the text of a
				// one-line response, the start of a literal's line).
				if r.bol {
					out = append(out, prefixServer...)
					r.bol = false
				}
				out, b = append(out, b...), nil
				break
			}
			if n+1 >= len(b) || b[n] != '\r' || b[n+1] != '\n' {
				break
			}
			if r.bol {
				out = append(out, prefixServer...)
			}
			out = append(append(out, b[:n]...), '\n')
			r.bol = true
			b = b[n+2:]
		}
	}
	for len(b) > 0 {
		if r.bol {
			out = append(out, prefixServer...)
			r.bol = false
		}
		n0 := len(out)
		out = append(out, pre...)
		m := len(out)
		clear := r.san.clear()
		if clear {
			n := plainSpan(b)
			out = append(out, b[:n]...)
			b = b[n:]
		}
		ended := true
		switch {
		case clear && len(b) > 0 && b[0] == '\n':
			b = b[1:]
		case clear && len(b) > 1 && b[0] == '\r' && b[1] == '\n':
			b = b[2:]
		default:
			i := bytes.IndexByte(b, '\n')
			seg := b
			if i >= 0 {
				seg = b[:i]
				if len(seg) > 0 && seg[len(seg)-1] == '\r' {
					seg = seg[:len(seg)-1]
				}
				b = b[i+1:]
			} else {
				b, ended = nil, false
			}
			out = r.san.append(out, seg, final || ended)
		}
		if len(out) == m {
			out = out[:n0]
		} else if pre != "" {
			out = append(out, r.st.post...)
		}
		if !ended {
			break
		}
		out = append(out, '\n')
		r.bol = true
	}
	r.out = out
}

// textCode is text for the first line of a response with a response code
// to highlight.
func (r *respWriter) textCode(b []byte, final bool) {
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
		r.segment(seg, final || i >= 0)
		if i < 0 {
			return
		}
		r.out = append(r.out, '\n')
		r.bol = true
		b = b[i+1:]
		if !r.first {
			r.text(b, final)
			return
		}
	}
}

func (r *respWriter) segment(seg []byte, final bool) {
	r.clean = r.san.append(r.clean[:0], seg, final)
	clean := r.clean
	if r.first && len(r.code) > 0 {
		// Highlight "[CODE ...]" within the first line.
		if i := bytes.Index(clean, r.code); i >= 0 {
			j := i + len(r.code)
			r.out = r.st.wrap(r.out, clean[:i])
			r.out = r.p.pal.code.wrap(r.out, clean[i:j])
			r.out = r.st.wrap(r.out, clean[j:])
			r.first = false
			return
		}
	}
	r.out = r.st.wrap(r.out, clean)
}

// loneCR shows a CR that no LF follows, as the sanitizer shows it.
func (r *respWriter) loneCR() {
	if r.bol {
		r.out = append(r.out, prefixServer...)
		r.bol = false
	}
	r.out = r.st.wrap(r.out, []byte(`\x0d`))
}

// flushCR shows a CR held at the end of the last chunk, when no more
// chunks come.
func (r *respWriter) flushCR() {
	if r.cr {
		r.cr = false
		r.loneCR()
	}
}

// literalStyle switches to the literal color (uncolored) for literal
// content and back.
func (r *respWriter) literal(on bool, lineStyle style) style {
	r.flushCR()
	old := r.st
	if on {
		r.st = r.p.pal.literal
	} else {
		r.st = lineStyle
	}
	r.first = false
	return old
}

// note ends the current printed line if needed and adds a note line.
func (r *respWriter) note(format string, args ...any) {
	r.flushCR()
	if !r.bol {
		r.out = append(r.out, '\n')
		r.bol = true
	}
	r.out = append(r.out, prefixNote...)
	r.out = r.p.pal.note.wrap(r.out, []byte(sanitize(fmt.Sprintf(format, args...))))
	r.out = append(r.out, '\n')
}

// flush hands on the response so far (see Terminal.commit).
func (r *respWriter) flush() {
	r.out = r.p.commit(r.out)
}

// end finishes the response with a line end and writes it.
func (r *respWriter) end() {
	r.flushCR()
	if !r.bol {
		r.out = append(r.out, '\n')
		r.bol = true
	}
	r.flush()
}
