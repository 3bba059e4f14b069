package wire

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxLine is the default cap on one response line, not counting the
// literals it announces. Dovecot's longest lines (SEARCH results over large
// mailboxes) stay well below it.
const DefaultMaxLine = 8 << 20

// ErrLineTooLong is returned by ReadFragment when a line exceeds the cap.
var ErrLineTooLong = errors.New("wire: response line too long")

// ErrLiteralTooLarge is returned by ReadFragment when a line announces a
// literal of more than 18 significant digits (10^18 octets and more): no
// client can read it, and what follows would be taken for lines.
var ErrLiteralTooLarge = errors.New("wire: literal too large")

// errLiteralNotDrained is returned when ReadFragment is called before the
// previous literal was read to its end.
var errLiteralNotDrained = errors.New("wire: literal not drained")

// Fragment is one piece of a server response: the text up to a line end, or
// up to and including a literal announcement ({N}, {N+} or ~{N}) whose
// octets follow. A response is a fragment, then for each literal the
// literal's octets and the next fragment, until a fragment with Literal < 0.
type Fragment struct {
	// Text is the fragment without its line end, the literal announcement
	// included. It aliases the Reader's buffer and is valid only until the
	// next call to the Reader.
	Text []byte
	// Literal is the size of the literal announced at the end of Text, or
	// -1. The size may be written with leading zeros ({05}).
	Literal int64
	// BareLF reports that the line ended in a bare LF instead of CRLF
	// (accepted, but a protocol violation: RFC 9051 section 2.2).
	BareLF bool
	// LiteralAt is the offset in Text of the literal announcement: of its
	// "{", or of the "~" of a literal8 (~{N}, RFC 3516). It is len(Text)
	// when Literal is -1, so Text[:LiteralAt] is always the text before
	// any announcement.
	LiteralAt int
	// Item is the FETCH data item (RFC 9051 section 7.5.2) whose value
	// holds the literal, upper-cased and as the server wrote it, section
	// and partial included: BODY[], BODY[HEADER.FIELDS (FROM SUBJECT)],
	// BODY[]<0>, BINARY[1], RFC822; ENVELOPE or BODYSTRUCTURE for a
	// literal inside their lists. It is followed across the fragments of a
	// response. It is empty when the response is not "* N FETCH (...)" or
	// the literal is not in an item's value. It aliases the Reader's buffer
	// and is valid only until the next call to the Reader.
	Item []byte
}

// Reader frames responses read from an IMAP server (RFC 9051 section 2.2.2
// and 4.3): lines ending in CRLF (a bare LF is accepted) with literals
// streamed in between. It parses no more than the literal announcement at
// the end of a line and, in a FETCH response, the data item each literal
// belongs to (Fragment.Item). It holds no literal in memory.
//
// A Reader is not safe for concurrent use. Conn.R is the Reader of a
// connection.
type Reader struct {
	br      *bufio.Reader
	maxLine int
	long    []byte // accumulates lines longer than br's buffer
	lit     literal
	mid     bool // the last fragment announced a literal: the response goes on
	bareLF  bool // the last line read ended in a bare LF
	items   itemTracker
	// lowat, when set (a Conn's Reader, not under COMPRESS), makes a wait
	// inside a literal end only when the server has sent a good part of
	// what it owes (see LiteralChunk); lowatN is the value in force.
	lowat      func(n int)
	lowatN     int
	lowatSlack int // octets of the literal that may be read already below the Reader (TLS)
}

// maxLowat is the most octets LiteralChunk waits for before it is woken.
const maxLowat = 64 << 10

// tlsMaxPlaintext is the most plaintext one TLS record carries (RFC 8446
// 5.1, RFC 5246 6.2.1).
const tlsMaxPlaintext = 16 << 10

// literalLowat is the number of octets a wait inside a literal may ask
// for when left octets of it are owed: never more than will come, or the
// wait would outlast the response (1 is the socket's default).
func (r *Reader) literalLowat(left int64) int {
	n := min(left-int64(r.lowatSlack), maxLowat)
	if n < 2 {
		return 1
	}
	return int(n)
}

// setLowat asks the connection to wake a waiting read only once n octets
// have come, when it can.
func (r *Reader) setLowat(n int) {
	if r.lowat != nil && n != r.lowatN {
		r.lowat(n)
		r.lowatN = n
	}
}

// NewReader returns a Reader reading from r with the default line cap
// (a Conn makes its own; this one is for tests and tools that frame a
// recorded session).
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), maxLine: DefaultMaxLine}
}

// SetMaxLine sets the cap on one response line in bytes.
func (r *Reader) SetMaxLine(n int) { r.maxLine = n }

// Buffered returns the number of bytes read from the connection but not
// yet consumed. When it is 0 the next read may wait for the network. (After
// a STARTTLS OK such bytes were injected before the handshake and must be
// discarded.)
func (r *Reader) Buffered() int { return r.br.Buffered() }

// Ready reports whether the next read returns without waiting for the
// network: the literal being read has octets buffered, or a whole line is
// buffered for ReadFragment. It scans the buffer up to the next line end.
func (r *Reader) Ready() bool {
	n := r.br.Buffered()
	if n == 0 {
		return false
	}
	if r.lit.left > 0 {
		return true
	}
	b, _ := r.br.Peek(n)
	return bytes.IndexByte(b, '\n') >= 0
}

// ReadFragment reads the next fragment. The caller must read the literal it
// announces (with Literal) to its end before calling ReadFragment again.
// It returns io.EOF only between responses; the connection ending inside a
// response is io.ErrUnexpectedEOF, wrapped.
func (r *Reader) ReadFragment() (Fragment, error) {
	if r.lit.left > 0 {
		return Fragment{}, errLiteralNotDrained
	}
	if r.lowatN > 1 {
		r.setLowat(1) // a line may be short: wake at its first octet
	}
	line, err := r.readLine()
	if err == io.EOF && r.mid {
		err = fmt.Errorf("wire: connection closed after a literal, before the end of its response: %w", io.ErrUnexpectedEOF)
	}
	if err != nil {
		return Fragment{}, err
	}
	f := Fragment{Text: line, Literal: -1, LiteralAt: len(line), BareLF: r.bareLF}
	n, at, ok, tooLarge := literalSuffix(line)
	if tooLarge {
		return Fragment{}, fmt.Errorf("%w: the server announced %s, more octets than can be read (a broken or hostile server)", ErrLiteralTooLarge, shorten(line[at:]))
	}
	if ok {
		f.Literal, f.LiteralAt = n, at
		r.lit = literal{br: r.br, size: n, left: n}
		// Only the fragments before a literal are scanned for its item:
		// the last fragment of a response, and a response without
		// literals, cost nothing.
		before := line[:at]
		if !r.mid {
			before = r.items.start(before)
		}
		r.items.scan(before)
		f.Item = r.items.literal(line[at:])
	}
	r.mid = f.Literal >= 0
	return f, nil
}

// Literal returns a reader for the octets of the literal announced by the
// last fragment. It returns io.EOF at the literal's end and
// io.ErrUnexpectedEOF (wrapped, with the counts) if the connection ends first.
func (r *Reader) Literal() io.Reader { return &r.lit }

// LiteralChunk returns the next octets of the literal announced by the
// last fragment, at most max of them, as a slice of the Reader's buffer:
// no copy is made, and the slice is valid only until the next call to the
// Reader. It waits for the network only when nothing is buffered; on a
// Conn's Linux socket such a wait ends when up to 64 KiB of the literal
// have come (SO_RCVLOWAT), so that a fast reader is not woken for each
// packet of a slow server. At the
// literal's end it returns io.EOF; if the connection ends first,
// io.ErrUnexpectedEOF (wrapped, with the counts), as Literal's Read does.
func (r *Reader) LiteralChunk(max int) ([]byte, error) {
	l := &r.lit
	if l.left <= 0 {
		return nil, io.EOF
	}
	if r.br.Buffered() == 0 {
		// The server owes the rest of the literal: should the read wait,
		// let it wake when up to 64 KiB of it have come, not at each
		// packet or TLS record. The octets still to come are at least
		// those of the literal, less what a TLS record read in part
		// already holds (see literalLowat).
		r.setLowat(r.literalLowat(l.left))
		if _, err := r.br.Peek(1); err != nil {
			if err == io.EOF {
				err = fmt.Errorf("wire: connection closed inside a literal {%d} after %d octets: %w",
					l.size, l.size-l.left, io.ErrUnexpectedEOF)
			}
			return nil, err
		}
	}
	n := int(min(int64(r.br.Buffered()), l.left, int64(max)))
	b, _ := r.br.Peek(n)
	r.br.Discard(n)
	l.left -= int64(n)
	if l.left == 0 {
		r.setLowat(1)
	}
	return b, nil
}

// readLine returns one line without its line end. The fast path returns a
// slice of the bufio buffer; only lines longer than the buffer are copied.
// The cap applies to the line without its line end, whether CRLF or LF.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], line...)
		for err == bufio.ErrBufferFull {
			// +1: the last byte may be the CR of a CRLF split across reads.
			if len(r.long) > r.maxLine+1 {
				return nil, fmt.Errorf("%w: more than %d bytes without a line end", ErrLineTooLong, r.maxLine)
			}
			line, err = r.br.ReadSlice('\n')
			r.long = append(r.long, line...)
		}
		line = r.long
	}
	if err != nil {
		if err == io.EOF && len(line) > 0 {
			return nil, fmt.Errorf("wire: connection closed in the middle of a line: %w", io.ErrUnexpectedEOF)
		}
		return nil, err
	}
	line = line[:len(line)-1]
	r.bareLF = true
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
		r.bareLF = false
	}
	if len(line) > r.maxLine {
		return nil, fmt.Errorf("%w: %d bytes", ErrLineTooLong, len(line))
	}
	return line, nil
}

// literalSuffix reports whether line ends in a literal announcement:
// "{N}", "{N+}", "{N-}" or "~{N}" (RFC 9051 literal, RFC 7888, RFC 3516),
// its size and the offset where it starts. N may have leading zeros
// (number = 1*DIGIT) and at most 18 significant digits; for one with more,
// ok is false, tooLarge true and at the offset of the announcement.
func literalSuffix(line []byte) (n int64, at int, ok, tooLarge bool) {
	i := len(line) - 1
	if i < 2 || line[i] != '}' {
		return 0, 0, false, false
	}
	i--
	if line[i] == '+' || line[i] == '-' {
		i--
	}
	end := i + 1
	for i >= 0 && line[i] >= '0' && line[i] <= '9' {
		i--
	}
	digits := line[i+1 : end]
	if i < 0 || line[i] != '{' || len(digits) == 0 {
		return 0, 0, false, false
	}
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	if len(digits) > 18 {
		if at = i; i > 0 && line[i-1] == '~' {
			at = i - 1
		}
		return 0, at, false, true
	}
	for _, d := range digits {
		n = n*10 + int64(d-'0')
	}
	if at = i; i > 0 && line[i-1] == '~' {
		at = i - 1
	}
	return n, at, true, false
}

// literal streams one literal's octets from the shared bufio.Reader.
type literal struct {
	br   *bufio.Reader
	size int64
	left int64
}

func (l *literal) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.br.Read(p)
	l.left -= int64(n)
	if err == io.EOF {
		err = fmt.Errorf("wire: connection closed inside a literal {%d} after %d octets: %w",
			l.size, l.size-l.left, io.ErrUnexpectedEOF)
	}
	return n, err
}

// WriteTo streams the rest of the literal to w without an intermediate
// buffer beyond bufio's own.
func (l *literal) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for l.left > 0 {
		if l.br.Buffered() == 0 {
			if _, err := l.br.Peek(1); err != nil {
				if err == io.EOF {
					err = fmt.Errorf("wire: connection closed inside a literal {%d} after %d octets: %w",
						l.size, l.size-l.left, io.ErrUnexpectedEOF)
				}
				return total, err
			}
		}
		n := min(int64(l.br.Buffered()), l.left)
		chunk, _ := l.br.Peek(int(n))
		m, err := w.Write(chunk)
		l.br.Discard(m)
		l.left -= int64(m)
		total += int64(m)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
