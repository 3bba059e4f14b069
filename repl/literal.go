package repl

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// A command line may name literals three ways, so nobody counts octets:
//
//	APPEND INBOX (\Seen) <report.eml      a file's contents
//	APPEND INBOX <<EOF                     the lines typed up to "EOF"
//	LOGIN alice {10}                       octets typed after the server's "+"
//
// APPEND (and REPLACE) message bodies are normalized to CRLF line ends
// before counting; other literals are sent byte for byte.

// litSource is one literal of a command line.
type litSource struct {
	path   string // file literal; "" for a here-document
	data   []byte // here-document content
	size   int64
	crlf   bool // normalize line ends to CRLF
	binary bool // contains NUL: literal8 (~{N}), needs BINARY
	desc   string
}

func (l *litSource) open() (io.ReadCloser, error) {
	if l.path == "" {
		return io.NopCloser(bytes.NewReader(l.data)), nil
	}
	f, err := os.Open(l.path)
	if err != nil {
		return nil, err
	}
	if !l.crlf {
		return f, nil
	}
	return struct {
		io.Reader
		io.Closer
	}{newCRLFReader(f), f}, nil
}

// plan is a command line cut at its literals: segs[i] is sent, then
// lits[i]; the last segment ends the command. typed is the size of a
// literal announced by hand at the end of the last segment, or -1.
type plan struct {
	name  string
	segs  []string
	lits  []*litSource
	typed int64
	// typedNonSync is true when the typed header was {N+}.
	typedNonSync bool
}

// isMessageCommand reports commands whose literal is a message.
func isMessageCommand(name string) bool {
	return name == "APPEND" || name == "REPLACE" || name == "UID REPLACE"
}

// planLiterals finds the literals a command line names and reads the files
// and here-documents (after checking them) so that nothing is sent until
// every literal is known to be good.
func (sh *Shell) planLiterals(text string) (*plan, error) {
	name, _ := commandName(text)
	p := &plan{name: name, typed: -1}
	var seg strings.Builder
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '"':
			j := skipQuoted(text, i)
			seg.WriteString(text[i:j])
			i = j
			continue
		case c == '<' && (i == 0 || text[i-1] == ' ') && i+1 < len(text) && text[i+1] != ' ':
			j := wordEnd(text, i)
			lit, err := sh.readLiteralSource(text[i+1:j], isMessageCommand(name))
			if err != nil {
				return nil, err
			}
			p.segs = append(p.segs, seg.String())
			p.lits = append(p.lits, lit)
			seg.Reset()
			i = j
			continue
		}
		seg.WriteByte(c)
		i++
	}
	last := seg.String()
	if n, nonSync, ok := typedHeader(last); ok {
		p.typed, p.typedNonSync = n, nonSync
		last = strings.TrimRight(last[:strings.LastIndex(last, "{")], " ") + " "
	}
	p.segs = append(p.segs, last)
	for _, l := range p.lits {
		if err := sh.checkLiteral(l); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func skipQuoted(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		if s[j] == '\\' {
			j++
		} else if s[j] == '"' {
			return j + 1
		}
	}
	return len(s)
}

func wordEnd(s string, i int) int {
	for j := i; j < len(s); j++ {
		if s[j] == '"' {
			j = skipQuoted(s, j) - 1
		} else if s[j] == ' ' {
			return j
		}
	}
	return len(s)
}

// typedHeader recognizes a literal header typed at the end of a line.
func typedHeader(s string) (n int64, nonSync, ok bool) {
	s = strings.TrimRight(s, " ")
	if !strings.HasSuffix(s, "}") {
		return 0, false, false
	}
	i := strings.LastIndex(s, "{")
	if i < 0 || (i > 0 && s[i-1] != ' ') {
		return 0, false, false
	}
	num := s[i+1 : len(s)-1]
	nonSync = strings.HasSuffix(num, "+")
	num = strings.TrimSuffix(num, "+")
	v, err := strconv.ParseInt(num, 10, 64)
	if err != nil || v < 0 {
		return 0, false, false
	}
	return v, nonSync, true
}

// readLiteralSource reads "<PATH", "<\"PATH\"" or "<<WORD" (a here-document
// typed on the following lines).
func (sh *Shell) readLiteralSource(word string, message bool) (*litSource, error) {
	if strings.HasPrefix(word, "<") {
		end := strings.TrimPrefix(word, "<")
		if end == "" {
			return nil, &lineError{"<< needs a word that ends the text, as in: APPEND INBOX <<EOF"}
		}
		var buf bytes.Buffer
		for {
			line, err := sh.con.ReadLine("... ")
			if err != nil {
				return nil, &lineError{fmt.Sprintf("the text was not ended by a line %q: nothing was sent", end)}
			}
			if line == end {
				break
			}
			buf.WriteString(line)
			buf.WriteString("\r\n")
		}
		return &litSource{data: buf.Bytes(), size: int64(buf.Len()), desc: "typed text", binary: bytes.IndexByte(buf.Bytes(), 0) >= 0}, nil
	}
	path := word
	if strings.HasPrefix(path, `"`) {
		vals, err := wire.Parse([]byte(path))
		if err != nil || len(vals) != 1 || vals[0].Kind != wire.Quoted {
			return nil, &lineError{fmt.Sprintf("bad quoted file name %s", path)}
		}
		path = string(vals[0].Bytes)
	}
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			path = home + path[1:]
		}
	}
	l := &litSource{path: path, crlf: message, desc: "from " + path}
	if err := l.measure(); err != nil {
		return nil, &lineError{fmt.Sprintf("%v: nothing was sent", err)}
	}
	if l.crlf {
		l.desc += ", line ends sent as CRLF"
	}
	return l, nil
}

// measure counts the octets that will be sent and looks for NUL, reading
// the file once without holding it.
func (l *litSource) measure() error {
	f, err := os.Open(l.path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", l.path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory, not a message file", l.path)
	}
	var r io.Reader = f
	if l.crlf {
		r = newCRLFReader(f)
	}
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		if bytes.IndexByte(buf[:n], 0) >= 0 {
			l.binary = true
		}
		l.size += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", l.path, err)
		}
	}
	if l.binary && l.crlf {
		// Binary content is sent untouched: count the file as it is.
		l.crlf = false
		l.size = 0
		return l.measure()
	}
	return nil
}

// checkLiteral refuses, before anything is sent, literals the server would
// reject: NUL without BINARY, messages over APPENDLIMIT.
func (sh *Shell) checkLiteral(l *litSource) error {
	if l.binary && !sh.st.Has("BINARY") {
		return &lineError{fmt.Sprintf("%s contains NUL octets, which IMAP forbids in a literal, and the server does not advertise BINARY: nothing was sent (encode the content, e.g. base64, or use a server with BINARY)", l.desc)}
	}
	if v, ok := sh.st.CapValue("APPENDLIMIT"); ok && v != "" {
		if limit, err := strconv.ParseInt(v, 10, 64); err == nil && l.size > limit {
			return &lineError{fmt.Sprintf("%s is %d octets, over the server's APPENDLIMIT of %d: nothing was sent", l.desc, l.size, limit)}
		}
	}
	return nil
}

// nonSync decides whether a literal of n octets may be sent without waiting
// for "+": with LITERAL+, or with LITERAL- or IMAP4rev2 up to 4096 octets
// (RFC 7888).
func (sh *Shell) nonSync(n int64) bool {
	return sh.st.Has("LITERAL+") || ((sh.st.Has("LITERAL-") || sh.st.Has("IMAP4REV2")) && n <= 4096)
}

func (sh *Shell) literalHeader(n int64, binary bool) string {
	return wire.LiteralHeader(n, !binary && sh.nonSync(n), binary)
}

// litNonSync reports whether a line ends in a non-synchronizing header.
func (sh *Shell) litNonSync(line string) bool { return strings.HasSuffix(line, "+}") }

// crlfReader turns bare LF into CRLF and leaves CRLF alone.
type crlfReader struct {
	r      *bufio.Reader
	lastCR bool
	pendLF bool
}

func newCRLFReader(r io.Reader) *crlfReader {
	return &crlfReader{r: bufio.NewReaderSize(r, 64<<10)}
}

func (c *crlfReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if c.pendLF {
			p[n] = '\n'
			n++
			c.pendLF = false
			c.lastCR = false
			continue
		}
		chunk, err := c.r.Peek(min(len(p)-n, c.r.Buffered()))
		if len(chunk) == 0 {
			if _, err = c.r.Peek(1); err != nil {
				if n > 0 {
					return n, nil
				}
				return 0, err
			}
			continue
		}
		_ = err
		// Copy up to the next LF that lacks its CR.
		i := 0
		for ; i < len(chunk); i++ {
			b := chunk[i]
			if b == '\n' && !(i == 0 && c.lastCR || i > 0 && chunk[i-1] == '\r') {
				break
			}
		}
		copy(p[n:], chunk[:i])
		n += i
		if i > 0 {
			c.lastCR = chunk[i-1] == '\r'
		}
		c.r.Discard(i)
		if i < len(chunk) {
			// A bare LF: emit CR now, LF next.
			c.r.Discard(1)
			p[n] = '\r'
			n++
			c.pendLF = true
		}
	}
	return n, nil
}
