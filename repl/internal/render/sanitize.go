package render

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// sanitizer makes untrusted text safe for a terminal: C0 and C1 controls,
// ESC, DEL, invalid UTF-8 and Unicode bidi and format characters are shown
// as visible escapes (\x1b, \u202e) instead of being passed through. Tab is
// kept. It carries an incomplete UTF-8 sequence from one chunk to the next,
// so streamed literals are judged as a whole. It does not handle line ends:
// the caller splits lines first.
//
// A backslash that would read as the start of such an escape (\x, \u) is
// itself shown doubled, so the text "\x1b" and the octet ESC never look the
// same.
type sanitizer struct {
	carry [utf8.UTFMax]byte
	nc    int
	bs    bool // a backslash ended the previous chunk
}

// clear reports that nothing of an earlier chunk is pending (a backslash,
// part of a UTF-8 sequence): what follows may be copied without append.
func (s *sanitizer) clear() bool { return s.nc == 0 && !s.bs }

// append appends the sanitized form of b to dst. When final is false an
// incomplete UTF-8 sequence at the end of b is kept for the next call.
func (s *sanitizer) append(dst, b []byte, final bool) []byte {
	if s.bs {
		if len(b) == 0 && !final {
			return dst
		}
		s.bs = false
		dst = appendBackslash(dst, b)
	}
	if s.nc > 0 {
		// Complete the carried sequence with the first bytes of b.
		need := len(b)
		if need > utf8.UTFMax-s.nc {
			need = utf8.UTFMax - s.nc
		}
		buf := append(s.carry[:s.nc:s.nc], b[:need]...)
		if !utf8.FullRune(buf) && !final && len(b) == need {
			s.nc = copy(s.carry[:], buf)
			return dst
		}
		r, size := utf8.DecodeRune(buf)
		if r == utf8.RuneError && size <= 1 {
			// The carried bytes start no valid sequence: escape them all.
			dst = appendRune(dst, utf8.RuneError, s.carry[:s.nc])
			s.nc = 0
		} else {
			dst = appendRune(dst, r, buf[:size])
			b = b[size-s.nc:]
			s.nc = 0
		}
	}
	for i := 0; i < len(b); {
		// Most server text is printable ASCII: copy such runs whole.
		if n := plainSpan(b[i:]); n > 0 {
			dst = append(dst, b[i:i+n]...)
			if i += n; i == len(b) {
				break
			}
		}
		c := b[i]
		if c == '\\' {
			if i+1 == len(b) && !final {
				s.bs = true
				return dst
			}
			dst = appendBackslash(dst, b[i+1:])
			i++
			continue
		}
		if c < 0x80 {
			dst = appendRune(dst, rune(c), b[i:i+1])
			i++
			continue
		}
		if c >= 0xc2 && c < 0xe0 && i+1 < len(b) && b[i+1]&0xc0 == 0x80 {
			// A two-octet sequence (Latin, Greek, Cyrillic, Hebrew,
			// Arabic ...): shown as it is unless it is a C1 control or
			// one of the format characters below U+0800.
			if r := rune(c&0x1f)<<6 | rune(b[i+1]&0x3f); r >= 0xa0 && r != 0xad && r != 0x61c {
				dst = append(dst, c, b[i+1])
				i += 2
				continue
			}
		}
		if !utf8.FullRune(b[i:]) && !final {
			s.nc = copy(s.carry[:], b[i:])
			return dst
		}
		r, size := utf8.DecodeRune(b[i:])
		dst = appendRune(dst, r, b[i:i+size])
		i += size
	}
	return dst
}

// The bulk scan of plainRun looks at 8 octets at a time (SWAR: a register
// as a vector of bytes, see "Bit Twiddling Hacks", determine if a word has
// a byte less than n / equal to n).
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainRunGeneric returns the length of the longest prefix of b made of
// octets that are shown as they are: printable ASCII (0x20 to 0x7e) other
// than the backslash. plainRun is it, or on amd64 the same with SSE2 for
// the 16-octet blocks.
func plainRunGeneric(b []byte) int {
	i := 0
	for ; i+32 <= len(b); i += 32 {
		w := b[i : i+32 : i+32]
		if badOctets(binary.LittleEndian.Uint64(w))|badOctets(binary.LittleEndian.Uint64(w[8:]))|
			badOctets(binary.LittleEndian.Uint64(w[16:]))|badOctets(binary.LittleEndian.Uint64(w[24:])) != 0 {
			break // find it below, word by word
		}
	}
	for ; i+8 <= len(b); i += 8 {
		if bad := badOctets(binary.LittleEndian.Uint64(b[i:])); bad != 0 {
			return i + bits.TrailingZeros64(bad)>>3
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c >= 0x7f || c == '\\' {
			return i
		}
	}
	return i
}

// badOctets sets the high bit of the octets of x (little-endian) that are
// below 0x20, 0x7f or above, or a backslash. The lowest such octet is
// always marked: x - 0x20 sets the high bit of an octet below 0x20 (and of
// one at 0xa0 or above), x + 1 of 0x7f and above, x itself of 0x80 and
// above, (x ^ '\\') - 1 of the backslash (and of octets 0x80 and above,
// marked anyway). The borrows and carries of these sums start only at a
// marked octet and may mark the octets above it, never one below: the
// lowest mark is a bad octet, the one plainRun uses.
func badOctets(x uint64) uint64 {
	return ((x - 0x20*ones) | (x + ones) | x | ((x ^ '\\'*ones) - ones)) & highs
}

func appendRune(dst []byte, r rune, raw []byte) []byte {
	switch {
	case r == '\t':
		return append(dst, '\t')
	case r == utf8.RuneError && (len(raw) <= 1 || !utf8.Valid(raw)):
		for _, c := range raw {
			dst = appendHex(append(dst, '\\', 'x'), uint32(c), 2)
		}
		return dst
	case r < 0x20 || r == 0x7f:
		return appendHex(append(dst, '\\', 'x'), uint32(r), 2)
	case r >= 0x80 && r < 0xa0, isFormatChar(r):
		return appendHex(append(dst, '\\', 'u'), uint32(r), 4)
	}
	return append(dst, raw...)
}

// appendHex appends v in lower-case hexadecimal, at least digits long (as
// %02x and %04x write it).
func appendHex(dst []byte, v uint32, digits int) []byte {
	const hex = "0123456789abcdef"
	n := digits
	for v>>(4*n) != 0 {
		n++
	}
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, hex[v>>(4*i)&0xf])
	}
	return dst
}

// isFormatChar reports the invisible characters that reorder or hide text
// on a terminal: bidi controls, zero-width characters, the line and
// paragraph separators, the BOM, and the tag and interlinear-annotation
// blocks.
func isFormatChar(r rune) bool { return IsFormatChar(r) }

// IsFormatChar reports characters that are invisible or reorder text on a
// terminal (see isFormatChar's list).
func IsFormatChar(r rune) bool {
	switch {
	case r == 0x00ad, r == 0x061c, r == 0x180e, r == 0xfeff:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x2028 && r <= 0x202e, r >= 0x2060 && r <= 0x206f:
		return true
	case r >= 0xfff9 && r <= 0xfffb, r >= 0xe0000 && r <= 0xe007f:
		return true
	}
	return false
}

// Sanitize returns s made safe for a terminal: C0 and C1 controls, ESC,
// DEL, invalid UTF-8 and Unicode bidi and format characters are shown as
// visible escapes (\x1b, \u202e); CR and LF are escaped too, so the result
// is one line. It performs no I/O.
func Sanitize(s string) string { return sanitize(s) }

func sanitize(s string) string {
	var z sanitizer
	return string(z.append(nil, []byte(s), true))
}

// appendBackslash appends a backslash, doubled when next starts like an
// escape imapsh itself writes (\x or \u).
// plainSpan returns the length of the longest prefix of b that is shown
// as it is: plainRun's octets, and backslashes that start no escape
// (FLAGS (\Seen)), each followed by an octet in b.
func plainSpan(b []byte) int {
	n := plainRun(b)
	for n+1 < len(b) && b[n] == '\\' && b[n+1] != 'x' && b[n+1] != 'u' {
		n++
		n += plainRun(b[n:])
	}
	return n
}

func appendBackslash(dst, next []byte) []byte {
	if len(next) > 0 && (next[0] == 'x' || next[0] == 'u') {
		return append(dst, '\\', '\\')
	}
	return append(dst, '\\')
}

// plainLinesGeneric copies the lines at the start of src made of plain
// octets (plainRun's, no backslash) and ended by CRLF to dst, each as
// prefixServer, the line and LF: the form the printer gives such a line.
// It stops before the first line that is not such a line, whose line end
// lies in src's last 15 octets (the SSE2 form reads 16 at a time and
// leaves those to the caller), or that does not fit in dst. It returns
// the octets written to dst and read from src.
func plainLinesGeneric(dst, src []byte) (nd, ns int) {
	for {
		n := plainRun(src[ns:])
		j := ns + n
		if j >= ns+(len(src)-ns)&^15 {
			// (the SSE2 form sees only whole 16-octet blocks from ns)
			return nd, ns
		}
		if j+1 >= len(src) || src[j] != '\r' || src[j+1] != '\n' || nd+n+4 > len(dst) {
			return nd, ns
		}
		nd += copy(dst[nd:], prefixServer)
		nd += copy(dst[nd:], src[ns:j])
		dst[nd] = '\n'
		nd++
		ns = j + 2
	}
}
