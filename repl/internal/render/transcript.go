package render

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// TranscriptVersion is written in a transcript's first line.
const TranscriptVersion = 1

// Transcript records a session in a file a person can read and a program
// can replay: one record per line,
//
//	HH:MM:SS.mmm D K TEXT
//
// where D is C (sent by imapsh), S (sent by the server) or # (imapsh's own
// note), and K says how TEXT ends on the wire: ':' CRLF, '|' a bare LF,
// '-' nothing (the next record of the same direction continues it). TEXT
// is the octets as they crossed the wire, literals whole, never escaped:
// a record ends at the LF the format adds. Credentials are replaced by
// "[hidden]" (a line) or by the record "C # [N octets hidden]" (a
// literal), unless the transcript was made with secrets on.
//
// Transcript is an Observer; it is safe for concurrent use. Close flushes
// and closes the file.
type Transcript struct {
	mu      sync.Mutex
	w       *bufio.Writer
	c       io.Closer
	now     func() time.Time
	secrets bool // record credentials too (--log-secrets)
	sent    []byte
	recv    []byte
	bareLF  bool // the last response line ended in a bare LF
	err     error
}

// NewTranscript returns a Transcript writing to w (closed by Close when it
// is an io.Closer). With secrets, credentials are recorded as sent.
func NewTranscript(w io.Writer, secrets bool, now func() time.Time) *Transcript {
	if now == nil {
		now = time.Now
	}
	t := &Transcript{w: bufio.NewWriterSize(w, 64<<10), now: now, secrets: secrets}
	if c, ok := w.(io.Closer); ok {
		t.c = c
	}
	start := now()
	t.note(fmt.Sprintf("imapsh transcript %d, started %s", TranscriptVersion, start.Format("2006-01-02 15:04:05 MST")))
	t.note("records: TIME DIRECTION(C sent, S received, # note) END(: CRLF, | LF, - none) TEXT")
	if secrets {
		t.note("WARNING: this transcript holds credentials (--log-secrets): do not share it")
	} else {
		t.note("credentials are replaced by [hidden]")
	}
	return t
}

// Header adds notes of imapsh's own (the TLS summary, the capabilities).
func (t *Transcript) Header(lines ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range lines {
		t.note(l)
	}
}

// Observe records one event.
func (t *Transcript) Observe(e *session.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch e.Kind {
	case session.Sent:
		t.flushPartial(&t.sent, 'C')
		line := e.Line
		if !t.secrets {
			line = session.Redact(line, e.Secrets)
		}
		t.record('C', ':', []byte(line))
	case session.SentLiteral:
		t.flushPartial(&t.sent, 'C')
		if e.Secret && !t.secrets {
			t.record('C', '#', fmt.Appendf(nil, "[%d octets hidden]", e.Size))
		}
	case session.SentData:
		if !e.Secret || t.secrets {
			t.sent = t.stream(t.sent, e.Data, 'C')
		}
	case session.Text, session.LiteralData:
		t.recv = t.stream(t.recv, e.Data, 'S')
		if e.Kind == session.Text {
			t.bareLF = e.BareLF
		}
	case session.End:
		if e.Err != nil {
			t.flushPartial(&t.recv, 'S')
			break
		}
		// The reader takes off the line end that ends a response.
		end := byte(':')
		if t.bareLF {
			end = '|'
		}
		t.record('S', end, t.recv)
		t.recv = t.recv[:0]
	case session.Note, session.Anomaly:
		for _, l := range strings.Split(e.Text, "\n") {
			t.note(l)
		}
	case session.Closed:
		t.flushPartial(&t.recv, 'S')
		if e.Err != nil {
			t.note("connection ended: " + e.Err.Error())
		} else {
			t.note("connection closed")
		}
		t.flush()
	}
}

// stream appends octets of one direction to its pending line and writes
// every line that is complete.
func (t *Transcript) stream(pend, b []byte, dir byte) []byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return append(pend, b...)
		}
		pend = append(pend, b[:i]...)
		if n := len(pend); n > 0 && pend[n-1] == '\r' {
			t.record(dir, ':', pend[:n-1])
		} else {
			t.record(dir, '|', pend)
		}
		pend = pend[:0]
		b = b[i+1:]
	}
	return pend
}

// flushPartial writes a pending line that has no line end yet.
func (t *Transcript) flushPartial(pend *[]byte, dir byte) {
	if len(*pend) > 0 {
		t.record(dir, '-', *pend)
		*pend = (*pend)[:0]
	}
}

func (t *Transcript) record(dir, end byte, text []byte) {
	if t.err != nil {
		return
	}
	t.w.WriteString(t.now().Format("15:04:05.000"))
	t.w.Write([]byte{' ', dir, ' ', end, ' '})
	t.w.Write(text)
	if err := t.w.WriteByte('\n'); err != nil {
		t.err = err
	}
}

func (t *Transcript) note(s string) { t.record('#', ' ', []byte(s)) }

func (t *Transcript) flush() {
	if err := t.w.Flush(); err != nil && t.err == nil {
		t.err = err
	}
}

// Close writes what is buffered and closes the file; it returns the first
// error met while writing.
func (t *Transcript) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.flushPartial(&t.sent, 'C')
	t.flushPartial(&t.recv, 'S')
	t.flush()
	if t.c != nil {
		if err := t.c.Close(); err != nil && t.err == nil {
			t.err = err
		}
	}
	return t.err
}
