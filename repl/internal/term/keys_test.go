package term

import (
	"strings"
	"testing"
)

func TestKeyFilter(t *testing.T) {
	long := strings.Repeat("x", pasteMin)
	mark := string(pasteMark)
	cases := []struct {
		name   string
		chunks []string // fed one filter call each
		want   string
		pastes []string
	}{
		{"typed", []string{"abc"}, "abc", nil},
		{"Ctrl-C leaves completion first", []string{"ab\x03"}, "ab\x07\x03", nil},
		{"NUL dropped", []string{"a\x00b\x00"}, "ab", nil},
		{"short run", []string{long[1:] + "\r"}, long[1:] + "\r", nil},
		{"paste", []string{long + "\r"}, "\x07" + mark + "\r", []string{long}},
		{"paste after a key sequence", []string{"\x1b[A" + long}, "\x1b[A\x07" + mark, []string{long}},
		{"CSI with parameters is not text", []string{"\x1b[1;5C" + long[:3]}, "\x1b[1;5C" + long[:3], nil},
		{"sequence split across reads", []string{"\x1b", "[", "Dxy"}, "\x1b[Dxy", nil},
		{"SS3", []string{"\x1bOHab"}, "\x1bOHab", nil},
		{"Alt-key", []string{"\x1bbab"}, "\x1bbab", nil},
		{"Ctrl-C after ESC", []string{"\x1b\x03"}, "\x1b\x07\x03", nil},
		{"UTF-8 split across reads", []string{"a\xc3", "\xa9"}, "aé", nil},
		{"tab splits a paste", []string{long + "\t" + long}, "\x07" + mark + "\t\x07" + mark, []string{long, long}},
		{"a typed mark is queued as text", []string{"a" + mark}, "\x07" + mark, []string{"a" + mark}},
		{"two lines pasted", []string{long + "1\r" + long + "2\r"}, "\x07" + mark + "\r\x07" + mark + "\r", []string{long + "1", long + "2"}},
		{"paste of wide characters", []string{strings.Repeat("é", pasteMin)}, "\x07" + mark, []string{strings.Repeat("é", pasteMin)}},
	}
	for _, c := range cases {
		k := newKeyReader(nil)
		for _, ch := range c.chunks {
			k.raw = append(k.raw, ch...)
			k.filter(false)
		}
		if string(k.out) != c.want {
			t.Errorf("%s: out %q, want %q", c.name, k.out, c.want)
		}
		var got []string
		for {
			p, ok := k.takePaste()
			if !ok {
				break
			}
			got = append(got, string(p))
		}
		if strings.Join(got, "|") != strings.Join(c.pastes, "|") {
			t.Errorf("%s: pastes %q, want %q", c.name, got, c.pastes)
		}
	}
}

func TestKeyFilterIncompleteAtEnd(t *testing.T) {
	k := newKeyReader(nil)
	k.raw = []byte("ab\xe2\x82")
	k.filter(false)
	if string(k.out) != "ab" || string(k.raw) != "\xe2\x82" {
		t.Errorf("out %q raw %q: the incomplete character must wait", k.out, k.raw)
	}
	// At the end of input it goes as it is (the editor shows U+FFFD).
	k.filter(true)
	if string(k.out) != "ab\xe2\x82" || len(k.raw) != 0 {
		t.Errorf("final: out %q raw %q", k.out, k.raw)
	}
}
