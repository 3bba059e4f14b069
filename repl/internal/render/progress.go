package render

import (
	"fmt"
	"io"
	"time"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// ProgressOptions configures a Progress.
type ProgressOptions struct {
	// Min is the literal size from which progress is shown.
	Min int64
	// Shown is how many octets of a literal that goes to the screen the
	// Terminal prints (Terminal's Summarize); the status line starts after
	// them. 0 means the Terminal prints them all, and then no status line
	// is drawn for such a literal.
	Shown int64
	// Every is the least time between two redraws.
	Every time.Duration
	// Now replaces time.Now (tests).
	Now func() time.Time
}

// Progress shows the transfer of a big server literal (a FETCH of a large
// message, a save) on one status line at the terminal: the octets done of
// the size announced and the rate, redrawn in place at most once per
// Every, and erased before anything else is printed. It is an observer:
// add it to the hub before the Terminal, so that its line is gone before
// the Terminal prints. It writes to the terminal only, never to a
// transcript, and is meant for an interactive session whose output is a
// terminal. Events arrive one at a time (see session.Observer).
type Progress struct {
	w   io.Writer
	opt ProgressOptions

	on         bool // following a literal
	drawn      bool // the status line is on the screen
	sink       bool
	item       string
	n, size    int64
	start, due time.Time
}

// NewProgress returns a Progress writing to w.
func NewProgress(w io.Writer, opt ProgressOptions) *Progress {
	if opt.Min == 0 {
		opt.Min = 1 << 20
	}
	if opt.Every == 0 {
		opt.Every = 200 * time.Millisecond
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Progress{w: w, opt: opt}
}

// Observe follows literals and erases the status line before other output.
func (p *Progress) Observe(e *session.Event) {
	switch e.Kind {
	case session.Literal:
		p.erase()
		p.on = e.Size >= p.opt.Min && (e.Sink != "" || p.opt.Shown > 0)
		p.n, p.size, p.item, p.sink = 0, e.Size, e.Item, e.Sink != ""
		p.start = p.opt.Now()
		p.due = p.start.Add(p.opt.Every)
	case session.LiteralData:
		if !p.on {
			return
		}
		p.n += int64(len(e.Data))
		if !p.sink && p.n <= p.opt.Shown {
			return // the Terminal is printing these
		}
		if now := p.opt.Now(); !now.Before(p.due) {
			p.draw(now)
			p.due = now.Add(p.opt.Every)
		}
	case session.LiteralEnd:
		p.erase()
		p.on = false
	default:
		p.erase()
	}
}

// draw writes the status line over the previous one.
func (p *Progress) draw(now time.Time) {
	lead := "\r"
	if !p.drawn && !p.sink {
		lead = "\n" // below the part of the literal the Terminal printed
	}
	rate := ""
	if d := now.Sub(p.start).Seconds(); d > 0 {
		rate = ", " + size(int64(float64(p.n)/d)) + "/s"
	}
	item := p.item
	if item == "" {
		item = "literal"
	}
	line := fmt.Sprintf("%s[%s: %s of %s (%d%%)%s]\x1b[K", lead, Sanitize(item), size(p.n), size(p.size), p.n*100/max(p.size, 1), rate)
	p.w.Write([]byte(line))
	p.drawn = true
}

// erase removes the status line, leaving the cursor where it began.
func (p *Progress) erase() {
	if p.drawn {
		p.w.Write([]byte("\r\x1b[K"))
		p.drawn = false
	}
}

// size writes n octets for people: 950 B, 12.3 MB.
func size(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}
