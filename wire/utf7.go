package wire

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Mailbox names in IMAP4rev1 are 7-bit: other characters are written in
// "modified UTF-7" (RFC 3501 section 5.1.3). Printable US-ASCII (0x20 to
// 0x7e) stands for itself, except "&", which is written "&-"; every other
// character is UTF-16 in modified BASE64 (the alphabet of RFC 2045 with ","
// for "/", no padding) between "&" and "-". A run of such characters is
// one section: "-&" (a null shift) is not allowed, nor is BASE64 that
// stands for a printable character. Once UTF8=ACCEPT (RFC 6855) or
// IMAP4rev2 is enabled, names are UTF-8 instead and this encoding is not
// used.

// ErrUTF7 is wrapped by the errors of DecodeMailbox and EncodeMailbox.
var ErrUTF7 = errors.New("wire: not valid modified UTF-7")

const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,"

// b64Value maps an octet to its value in the modified BASE64 alphabet, or
// 0xff.
var b64Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(b64); i++ {
		t[b64[i]] = byte(i)
	}
	return t
}()

// printable reports an octet that stands for itself in modified UTF-7.
func printable(r rune) bool { return r >= 0x20 && r <= 0x7e }

// EncodeMailbox returns name, UTF-8, in modified UTF-7. A name that is not
// valid UTF-8 is refused (errors.Is ErrUTF7). It does not perform I/O.
func EncodeMailbox(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", fmt.Errorf("%w: the name is not valid UTF-8", ErrUTF7)
	}
	var b strings.Builder
	var run []rune // characters waiting to be written in BASE64
	flush := func() {
		if len(run) == 0 {
			return
		}
		b.WriteByte('&')
		b.WriteString(encodeBase64(utf16.Encode(run)))
		b.WriteByte('-')
		run = run[:0]
	}
	for _, r := range name {
		switch {
		case r == '&':
			flush()
			b.WriteString("&-")
		case printable(r):
			flush()
			b.WriteRune(r)
		default:
			run = append(run, r)
		}
	}
	flush()
	return b.String(), nil
}

// encodeBase64 writes UTF-16 units big-endian in modified BASE64, without
// padding; the unused bits of the last character are zero.
func encodeBase64(units []uint16) string {
	var out []byte
	var acc uint32
	bits := 0
	for _, u := range units {
		acc = acc<<16 | uint32(u)
		bits += 16
		for bits >= 6 {
			bits -= 6
			out = append(out, b64[(acc>>bits)&0x3f])
		}
	}
	if bits > 0 {
		out = append(out, b64[(acc<<(6-bits))&0x3f])
	}
	return string(out)
}

// DecodeMailbox returns the UTF-8 form of a mailbox name in modified UTF-7.
// It is strict: anything RFC 3501 section 5.1.3 does not allow (an octet
// outside printable US-ASCII, a section without its "-", a null shift,
// BASE64 for a printable character, bits left over, a lone surrogate) is
// an error that says what and where (errors.Is ErrUTF7); nothing is
// decoded loosely. It does not perform I/O.
func DecodeMailbox(s string) (string, error) {
	var b strings.Builder
	afterSection := false // the last thing read was a BASE64 section
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return "", fmt.Errorf("%w: octet 0x%02x at %d (only printable US-ASCII may appear)", ErrUTF7, c, i+1)
		}
		if c != '&' {
			b.WriteByte(c)
			i++
			afterSection = false
			continue
		}
		end := strings.IndexByte(s[i+1:], '-')
		if end < 0 {
			return "", fmt.Errorf("%w: the section at %d has no closing \"-\"", ErrUTF7, i+1)
		}
		sec := s[i+1 : i+1+end]
		if sec == "" {
			b.WriteByte('&')
			i += 2
			afterSection = false
			continue
		}
		if afterSection {
			return "", fmt.Errorf("%w: a section at %d follows another directly (\"-&\", a null shift: the two should be one)", ErrUTF7, i+1)
		}
		units, err := decodeBase64(sec)
		if err != nil {
			return "", fmt.Errorf("%w: the section at %d: %v", ErrUTF7, i+1, err)
		}
		if err := checkSurrogates(units); err != nil {
			return "", fmt.Errorf("%w: the section at %d: %v", ErrUTF7, i+1, err)
		}
		runes := utf16.Decode(units)
		for _, r := range runes {
			if printable(r) {
				return "", fmt.Errorf("%w: the section at %d encodes %q, which must be written as itself", ErrUTF7, i+1, r)
			}
		}
		b.WriteString(string(runes))
		i += 1 + end + 1
		afterSection = true
	}
	return b.String(), nil
}

// decodeBase64 decodes modified BASE64 into UTF-16 units, refusing
// characters outside the alphabet, an odd number of octets and non-zero
// bits left over.
func decodeBase64(sec string) ([]uint16, error) {
	var octets []byte
	var acc uint32
	bits := 0
	for j := 0; j < len(sec); j++ {
		v := b64Value[sec[j]]
		if v == 0xff {
			return nil, fmt.Errorf("%q is not a modified BASE64 character", sec[j:j+1])
		}
		acc = acc<<6 | uint32(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			octets = append(octets, byte(acc>>bits))
		}
	}
	if bits >= 6 {
		return nil, errors.New("a BASE64 character too many")
	}
	if acc&(1<<bits-1) != 0 {
		return nil, errors.New("the bits left over at the end are not zero")
	}
	if len(octets)%2 != 0 {
		return nil, fmt.Errorf("%d octets, not whole UTF-16 units", len(octets))
	}
	units := make([]uint16, len(octets)/2)
	for k := range units {
		units[k] = uint16(octets[2*k])<<8 | uint16(octets[2*k+1])
	}
	return units, nil
}

// checkSurrogates refuses a high surrogate not followed by a low one and a
// low one not preceded by a high one.
func checkSurrogates(units []uint16) error {
	for k := 0; k < len(units); k++ {
		u := units[k]
		switch {
		case u >= 0xd800 && u < 0xdc00:
			if k+1 >= len(units) || units[k+1] < 0xdc00 || units[k+1] >= 0xe000 {
				return fmt.Errorf("a high surrogate 0x%04x without its low half", u)
			}
			k++
		case u >= 0xdc00 && u < 0xe000:
			return fmt.Errorf("a low surrogate 0x%04x without its high half", u)
		}
	}
	return nil
}
