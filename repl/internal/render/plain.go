package render

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sync"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// Plain writes a plain-text record of a session: every line prefixed "C: "
// (sent), "S: " (received) or "# " (imapsh's own), octets as they crossed
// the wire (literals whole), no color, no elision. Credentials are never
// written: the spans the engine marks secret become "[hidden]", and a
// secret literal is recorded as "[N octets hidden]". Server text is
// written as it came, so the record is for files, not for terminals. It is
// safe for concurrent use; call Flush (or Close) at the end.
type Plain struct {
	mu  sync.Mutex
	w   *bufio.Writer
	bol bool // at the beginning of a line
	err error
}

// NewPlain returns a Plain writing to w.
func NewPlain(w io.Writer) *Plain {
	return &Plain{w: bufio.NewWriterSize(w, 64<<10), bol: true}
}

// Observe records one event.
func (p *Plain) Observe(e *session.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e.Kind {
	case session.Sent:
		p.endLine()
		p.line(prefixClient, session.Redact(e.Line, e.Secrets))
	case session.SentLiteral:
		p.endLine()
		if e.Secret {
			p.line(prefixClient, fmt.Sprintf("[%d octets hidden]", e.Size))
		}
	case session.SentData:
		if !e.Secret {
			p.text(prefixClient, e.Data)
		}
	case session.Begin:
		p.endLine()
	case session.Text, session.LiteralData:
		p.text(prefixServer, e.Data)
	case session.End:
		p.endLine()
	case session.Note, session.Anomaly:
		p.endLine()
		for _, l := range bytes.Split([]byte(e.Text), []byte("\n")) {
			p.line(prefixNote, string(l))
		}
	case session.Closed:
		p.endLine()
		if e.Err != nil {
			p.line(prefixNote, "connection ended: "+e.Err.Error())
		}
		p.flush()
	}
}

// text writes octets, starting a prefixed line after each LF.
func (p *Plain) text(prefix string, b []byte) {
	for len(b) > 0 {
		if p.bol {
			p.w.WriteString(prefix)
			p.bol = false
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			p.w.Write(b)
			return
		}
		p.w.Write(b[:i+1])
		p.bol = true
		b = b[i+1:]
	}
}

func (p *Plain) line(prefix, s string) {
	p.w.WriteString(prefix)
	p.w.WriteString(s)
	p.w.WriteString("\r\n")
	p.bol = true
}

// endLine ends a line left open (a response's last line has no CRLF in
// the events).
func (p *Plain) endLine() {
	if !p.bol {
		p.w.WriteString("\r\n")
		p.bol = true
	}
}

func (p *Plain) flush() {
	if err := p.w.Flush(); err != nil && p.err == nil {
		p.err = err
	}
}

// Flush writes what is buffered and returns the first write error.
func (p *Plain) Flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flush()
	return p.err
}
