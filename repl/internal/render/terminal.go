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
	"strings"
	"sync"
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

// style is one color of the palette; a zero style prints plain text.
type style struct{ c *color.Color }

func (s style) wrap(dst []byte, text []byte) []byte {
	if s.c == nil || len(text) == 0 {
		return append(dst, text...)
	}
	// Sprint handles the escape codes; text is already sanitized.
	return append(dst, s.c.Sprint(string(text))...)
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
		return style{c}
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
	// Timestamps prefixes every line with the time since the previous
	// one (see SetTimestamps).
	Timestamps bool
}

// Terminal prints a session's events. It builds each line or batch whole,
// colors included, and writes it with one Write call, so a readline
// prompt is redrawn once per batch. It is safe for concurrent use.
type Terminal struct {
	mu    sync.Mutex
	w     io.Writer
	stamp *stampWriter // w, with the timestamps when they are on
	pal   palette
	opt   Options
	buf   []byte
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
	t.rw.p = t
	return t
}

// SetTimestamps turns on or off the prefix of every printed line with the
// time since the previous line began ("+0.075s "); the first line after
// turning it on is timed from that moment.
func (p *Terminal) SetTimestamps(on bool) { p.stamp.setOn(on) }

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

// SetOptions changes the literal summary settings.
func (p *Terminal) SetOptions(opt Options) {
	p.mu.Lock()
	p.opt.Summarize, p.opt.LiteralLimit = opt.Summarize, opt.LiteralLimit
	p.mu.Unlock()
}

func (p *Terminal) flush() {
	if len(p.buf) > 0 {
		p.w.Write(p.buf)
		p.buf = p.buf[:0]
	}
}

// Observe prints one event.
func (p *Terminal) Observe(e *session.Event) {
	switch e.Kind {
	case session.Sent:
		line := e.Display
		if line == "" {
			line = session.Redact(e.Line, e.Secrets)
		}
		p.Sent(line)
	case session.SentLiteral:
		p.Sent(fmt.Sprintf("[%d octets: %s]", e.Size, e.Text))
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
			p.rw.flush()
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
		case e.Err == io.EOF:
			p.note(session.LevelWarn, "the server closed the connection")
		default:
			p.note(session.LevelWarn, fmt.Sprintf("the connection failed: %v", e.Err))
		}
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

// Sent prints a line imapsh sent to the server.
func (p *Terminal) Sent(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
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
	p.mu.Lock()
	defer p.mu.Unlock()
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
// is used by one goroutine at a time; it holds the Terminal's lock only
// while it writes a batch.
type respWriter struct {
	p     *Terminal
	st    style
	code  string // response code to highlight on the first line
	first bool
	bol   bool // at the beginning of a printed line
	san   sanitizer
	out   []byte
	clean []byte // scratch for sanitized segments
}

func (r *respWriter) start(h wire.Head) {
	r.st, r.code, r.first, r.bol = r.p.respStyle(h), h.Code, true, true
	r.san = sanitizer{}
	r.out = r.out[:0]
}

// text adds response bytes: CRLF or LF ends a printed line.
func (r *respWriter) text(b []byte, final bool) {
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
	}
}

func (r *respWriter) segment(seg []byte, final bool) {
	r.clean = r.san.append(r.clean[:0], seg, final)
	clean := r.clean
	if r.first && r.code != "" {
		// Highlight "[CODE ...]" within the first line.
		if i := bytes.Index(clean, []byte("["+sanitize(r.code)+"]")); i >= 0 {
			j := i + len(sanitize(r.code)) + 2
			r.out = r.st.wrap(r.out, clean[:i])
			r.out = r.p.pal.code.wrap(r.out, clean[i:j])
			r.out = r.st.wrap(r.out, clean[j:])
			r.first = false
			return
		}
	}
	r.out = r.st.wrap(r.out, clean)
}

// literalStyle switches to the literal color (uncolored) for literal
// content and back.
func (r *respWriter) literal(on bool, lineStyle style) style {
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
	if !r.bol {
		r.out = append(r.out, '\n')
		r.bol = true
	}
	r.out = append(r.out, prefixNote...)
	r.out = r.p.pal.note.wrap(r.out, []byte(sanitize(fmt.Sprintf(format, args...))))
	r.out = append(r.out, '\n')
}

// flush writes what is pending in one Write.
func (r *respWriter) flush() {
	if len(r.out) == 0 {
		return
	}
	r.p.mu.Lock()
	r.p.w.Write(r.out)
	r.p.mu.Unlock()
	if cap(r.out) > 1<<20 {
		r.out = nil
	} else {
		r.out = r.out[:0]
	}
}

// end finishes the response with a line end and writes it.
func (r *respWriter) end() {
	if !r.bol {
		r.out = append(r.out, '\n')
		r.bol = true
	}
	r.flush()
}
