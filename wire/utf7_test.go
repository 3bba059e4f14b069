package wire

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// The examples of RFC 3501 section 5.1.3, and a few more checked against
// Python's UTF-7 codec with "/" read as ",".
var utf7Pairs = []struct{ utf8, utf7 string }{
	{"~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"}, // RFC 3501
	{"台北日本語", "&U,BTF2XlZyyKng-"},                             // RFC 3501: the correct form
	{"☺!", "&Jjo-!"},                                          // RFC 3501: the correct form
	{"Entwürfe", "Entw&APw-rfe"},
	{"&", "&-"},
	{"Tom & Jerry", "Tom &- Jerry"},
	{"台北&", "&U,BTFw-&-"},
	{"😀", "&2D3eAA-"},
	{"Ω\x7f", "&A6kAfw-"},
	{"T\u00e4st\x00", "T&AOQ-st&AAA-"},
	{"", ""},
	{"INBOX", "INBOX"},
	{"a-b", "a-b"},
}

func TestEncodeMailbox(t *testing.T) {
	for _, c := range utf7Pairs {
		got, err := EncodeMailbox(c.utf8)
		if err != nil || got != c.utf7 {
			t.Errorf("EncodeMailbox(%q) = %q, %v; want %q", c.utf8, got, err, c.utf7)
		}
	}
	if _, err := EncodeMailbox("a\xffb"); !errors.Is(err, ErrUTF7) {
		t.Errorf("invalid UTF-8: err = %v, want ErrUTF7", err)
	}
}

func TestDecodeMailbox(t *testing.T) {
	for _, c := range utf7Pairs {
		got, err := DecodeMailbox(c.utf7)
		if err != nil || got != c.utf8 {
			t.Errorf("DecodeMailbox(%q) = %q, %v; want %q", c.utf7, got, err, c.utf8)
		}
	}
}

func TestDecodeMailboxInvalid(t *testing.T) {
	for _, c := range []struct{ in, why string }{
		{"&Jjo!", `no closing "-"`},                    // RFC 3501: no shift back before "!"
		{"&U,BTFw-&ZeVnLIqe-", "null shift"},           // RFC 3501: a superfluous shift
		{"&Jjo", `no closing "-"`},                     // ends in BASE64
		{"Entwürfe", "octet 0xc3 at 5"},                // UTF-8 where 7 bits belong
		{"a\tb", "octet 0x09 at 2"},                    // a control
		{"&AGE-", `encodes 'a'`},                       // BASE64 for a printable character
		{"&ACY-", `encodes '&'`},                       // "&" must be "&-"
		{"&A/w-", `"/" is not a modified BASE64`},      // RFC 2152's "/", not ","
		{"&APw=-", `"=" is not a modified BASE64`},     // padding
		{"&APx-", "bits left over"},                    // U+00FC with a stray bit
		{"&AP-", "bits left over"},                     // one octet
		{"&APwA-", "3 octets, not whole UTF-16 units"}, // 24 bits
		{"&2D0-", "high surrogate 0xd83d without"},     // a lone high surrogate
		{"&3gA-", "low surrogate 0xde00 without"},      // a lone low surrogate
		{"&2D3YPQ-", "high surrogate 0xd83d without"},  // high, high
		{"a&", `no closing "-"`},                       // a bare "&" at the end
		{"&\x80-", `"\x80" is not a modified BASE64`},  // 8-bit inside a section
		{"x&APw-&APw-", "null shift"},                  // two sections side by side
		{"&APw-&APw-&-", "null shift"},                 // the same, then an ampersand
		{"&,,,,-", "not whole UTF-16 units"},           // 24 bits
		{"&A-", "a BASE64 character too many"},         // 6 bits: no octet at all
		{"&APwAA-", "a BASE64 character too many"},     // 30 bits: 3 octets and 6 spare bits
		{"&AOQA5A-", ""},                               // sanity: valid, "ää"
	} {
		got, err := DecodeMailbox(c.in)
		if c.why == "" {
			if err != nil {
				t.Errorf("DecodeMailbox(%q): %v, want success", c.in, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("DecodeMailbox(%q) = %q, want an error about %s", c.in, got, c.why)
			continue
		}
		if !errors.Is(err, ErrUTF7) || !strings.Contains(err.Error(), c.why) {
			t.Errorf("DecodeMailbox(%q): %v; want ErrUTF7 mentioning %q", c.in, err, c.why)
		}
	}
}

// FuzzMailboxUTF7 checks both directions: every UTF-8 name survives
// encoding and decoding, and every string the strict decoder accepts is
// the one encoding of what it decodes to (so no two spellings of a name
// both pass).
func FuzzMailboxUTF7(f *testing.F) {
	for _, c := range utf7Pairs {
		f.Add(c.utf8)
		f.Add(c.utf7)
	}
	f.Add("&Jjo!")
	f.Add("&U,BTFw-&ZeVnLIqe-")
	f.Fuzz(func(t *testing.T, s string) {
		if utf8.ValidString(s) {
			enc, err := EncodeMailbox(s)
			if err != nil {
				t.Fatalf("EncodeMailbox(%q): %v", s, err)
			}
			for i := 0; i < len(enc); i++ {
				if enc[i] < 0x20 || enc[i] > 0x7e {
					t.Fatalf("EncodeMailbox(%q) = %q: octet 0x%02x", s, enc, enc[i])
				}
			}
			dec, err := DecodeMailbox(enc)
			if err != nil || dec != s {
				t.Fatalf("DecodeMailbox(EncodeMailbox(%q) = %q) = %q, %v", s, enc, dec, err)
			}
		}
		dec, err := DecodeMailbox(s)
		if err != nil {
			return
		}
		enc, err := EncodeMailbox(dec)
		if err != nil || enc != s {
			t.Fatalf("DecodeMailbox(%q) = %q, but that encodes as %q (%v)", s, dec, enc, err)
		}
	})
}
