package imaptest

import (
	"fmt"
	"strings"
	"testing"
)

// show renders nodes for comparison: atoms bare, strings as <s>, literals
// as {s}, lists in parentheses.
func show(ns []node) string {
	var parts []string
	for _, n := range ns {
		switch {
		case n.isL:
			parts = append(parts, "("+show(n.list)+")")
		case n.lit:
			parts = append(parts, "{"+*n.str+"}")
		case n.str != nil:
			parts = append(parts, "<"+*n.str+">")
		default:
			parts = append(parts, n.atom)
		}
	}
	return strings.Join(parts, " ")
}

func TestTokenize(t *testing.T) {
	tests := []struct{ in, want string }{
		{`1:* (UID FLAGS)`, `1:* (UID FLAGS)`},
		{`1045 (uid body.peek[header.fields (date to)]<0.10>)`, `1045 (uid body.peek[header.fields (date to)]<0.10>)`},
		{`"Sent Items" (MESSAGES)`, `<Sent Items> (MESSAGES)`},
		{`"a\"b\\c" x`, `<a"b\c> x`},
		{"{5}\r\ntomas {6+}\r\nsecret", `{tomas} {secret}`},
		{`INBOX (\Seen) " 9-Jan-2016 14:02:19 +0100" {0}` + "\r\n", `INBOX (\Seen) < 9-Jan-2016 14:02:19 +0100> {}`},
		{`((a) ())`, `((a) ())`},
	}
	for _, tc := range tests {
		ns, err := tokenize([]byte(tc.in))
		if err != nil || show(ns) != tc.want {
			t.Errorf("tokenize(%q) = %q, %v; want %q", tc.in, show(ns), err, tc.want)
		}
	}
	for _, bad := range []string{`(a`, `a)`, `"open`, "{9}\r\nshort", `"a\`} {
		if _, err := tokenize([]byte(bad)); err == nil {
			t.Errorf("tokenize(%q) succeeded", bad)
		}
	}
}

func TestLiteralSuffix(t *testing.T) {
	tests := []struct {
		in       string
		n        int64
		plus, ok bool
	}{
		{"a LOGIN {5}", 5, false, true},
		{"a LOGIN {5+}", 5, true, true},
		{"a APPEND x {0}", 0, false, true},
		{"a LOGIN {}", 0, false, false},
		{"a LOGIN {+}", 0, false, false},
		{"a LOGIN {-1}", 0, false, false},
		{`a SEARCH "{5}"`, 0, false, false},
		{"a {99999999999999999999}", 0, false, false},
	}
	for _, tc := range tests {
		n, plus, ok := literalSuffix(tc.in)
		if n != tc.n || plus != tc.plus || ok != tc.ok {
			t.Errorf("literalSuffix(%q) = %d %v %v", tc.in, n, plus, ok)
		}
	}
}

func TestSeqSet(t *testing.T) {
	set, err := parseSeqSet("1,3:5,10:*,7")
	if err != nil {
		t.Fatal(err)
	}
	var in []uint32
	for v := uint32(1); v <= 12; v++ {
		if setContains(set, v, 12) {
			in = append(in, v)
		}
	}
	if got := fmt.Sprint(in); got != "[1 3 4 5 7 10 11 12]" {
		t.Errorf("members %s", got)
	}
	if setMax(set) != 10 {
		t.Errorf("setMax = %d", setMax(set))
	}
	rev, _ := parseSeqSet("5:2")
	if !setContains(rev, 3, 9) || setContains(rev, 6, 9) {
		t.Error("reversed range")
	}
	for _, bad := range []string{"", "0", "1:", "a", "1,,2", "4294967296"} {
		if _, err := parseSeqSet(bad); err == nil {
			t.Errorf("parseSeqSet(%q) succeeded", bad)
		}
	}
}

func TestListMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*", "Calendar/Birthdays", true},
		{"%", "Calendar/Birthdays", false},
		{"Calendar/%", "Calendar/Birthdays", true},
		{"inbox", "INBOX", true},
		{"Inb*", "INBOX", true},
		{"sent items", "Sent Items", false},
		{"S*s", "Sent Items", true},
	}
	for _, tc := range tests {
		if got := listMatch(tc.pattern, tc.name); got != tc.want {
			t.Errorf("listMatch(%q, %q) = %v", tc.pattern, tc.name, got)
		}
	}
}
