package wire

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestParseHead(t *testing.T) {
	tests := []struct {
		in   string
		want Head
	}{
		// Tagged status responses.
		{"a001 OK LOGIN completed", Head{Kind: Tagged, Tag: "a001", Name: "OK", Text: "LOGIN completed"}},
		{"a002 NO [AUTHENTICATIONFAILED] Invalid credentials (0.002 + 0.000 secs).",
			Head{Kind: Tagged, Tag: "a002", Name: "NO", Code: "AUTHENTICATIONFAILED", Text: "Invalid credentials (0.002 + 0.000 secs)."}},
		{"a003 BAD Error in IMAP command FOO: Unknown command.",
			Head{Kind: Tagged, Tag: "a003", Name: "BAD", Text: "Error in IMAP command FOO: Unknown command."}},
		{"A4 ok [READ-WRITE] Select completed",
			Head{Kind: Tagged, Tag: "A4", Name: "OK", Code: "READ-WRITE", Text: "Select completed"}},
		{"a5 OK", Head{Kind: Tagged, Tag: "a5", Name: "OK"}},
		{"a6 OK [ALERT]", Head{Kind: Tagged, Tag: "a6", Name: "OK", Code: "ALERT"}},
		{"a7 NO [TRYCREATE]No such mailbox", Head{Kind: Tagged, Tag: "a7", Name: "NO", Code: "TRYCREATE", Text: "No such mailbox"}},
		{"a8 OK [COPYUID 38505 304,319:320 3956:3958] Done",
			Head{Kind: Tagged, Tag: "a8", Name: "OK", Code: "COPYUID 38505 304,319:320 3956:3958", Text: "Done"}},
		{"a9 OK [READ-ONLY] [x] y", Head{Kind: Tagged, Tag: "a9", Name: "OK", Code: "READ-ONLY", Text: "[x] y"}},
		{"a10 OK text with [brackets] inside", Head{Kind: Tagged, Tag: "a10", Name: "OK", Text: "text with [brackets] inside"}},
		// Untagged data.
		{"* 12 EXISTS", Head{Kind: Untagged, Num: 12, Name: "EXISTS"}},
		{"* 0 RECENT", Head{Kind: Untagged, Num: 0, Name: "RECENT"}},
		{"* 3 FETCH (UID 9 FLAGS (\\Seen) BODY[] {5}", Head{Kind: Untagged, Num: 3, Name: "FETCH"}},
		{"* 4 fetch (FLAGS ())", Head{Kind: Untagged, Num: 4, Name: "FETCH"}},
		{"* 4294967295 EXPUNGE", Head{Kind: Untagged, Num: 4294967295, Name: "EXPUNGE"}},
		{"* 0004 EXISTS", Head{Kind: Untagged, Num: 4, Name: "EXISTS"}},
		{"* CAPABILITY IMAP4rev1 IMAP4rev2 STARTTLS AUTH=PLAIN", Head{Kind: Untagged, Name: "CAPABILITY"}},
		{"* LIST (\\HasNoChildren) \"/\" INBOX", Head{Kind: Untagged, Name: "LIST"}},
		{"* SEARCH 2 84 882", Head{Kind: Untagged, Name: "SEARCH"}},
		{"* ESEARCH (TAG \"a1\") UID COUNT 3", Head{Kind: Untagged, Name: "ESEARCH"}},
		// Untagged status responses.
		{"* OK [UIDVALIDITY 3857529045] UIDs valid",
			Head{Kind: Untagged, Name: "OK", Code: "UIDVALIDITY 3857529045", Text: "UIDs valid"}},
		{`* OK [PERMANENTFLAGS (\Seen \*)] x`, Head{Kind: Untagged, Name: "OK", Code: `PERMANENTFLAGS (\Seen \*)`, Text: "x"}},
		{"* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR] Dovecot ready.",
			Head{Kind: Untagged, Name: "OK", Code: "CAPABILITY IMAP4rev1 LITERAL+ SASL-IR", Text: "Dovecot ready."}},
		{"* BYE Logging out", Head{Kind: Untagged, Name: "BYE", Text: "Logging out"}},
		{"* PREAUTH [CAPABILITY IMAP4rev2] hi", Head{Kind: Untagged, Name: "PREAUTH", Code: "CAPABILITY IMAP4rev2", Text: "hi"}},
		{"* NO [ALERT] Mailbox is at 95% of quota", Head{Kind: Untagged, Name: "NO", Code: "ALERT", Text: "Mailbox is at 95% of quota"}},
		{"* OK", Head{Kind: Untagged, Name: "OK"}},
		// Codes with brackets and quotes inside.
		{`* NO [BADURL "imap://x/INBOX;UID=1]"] bad`, Head{Kind: Untagged, Name: "NO", Code: `BADURL "imap://x/INBOX;UID=1]"`, Text: "bad"}},
		{`* NO [BADURL "a\"]b"] c`, Head{Kind: Untagged, Name: "NO", Code: `BADURL "a\"]b"`, Text: "c"}},
		{`* OK [X-THING [nested] more] t`, Head{Kind: Untagged, Name: "OK", Code: "X-THING [nested] more", Text: "t"}},
		{`* OK [unterminated code`, Head{Kind: Untagged, Name: "OK", Text: "[unterminated code"}},
		{`* OK [X "quote ]`, Head{Kind: Untagged, Name: "OK", Text: `[X "quote ]`}},
		// Continuation requests.
		{"+ Ready for literal data", Head{Kind: Continuation, Text: "Ready for literal data"}},
		{"+ ", Head{Kind: Continuation}},
		{"+", Head{Kind: Continuation}},
		{"+Ready", Head{Kind: Continuation, Text: "Ready"}},
		{"+ dGVzdA==", Head{Kind: Continuation, Text: "dGVzdA=="}},
		{"+ [ALERT] not a code", Head{Kind: Continuation, Text: "[ALERT] not a code"}},
		// Garbage, read as well as it can be.
		{"", Head{Kind: Untagged}},
		{" a1 OK x", Head{Kind: Untagged, Name: "A1"}},
		{"*", Head{Kind: Untagged}},
		{"* ", Head{Kind: Untagged}},
		{"*OK hi", Head{Kind: Tagged, Tag: "*OK", Name: "HI"}},
		{"a1", Head{Kind: Tagged, Tag: "a1"}},
		{"\x00\xff \x1b[31m", Head{Kind: Tagged, Tag: "\x00\xff", Name: "\x1b[31M"}},
	}
	for _, tt := range tests {
		got := ParseHead([]byte(tt.in))
		if got != tt.want {
			t.Errorf("ParseHead(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

// A number over 4294967295 where the grammar has a 32-bit number is
// recorded in Head.Err, never truncated; the rest of the head is read.
func TestParseHeadNumberRange(t *testing.T) {
	tests := []struct {
		in   string
		want Head // without Err
		msg  string
	}{
		{"* 4294967296 EXISTS", Head{Kind: Untagged, Name: "EXISTS"}, `the number 4294967296 in "* 4294967296 EXISTS" is larger than 4294967295`},
		{"* 18446744073709551617 EXPUNGE", Head{Kind: Untagged, Name: "EXPUNGE"}, "18446744073709551617"}, // 2^64+1: not 1
		{"* 99999999999 FETCH (UID 1)", Head{Kind: Untagged, Name: "FETCH"}, "99999999999"},
		{"* 4294967296 RECENT", Head{Kind: Untagged, Name: "RECENT"}, "4294967296"},
		{"* " + strings.Repeat("9", 5000) + " EXISTS", Head{Kind: Untagged, Name: "EXISTS"}, "(5000 bytes)"},
		{"* OK [UIDVALIDITY 4294967296] UIDs valid", Head{Kind: Untagged, Name: "OK", Code: "UIDVALIDITY 4294967296", Text: "UIDs valid"},
			`the number 4294967296 in the code "[UIDVALIDITY 4294967296]" is larger than 4294967295`},
		{"* OK [UIDNEXT 4294967297] x", Head{Kind: Untagged, Name: "OK", Code: "UIDNEXT 4294967297", Text: "x"}, "4294967297"},
		{"* OK [unseen 5000000000] x", Head{Kind: Untagged, Name: "OK", Code: "unseen 5000000000", Text: "x"}, "5000000000"},
		{"a1 OK [APPENDUID 38505 4294967296] done", Head{Kind: Tagged, Tag: "a1", Name: "OK", Code: "APPENDUID 38505 4294967296", Text: "done"}, "4294967296"},
		{"a1 OK [APPENDUID 4294967296 1] done", Head{Kind: Tagged, Tag: "a1", Name: "OK", Code: "APPENDUID 4294967296 1", Text: "done"}, "4294967296"},
		{"a2 OK [COPYUID 1 3:4 5:4294967296] done", Head{Kind: Tagged, Tag: "a2", Name: "OK", Code: "COPYUID 1 3:4 5:4294967296", Text: "done"}, "4294967296"},
		{"* OK [UIDNEXT 4294967296 \x1b7\x07] x", Head{Kind: Untagged, Name: "OK", Code: "UIDNEXT 4294967296 \x1b7\x07", Text: "x"}, `\x1b7\a`},
		{"* 4294967296 EXISTS\x1b[31m", Head{Kind: Untagged, Name: "EXISTS\x1b[31M"}, `\x1b[31m`},
		{"a3 OK [MODIFIED 7,4294967296] x", Head{Kind: Tagged, Tag: "a3", Name: "OK", Code: "MODIFIED 7,4294967296", Text: "x"}, "4294967296"},
	}
	for _, tt := range tests {
		got := ParseHead([]byte(tt.in))
		if got.Err != nil && strings.ContainsAny(got.Err.Error(), "\x1b\x07\r\n") {
			t.Errorf("ParseHead(%q).Err holds raw control characters: %q", tt.in, got.Err)
		}
		if !errors.Is(got.Err, ErrNumberRange) || !errors.Is(got.Err, ErrSyntax) || !strings.Contains(got.Err.Error(), tt.msg) {
			t.Errorf("ParseHead(%q).Err = %v, want ErrNumberRange saying %q", tt.in, got.Err, tt.msg)
		}
		if got.Err = nil; got != tt.want {
			t.Errorf("ParseHead(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
	// The numbers that fit, and the codes whose numbers are not 32-bit.
	for _, in := range []string{
		"* 4294967295 EXISTS",
		"* 00000000000000000000004294967295 EXPUNGE",
		"* OK [UIDVALIDITY 4294967295] x",
		"* OK [HIGHESTMODSEQ 18446744073709551615] x",
		"a1 OK [COPYUID 4294967295 1:4294967295 2,3] x",
		"* OK [X-SIZE 99999999999] x",
		"* 12abc FETCH",
	} {
		if h := ParseHead([]byte(in)); h.Err != nil {
			t.Errorf("ParseHead(%q).Err = %v, want nil", in, h.Err)
		}
	}
}

func TestHeadCodeNumber(t *testing.T) {
	tests := []struct {
		line     string
		want     uint32
		bad      bool
		tooLarge bool
	}{
		{line: "* OK [UIDVALIDITY 3857529045] UIDs valid", want: 3857529045},
		{line: "* OK [UIDNEXT 0016124] x", want: 16124},
		{line: "* OK [UIDVALIDITY 4294967295] x", want: 4294967295},
		{line: "* OK [UIDVALIDITY 4294967296] x", bad: true, tooLarge: true},
		{line: "* OK [UIDVALIDITY 99999999999999999999999] x", bad: true, tooLarge: true},
		{line: "* OK [UIDVALIDITY] x", bad: true},
		{line: "* OK [UIDVALIDITY x] x", bad: true},
		{line: "* OK [UIDVALIDITY -1] x", bad: true},
		{line: "* OK [UIDVALIDITY 1 2] x", bad: true},
		{line: "* OK x", bad: true},
		{line: "* OK [UIDNEXT \x1b7\x07] x", bad: true},
		{line: "* OK [UIDNEXT 99999999999\x1b7] x", bad: true},
	}
	for _, tt := range tests {
		n, err := ParseHead([]byte(tt.line)).CodeNumber()
		if tt.bad {
			if n != 0 || !errors.Is(err, ErrSyntax) || errors.Is(err, ErrNumberRange) != tt.tooLarge ||
				strings.ContainsAny(err.Error(), "\x1b\x07") {
				t.Errorf("%q: CodeNumber = %d, %v; want 0, ErrSyntax, ErrNumberRange %v", tt.line, n, err, tt.tooLarge)
			}
			continue
		}
		if n != tt.want || err != nil {
			t.Errorf("%q: CodeNumber = %d, %v; want %d", tt.line, n, err, tt.want)
		}
	}
	if allocs := testing.AllocsPerRun(100, func() {
		if _, err := (Head{Code: "UIDNEXT 16124"}).CodeNumber(); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("CodeNumber allocates %v times", allocs)
	}
}

// ParseHead copies what it keeps: the Reader reuses its buffer.
func TestParseHeadDoesNotRetain(t *testing.T) {
	line := []byte("a1 NO [ALERT] text")
	h := ParseHead(line)
	for i := range line {
		line[i] = 'x'
	}
	if h.Tag != "a1" || h.Code != "ALERT" || h.Text != "text" {
		t.Fatalf("head changed with its line: %+v", h)
	}
}

func TestParseHeadGarbageDoesNotPanic(t *testing.T) {
	pieces := []string{"", " ", "*", "+", "[", "]", `"`, `\`, "a1", "OK", "12", "(", "{5}", "\r", "\x00", "\xff"}
	var walk func(prefix string, depth int)
	n := 0
	walk = func(prefix string, depth int) {
		ParseHead([]byte(prefix))
		n++
		if depth == 0 {
			return
		}
		for _, p := range pieces {
			walk(prefix+p, depth-1)
		}
	}
	walk("", 4)
	if n < 60000 {
		t.Fatalf("only %d lines tried", n)
	}
}

func TestHeadIsStatus(t *testing.T) {
	for _, name := range []string{"OK", "NO", "BAD", "BYE", "PREAUTH"} {
		if !(Head{Name: name}).IsStatus() {
			t.Errorf("%s is not a status", name)
		}
	}
	for _, name := range []string{"", "EXISTS", "FETCH", "CAPABILITY", "ok", "OKAY"} {
		if (Head{Name: name}).IsStatus() {
			t.Errorf("%q is a status", name)
		}
	}
}

func TestHeadCode(t *testing.T) {
	tests := []struct {
		line, name, arg string
	}{
		{"* OK [UIDNEXT 4392] Predicted next UID", "UIDNEXT", "4392"},
		{"* OK [uidvalidity 3857529045] UIDs valid", "UIDVALIDITY", "3857529045"},
		{"a1 OK [READ-WRITE] done", "READ-WRITE", ""},
		{`* OK [PERMANENTFLAGS (\Deleted \Seen \*)] Limited`, "PERMANENTFLAGS", `(\Deleted \Seen \*)`},
		{"a2 OK [APPENDUID 38505 3955] APPEND completed", "APPENDUID", "38505 3955"},
		{"a3 OK done", "", ""},
		{"* 3 EXISTS", "", ""},
	}
	for _, tt := range tests {
		h := ParseHead([]byte(tt.line))
		if h.CodeName() != tt.name || h.CodeArg() != tt.arg {
			t.Errorf("%q: CodeName %q CodeArg %q, want %q %q", tt.line, h.CodeName(), h.CodeArg(), tt.name, tt.arg)
		}
	}
}

// The head of a response read by the Reader: the first fragment is enough,
// even when it ends in a literal.
func TestParseHeadOfFramedResponse(t *testing.T) {
	r := NewReader(strings.NewReader("* 7 FETCH (BODY[] {12}\r\na2 OK lies\r\n)\r\na2 OK done\r\n"))
	var heads []Head
	for {
		f, err := r.ReadFragment()
		if err != nil {
			break
		}
		heads = append(heads, ParseHead(f.Text))
		for f.Literal >= 0 {
			if _, err := io.Copy(io.Discard, r.Literal()); err != nil {
				t.Fatal(err)
			}
			if f, err = r.ReadFragment(); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := []Head{{Kind: Untagged, Num: 7, Name: "FETCH"}, {Kind: Tagged, Tag: "a2", Name: "OK", Text: "done"}}
	if len(heads) != 2 || heads[0] != want[0] || heads[1] != want[1] {
		t.Fatalf("heads %+v, want %+v", heads, want)
	}
}

// The response names servers send in capitals cost ParseHead nothing;
// others are upper-cased.
func TestParseHeadNames(t *testing.T) {
	for in, want := range map[string]string{
		"* 1 FETCH (UID 1)": "FETCH", "* 3 fetch (UID 1)": "FETCH", "* 2 Exists": "EXISTS",
		"* LIST () \"/\" x": "LIST", "* XLIST () \"/\" x": "XLIST", "* x-odd": "X-ODD", "a1 OK done": "OK",
	} {
		if got := ParseHead([]byte(in)).Name; got != want {
			t.Errorf("ParseHead(%q).Name = %q, want %q", in, got, want)
		}
	}
	line := []byte("* 12 FETCH (UID 40012 FLAGS (\\Seen))")
	if n := testing.AllocsPerRun(100, func() { ParseHead(line) }); n != 0 {
		t.Errorf("ParseHead of a FETCH line: %v allocations, want 0", n)
	}
}
