package wire

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// literalItems reads every response from r and returns, per literal, its
// Item and its size as Fragment gives them, as "ITEM=N".
func literalItems(r *Reader) ([]string, error) {
	var out []string
	for {
		f, err := r.ReadFragment()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		for f.Literal >= 0 {
			out = append(out, fmt.Sprintf("%s=%d", f.Item, f.Literal))
			if _, err := io.Copy(io.Discard, r.Literal()); err != nil {
				return out, err
			}
			if f, err = r.ReadFragment(); err != nil {
				return out, err
			}
		}
	}
}

var itemTests = []struct {
	name string
	in   string
	want []string // per literal: Item=size
}{
	{"body", "* 1 FETCH (BODY[] {5}\r\nhello)\r\n", []string{"BODY[]=5"}},
	{"header fields", "* 1 FETCH (UID 7 BODY[HEADER.FIELDS (FROM SUBJECT)] {12}\r\nFrom: a\r\n\r\n\r\n)\r\n",
		[]string{"BODY[HEADER.FIELDS (FROM SUBJECT)]=12"}},
	{"partial", "* 1051 FETCH (BODY[]<0> {4}\r\nDate)\r\n", []string{"BODY[]<0>=4"}},
	{"binary", "* 2 FETCH (BINARY[1] ~{3}\r\n\x00\x01\x02)\r\n", []string{"BINARY[1]=3"}},
	{"binary partial", "* 2 FETCH (UID 4 BINARY[1.2]<0> ~{2}\r\n\xff\xfe)\r\n", []string{"BINARY[1.2]<0>=2"}},
	{"rfc822", "* 3 FETCH (RFC822 {5}\r\nhello UID 3)\r\n", []string{"RFC822=5"}},
	{"rfc822.header after a date", "* 3 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.HEADER {2}\r\n\r\n)\r\n",
		[]string{"RFC822.HEADER=2"}},
	{"lower case", "* 4 fetch (uid 1 body[header.fields (from)] {3}\r\nabc)\r\n", []string{"BODY[HEADER.FIELDS (FROM)]=3"}},
	{"leading zeros", "* 5 FETCH (BODY[] {05}\r\nhello)\r\n", []string{"BODY[]=5"}},
	{"many leading zeros", "* 5 FETCH (BODY[] {0000000000000000000000005}\r\nhello)\r\n", []string{"BODY[]=5"}},
	{"zero", "* 5 FETCH (BODY[] {00}\r\n)\r\n", []string{"BODY[]=0"}},
	{"two bodies", "* 6 FETCH (BODY[1] {3}\r\nabc BODY[2] {2}\r\nde)\r\n", []string{"BODY[1]=3", "BODY[2]=2"}},
	{"envelope over fragments",
		"* 7 FETCH (UID 9 ENVELOPE (\"date\" {5}\r\nhello ((\"A\" NIL \"a\" \"x\")) NIL NIL NIL NIL NIL NIL NIL {4}\r\n<id>) BODY[] {2}\r\nhi)\r\n",
		[]string{"ENVELOPE=5", "ENVELOPE=4", "BODY[]=2"}},
	{"bodystructure",
		"* 8 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"name\" {3}\r\nabc) NIL NIL \"7bit\" 3 1) BODY[TEXT] {1}\r\nx)\r\n",
		[]string{"BODYSTRUCTURE=3", "BODY[TEXT]=1"}},
	{"quoted parentheses before",
		"* 9 FETCH (X-GM-LABELS (\"a)b\" \"(\" \"q\\\"(\") BODY[TEXT] {3}\r\nabc)\r\n", []string{"BODY[TEXT]=3"}},
	{"nil before", "* 10 FETCH (BODY[1] NIL BODY[2] {3}\r\nabc)\r\n", []string{"BODY[2]=3"}},
	{"flags before", "* 11 FETCH (FLAGS (\\Seen $Forwarded) BODY[] {1}\r\nx)\r\n", []string{"BODY[]=1"}},
	{"quoted bracket in section", "* 12 FETCH (BODY[HEADER.FIELDS (\"X]Y\" Z)] {3}\r\nabc)\r\n",
		[]string{"BODY[HEADER.FIELDS (\"X]Y\" Z)]=3"}},
	{"nested section", "* 12 FETCH (BODY[1.2.HEADER.FIELDS.NOT (X-[A])]<10> {3}\r\nabc)\r\n",
		[]string{"BODY[1.2.HEADER.FIELDS.NOT (X-[A])]<10>=3"}},
	{"no space before the literal", "* 13 FETCH (BODY[]{5}\r\nhello)\r\n", []string{"BODY[]=5"}},
	{"extra spaces in the list", "* 14 FETCH  (UID 1  BODY[]  {3}\r\nabc)\r\n", []string{"BODY[]=3"}},
	{"extra spaces in the head", "*  14 FETCH (BODY[] {3}\r\nabc)\r\n* 14  FETCH (BODY[] {3}\r\nabc)\r\n", []string{"=3", "=3"}},
	{"no space after the star", "*14 FETCH (BODY[] {3}\r\nabc)\r\n", []string{"=3"}},
	{"no space after fetch", "* 14 FETCH(BODY[] {3}\r\nabc)\r\n", []string{"=3"}},
	{"literal in a section",
		"* 15 FETCH (BODY[HEADER.FIELDS ({4}\r\nFROM)] {3}\r\nabc)\r\n",
		[]string{"=4", "BODY[HEADER.FIELDS ({4})]=3"}},
	{"literal where a name belongs", "* 16 FETCH ({3}\r\nUID 5 BODY[] {1}\r\nx)\r\n", []string{"=3", "BODY[]=1"}},
	{"after the list", "* 17 FETCH (UID 1) {3}\r\nabc\r\n", []string{"=3"}},
	{"not a fetch", "* LIST () \"/\" {5}\r\nINBOX\r\n* 3 EXISTS\r\n", []string{"=5"}},
	{"tagged", "a1 OK [X {3}\r\nabc] done\r\n", []string{"=3"}},
	{"a fetch, then a list", "* 18 FETCH (BODY[] {1}\r\nx)\r\n* LIST () \"/\" {1}\r\ny\r\n* 19 FETCH (BODY[1] {1}\r\nz)\r\n",
		[]string{"BODY[]=1", "=1", "BODY[1]=1"}},
	{"fetch without parenthesis", "* 20 FETCH {3}\r\nabc\r\n", []string{"=3"}},
	{"fetch with no number", "* FETCH (BODY[] {3}\r\nabc)\r\n", []string{"=3"}},
	{"search, not fetch", "* 20 FETCHED (BODY[] {3}\r\nabc)\r\n", []string{"=3"}},
	{"name too long", "* 21 FETCH (BODY[HEADER.FIELDS (" + strings.Repeat("X", maxItemName) + ")] {1}\r\nx BODY[] {1}\r\ny)\r\n",
		[]string{"=1", "BODY[]=1"}},
	{"name at the cap", "* 21 FETCH (" + strings.Repeat("X", maxItemName) + " {1}\r\nx)\r\n",
		[]string{strings.Repeat("X", maxItemName) + "=1"}},
}

func TestReaderItems(t *testing.T) {
	for _, tt := range itemTests {
		t.Run(tt.name, func(t *testing.T) {
			for how, src := range deliveries([]byte(tt.in)) {
				got, err := literalItems(NewReader(src()))
				if err != nil || !slices.Equal(got, tt.want) {
					t.Fatalf("%s: items %.200q, %v; want %.200q", how, got, err, tt.want)
				}
			}
		})
	}
}

// The examples above agree with the oracle of FuzzReader where it applies.
func TestReaderItemsOracle(t *testing.T) {
	applied := 0
	for _, tt := range itemTests {
		want, ok := wantItems([]byte(tt.in))
		if !ok {
			continue
		}
		applied++
		var sizes []string
		for i, w := range want {
			_, size, _ := strings.Cut(tt.want[i], "=")
			sizes = append(sizes, w+"="+size)
		}
		if !slices.Equal(sizes, tt.want) {
			t.Errorf("%s: oracle says %q, test says %q", tt.name, sizes, tt.want)
		}
	}
	if applied < 10 {
		t.Fatalf("the oracle applies to %d examples only", applied)
	}
}

var simpleName = regexp.MustCompile(`^[A-Za-z0-9.\-]+(\[[^\[\]"{}]*\](<[0-9]+>)?)?$`)

// wantItems is an oracle for Fragment.Item: it parses one whole response
// (literals inline) with Parse and returns, for each of its literals, the
// upper-cased name of the FETCH item whose value holds it, "" for none. ok
// is false when b is not a single well-formed response in the canonical
// form formatValues writes, or uses names or atoms where Parse and the
// Reader may read sloppy syntax differently.
func wantItems(b []byte) (items []string, ok bool) {
	b = bytes.TrimSuffix(b, []byte("\r\n"))
	vals, err := Parse(b)
	if err != nil || !bytes.Equal(formatValues(nil, vals), b) || len(vals) == 0 {
		return nil, false
	}
	lits := countLiterals(vals)
	items = make([]string, lits)
	if len(vals) < 4 || string(vals[0].Bytes) != "*" || vals[1].Kind != Atom || !allDigits(vals[1].Bytes) ||
		vals[2].Kind != Atom || !strings.EqualFold(string(vals[2].Bytes), "FETCH") || vals[3].Kind != List {
		return items, true
	}
	list := vals[3].List
	for i := 0; i < len(list); i += 2 {
		name := list[i]
		if name.Kind != Atom || !simpleName.Match(name.Bytes) || len(name.Bytes) > maxItemName {
			return nil, false
		}
		if i+1 == len(list) {
			break
		}
		if !plainAtoms(list[i+1]) {
			return nil, false
		}
		for _, idx := range literalIndexes(nil, list[i+1]) {
			items[idx] = asciiUpper(name.Bytes)
		}
	}
	return items, true
}

// asciiUpper upper-cases the ASCII letters of b and keeps its other bytes.
func asciiUpper(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		out[i] = c
	}
	return string(out)
}

func countLiterals(vals []Value) int {
	n := 0
	for _, v := range vals {
		n += len(literalIndexes(nil, v))
	}
	return n
}

func literalIndexes(out []int, v Value) []int {
	if v.Kind == Literal {
		return append(out, v.Index)
	}
	for _, e := range v.List {
		out = literalIndexes(out, e)
	}
	return out
}

// plainAtoms reports whether the atoms in v have no section brackets, which
// Parse reads as part of the atom and the Reader does not look for.
func plainAtoms(v Value) bool {
	if v.Kind == Atom {
		return !bytes.ContainsAny(v.Bytes, "[]<>")
	}
	if v.Kind == Code {
		return false
	}
	for _, e := range v.List {
		if !plainAtoms(e) {
			return false
		}
	}
	return true
}

// Following the items allocates nothing once the Reader's buffers have
// grown: a thousand responses cost what ten do.
func TestReaderItemsAllocations(t *testing.T) {
	resp := "* 7 FETCH (UID 9 ENVELOPE (\"date\" {5}\r\nhello NIL NIL NIL NIL NIL NIL NIL NIL {4}\r\n<id>) " +
		"BODY[HEADER.FIELDS (FROM SUBJECT)]<0> {3}\r\nabc)\r\n"
	allocs := func(n int) float64 {
		data := []byte(strings.Repeat(resp, n))
		return testing.AllocsPerRun(5, func() {
			r := NewReader(bytes.NewReader(data))
			for range n {
				for range 3 {
					f, err := r.ReadFragment()
					if err != nil || len(f.Item) == 0 {
						t.Fatalf("%q %q %v", f.Text, f.Item, err)
					}
					if _, err := io.Copy(io.Discard, r.Literal()); err != nil {
						t.Fatal(err)
					}
				}
				if f, err := r.ReadFragment(); err != nil || f.Literal >= 0 {
					t.Fatalf("%q %v", f.Text, err)
				}
			}
		})
	}
	few, many := allocs(10), allocs(1000)
	if many > few {
		t.Fatalf("1000 responses take %v allocations, 10 take %v", many, few)
	}
}
