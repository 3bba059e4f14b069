package wire

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// chunkReader returns its data in reads of the given sizes, in turn; the
// last size repeats. A size larger than the caller's buffer is cut to it.
type chunkReader struct {
	data  []byte
	sizes []int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := c.sizes[0]
	if len(c.sizes) > 1 {
		c.sizes = c.sizes[1:]
	}
	n = min(n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// splitAt returns a reader that delivers data in two reads cut at i.
func splitAt(data []byte, i int) io.Reader {
	return &chunkReader{data: data, sizes: []int{i, len(data)}}
}

// readOnly hides the WriteTo method of a literal so that io.Copy and
// io.ReadAll go through Read.
type readOnly struct{ io.Reader }

// drain reads a literal to its end, through WriteTo (io.Copy into a
// bytes.Buffer) or through Read with a small buffer.
func drain(lit io.Reader, viaRead bool) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if viaRead {
		_, err = io.CopyBuffer(&buf, readOnly{lit}, make([]byte, 3))
	} else {
		if _, ok := lit.(io.WriterTo); !ok {
			return nil, errors.New("literal reader has no WriteTo")
		}
		_, err = io.Copy(&buf, lit)
	}
	return buf.Bytes(), err
}

// drainChunks reads the rest of the literal with LiteralChunk(max).
func drainChunks(r *Reader, max int) ([]byte, error) {
	var out []byte
	for {
		b, err := r.LiteralChunk(max)
		if len(b) > max {
			return out, fmt.Errorf("a chunk of %d octets, more than %d", len(b), max)
		}
		out = append(out, b...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// isLiteral8 reports whether f announces a literal8 (~{N}).
func isLiteral8(f Fragment) bool {
	return f.Literal >= 0 && f.Text[f.LiteralAt] == '~'
}

// transcript reads every response from r and renders each as its parts:
// fragment texts and, after a fragment announcing one, the literal as
// "lit(N)=octets" or "lit8(N)=octets". The error is the one that ended the
// reading; io.EOF at a response boundary is returned as nil.
func transcript(r *Reader, viaRead bool) ([][]string, error) {
	var out [][]string
	for {
		f, err := r.ReadFragment()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		var resp []string
		for {
			resp = append(resp, string(f.Text))
			if f.Literal < 0 {
				break
			}
			b, err := drain(r.Literal(), viaRead)
			kind := "lit"
			if isLiteral8(f) {
				kind = "lit8"
			}
			resp = append(resp, fmt.Sprintf("%s(%d)=%s", kind, f.Literal, b))
			if err != nil {
				return append(out, resp), err
			}
			if int64(len(b)) != f.Literal {
				return append(out, resp), fmt.Errorf("literal {%d} gave %d octets", f.Literal, len(b))
			}
			if f, err = r.ReadFragment(); err != nil {
				if err == io.EOF {
					err = errors.New("EOF inside a response")
				}
				return append(out, resp), err
			}
		}
		out = append(out, resp)
	}
}

// deliveries returns the ways a test feeds data to the Reader: whole, one
// byte at a time, and cut in two at every position.
func deliveries(data []byte) map[string]func() io.Reader {
	m := map[string]func() io.Reader{
		"whole":   func() io.Reader { return bytes.NewReader(data) },
		"onebyte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) },
		"half":    func() io.Reader { return iotest.HalfReader(bytes.NewReader(data)) },
		"dataerr": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(data)) },
		"chunk3":  func() io.Reader { return &chunkReader{data: data, sizes: []int{3}} },
	}
	for i := 1; i < len(data); i++ {
		m[fmt.Sprintf("split%d", i)] = func() io.Reader { return splitAt(data, i) }
	}
	return m
}

func TestReaderTranscripts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]string
	}{
		{
			name: "plain lines",
			in:   "* OK IMAP4rev2 ready\r\na001 OK done\r\n",
			want: [][]string{{"* OK IMAP4rev2 ready"}, {"a001 OK done"}},
		},
		{
			name: "bare LF and CRLF mixed",
			in:   "* OK one\n* OK two\r\n\n* OK four\n",
			want: [][]string{{"* OK one"}, {"* OK two"}, {""}, {"* OK four"}},
		},
		{
			name: "CR inside a line is kept",
			in:   "* OK a\rb\r\r\n",
			want: [][]string{{"* OK a\rb\r"}},
		},
		{
			name: "literal whose content contains CRLF",
			in:   "* 1 FETCH (BODY[] {5}\r\na\r\nbc)\r\n",
			want: [][]string{{"* 1 FETCH (BODY[] {5}", "lit(5)=a\r\nbc", ")"}},
		},
		{
			name: "literal that looks like a tagged OK",
			in:   "* 1 FETCH (BODY[] {14}\r\na001 OK done\r\n)\r\na001 OK fetched\r\n",
			want: [][]string{
				{"* 1 FETCH (BODY[] {14}", "lit(14)=a001 OK done\r\n", ")"},
				{"a001 OK fetched"},
			},
		},
		{
			name: "empty literal",
			in:   "* 1 FETCH (BODY[] {0}\r\n)\r\na1 OK\r\n",
			want: [][]string{{"* 1 FETCH (BODY[] {0}", "lit(0)=", ")"}, {"a1 OK"}},
		},
		{
			name: "empty literal followed by a line that looks like a literal",
			in:   "* 1 FETCH (BODY[1] {0}\r\n BODY[2] {2}\r\n{0})\r\n",
			want: [][]string{{"* 1 FETCH (BODY[1] {0}", "lit(0)=", " BODY[2] {2}", "lit(2)={0", "})"}},
		},
		{
			name: "several literals in one response",
			in:   "* 7 FETCH (BODY[1] {3}\r\nabc BODY[2] {4}\r\nde\r\n UID 9)\r\n",
			want: [][]string{{"* 7 FETCH (BODY[1] {3}", "lit(3)=abc", " BODY[2] {4}", "lit(4)=de\r\n", " UID 9)"}},
		},
		{
			name: "non-synchronizing and binary announcements",
			in:   "* 1 FETCH (BODY[] {3+}\r\nabc BINARY[] ~{4}\r\n\x00\xff\r\n BINARY[2] ~{1+}\r\nz)\r\n",
			want: [][]string{{"* 1 FETCH (BODY[] {3+}", "lit(3)=abc", " BINARY[] ~{4}", "lit8(4)=\x00\xff\r\n", " BINARY[2] ~{1+}", "lit8(1)=z", ")"}},
		},
		{
			name: "literal at the very start of a line",
			in:   "{3}\r\nabc\r\n",
			want: [][]string{{"{3}", "lit(3)=abc", ""}},
		},
		{
			name: "literal followed directly by the next literal",
			in:   "* LIST () \"/\" {1}\r\nx{2}\r\nyz\r\n",
			want: [][]string{{"* LIST () \"/\" {1}", "lit(1)=x", "{2}", "lit(2)=yz", ""}},
		},
		{
			name: "literal announced by a bare LF line",
			in:   "* 1 FETCH (BODY[] {2}\nab)\n",
			want: [][]string{{"* 1 FETCH (BODY[] {2}", "lit(2)=ab", ")"}},
		},
		{
			name: "unsolicited responses between responses",
			in: "* 3 EXISTS\r\na1 OK NOOP done\r\n* 4 EXISTS\r\n* 2 FETCH (FLAGS (\\Seen))\r\n" +
				"* 1 FETCH (BODY[] {2}\r\nhi)\r\n* 1 EXPUNGE\r\na2 OK done\r\n",
			want: [][]string{
				{"* 3 EXISTS"}, {"a1 OK NOOP done"}, {"* 4 EXISTS"}, {"* 2 FETCH (FLAGS (\\Seen))"},
				{"* 1 FETCH (BODY[] {2}", "lit(2)=hi", ")"}, {"* 1 EXPUNGE"}, {"a2 OK done"},
			},
		},
		{
			name: "continuation requests",
			in:   "+ Ready for literal data\r\n+\r\n+ {3}\r\nabc\r\n",
			want: [][]string{{"+ Ready for literal data"}, {"+"}, {"+ {3}", "lit(3)=abc", ""}},
		},
		{
			name: "things that are not literal announcements",
			in: "* OK {abc}\r\n* OK {}\r\n* OK {5\r\n* OK 5}\r\n" +
				"* OK {+}\r\n* OK ~{}\r\n* OK {5}x\r\n* OK {-5}\r\n* OK { 5}\r\n}\r\n{}\r\n",
			want: [][]string{
				{"* OK {abc}"}, {"* OK {}"}, {"* OK {5"}, {"* OK 5}"},
				{"* OK {+}"}, {"* OK ~{}"}, {"* OK {5}x"}, {"* OK {-5}"}, {"* OK { 5}"}, {"}"}, {"{}"},
			},
		},
	}
	for _, tt := range tests {
		for how, src := range deliveries([]byte(tt.in)) {
			for _, viaRead := range []bool{false, true} {
				name := fmt.Sprintf("%s/%s/read=%v", tt.name, how, viaRead)
				got, err := transcript(NewReader(src()), viaRead)
				if err != nil {
					t.Errorf("%s: error %v after %q", name, err, got)
					continue
				}
				if !slices.EqualFunc(got, tt.want, slices.Equal) {
					t.Errorf("%s:\n got %q\nwant %q", name, got, tt.want)
				}
			}
		}
	}
}

func TestReaderLiteralSizes(t *testing.T) {
	tests := []struct {
		line   string
		n      int64
		binary bool
	}{
		{"{5}", 5, false},
		{"{0}", 0, false},
		{"{5+}", 5, false},
		{"{5-}", 5, false},
		{"~{5}", 5, true},
		{"~{5+}", 5, true},
		{"* 1 FETCH (BODY[] {007}", 7, false},
		{"x~{12}", 12, true},
		{"{999999999999999999}", 999999999999999999, false}, // 18 digits: the most accepted
		{"{05}", 5, false},
		{"{00}", 0, false},
		{"~{007+}", 7, true},
		{"{0000000000000000000000000005}", 5, false},            // leading zeros do not count
		{"{0000999999999999999999}", 999999999999999999, false}, // 18 significant digits
		{"{00001000000000000000000}", tooLarge, false},          // 19 significant digits
		{"{abc}", -1, false},
		{"{}", -1, false},
		{"{+}", -1, false},
		{"~{}", -1, false},
		{"{1 }", -1, false},
		{"{99999999999999999999}", tooLarge, false},
		{"{1000000000000000000}", tooLarge, false}, // 19 digits
		{"~{18446744073709551616+}", tooLarge, true},
		{"{5}}", -1, false},
		{"5}", -1, false},
		{"{5", -1, false},
		{"{5++}", -1, false},
		{"{-5}", -1, false},
	}
	for _, tt := range tests {
		r := NewReader(strings.NewReader(tt.line + "\r\n"))
		f, err := r.ReadFragment()
		if tt.n == tooLarge {
			// No client can read it: a clear error, not a line whose
			// literal's octets would then be read as lines.
			if !errors.Is(err, ErrLiteralTooLarge) || !strings.Contains(err.Error(), tt.line[strings.LastIndex(tt.line, "{"):]) {
				t.Errorf("%q: %v, want ErrLiteralTooLarge naming the announcement", tt.line, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tt.line, err)
		}
		if f.Literal != tt.n || isLiteral8(f) != tt.binary || string(f.Text) != tt.line {
			t.Errorf("%q: got text %q literal %d binary %v, want literal %d binary %v",
				tt.line, f.Text, f.Literal, isLiteral8(f), tt.n, tt.binary)
		}
	}
}

// tooLarge marks a literal announcement ReadFragment refuses.
const tooLarge = -2

func TestReaderLineCap(t *testing.T) {
	tests := []struct {
		name    string
		max     int
		in      string
		want    []string // fragments read before the error
		tooLong bool
	}{
		{"at the cap with CRLF", 10, "0123456789\r\n", []string{"0123456789"}, false},
		{"at the cap with LF", 10, "0123456789\n", []string{"0123456789"}, false},
		{"one over with CRLF", 10, "0123456789a\r\n", nil, true},
		{"one over with LF", 10, "0123456789a\n", nil, true},
		{"over after good lines", 10, "* OK\r\n* OK short\r\n* OK this is long\r\n", []string{"* OK", "* OK short"}, true},
		{"literal octets do not count", 10, "* 1 {30}\r\n" + strings.Repeat("y", 30) + ")\r\n", []string{"* 1 {30}", ")"}, false},
	}
	for _, tt := range tests {
		for how, src := range deliveries([]byte(tt.in)) {
			r := NewReader(src())
			r.SetMaxLine(tt.max)
			var got []string
			var err error
			for {
				var f Fragment
				f, err = r.ReadFragment()
				if err != nil {
					break
				}
				got = append(got, string(f.Text))
				if f.Literal >= 0 {
					io.Copy(io.Discard, r.Literal())
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s/%s: got %q, want %q", tt.name, how, got, tt.want)
			}
			if tt.tooLong != errors.Is(err, ErrLineTooLong) {
				t.Errorf("%s/%s: error %v, want ErrLineTooLong: %v", tt.name, how, err, tt.tooLong)
			}
			if !tt.tooLong && err != io.EOF {
				t.Errorf("%s/%s: error %v, want io.EOF", tt.name, how, err)
			}
		}
	}
}

// The cap holds on a connection that never sends a line end: the Reader
// stops reading at most one buffer (64 KiB) past the cap and does not wait
// for more.
func TestReaderLineCapWithoutLineEnd(t *testing.T) {
	data := bytes.Repeat([]byte("x"), 200<<10)
	src := &chunkReader{data: data, sizes: []int{4096}}
	r := NewReader(io.MultiReader(src, iotest.ErrReader(errors.New("read on after the cap"))))
	r.SetMaxLine(10)
	_, err := r.ReadFragment()
	if !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("error %v, want ErrLineTooLong", err)
	}
	if read := len(data) - len(src.data); read > 10+64<<10 {
		t.Fatalf("read %d bytes before giving up", read)
	}
}

// A line over the cap that the connection ends in the middle of is reported
// as the end of the connection: the Reader cannot know it was too long until
// its buffer fills.
func TestReaderLineCapThenEOF(t *testing.T) {
	r := NewReader(strings.NewReader(strings.Repeat("x", 100)))
	r.SetMaxLine(10)
	if _, err := r.ReadFragment(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestReaderLongLines(t *testing.T) {
	const buf = 64 << 10 // the bufio buffer size NewReader uses
	for _, n := range []int{buf - 2, buf - 1, buf, buf + 1, 3*buf + 7, 1 << 20} {
		for _, eol := range []string{"\r\n", "\n"} {
			line := ("* SEARCH" + strings.Repeat(" 12345", n/6+1))[:n]
			in := line + eol + "* OK next" + eol
			for how, src := range map[string]io.Reader{
				"whole":   strings.NewReader(in),
				"chunked": &chunkReader{data: []byte(in), sizes: []int{1000, 1, 4095}},
				// The CR and the LF arrive in separate reads at a buffer boundary.
				"crlf-cut": &chunkReader{data: []byte(in), sizes: []int{len(line) + 1, 1}},
			} {
				r := NewReader(src)
				r.SetMaxLine(n) // exactly at the cap
				f, err := r.ReadFragment()
				if err != nil {
					t.Fatalf("len %d eol %q %s: %v", n, eol, how, err)
				}
				if string(f.Text) != line || f.Literal != -1 {
					t.Fatalf("len %d eol %q %s: got %d bytes (literal %d), want the %d-byte line",
						n, eol, how, len(f.Text), f.Literal, len(line))
				}
				f, err = r.ReadFragment()
				if err != nil || string(f.Text) != "* OK next" {
					t.Fatalf("len %d eol %q %s: next line %q, %v", n, eol, how, f.Text, err)
				}
			}
			r := NewReader(strings.NewReader(in))
			r.SetMaxLine(n - 1)
			if _, err := r.ReadFragment(); !errors.Is(err, ErrLineTooLong) {
				t.Errorf("len %d eol %q with cap %d: error %v, want ErrLineTooLong", n, eol, n-1, err)
			}
		}
	}
}

// A long line ending in a literal announcement is still a literal.
func TestReaderLongLineWithLiteral(t *testing.T) {
	line := "* 1 FETCH (X-PAD " + strings.Repeat("p", 100<<10) + " BODY[] {4}"
	r := NewReader(strings.NewReader(line + "\r\nbody)\r\n"))
	f, err := r.ReadFragment()
	if err != nil || string(f.Text) != line || f.Literal != 4 {
		t.Fatalf("got %d bytes, literal %d, %v", len(f.Text), f.Literal, err)
	}
	b, err := io.ReadAll(r.Literal())
	if err != nil || string(b) != "body" {
		t.Fatalf("literal %q, %v", b, err)
	}
}

func TestReaderDefaultCapAllowsMegabyteLines(t *testing.T) {
	line := "* SEARCH" + strings.Repeat(" 4294967295", 200000) // about 2.2 MB
	r := NewReader(strings.NewReader(line + "\r\n"))
	f, err := r.ReadFragment()
	if err != nil || len(f.Text) != len(line) {
		t.Fatalf("got %d bytes, %v; want %d", len(f.Text), err, len(line))
	}
}

func TestReaderEOF(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		frags    int    // fragments read before the error
		want     error  // errors.Is target
		contains string // in the error text
	}{
		{"clean EOF between responses", "* OK\r\n", 1, io.EOF, ""},
		{"empty stream", "", 0, io.EOF, ""},
		{"EOF mid-line", "* OK hello\r\n* 3 EXI", 1, io.ErrUnexpectedEOF, "middle of a line"},
		{"EOF after a CR", "* OK hello\r", 0, io.ErrUnexpectedEOF, "middle of a line"},
		{"EOF right after an announcement", "* 1 FETCH (BODY[] {10}\r\n", 1, io.ErrUnexpectedEOF, "literal {10} after 0 octets"},
		{"EOF mid-literal", "* 1 FETCH (BODY[] {10}\r\nabc", 1, io.ErrUnexpectedEOF, "literal {10} after 3 octets"},
		{"EOF one octet short", "* 1 FETCH (BODY[] {10}\r\n123456789", 1, io.ErrUnexpectedEOF, "literal {10} after 9 octets"},
		{"EOF after the literal", "* 1 FETCH (BODY[] {3}\r\nabc", 1, io.ErrUnexpectedEOF, "after a literal"},
		{"EOF after a whole response with a literal", "* 1 FETCH (BODY[] {3}\r\nabc)\r\n", 2, io.EOF, ""},
	}
	for _, tt := range tests {
		for how, src := range deliveries([]byte(tt.in)) {
			for _, viaRead := range []bool{false, true} {
				r := NewReader(src())
				var err error
				frags := 0
				for err == nil {
					var f Fragment
					if f, err = r.ReadFragment(); err != nil {
						break
					}
					frags++
					if f.Literal >= 0 {
						_, err = drain(r.Literal(), viaRead)
					}
				}
				name := fmt.Sprintf("%s/%s/read=%v", tt.name, how, viaRead)
				if frags != tt.frags {
					t.Errorf("%s: %d fragments before the error, want %d", name, frags, tt.frags)
				}
				if tt.want == io.EOF && err != io.EOF {
					t.Errorf("%s: error %v, want io.EOF itself", name, err)
				}
				if !errors.Is(err, tt.want) {
					t.Errorf("%s: error %v, want %v", name, err, tt.want)
				}
				if err != nil && !strings.Contains(err.Error(), tt.contains) {
					t.Errorf("%s: error %q does not mention %q", name, err, tt.contains)
				}
			}
		}
	}
}

func TestReaderLiteralNotDrained(t *testing.T) {
	in := "* 1 FETCH (BODY[] {6}\r\nabcdef)\r\na1 OK\r\n"
	r := NewReader(strings.NewReader(in))
	if _, err := r.ReadFragment(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadFragment(); !errors.Is(err, errLiteralNotDrained) {
		t.Fatalf("before reading the literal: %v, want errLiteralNotDrained", err)
	}
	p := make([]byte, 4)
	if n, err := r.Literal().Read(p); n != 4 || err != nil || string(p) != "abcd" {
		t.Fatalf("partial read: %d %q %v", n, p[:n], err)
	}
	if _, err := r.ReadFragment(); !errors.Is(err, errLiteralNotDrained) {
		t.Fatalf("with 2 octets left: %v, want errLiteralNotDrained", err)
	}
	// The refused calls consumed nothing: the rest of the literal and the
	// response are intact.
	var buf bytes.Buffer
	if n, err := io.Copy(&buf, r.Literal()); n != 2 || err != nil || buf.String() != "ef" {
		t.Fatalf("rest of the literal: %d %q %v", n, buf.String(), err)
	}
	if n, err := r.Literal().Read(p); n != 0 || err != io.EOF {
		t.Fatalf("read past the end: %d %v, want 0 io.EOF", n, err)
	}
	for _, want := range []string{")", "a1 OK"} {
		f, err := r.ReadFragment()
		if err != nil || string(f.Text) != want {
			t.Fatalf("got %q %v, want %q", f.Text, err, want)
		}
	}
}

// Reading a literal never reads past its end, even when the caller's buffer
// is larger and more bytes are available.
func TestReaderLiteralStopsAtItsEnd(t *testing.T) {
	in := "* 1 FETCH (BODY[] {3}\r\nabc UID 5)\r\n"
	for how, src := range deliveries([]byte(in)) {
		r := NewReader(src())
		if _, err := r.ReadFragment(); err != nil {
			t.Fatal(err)
		}
		p := make([]byte, 100)
		var got []byte
		for {
			n, err := r.Literal().Read(p)
			got = append(got, p[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", how, err)
			}
		}
		f, err := r.ReadFragment()
		if string(got) != "abc" || err != nil || string(f.Text) != " UID 5)" {
			t.Errorf("%s: literal %q then %q %v", how, got, f.Text, err)
		}
	}
}

// WriteTo stops at a failing writer and leaves the rest of the literal to be
// read.
func TestReaderLiteralWriteToError(t *testing.T) {
	in := "* 1 FETCH (BODY[] {10}\r\n0123456789)\r\n"
	r := NewReader(strings.NewReader(in))
	if _, err := r.ReadFragment(); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	w := &limitedWriter{n: 4, err: boom}
	n, err := io.Copy(w, r.Literal())
	if n != 4 || !errors.Is(err, boom) {
		t.Fatalf("copy: %d %v, want 4 and the writer's error", n, err)
	}
	rest, err := io.ReadAll(r.Literal())
	if err != nil || string(rest) != "456789" {
		t.Fatalf("rest %q %v", rest, err)
	}
}

type limitedWriter struct {
	n   int
	err error
	buf bytes.Buffer
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		w.buf.Write(p[:w.n])
		n := w.n
		w.n = 0
		return n, w.err
	}
	w.n -= len(p)
	return w.buf.Write(p)
}

func TestReaderReadErrorIsReturned(t *testing.T) {
	boom := errors.New("connection reset")
	r := NewReader(io.MultiReader(strings.NewReader("* OK\r\n* 1 FETCH (BODY[] {9}\r\nabc"), iotest.ErrReader(boom)))
	if f, err := r.ReadFragment(); err != nil || string(f.Text) != "* OK" {
		t.Fatalf("%q %v", f.Text, err)
	}
	if _, err := r.ReadFragment(); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r.Literal())
	if string(b) != "abc" || !errors.Is(err, boom) {
		t.Fatalf("literal %q, error %v; want abc and the read error", b, err)
	}
}

func TestReaderBuffered(t *testing.T) {
	r := NewReader(strings.NewReader("a1 OK begin TLS now\r\n* OK [CAPABILITY evil]\r\n"))
	if _, err := r.ReadFragment(); err != nil {
		t.Fatal(err)
	}
	if got, want := r.Buffered(), len("* OK [CAPABILITY evil]\r\n"); got != want {
		t.Fatalf("Buffered = %d, want %d", got, want)
	}
}

// Streaming a literal allocates the same whatever its size: nothing is
// buffered whole.
func TestReaderLiteralAllocations(t *testing.T) {
	allocs := func(size int) float64 {
		msg := literalMessage(size)
		return testing.AllocsPerRun(5, func() {
			r := NewReader(bytes.NewReader(msg))
			if err := readLiteralResponse(r, io.Discard); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(1<<10), allocs(4<<20)
	if large > small {
		t.Fatalf("a 4 MiB literal takes %v allocations, a 1 KiB one %v: streaming buffers", large, small)
	}
}

// literalMessage is a FETCH response with a literal of size octets, then a
// tagged OK.
func literalMessage(size int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "* 1 FETCH (UID 7 BODY[] {%d}\r\n", size)
	head := b.Len()
	line := []byte("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do.\r\n")
	for b.Len() < head+size {
		b.Write(line)
	}
	b.Truncate(head + size)
	b.WriteString(" FLAGS (\\Seen))\r\na1 OK FETCH completed\r\n")
	return b.Bytes()
}

func readLiteralResponse(r *Reader, w io.Writer) error {
	f, err := r.ReadFragment()
	if err != nil {
		return err
	}
	if f.Literal < 0 {
		return fmt.Errorf("no literal in %q", f.Text)
	}
	if n, err := io.Copy(w, r.Literal()); err != nil || n != f.Literal {
		return fmt.Errorf("copied %d of %d: %v", n, f.Literal, err)
	}
	for _, want := range []string{" FLAGS (\\Seen))", "a1 OK FETCH completed"} {
		if f, err = r.ReadFragment(); err != nil || string(f.Text) != want {
			return fmt.Errorf("got %q %v, want %q", f.Text, err, want)
		}
	}
	return nil
}

// Ready says whether the next read waits: a whole line, or an octet of the
// literal being read, must be in the buffer.
func TestReaderReady(t *testing.T) {
	pr, pw := io.Pipe()
	r := NewReader(pr)
	if r.Ready() {
		t.Fatal("ready with nothing read")
	}
	go pw.Write([]byte("* 1 FETCH (BODY[] {3}\r\nab"))
	f, err := r.ReadFragment()
	if err != nil || f.Literal != 3 {
		t.Fatalf("%+v %v", f, err)
	}
	if !r.Ready() {
		t.Fatal("not ready with literal octets buffered")
	}
	buf := make([]byte, 2)
	if n, _ := r.Literal().Read(buf); n != 2 {
		t.Fatalf("read %d", n)
	}
	if r.Ready() {
		t.Fatal("ready with the literal's last octet not read")
	}
	go pw.Write([]byte("c)\r\n* 2 EXI"))
	if n, _ := r.Literal().Read(buf); n != 1 {
		t.Fatalf("read %d", n)
	}
	if !r.Ready() {
		t.Fatal("not ready with \")\\r\\n\" buffered")
	}
	if _, err := r.ReadFragment(); err != nil {
		t.Fatal(err)
	}
	if r.Ready() {
		t.Fatal("ready with half a line buffered")
	}
	go pw.Write([]byte("STS\r\n"))
	if f, err := r.ReadFragment(); err != nil || string(f.Text) != "* 2 EXISTS" {
		t.Fatalf("%q %v", f.Text, err)
	}
}

// LiteralChunk hands out a literal's octets from the Reader's buffer in
// chunks of at most max octets, whatever the reads the network makes, and
// then the rest of the response; a connection that ends inside the literal
// is an error naming the counts.
func TestReaderLiteralChunk(t *testing.T) {
	body := strings.Repeat("0123456789abcdef", 300) // 4800 octets
	in := fmt.Sprintf("* 1 FETCH (BODY[] {%d}\r\n%s)\r\na1 OK done\r\n", len(body), body)
	for _, sizes := range [][]int{{1}, {7, 1000}, {len(in)}} {
		r := NewReader(&chunkReader{data: []byte(in), sizes: sizes})
		f, err := r.ReadFragment()
		if err != nil || f.Literal != int64(len(body)) {
			t.Fatalf("%+v %v", f, err)
		}
		var got []byte
		for {
			b, err := r.LiteralChunk(1000)
			if err == io.EOF {
				break
			}
			if err != nil || len(b) == 0 || len(b) > 1000 {
				t.Fatalf("sizes %v: chunk of %d, %v", sizes, len(b), err)
			}
			got = append(got, b...)
		}
		if string(got) != body {
			t.Fatalf("sizes %v: %d octets, not the literal", sizes, len(got))
		}
		if f, err := r.ReadFragment(); err != nil || string(f.Text) != ")" {
			t.Fatalf("after the literal: %q %v", f.Text, err)
		}
	}
	r := NewReader(strings.NewReader("* 1 FETCH (BODY[] {10}\r\nabc"))
	r.ReadFragment()
	if b, err := r.LiteralChunk(100); string(b) != "abc" || err != nil {
		t.Fatalf("%q %v", b, err)
	}
	if _, err := r.LiteralChunk(100); !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "{10} after 3 octets") {
		t.Fatalf("cut literal: %v", err)
	}
}
