package wire

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseFetch(t *testing.T) {
	tests := []struct {
		in       string
		seq, uid uint32
		items    []string // the item names, sorted
		notOK    bool
		bad      bool
		tooLarge bool // the error is ErrNumberRange
	}{
		{in: `* 12 FETCH (UID 4827 FLAGS (\Seen))`, seq: 12, uid: 4827, items: []string{"FLAGS", "UID"}},
		{in: "* 1 fetch (uid 4294967295 body[] {05}\r\nhello)", seq: 1, uid: 4294967295, items: []string{"BODY[]", "UID"}},
		{in: "* 0003 FETCH (UID 0009)", seq: 3, uid: 9, items: []string{"UID"}},
		{in: "* 3 FETCH (FLAGS ())", seq: 3, items: []string{"FLAGS"}},
		{in: "* 3 FETCH (MODSEQ (18446744073709551615) RFC822.SIZE 99999999999)", seq: 3, items: []string{"MODSEQ", "RFC822.SIZE"}},
		{in: "* 3 FETCH (UID 5) trailing", seq: 3, uid: 5, items: []string{"UID"}},
		{in: "* 4294967296 FETCH (UID 5)", bad: true, tooLarge: true},
		{in: "* 18446744073709551617 FETCH (UID 5)", bad: true, tooLarge: true}, // 2^64+1, not 1
		{in: "* 3 FETCH (UID 4294967296)", bad: true, tooLarge: true},
		{in: "* 3 FETCH (FLAGS () UID 99999999999999999999999)", bad: true, tooLarge: true},
		{in: "* 3 FETCH (UID x)", bad: true},
		{in: `* 3 FETCH (UID "5")`, bad: true},
		{in: "* 3 FETCH (UID (5))", bad: true},
		{in: "* x FETCH (UID 5)", bad: true},
		{in: "* 3 FETCH UID 5", bad: true},
		{in: "* 3 FETCH", bad: true},
		{in: "* 3 FETCH (UID 5", bad: true},
		{in: "* 3 FETCH (BODY[] {5}\r\nhel)", bad: true},
		{in: "* 3 EXISTS", notOK: true},
		{in: "* SEARCH 1 2", notOK: true},
		{in: "a1 OK FETCH done", notOK: true},
		{in: "* OK [x", notOK: true},
		{in: "", notOK: true},
	}
	for _, tt := range tests {
		fd, ok, err := ParseFetch([]byte(tt.in))
		switch {
		case tt.notOK:
			if ok || err != nil || fd.Items != nil {
				t.Errorf("ParseFetch(%q) = %+v, %v, %v; want not a FETCH", tt.in, fd, ok, err)
			}
		case tt.bad:
			if !ok || !errors.Is(err, ErrSyntax) || errors.Is(err, ErrNumberRange) != tt.tooLarge || fd.Items != nil {
				t.Errorf("ParseFetch(%q) = %+v, %v, %v; want ErrSyntax, ErrNumberRange %v", tt.in, fd, ok, err, tt.tooLarge)
			}
		default:
			var names []string
			for k := range fd.Items {
				names = append(names, k)
			}
			slices.Sort(names)
			if !ok || err != nil || fd.Seq != tt.seq || fd.UID() != tt.uid || !slices.Equal(names, tt.items) {
				t.Errorf("ParseFetch(%q) = seq %d uid %d items %q, %v, %v; want seq %d uid %d items %q",
					tt.in, fd.Seq, fd.UID(), names, ok, err, tt.seq, tt.uid, tt.items)
			}
		}
	}
}

func TestParseFetchErrorNamesTheNumber(t *testing.T) {
	_, _, err := ParseFetch([]byte("* 3 FETCH (UID 4294967296)"))
	if err == nil || !strings.Contains(err.Error(), "the UID 4294967296 in FETCH 3 is larger than 4294967295") {
		t.Fatalf("error %v", err)
	}
}

func TestFetchDataFlags(t *testing.T) {
	fd, _, err := ParseFetch([]byte(`* 1 FETCH (FLAGS (\Seen $Forwarded) UID 2)`))
	if err != nil {
		t.Fatal(err)
	}
	if flags, ok := fd.Flags(); !ok || !slices.Equal(flags, []string{`\Seen`, "$Forwarded"}) {
		t.Errorf("Flags = %q, %v", flags, ok)
	}
	fd, _, _ = ParseFetch([]byte(`* 1 FETCH (UID 2)`))
	if flags, ok := fd.Flags(); ok || flags != nil {
		t.Errorf("Flags without FLAGS = %q, %v", flags, ok)
	}
}
