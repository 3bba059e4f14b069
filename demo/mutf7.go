package demo

import (
	"encoding/base64"
	"strings"
	"unicode/utf16"
)

// mutf7 is the modified BASE64 of RFC 3501 section 5.1.3: RFC 2045's
// alphabet with "," for "/", and no padding.
var mutf7 = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,").WithPadding(base64.NoPadding)

// encodeMailbox writes a mailbox name in modified UTF-7, as IMAP4rev1
// wants it on the wire: printable ASCII as itself ("&" as "&-"), each run
// of other characters as UTF-16 in modified BASE64 between "&" and "-".
// "Entwürfe" is "Entw&APw-rfe". It doesn't perform I/O.
func encodeMailbox(name string) string {
	var b strings.Builder
	var run []rune
	flush := func() {
		if len(run) == 0 {
			return
		}
		units := utf16.Encode(run)
		raw := make([]byte, 0, 2*len(units))
		for _, u := range units {
			raw = append(raw, byte(u>>8), byte(u))
		}
		b.WriteString("&" + mutf7.EncodeToString(raw) + "-")
		run = run[:0]
	}
	for _, r := range name {
		switch {
		case r == '&':
			flush()
			b.WriteString("&-")
		case r >= 0x20 && r <= 0x7e:
			flush()
			b.WriteRune(r)
		default:
			run = append(run, r)
		}
	}
	flush()
	return b.String()
}
