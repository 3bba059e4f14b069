package wire

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzReader feeds arbitrary bytes through the Reader, chunked as the
// fuzzer chooses, and checks the framing against the input itself: every
// fragment is the input's next bytes up to a line end, every literal is the
// input's next N octets. The Reader must not panic, must end (each fragment
// consumes at least its line end), must keep to the line cap and must fail
// only with the errors it documents. What a fragment says of its literal
// is checked too: LiteralAt points at the announcement, and Item agrees
// with an independent reading of the whole response by Parse (wantItems)
// wherever that reading applies.
//
// The corpus is in testdata/fuzz/FuzzReader; run with
// go test -run='^$' -fuzz=FuzzReader ./wire/
func FuzzReader(f *testing.F) {
	f.Add([]byte("* OK ready\r\na1 OK done\r\n"), uint16(0), uint8(0))
	f.Add([]byte("* 1 FETCH (BODY[] {5}\r\nhello)\r\n"), uint16(20), uint8(3))
	for _, tt := range itemTests {
		f.Add([]byte(tt.in), uint16(0), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, maxLine uint16, chunk uint8) {
		var src io.Reader = bytes.NewReader(data)
		if chunk > 0 {
			src = &chunkReader{data: data, sizes: []int{int(chunk)}}
		}
		r := NewReader(src)
		limit := DefaultMaxLine
		if maxLine > 0 {
			limit = int(maxLine)
			r.SetMaxLine(limit)
		}
		off := 0     // how much of data the Reader has given back
		mid := false // the last fragment announced a literal
		mode := 0
		var resp []byte    // the response so far, as the Reader gives it
		var items []string // the Item of each of its literals
		isFetch := false   // its first fragment starts "* N FETCH ("
		for frags := 0; ; frags++ {
			if frags > len(data)+1 {
				t.Fatalf("%d fragments from %d bytes", frags, len(data))
			}
			fr, err := r.ReadFragment()
			if err != nil {
				switch {
				case err == io.EOF:
					if off != len(data) || mid {
						t.Fatalf("io.EOF with %d bytes unread, inside a response: %v", len(data)-off, mid)
					}
				case errors.Is(err, io.ErrUnexpectedEOF):
					// Either a line without its line end, or nothing after
					// a literal that the rest of its response must follow.
					if bytes.IndexByte(data[off:], '\n') >= 0 || (off == len(data) && !mid) {
						t.Fatalf("%v with %q left, inside a response: %v", err, data[off:], mid)
					}
				case errors.Is(err, ErrLiteralTooLarge):
					rest := data[off:]
					if i := bytes.IndexByte(rest, '\n'); i >= 0 {
						rest = bytes.TrimSuffix(rest[:i], []byte("\r"))
					}
					if _, _, _, tooLarge := literalSuffix(rest); !tooLarge {
						t.Fatalf("ErrLiteralTooLarge for %q", rest)
					}
				case errors.Is(err, ErrLineTooLong):
					rest := data[off:]
					if i := bytes.IndexByte(rest, '\n'); i >= 0 {
						rest = bytes.TrimSuffix(rest[:i], []byte("\r"))
					}
					if len(rest) <= limit {
						t.Fatalf("ErrLineTooLong for a %d-byte line under the cap %d", len(rest), limit)
					}
				default:
					t.Fatalf("undocumented error %v", err)
				}
				return
			}
			if len(fr.Text) > limit {
				t.Fatalf("fragment of %d bytes over the cap %d", len(fr.Text), limit)
			}
			if !bytes.HasPrefix(data[off:], fr.Text) {
				t.Fatalf("fragment %q is not the input's next bytes %q", fr.Text, data[off:min(len(data), off+len(fr.Text)+8)])
			}
			off += len(fr.Text)
			switch {
			case bytes.HasPrefix(data[off:], []byte("\r\n")):
				off += 2
			case bytes.HasPrefix(data[off:], []byte("\n")):
				off++
			default:
				t.Fatalf("fragment %q not followed by a line end", fr.Text)
			}
			if bytes.IndexByte(fr.Text, '\n') >= 0 {
				t.Fatalf("fragment %q holds a LF", fr.Text)
			}
			if !mid {
				resp, items = resp[:0], items[:0]
				isFetch = fetchHead.Match(fr.Text)
			}
			checkItem(t, fr, isFetch)
			resp = append(resp, fr.Text...)
			mid = fr.Literal >= 0
			if !mid {
				// Parse may read fewer literals than the Reader framed (it
				// keeps "[{0}\r\n]" inside an atom): the oracle then does not
				// apply.
				if want, ok := wantItems(resp); ok && len(want) == len(items) && !slices.Equal(items, want) {
					t.Fatalf("response %q: items %q, want %q", resp, items, want)
				}
				continue
			}
			items = append(items, string(fr.Item))
			resp = append(resp, "\r\n"...)
			// Drain through Read, WriteTo and LiteralChunk in turn,
			// checking each octet.
			mode = (mode + 1) % 3
			var got []byte
			if mode == 2 {
				got, err = drainChunks(r, 5)
			} else {
				got, err = drain(r.Literal(), mode == 0)
			}
			want := data[off:min(len(data), off+int(min(fr.Literal, int64(len(data)))))]
			if !bytes.Equal(got, want) {
				t.Fatalf("literal {%d}: got %d octets that are not the input's next %d", fr.Literal, len(got), len(want))
			}
			off += len(got)
			resp = append(resp, got...)
			if err != nil {
				if !errors.Is(err, io.ErrUnexpectedEOF) || int64(len(got)) == fr.Literal {
					t.Fatalf("literal {%d} after %d octets: %v", fr.Literal, len(got), err)
				}
				if _, err := r.ReadFragment(); !errors.Is(err, errLiteralNotDrained) {
					t.Fatalf("ReadFragment after a short literal: %v", err)
				}
				return
			}
		}
	})
}

var (
	fetchHead    = regexp.MustCompile(`(?i)^\* [0-9]+ FETCH +\(`)
	announcement = regexp.MustCompile(`^~?\{[0-9]+[+-]?\}$`)
)

// checkItem checks what a fragment says of its literal: where its
// announcement is, and that an Item is upper-cased, within its cap, and
// only given in a FETCH response.
func checkItem(t *testing.T, f Fragment, isFetch bool) {
	t.Helper()
	if f.Literal < 0 {
		if f.LiteralAt != len(f.Text) || f.Item != nil {
			t.Fatalf("%q: no literal, yet LiteralAt %d and Item %q", f.Text, f.LiteralAt, f.Item)
		}
		return
	}
	if f.LiteralAt < 0 || f.LiteralAt > len(f.Text) || !announcement.Match(f.Text[f.LiteralAt:]) {
		t.Fatalf("%q: literal {%d} announced at %d", f.Text, f.Literal, f.LiteralAt)
	}
	if len(f.Item) > maxItemName || bytes.ContainsAny(f.Item, "abcdefghijklmnopqrstuvwxyz") {
		t.Fatalf("%q: item %q", f.Text, f.Item)
	}
	if len(f.Item) > 0 && !isFetch {
		t.Fatalf("%q: item %q outside a FETCH response", f.Text, f.Item)
	}
}

// FuzzParse checks that the tokenizer never panics, fails only with
// ErrSyntax, numbers literals in order, and that what it reads it reads
// again the same: formatting the values back to IMAP syntax and parsing that
// gives the same values. ParseHead and ParseFetch run on the same input:
// they must not panic, and a number they give is the number written, never
// truncated (one too large is an error wrapping ErrNumberRange).
//
// The corpus is in testdata/fuzz/FuzzParse; run with
// go test -run='^$' -fuzz=FuzzParse ./wire/
func FuzzParse(f *testing.F) {
	f.Add([]byte(`* 1 FETCH (UID 5 FLAGS (\Seen) BODY[HEADER.FIELDS (FROM)]<0> {6}` + "\r\nFrom: )"))
	f.Add([]byte(`* OK [PERMANENTFLAGS (\Seen \*)] "quoted \"x\""`))
	f.Add([]byte("* 4294967296 EXISTS"))
	f.Add([]byte("* 0007 FETCH (UID 4294967296 BODY[] {05}\r\nhello)"))
	f.Add([]byte("* OK [UIDVALIDITY 4294967296] x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkNumbers(t, data)
		checkScanFetch(t, data)
		vals, err := Parse(data)
		checkQuoted(t, err)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("error %v is not ErrSyntax", err)
			}
			return
		}
		next := 0
		checkIndexes(t, vals, &next)
		text := formatValues(nil, vals)
		again, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) = %s\nformatted %q\ndoes not parse: %v", data, showValues(vals), text, err)
		}
		if !equalValues(vals, again) {
			t.Fatalf("Parse(%q) = %s\nformatted %q\nreads back as %s", data, showValues(vals), text, showValues(again))
		}
		if text2 := formatValues(nil, again); !bytes.Equal(text, text2) {
			t.Fatalf("formatting is not stable:\n%q\n%q", text, text2)
		}
	})
}

// checkNumbers checks the numbers ParseHead and ParseFetch read from data
// against the digits written there.
func checkNumbers(t *testing.T, data []byte) {
	t.Helper()
	h := ParseHead(data)
	if h.Err != nil && !errors.Is(h.Err, ErrNumberRange) {
		t.Fatalf("ParseHead(%q).Err = %v, not ErrNumberRange", data, h.Err)
	}
	checkQuoted(t, h.Err)
	if f := bytes.Split(data, []byte(" ")); h.Kind == Untagged && len(f) > 1 && allDigits(f[1]) && bytes.HasPrefix(data, []byte("* ")) {
		n, err := strconv.ParseUint(string(f[1]), 10, 32)
		if (err != nil) != (h.Err != nil) || h.Err == nil && uint64(h.Num) != n {
			t.Fatalf("ParseHead(%q): Num %d, Err %v", data, h.Num, h.Err)
		}
	}
	fd, ok, err := ParseFetch(data)
	checkQuoted(t, err)
	switch {
	case !ok && (err != nil || fd.Items != nil):
		t.Fatalf("ParseFetch(%q): not a FETCH, yet %+v, %v", data, fd, err)
	case err != nil && !errors.Is(err, ErrSyntax):
		t.Fatalf("ParseFetch(%q): %v is not ErrSyntax", data, err)
	case ok && err == nil:
		vals, _ := Parse(data)
		if n, _ := strconv.ParseUint(string(vals[1].Bytes), 10, 64); uint64(fd.Seq) != n {
			t.Fatalf("ParseFetch(%q): Seq %d", data, fd.Seq)
		}
		if uid, has := fd.Items["UID"]; has {
			if n, _ := strconv.ParseUint(string(uid.Bytes), 10, 64); uint64(fd.UID()) != n {
				t.Fatalf("ParseFetch(%q): UID %d", data, fd.UID())
			}
		}
	}
}

// checkQuoted fails if err's message holds a control character: server
// text in an error is quoted, since errors may reach a terminal.
func checkQuoted(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, c := range []byte(err.Error()) {
		if c < ' ' || c == 0x7f {
			t.Fatalf("error %q holds a control character", err)
		}
	}
}

func checkIndexes(t *testing.T, vals []Value, next *int) {
	t.Helper()
	for _, v := range vals {
		switch v.Kind {
		case Literal:
			if v.Index != *next {
				t.Fatalf("literal has index %d, want %d", v.Index, *next)
			}
			*next++
		case List, Code:
			if v.Index != -1 {
				t.Fatalf("list has index %d", v.Index)
			}
			checkIndexes(t, v.List, next)
		default:
			if v.Index != -1 {
				t.Fatalf("%v value has index %d", v.Kind, v.Index)
			}
		}
	}
}

// formatValues writes values back as IMAP syntax, separated by spaces.
func formatValues(b []byte, vals []Value) []byte {
	for i, v := range vals {
		if i > 0 {
			b = append(b, ' ')
		}
		switch v.Kind {
		case Atom:
			b = append(b, v.Bytes...)
		case Quoted:
			b = append(b, '"')
			for _, c := range v.Bytes {
				if c == '"' || c == '\\' {
					b = append(b, '\\')
				}
				b = append(b, c)
			}
			b = append(b, '"')
		case Literal:
			b = append(b, '{')
			b = strconv.AppendInt(b, int64(len(v.Bytes)), 10)
			b = append(b, "}\r\n"...)
			b = append(b, v.Bytes...)
		case List:
			b = append(b, '(')
			b = formatValues(b, v.List)
			b = append(b, ')')
		case Code:
			b = append(b, '[')
			b = formatValues(b, v.List)
			b = append(b, ']')
		default:
			panic(fmt.Sprintf("kind %d", v.Kind))
		}
	}
	return b
}

func equalValues(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Kind != b[i].Kind || a[i].Index != b[i].Index || !bytes.Equal(a[i].Bytes, b[i].Bytes) ||
			!equalValues(a[i].List, b[i].List) {
			return false
		}
	}
	return true
}

// readCorpus returns the first []byte argument of each seed file in
// testdata/fuzz/name, by file name.
func readCorpus(t *testing.T, name string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "fuzz", name, "*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus for %s: %v", name, err)
	}
	seeds := make(map[string][]byte)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		if len(lines) < 2 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "[]byte(") {
			t.Fatalf("%s: not a corpus file", p)
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		seeds[filepath.Base(p)] = []byte(s)
	}
	return seeds
}

// The realistic responses of the FuzzParse corpus all tokenize, so the
// fuzzer starts from inputs that reach past the first error. Inputs the
// fuzzer found (named crasher-*) are kept as regressions and may be errors.
func TestParseCorpus(t *testing.T) {
	for name, data := range readCorpus(t, "FuzzParse") {
		if strings.HasPrefix(name, "crasher-") {
			continue
		}
		if _, err := Parse(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
