package wire

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// recorder records each Write it receives, so a test sees flushes.
type recorder struct {
	writes []string
}

func (r *recorder) Write(p []byte) (int, error) {
	r.writes = append(r.writes, string(p))
	return len(p), nil
}

func (r *recorder) String() string { return strings.Join(r.writes, "") }

func TestWriteLine(t *testing.T) {
	tests := []struct {
		parts []string
		want  string
	}{
		{[]string{"a001 NOOP"}, "a001 NOOP\r\n"},
		{[]string{"a002", " ", "LOGIN", " ", `"alice"`, " ", "secret"}, "a002 LOGIN \"alice\" secret\r\n"},
		{[]string{}, "\r\n"},
		{[]string{"DONE"}, "DONE\r\n"},
		{[]string{"a3 SELECT caf\xc3\xa9\x00\t"}, "a3 SELECT caf\xc3\xa9\x00\t\r\n"}, // only CR and LF are refused
	}
	for _, tt := range tests {
		var rec recorder
		w := newWriter(&rec)
		if err := w.WriteLine(tt.parts...); err != nil {
			t.Fatalf("WriteLine(%q): %v", tt.parts, err)
		}
		// One call, one write on the connection: the line is flushed whole.
		if len(rec.writes) != 1 || rec.writes[0] != tt.want {
			t.Errorf("WriteLine(%q) wrote %q, want one write of %q", tt.parts, rec.writes, tt.want)
		}
	}
}

func TestWriteLineRefusesLineBreaks(t *testing.T) {
	tests := [][]string{
		{"a1 LOGIN alice pass\r\na2 DELETE INBOX"},
		{"a1 NOOP\n"},
		{"a1 NOOP\r"},
		{"a1", " ", "SELECT", " ", "INBOX\r\na2 EXPUNGE"},
		{"\n"},
		{"a1 NOOP", "\r"},
	}
	for _, parts := range tests {
		var rec recorder
		w := newWriter(&rec)
		err := w.WriteLine(parts...)
		if !errors.Is(err, errLineBreak) {
			t.Errorf("WriteLine(%q) = %v, want errLineBreak", parts, err)
		}
		// Nothing of the refused line is sent, now or with the next line.
		if err := w.WriteLine("a9 NOOP"); err != nil {
			t.Fatal(err)
		}
		if got := rec.String(); got != "a9 NOOP\r\n" {
			t.Errorf("after refusing %q the writer sent %q", parts, got)
		}
	}
}

func TestWriteLineError(t *testing.T) {
	boom := errors.New("broken pipe")
	w := newWriter(failWriter{boom})
	if err := w.WriteLine("a1 NOOP"); !errors.Is(err, boom) {
		t.Fatalf("WriteLine on a broken connection: %v", err)
	}
}

type failWriter struct{ err error }

func (f failWriter) Write(p []byte) (int, error) { return 0, f.err }

func TestLiteralHeader(t *testing.T) {
	tests := []struct {
		n               int64
		nonSync, binary bool
		want            string
	}{
		{5, false, false, "{5}"},
		{0, false, false, "{0}"},
		{5, true, false, "{5+}"},
		{5, false, true, "~{5}"},
		{5, true, true, "~{5+}"},
		{4096, true, false, "{4096+}"},
		{10 << 30, false, false, "{10737418240}"},
	}
	for _, tt := range tests {
		if got := LiteralHeader(tt.n, tt.nonSync, tt.binary); got != tt.want {
			t.Errorf("LiteralHeader(%d, %v, %v) = %q, want %q", tt.n, tt.nonSync, tt.binary, got, tt.want)
		}
	}
}

// The announcements the Writer makes are the ones the Reader recognises.
func TestLiteralHeaderRoundTrip(t *testing.T) {
	for _, n := range []int64{0, 1, 9, 10, 4096, 1 << 40} {
		for _, nonSync := range []bool{false, true} {
			for _, binary := range []bool{false, true} {
				line := "a1 APPEND INBOX " + LiteralHeader(n, nonSync, binary)
				r := NewReader(strings.NewReader(line + "\r\n"))
				f, err := r.ReadFragment()
				if err != nil || f.Literal != n || isLiteral8(f) != binary || f.LiteralAt != len("a1 APPEND INBOX ") {
					t.Errorf("%q read as literal %d at %d binary %v (%v)", line, f.Literal, f.LiteralAt, isLiteral8(f), err)
				}
			}
		}
	}
}

func TestWriteLiteral(t *testing.T) {
	var rec recorder
	w := newWriter(&rec)
	msg := "From: a@example.org\r\n\r\nhi\r\n"
	if err := w.WriteLine("a1 APPEND INBOX ", LiteralHeader(int64(len(msg)), true, false)); err != nil {
		t.Fatal(err)
	}
	// Exactly n octets are taken from a source that holds more.
	src := strings.NewReader(msg + "EXTRA")
	if err := w.WriteLiteral(iotest.OneByteReader(src), int64(len(msg))); err != nil {
		t.Fatal(err)
	}
	if src.Len() != len("EXTRA") {
		t.Errorf("WriteLiteral read %d octets too many", len("EXTRA")-src.Len())
	}
	if err := w.WriteLine(""); err != nil {
		t.Fatal(err)
	}
	want := "a1 APPEND INBOX {27+}\r\n" + msg + "\r\n"
	if got := rec.String(); got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
	// The literal is flushed by WriteLiteral itself, before the line end.
	if len(rec.writes) != 3 || rec.writes[1] != msg {
		t.Errorf("writes %q: the literal was not flushed on its own", rec.writes)
	}
}

func TestWriteLiteralBinaryOctets(t *testing.T) {
	var buf bytes.Buffer
	w := newWriter(&buf)
	data := []byte("\x00\r\n\xff\r")
	if err := w.WriteLiteral(bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("wrote %q, want %q unchanged", buf.Bytes(), data)
	}
}

func TestWriteLiteralShortSource(t *testing.T) {
	var rec recorder
	w := newWriter(&rec)
	err := w.WriteLiteral(strings.NewReader("abc"), 10)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error %v, want io.ErrUnexpectedEOF", err)
	}
	if !strings.Contains(err.Error(), "3 of 10") {
		t.Errorf("error %q does not give the counts", err)
	}
}

func TestWriteLiteralSourceError(t *testing.T) {
	boom := errors.New("read error")
	w := newWriter(io.Discard)
	err := w.WriteLiteral(io.MultiReader(strings.NewReader("ab"), iotest.ErrReader(boom)), 10)
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want the source's error", err)
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"INBOX", "INBOX", true},
		{"Sent Items", `"Sent Items"`, true},
		{"", `""`, true},
		{"NIL", `"NIL"`, true},
		{"nil", `"nil"`, true},
		{"Nil", `"Nil"`, true},
		{"NILS", "NILS", true},
		{`a"b`, `"a\"b"`, true},
		{`a\b`, `"a\\b"`, true},
		{`\Seen`, `"\\Seen"`, true},
		{`"`, `"\""`, true},
		{"a]b", "a]b", true}, // "]" is an ASTRING-CHAR
		{"a[b", "a[b", true},
		{"a(b", `"a(b"`, true},
		{"a)b", `"a)b"`, true},
		{"a{b", `"a{b"`, true},
		{"a%", `"a%"`, true},
		{"*", `"*"`, true},
		{"tab\there", "\"tab\there\"", true},
		{"del\x7f", "\"del\x7f\"", true},
		{"ctl\x01", "\"ctl\x01\"", true},
		{"Entw\xc3\xbcrfe", "", false}, // 8-bit needs a literal
		{"\xff", "", false},
		{"a\r\nb", "", false},
		{"a\nb", "", false},
		{"a\rb", "", false},
		{"nul\x00", "", false},
		{"alice@example.org", "alice@example.org", true},
		{"p4ss+w0rd!", "p4ss+w0rd!", true},
		{"&AOk-t&AOk-", "&AOk-t&AOk-", true},
	}
	for _, tt := range tests {
		got, ok := Quote(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Quote(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// What Quote produces, the tokenizer reads back as the same string.
func TestQuoteRoundTrip(t *testing.T) {
	for c := 1; c < 0x80; c++ {
		for _, s := range []string{string(rune(c)), "a" + string(rune(c)) + "b", `x\"` + string(rune(c))} {
			q, ok := Quote(s)
			if !ok {
				if c != '\r' && c != '\n' {
					t.Errorf("Quote(%q) needs a literal", s)
				}
				continue
			}
			if strings.ContainsAny(q, "[]") && !strings.HasPrefix(q, `"`) {
				continue // an atom with a bracket: fine in a command, not a response value
			}
			vals, err := Parse([]byte(q))
			if err != nil || len(vals) != 1 || vals[0].String() != s || vals[0].IsNIL() {
				t.Errorf("Quote(%q) = %s reads back as %s (%v)", s, q, showValues(vals), err)
			}
		}
	}
}
