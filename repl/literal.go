package repl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/imapsh/imapsh/tagger"
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
	secret bool   // named in a LOGIN line: its name is not shown
	data   []byte // here-document content
	size   int64
	crlf   bool // normalize line ends to CRLF
	binary bool // contains NUL: literal8 (~{N}), needs BINARY
	desc   string
}

// name says which literal this is, for messages.
func (l *litSource) name() string {
	switch {
	case l.secret:
		return "the user name's file"
	case l.path == "":
		return "the typed text"
	}
	return l.path
}

func (l *litSource) open() (io.ReadCloser, error) {
	if l.path == "" {
		return io.NopCloser(bytes.NewReader(l.data)), nil
	}
	f, err := openRegular(l.path)
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
// lits[i]; the last segment ends the command. typed is a literal header
// typed by hand at the end of the last segment, if any.
type plan struct {
	name  string
	tag   string // a tag typed with tabs around it (see planLiterals)
	segs  []string
	lits  []*litSource
	typed *litHeader
	// secret marks a LOGIN or AUTHENTICATE line: no argument after the
	// user name or the mechanism is shown, nor any file name.
	secret bool
}

// litHeader is a literal header typed by hand: {N}, {N+} or ~{N}.
type litHeader struct {
	n       int64
	nonSync bool // {N+}
	binary  bool // ~{N}
	at      int  // where the header starts in the line
}

// isMessageCommand reports commands whose literal is a message.
func isMessageCommand(name string) bool {
	return name == "APPEND" || name == "REPLACE" || name == "UID REPLACE"
}

// planLiterals finds the literals a command line names and reads the files
// and here-documents (after checking them) so that nothing is sent until
// every literal is known to be good.
func (sh *Shell) planLiterals(text string) (*plan, error) {
	p := &plan{}
	sl, secret := parseSecretLine(text)
	userAt := -1 // where a LOGIN line's first argument starts
	if secret {
		// A line with credentials is rebuilt with single spaces: IMAP
		// knows no tab separator, and only so is the command (and its
		// secret) recognized on its way (a1<TAB>LOGIN ... included).
		if sl.tag != "" {
			if err := tagger.Valid(sl.tag); err != nil {
				return nil, &lineError{err.Error()}
			}
			p.tag = sl.tag
		}
		text = sl.text()
		p.secret = true
		if sl.name == "LOGIN" && !sl.uid {
			userAt = len(sl.typed) + 1
		}
	}
	name, _ := commandName(text)
	p.name = name
	var seg strings.Builder
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '"':
			j := skipQuoted(text, i)
			seg.WriteString(text[i:j])
			i = j
			continue
		case c == '<' && (i == 0 || text[i-1] == ' ') && strings.TrimLeft(text[i+1:], " ") != "":
			// "<FILE", and "< FILE" too: a blank after "<" is no part
			// of IMAP's grammar, and meant the same.
			if secret && i != userAt {
				return nil, &lineError{secretFileRefusal(name)}
			}
			start := len(text) - len(strings.TrimLeft(text[i+1:], " "))
			j := wordEnd(text, start)
			lit, err := sh.readLiteralSource(text[start:j], isMessageCommand(name), secret)
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
	if h, ok := typedHeader(last); ok {
		p.typed = h
		last = strings.TrimRight(last[:h.at], " ") + " "
		if h.binary && !sh.st.Has("BINARY") {
			return nil, &lineError{fmt.Sprintf("~{%d} is a binary literal (RFC 3516) and the server does not advertise BINARY: nothing was sent", h.n)}
		}
		if isMessageCommand(name) {
			if err := sh.checkAppendLimit("the typed message", h.n); err != nil {
				return nil, err
			}
		}
	}
	p.segs = append(p.segs, last)
	for _, l := range p.lits {
		if err := sh.checkLiteral(l); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// secretFileRefusal explains why a <FILE (or <<WORD) in a LOGIN line other
// than the user name, or in an AUTHENTICATE line, is refused. The word is
// not quoted: it may be a password that begins with "<".
func secretFileRefusal(name string) string {
	if name == "LOGIN" {
		return "in a LOGIN line only the user name may come from a file (<FILE); the password cannot, and a password that begins with < must be quoted (\"<...\") or typed at the prompt of the login helper (login USER): nothing was sent, and the arguments are not shown"
	}
	return fmt.Sprintf("an %s line takes no <FILE or <<WORD (an argument that begins with < must be quoted): nothing was sent, and the arguments are not shown", name)
}

// secretSourceError is the error for a user name file of a LOGIN line that
// cannot be used, told without the file's name (a LOGIN argument is never
// shown).
func secretSourceError(err error) error {
	why := "it cannot be read"
	var pe *fs.PathError
	var fp *fileProblem
	switch {
	case errors.As(err, &fp):
		why = fp.why
	case errors.As(err, &pe):
		why = pe.Err.Error()
	}
	return &lineError{fmt.Sprintf("the file named for the user name in this LOGIN line cannot be used: %s; nothing was sent (its name is not shown, as no LOGIN argument is)", why)}
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

// typedHeader recognizes a literal header typed at the end of a line:
// {N}, {N+} or ~{N}, after a space.
func typedHeader(s string) (*litHeader, bool) {
	s = strings.TrimRight(s, " ")
	if !strings.HasSuffix(s, "}") {
		return nil, false
	}
	i := strings.LastIndex(s, "{")
	if i < 0 {
		return nil, false
	}
	h := &litHeader{at: i}
	if i > 0 && s[i-1] == '~' {
		h.binary, h.at = true, i-1
	}
	if h.at > 0 && s[h.at-1] != ' ' {
		return nil, false
	}
	num := s[i+1 : len(s)-1]
	h.nonSync = strings.HasSuffix(num, "+") && !h.binary
	num = strings.TrimSuffix(num, "+")
	v, err := strconv.ParseInt(num, 10, 64)
	if err != nil || v < 0 || num == "" || num[0] == '+' {
		return nil, false
	}
	h.n = v
	return h, true
}

// readLiteralSource reads "<PATH", "<\"PATH\"" or "<<WORD" (a here-document
// typed on the following lines).
//
// secret marks the user name of a LOGIN line: errors do not name the file.
func (sh *Shell) readLiteralSource(word string, message, secret bool) (*litSource, error) {
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
			if secret {
				return nil, secretSourceError(&fileProblem{path, "has a malformed quoted name"})
			}
			return nil, &lineError{fmt.Sprintf("bad quoted file name %s", path)}
		}
		path = string(vals[0].Bytes)
	}
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			path = home + path[1:]
		}
	}
	l := &litSource{path: path, crlf: message, desc: "from " + path, secret: secret}
	if secret {
		l.desc = "the user name, from a file"
	}
	if err := sh.measureFile(l); err != nil {
		if secret {
			return nil, secretSourceError(err)
		}
		return nil, &lineError{fmt.Sprintf("%v: nothing was sent", err)}
	}
	if l.crlf {
		l.desc += ", line ends sent as CRLF"
	}
	return l, nil
}

// checkLiteral refuses, before anything is sent, literals the server would
// reject: NUL without BINARY, messages over APPENDLIMIT.
func (sh *Shell) checkLiteral(l *litSource) error {
	if l.binary && !sh.st.Has("BINARY") {
		return &lineError{fmt.Sprintf("%s contains NUL octets, which IMAP forbids in a literal, and the server does not advertise BINARY: nothing was sent (encode the content, e.g. base64, or use a server with BINARY)", l.name())}
	}
	return sh.checkAppendLimit(l.name(), l.size)
}

// checkAppendLimit refuses a message over the server's APPENDLIMIT
// (RFC 7889) before anything is sent.
func (sh *Shell) checkAppendLimit(what string, size int64) error {
	if v, ok := sh.st.CapValue("APPENDLIMIT"); ok && v != "" {
		if limit, err := strconv.ParseInt(v, 10, 64); err == nil && size > limit {
			return &lineError{fmt.Sprintf("%s is %d octets, over the server's APPENDLIMIT of %d: nothing was sent", what, size, limit)}
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

// crlfReader turns every line end into CRLF: bare LF and bare CR (old Mac
// files) alike; CRLF stays as it is.
type crlfReader struct {
	r      *bufio.Reader
	lastCR bool // the last octet read was a CR
	pend   byte // an octet owed to the reader before the next input
}

func newCRLFReader(r io.Reader) *crlfReader {
	return &crlfReader{r: bufio.NewReaderSize(r, 64<<10)}
}

func (c *crlfReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if c.pend != 0 {
			p[n] = c.pend
			n++
			c.pend = 0
			continue
		}
		if !c.lastCR && c.r.Buffered() > 0 {
			// Fast path: copy the run up to the next CR or LF as it is.
			buf, _ := c.r.Peek(min(c.r.Buffered(), len(p)-n))
			run := bytes.IndexAny(buf, "\r\n")
			if run < 0 {
				run = len(buf)
			}
			if run > 0 {
				n += copy(p[n:], buf[:run])
				c.r.Discard(run)
				continue
			}
		}
		b, err := c.r.ReadByte()
		if err != nil {
			if c.lastCR {
				// A bare CR at the very end.
				c.lastCR = false
				c.pend = '\n'
				continue
			}
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		switch {
		case b == '\n' && !c.lastCR:
			p[n] = '\r'
			c.pend = '\n'
		case b != '\n' && c.lastCR:
			// The CR before was bare: complete it, then this octet.
			p[n] = '\n'
			c.r.UnreadByte()
			c.lastCR = false
			n++
			continue
		default:
			p[n] = b
		}
		c.lastCR = b == '\r'
		n++
	}
	return n, nil
}
