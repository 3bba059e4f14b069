package wire

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// showValues renders values in a compact form that tells kinds apart:
// atoms bare, quoted strings as Go strings, literals as lit#INDEX"octets",
// lists in parentheses and codes in brackets.
func showValues(vals []Value) string {
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch v.Kind {
		case Atom:
			b.Write(v.Bytes)
		case Quoted:
			b.WriteString(strconv.Quote(string(v.Bytes)))
		case Literal:
			fmt.Fprintf(&b, "lit#%d%s", v.Index, strconv.Quote(string(v.Bytes)))
		case List:
			b.WriteString("(" + showValues(v.List) + ")")
		case Code:
			b.WriteString("[" + showValues(v.List) + "]")
		default:
			fmt.Fprintf(&b, "?kind%d", v.Kind)
		}
		if v.Kind != Literal && v.Index != -1 {
			fmt.Fprintf(&b, "!index%d", v.Index)
		}
	}
	return b.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"atoms", "* OK IMAP4rev2", "* OK IMAP4rev2"},
		{"numbers", "* 12 EXISTS", "* 12 EXISTS"},
		{"NIL", "(NIL nil)", "(NIL nil)"},
		{"flags", `* FLAGS (\Answered \Seen $Junk \*)`, `* FLAGS (\Answered \Seen $Junk \*)`},
		{"quoted", `"hello world"`, `"hello world"`},
		{"empty quoted", `""`, `""`},
		{"quoted with escapes", `"a \"b\" c\\d"`, `"a \"b\" c\\d"`},
		{"quoted with 8-bit and specials", "\"caf\xc3\xa9 (x) {5} [y]\"", `"café (x) {5} [y]"`},
		{"quoted next to atoms", `a"b"c`, `a "b" c`},
		{"literal inline", "{5}\r\nhello", `lit#0"hello"`},
		{"literal with a bare LF", "{5}\nhello", `lit#0"hello"`},
		{"literal holding CRLF and parens", "(X {6}\r\na)\r\n(b Y)", `(X lit#0"a)\r\n(b" Y)`},
		{"empty literal", "(A {0}\r\n B)", `(A lit#0"" B)`},
		{"non-synchronizing literal", "{3+}\r\nabc", `lit#0"abc"`},
		{"binary literal", "~{3}\r\n\x00\x01\x02", `lit#0"\x00\x01\x02"`},
		{"literal size with leading zeros", "* 1 FETCH (BODY[] {05}\r\nhello UID 3)", `* 1 FETCH (BODY[] lit#0"hello" UID 3)`},
		{"literal size with many leading zeros", "{0000000000000000000000000003}\r\nabc", `lit#0"abc"`},
		{"literal8 size with leading zeros", "~{002+}\r\n\x00\x01", `lit#0"\x00\x01"`},
		{"empty literal with leading zeros", "(A {000}\r\n B)", `(A lit#0"" B)`},
		{"nested lists", "(a (b (c d) ()) e)", "(a (b (c d) ()) e)"},
		{"lists without spaces", "((a)(b))", "((a) (b))"},
		{"response code", "* OK [UIDNEXT 5] Predicted next UID", "* OK [UIDNEXT 5] Predicted next UID"},
		{"response code with a list", `* OK [PERMANENTFLAGS (\Deleted \Seen \*)] Flags permitted.`, `* OK [PERMANENTFLAGS (\Deleted \Seen \*)] Flags permitted.`},
		{"response code with a quoted bracket", `* NO [BADURL "a]b"] x`, `* NO [BADURL "a]b"] x`},
		{"empty code", "* OK [] x", "* OK [] x"},
		{"section with a field list is one atom", "* 1 FETCH (BODY[HEADER.FIELDS (FROM SUBJECT)]<0> {4}\r\nFrom)",
			`* 1 FETCH (BODY[HEADER.FIELDS (FROM SUBJECT)]<0> lit#0"From")`},
		{"empty section then literal", "* 2 FETCH (UID 9 BODY[] {2}\r\nhi)", `* 2 FETCH (UID 9 BODY[] lit#0"hi")`},
		{"section and partial", "(BODY[1.2.MIME]<100> NIL BINARY.SIZE[3] 42)", "(BODY[1.2.MIME]<100> NIL BINARY.SIZE[3] 42)"},
		{"nested brackets in a section", "X[a[b]c]<1.2> y", "X[a[b]c]<1.2> y"},
		{"sequence sets and wildcards", "* ESEARCH (TAG \"a1\") UID ALL 1:3,5,7:* COUNT 5",
			`* ESEARCH (TAG "a1") UID ALL 1:3,5,7:* COUNT 5`},
		{"several literals numbered in order", "(a {1}\r\nx (b {1}\r\ny) [c {1}\r\nz] {0}\r\n)",
			`(a lit#0"x" (b lit#1"y") [c lit#2"z"] lit#3"")`},
		{"trailing CRLF ignored", "* OK done\r\n", "* OK done"},
		{"atom stops at a brace", "abc{3}\r\nxyz", `abc lit#0"xyz"`},
		{"brace shapes that are not literals are atoms", "({abc} {} {+} ~x ~ {5x})", "({abc} {} {+} ~x ~ {5x})"},
		{"8-bit in an atom", "* LIST () \"/\" caf\xc3\xa9", "* LIST () \"/\" café"},
		{"empty input", "", ""},
		{"only spaces", "   \r\n", ""},
	}
	for _, tt := range tests {
		vals, err := Parse([]byte(tt.in))
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", tt.name, tt.in, err)
			continue
		}
		if got := showValues(vals); got != tt.want {
			t.Errorf("%s: Parse(%q)\n got %s\nwant %s", tt.name, tt.in, got, tt.want)
		}
	}
}

// A real Dovecot FETCH of ENVELOPE, parsed down to a sender's address.
func TestParseEnvelope(t *testing.T) {
	in := `* 1 FETCH (UID 4 ENVELOPE ("Tue, 14 Nov 2023 09:12:45 +0100" "=?utf-8?q?R=C3=A9union?= \"Q4\"" (("Alice Martin" NIL "alice" "example.org")) (("Alice Martin" NIL "alice" "example.org")) (("Alice Martin" NIL "alice" "example.org")) ((NIL NIL "bob" "example.com") ("Carol" NIL "carol" "example.net")) NIL NIL NIL "<20231114081245.GA123@example.org>"))`
	vals, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 4 || vals[3].Kind != List {
		t.Fatalf("got %s", showValues(vals))
	}
	items := vals[3].List
	if len(items) != 4 || string(items[2].Bytes) != "ENVELOPE" {
		t.Fatalf("items %s", showValues(items))
	}
	env := items[3].List
	if len(env) != 10 {
		t.Fatalf("envelope has %d fields, want 10: %s", len(env), showValues(env))
	}
	if got := env[1].String(); got != `=?utf-8?q?R=C3=A9union?= "Q4"` {
		t.Errorf("subject %q", got)
	}
	to := env[5].List
	if len(to) != 2 || !to[0].List[0].IsNIL() || to[1].List[2].String() != "carol" || to[1].List[3].String() != "example.net" {
		t.Errorf("to %s", showValues(to))
	}
	for _, i := range []int{6, 7, 8} {
		if !env[i].IsNIL() {
			t.Errorf("field %d is %s, want NIL", i, showValues(env[i:i+1]))
		}
	}
	if env[9].Kind != Quoted || env[9].String() != "<20231114081245.GA123@example.org>" {
		t.Errorf("message-id %s", showValues(env[9:]))
	}
}

func TestParseBodyStructure(t *testing.T) {
	in := `* 3 FETCH (BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "quoted-printable" 1234 40 NIL NIL NIL NIL)(("text" "html" ("charset" "utf-8") NIL NIL "base64" 5678 74 NIL NIL NIL NIL)("image" "png" ("name" "logo.png") "<logo@x>" NIL "base64" 9000 NIL ("inline" ("filename" "logo.png")) NIL NIL) "related" ("boundary" "b2") NIL NIL NIL) "alternative" ("boundary" "b1") NIL NIL NIL))`
	vals, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	bs := vals[3].List[1].List
	if got := bs[2].String(); got != "alternative" {
		t.Fatalf("subtype %q", got)
	}
	png := bs[1].List[1].List
	if png[0].String() != "image" || png[8].List[1].List[1].String() != "logo.png" {
		t.Fatalf("image part %s", showValues(png))
	}
	if n, ok := png[6].Number(); !ok || n != 9000 {
		t.Fatalf("image size %v %v", n, ok)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // in the error text
	}{
		{"unterminated quote", `* OK "abc`, "unterminated quoted string"},
		{"unterminated quote ending in a backslash", `"abc\`, "unterminated quoted string"},
		{"line end in a quote", "\"ab\r\nc\"", "line end inside a quoted string"},
		{"escaped line end in a quote", "\"ab\\\r\nc\"", "line end inside a quoted string"},
		{"escaped LF in a quote", "\"ab\\\nc\"", "line end inside a quoted string"},
		{"unclosed list", "(a (b c)", `missing ')'`},
		{"unclosed code", "* OK [UIDNEXT 5", `missing ']'`},
		{"extra close paren", "(a))", `unbalanced ')'`},
		{"close bracket in a list", "(a ])", `unbalanced ']'`},
		{"mismatched closers", "(a]", `unbalanced ']'`},
		{"short literal", "{10}\r\nabc", "literal {10} has only 3 octets"},
		{"literal without a line end", "{3}abc", "not followed by a line end"},
		{"literal size too large", "{99999999999999999999}\r\n", "bad literal size"},
		{"unterminated section", "BODY[HEADER", "unterminated section"},
		{"unterminated partial", "BODY[]<0", "unterminated partial"},
		{"NUL", "a \x00 b", "unexpected"},
		{"DEL", "(\x7f)", "unexpected"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("%s: Parse(%q) = %v, want ErrSyntax", tt.name, tt.in, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Parse(%q) = %q, want it to mention %q", tt.name, tt.in, err, tt.want)
		}
	}
}

// Parse returns what it read before an error, so the shell can show it.
func TestParsePartialResult(t *testing.T) {
	vals, err := Parse([]byte(`* 1 FETCH (UID 5 "oops`))
	if err == nil || len(vals) != 4 || vals[3].Kind != List || showValues(vals[3].List[:2]) != "UID 5" {
		t.Fatalf("got %s, %v", showValues(vals), err)
	}
}

// A hostile line cannot crash or stall the parser: nesting is capped (an
// uncapped recursion overflows the stack, which is fatal), and a "{" that
// does not start a literal costs no look-ahead (each one scanning the rest of
// the line for "}" made 50,000 of them before 4 MiB take minutes).
func TestParseHostile(t *testing.T) {
	const size = 8 << 20 // DefaultMaxLine
	tail := bytes.Repeat([]byte("x"), 4<<20)
	for _, tt := range []struct {
		name string
		in   []byte
		err  bool
	}{
		{"deep parens", bytes.Repeat([]byte("("), size), true},
		{"deep brackets", bytes.Repeat([]byte("(["), size/2), true},
		{"braces before a long atom", append(bytes.Repeat([]byte("{"), 50000), tail...), false},
		{"tilde braces before a long atom", append(bytes.Repeat([]byte("~{"), 25000), tail...), false},
		{"brace digits before a long atom", append(bytes.Repeat([]byte("{1"), 25000), tail...), false},
		{"sections", bytes.Repeat([]byte("a["), size/2), true},
		{"partials", bytes.Repeat([]byte("a[]<"), size/4), true},
		{"quotes", bytes.Repeat([]byte(`"\`), size/2), true},
	} {
		// Not a speed measurement (see BenchmarkParse): the quadratic
		// look-ahead this guards against took minutes, linear parsing takes
		// well under a second, so a minute only catches the regression, even
		// on a loaded machine.
		start := time.Now()
		_, err := Parse(tt.in)
		if d := time.Since(start); d > time.Minute {
			t.Errorf("%s: took %v: parsing is no longer linear", tt.name, d)
		}
		if (err != nil) != tt.err {
			t.Errorf("%s: error %v, want one: %v", tt.name, err, tt.err)
		}
		if err != nil && !errors.Is(err, ErrSyntax) {
			t.Errorf("%s: error %v is not ErrSyntax", tt.name, err)
		}
	}
}

// Nesting as deep as real responses go parses; far deeper is a syntax error.
func TestParseDepthLimit(t *testing.T) {
	nest := func(n int) []byte {
		return []byte(strings.Repeat("(", n) + "x" + strings.Repeat(")", n))
	}
	vals, err := Parse(nest(200))
	if err != nil {
		t.Fatalf("200 levels: %v", err)
	}
	depth := 0
	for v := vals; len(v) == 1 && v[0].Kind == List; v = v[0].List {
		depth++
	}
	if depth != 200 {
		t.Fatalf("200 levels read as %d", depth)
	}
	_, err = Parse(nest(100000))
	if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "nested") {
		t.Fatalf("100000 levels: %v, want a nesting error", err)
	}
}

// Quoted strings alias the input unless they had to be unescaped; literal
// octets always alias it.
func TestParseAliasing(t *testing.T) {
	in := []byte("\"plain\" \"esc\\\"aped\" {3}\r\nlit")
	vals, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	in[1], in[len(in)-1] = 'P', 'T'
	if got := vals[0].String(); got != "Plain" {
		t.Errorf("plain quoted %q does not alias the input", got)
	}
	if got := vals[2].String(); got != "liT" {
		t.Errorf("literal %q does not alias the input", got)
	}
	in[9] = 'E'
	if got := vals[1].String(); got != `esc"aped` {
		t.Errorf("unescaped quoted %q changed with the input", got)
	}
}

func TestValueHelpers(t *testing.T) {
	vals, err := Parse([]byte(`NIL nil "NIL" 42 18446744073709551615 18446744073709551616 -1 4x (a) [b] {2}` + "\r\nhi"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		nil    bool
		num    uint64
		numOK  bool
		string string
	}{
		{true, 0, false, ""},
		{true, 0, false, ""},
		{false, 0, false, "NIL"}, // a quoted "NIL" is a string, not NIL
		{false, 42, true, "42"},
		{false, 18446744073709551615, true, "18446744073709551615"},
		{false, 0, false, "18446744073709551616"},
		{false, 0, false, "-1"},
		{false, 0, false, "4x"},
		{false, 0, false, ""},
		{false, 0, false, ""},
		{false, 0, false, "hi"},
	}
	if len(vals) != len(tests) {
		t.Fatalf("got %d values: %s", len(vals), showValues(vals))
	}
	for i, tt := range tests {
		v := vals[i]
		n, ok := v.Number()
		if v.IsNIL() != tt.nil || n != tt.num || ok != tt.numOK || v.String() != tt.string {
			t.Errorf("value %d (%s): IsNIL %v Number %d %v String %q; want %v %d %v %q",
				i, showValues(vals[i:i+1]), v.IsNIL(), n, ok, v.String(), tt.nil, tt.num, tt.numOK, tt.string)
		}
	}
}
