package render

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
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

// refSanitize is the sanitizer's rules written plainly, rune by rune, for
// the fuzz target to compare with: the fast path must not change a byte.
func refSanitize(in []byte) string {
	var out strings.Builder
	for i := 0; i < len(in); {
		r, size := utf8.DecodeRune(in[i:])
		raw := in[i : i+size]
		switch {
		case r == '\\':
			out.WriteByte('\\')
			if i+1 < len(in) && (in[i+1] == 'x' || in[i+1] == 'u') {
				out.WriteByte('\\')
			}
		case r == '\t':
			out.WriteByte('\t')
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&out, `\x%02x`, in[i])
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&out, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0, isFormatChar(r):
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			out.Write(raw)
		}
		i += size
	}
	return out.String()
}

// FuzzSanitizeReference checks the sanitizer, whole and cut in two, against
// refSanitize.
func FuzzSanitizeReference(f *testing.F) {
	for _, s := range []string{"plain text, long enough for a word or two", "\x1b[2J0123456789", "abcdefg\\x1b", "12345678\u202e\u2028", "\xc3", "caf\xc3\xa9 caf\xc3\xa9", "\x9b31m", "\t\x00\x7f~~~~~~~~", "\U000e0001", "\xf4\x90\x80\x80"} {
		f.Add([]byte(s), 3)
	}
	f.Fuzz(func(t *testing.T, in []byte, cut int) {
		if a, b := plainRun(in), plainRunGeneric(in); a != b {
			t.Fatalf("plainRun(%q) = %d, plainRunGeneric: %d", in, a, b)
		}
		want := refSanitize(in)
		var whole sanitizer
		if got := string(whole.append(nil, in, true)); got != want {
			t.Fatalf("sanitize(%q) = %q, want %q", in, got, want)
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
		if got := string(parts.append(got, in[cut:], true)); got != want {
			t.Fatalf("sanitize(%q) cut at %d = %q, want %q", in, cut, got, want)
		}
	})
}

// TestPlainRun checks the bulk scans (SSE2 where there is, and the
// portable one) against the plain test of each octet:
// every octet value at every position of a 40-octet run of plain text (the
// 32-octet step, the 8-octet step and the tail), alone and with a second
// bad octet after it.
func TestPlainRun(t *testing.T) {
	for name, f := range map[string]func([]byte) int{"plainRun": plainRun, "plainRunGeneric": plainRunGeneric} {
		t.Run(name, func(t *testing.T) { testPlainRun(t, f) })
	}
}

func testPlainRun(t *testing.T, plainRun func([]byte) int) {
	const n = 40
	plain := func(c byte) bool { return c >= 0x20 && c < 0x7f && c != '\\' }
	for _, fill := range []byte{' ', 'a', '~', '[', ']'} {
		for pos := 0; pos < n; pos++ {
			for c := 0; c < 256; c++ {
				b := bytes.Repeat([]byte{fill}, n)
				b[pos] = byte(c)
				want := n
				if !plain(byte(c)) {
					want = pos
				}
				if got := plainRun(b); got != want {
					t.Fatalf("plainRun(%q) = %d, want %d", b, got, want)
				}
				if got := plainRun(b[:pos+1]); got != min(want, pos+1) {
					t.Fatalf("plainRun(%q) = %d, want %d", b[:pos+1], got, min(want, pos+1))
				}
				// A second bad octet after the first must not move it.
				for _, second := range []byte{0x00, 0xff, 0x7f, '\\', 0x1f} {
					if pos < n-1 && !plain(byte(c)) {
						b[n-1] = second
						if got := plainRun(b); got != pos {
							t.Fatalf("plainRun(%q) = %d, want %d", b, got, pos)
						}
					}
				}
			}
		}
	}
}

func BenchmarkSanitize(b *testing.B) {
	ascii := bytes.Repeat([]byte("Line 000042 of a long message, with some text to print and sanitize. "), 500)
	utf := bytes.Repeat([]byte("Zeile 000042: Grüße aus Köln, naïve café déjà vu; Привет, мир! "), 500)
	for _, c := range []struct {
		name string
		in   []byte
	}{{"ascii", ascii}, {"utf8", utf}} {
		b.Run(c.name, func(b *testing.B) {
			var s sanitizer
			var out []byte
			b.SetBytes(int64(len(c.in)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				out = s.append(out[:0], c.in, true)
			}
		})
	}
}

// plainLines (SSE2 on amd64) and plainLinesGeneric agree, and write what
// the printer writes for such lines, on lines of every length around the
// 16-octet steps, with a bad octet, a bare CR or LF, a backslash, or a
// short dst in the way.
func TestPlainLines(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("abc XYZ~[]{}()0123456789\r\n\r\n\r\n\\\x1b\xc3\xa9")
	for i := 0; i < 200000; i++ {
		var src []byte
		for l := rng.IntN(6); l >= 0; l-- {
			src = append(src, bytes.Repeat([]byte{'a' + byte(rng.IntN(26))}, rng.IntN(40))...)
			if rng.IntN(4) == 0 {
				src = append(src, alphabet[rng.IntN(len(alphabet))])
			}
			src = append(src, "\r\n"...)
		}
		src = src[:rng.IntN(len(src)+1)]
		dst1 := make([]byte, rng.IntN(2*len(src)+8))
		dst2 := make([]byte, len(dst1))
		nd1, ns1 := plainLines(dst1, src)
		nd2, ns2 := plainLinesGeneric(dst2, src)
		if nd1 != nd2 || ns1 != ns2 || !bytes.Equal(dst1[:nd1], dst2[:nd2]) {
			t.Fatalf("src %q, dst %d: plainLines %d %d %q, generic %d %d %q", src, len(dst1), nd1, ns1, dst1[:nd1], nd2, ns2, dst2[:nd2])
		}
		// What was written is the printer's form of what was read.
		want := strings.ReplaceAll(string(src[:ns1]), "\r\n", "\n")
		if ns1 > 0 {
			want = "S: " + strings.ReplaceAll(strings.TrimSuffix(want, "\n"), "\n", "\nS: ") + "\n"
		}
		if string(dst1[:nd1]) != want {
			t.Fatalf("src %q: wrote %q, want %q", src, dst1[:nd1], want)
		}
	}
}
