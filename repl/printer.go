package repl

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/fatih/color"
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
	}
}

// Printer is the one place output is written. It builds each line or batch
// whole, colors included, and writes it with one Write call, so a readline
// prompt is redrawn once per batch. It is safe for concurrent use.
type Printer struct {
	mu  sync.Mutex
	w   io.Writer
	pal palette
	buf []byte
}

// NewPrinter returns a Printer writing to w, with color when enabled.
func NewPrinter(w io.Writer, enabled bool) *Printer {
	return &Printer{w: w, pal: newPalette(enabled)}
}

func (p *Printer) flush() {
	if len(p.buf) > 0 {
		p.w.Write(p.buf)
		p.buf = p.buf[:0]
	}
}

// Sent prints a line imapsh sent to the server.
func (p *Printer) Sent(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, prefixClient...)
	p.buf = p.pal.client.wrap(p.buf, []byte(sanitize(line)))
	p.buf = append(p.buf, '\n')
	p.flush()
}

// Note prints one of imapsh's own remarks.
func (p *Printer) Note(format string, args ...any) { p.line(p.pal.note, format, args...) }

// Warn prints a warning the user should read.
func (p *Printer) Warn(format string, args ...any) { p.line(p.pal.warn, "warning: "+format, args...) }

// Error prints an error of imapsh's (not the server's).
func (p *Printer) Error(format string, args ...any) { p.line(p.pal.err, "error: "+format, args...) }

// Plain prints lines of imapsh's own output (tables, help) without a color.
func (p *Printer) Plain(format string, args ...any) { p.line(style{}, format, args...) }

func (p *Printer) line(s style, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
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
func (p *Printer) respStyle(h wire.Head) style {
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
// and literals, each server line prefixed "S: ", everything sanitized. A
// respWriter is used by one goroutine; it holds the Printer's lock only
// while it writes a batch.
type respWriter struct {
	p     *Printer
	st    style
	code  string // response code to highlight on the first line
	first bool
	bol   bool // at the beginning of a printed line
	san   sanitizer
	out   []byte
	clean []byte // scratch for sanitized segments
}

func (p *Printer) response(h wire.Head) *respWriter {
	return &respWriter{p: p, st: p.respStyle(h), code: h.Code, first: true, bol: true}
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
	r.out = r.out[:0]
}

// end finishes the response with a line end and writes it.
func (r *respWriter) end() {
	if !r.bol {
		r.out = append(r.out, '\n')
		r.bol = true
	}
	r.flush()
}
