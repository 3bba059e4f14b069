package wire

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// errLineBreak is returned when a command fragment contains CR or LF: line
// ends are the writer's to add, and a stray one would split a command in two.
var errLineBreak = errors.New("wire: command text contains CR or LF")

// Writer writes commands to an IMAP server. Every line it writes ends in
// CRLF and is flushed at once. It is not safe for concurrent use. Conn.W
// is the Writer of a connection.
type Writer struct {
	bw *bufio.Writer
}

// newWriter returns a Writer writing to w.
func newWriter(w io.Writer) *Writer {
	return &Writer{bw: bufio.NewWriterSize(w, 32<<10)}
}

// WriteLine writes the parts, which together form one line, then CRLF, and
// flushes. A part containing CR or LF is refused before anything is written.
func (w *Writer) WriteLine(parts ...string) error {
	for _, p := range parts {
		if i := indexLineBreak(p); i >= 0 {
			return fmt.Errorf("%w at offset %d", errLineBreak, i)
		}
	}
	for _, p := range parts {
		w.bw.WriteString(p)
	}
	w.bw.WriteString("\r\n")
	return w.bw.Flush()
}

func indexLineBreak(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' || s[i] == '\n' {
			return i
		}
	}
	return -1
}

// LiteralHeader returns the announcement of a literal of n octets:
// "{n}", "{n+}" when nonSync, "~{n}" for literal8 (RFC 3516).
func LiteralHeader(n int64, nonSync, binary bool) string {
	var b []byte
	if binary {
		b = append(b, '~')
	}
	b = append(b, '{')
	b = strconv.AppendInt(b, n, 10)
	if nonSync {
		b = append(b, '+')
	}
	return string(append(b, '}'))
}

// WriteLiteral copies exactly n octets from r and flushes. It fails if r
// holds fewer octets; the server then still waits for the rest, so the
// caller must treat the connection as broken.
func (w *Writer) WriteLiteral(r io.Reader, n int64) error {
	m, err := io.CopyN(w.bw, r, n)
	if err == io.EOF {
		err = fmt.Errorf("wire: literal source ended after %d of %d octets: %w", m, n, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return err
	}
	return w.bw.Flush()
}

// Quote returns s as an IMAP astring: an atom when it can be one, else a
// quoted string, else ok=false when s needs a literal (it contains CR, LF,
// NUL or 8-bit octets).
func Quote(s string) (q string, ok bool) {
	if s == "" {
		return `""`, true
	}
	atom := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 0 || c == '\r' || c == '\n' || c >= 0x80 {
			return "", false
		}
		if !isAtomChar(c) {
			atom = false
		}
	}
	if atom && !bytes.EqualFold([]byte(s), []byte("NIL")) {
		return s, true
	}
	var b []byte
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(append(b, '"')), true
}

// isAtomChar reports whether c is an ASTRING-CHAR (RFC 9051 section 9):
// any CHAR except atom-specials, with "]" allowed.
func isAtomChar(c byte) bool {
	if c <= ' ' || c >= 0x7f {
		return false
	}
	switch c {
	case '(', ')', '{', '%', '*', '"', '\\':
		return false
	}
	return true
}
