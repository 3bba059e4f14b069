package render

import (
	"testing"
	"unicode/utf8"
)

// FuzzSanitize checks what the terminal can receive from server text:
// nothing but printable characters (and tab), whatever the input and however
// it is cut into chunks.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[2J", "a\\x1b", "\u202e\u2028", "\xc3", "\xe2\x80\xae", "caf\xc3\xa9", "\x9b31m", "\\", "\t\x00\x7f"} {
		f.Add([]byte(s), 1)
	}
	f.Fuzz(func(t *testing.T, in []byte, cut int) {
		var whole sanitizer
		want := whole.append(nil, in, true)
		if !utf8.Valid(want) {
			t.Fatalf("invalid UTF-8 out of %q: %q", in, want)
		}
		for _, r := range string(want) {
			if (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || isFormatChar(r) {
				t.Fatalf("sanitize(%q) let %U through: %q", in, r, want)
			}
		}
		if len(in) == 0 {
			return
		}
		if cut < 0 {
			cut = -cut
		}
		cut %= len(in)
		var parts sanitizer
		got := parts.append(nil, in[:cut], false)
		got = parts.append(got, in[cut:], true)
		if string(got) != string(want) {
			t.Fatalf("cut at %d: %q, whole: %q", cut, got, want)
		}
	})
}

func TestSanitizeBackslashUnambiguous(t *testing.T) {
	cases := map[string]string{
		"\x1b[31m":         `\x1b[31m`,
		`\x1b[31m`:         `\\x1b[31m`,
		`\u202e`:           `\\u202e`,
		"\u202e":           `\u202e`,
		`FLAGS (\Seen \*)`: `FLAGS (\Seen \*)`,
		`trailing \`:       `trailing \`,
		"\u2028":           `\u2028`,
	}
	for in, want := range cases {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	// A backslash at the end of one chunk and x at the start of the next.
	var z sanitizer
	got := string(z.append(z.append(nil, []byte(`a\`), false), []byte(`x1b`), true))
	if got != `a\\x1b` {
		t.Errorf("split chunks: %q", got)
	}
}
