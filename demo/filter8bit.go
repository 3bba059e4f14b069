package demo

import (
	"bytes"
	"fmt"
	"strings"
)

// eightBit checks a command's first line for octets over 0x7f outside a
// quoted string (never allowed: an atom is ASCII) or inside one before the
// client enabled UTF-8. go-imap's server would take such a name as it is;
// a real IMAP4rev1 server answers BAD, and the sandbox does too, so that a
// name like Entwürfe must be written as the protocol wants:
// "Entw&APw-rfe" (modified UTF-7).
func (f *filterConn) eightBit(line []byte) string {
	quoted, inQuote, start := false, false, 0
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inQuote && c == '\\':
			i++
		case c == '"':
			if !inQuote {
				start = i
			}
			inQuote = !inQuote
		case c == ' ' && !inQuote:
			start = i + 1
		case c >= 0x80:
			if inQuote && f.utf8 != nil && f.utf8() {
				continue
			}
			quoted = inQuote
			word := string(line[start:])
			if end := strings.IndexAny(word[1:], " \r\n"); end >= 0 && !quoted {
				word = word[:end+1]
			}
			if quoted {
				word = word[1:]
				if end := strings.IndexByte(word, '"'); end >= 0 {
					word = word[:end]
				}
			}
			word = strings.Trim(word, "\"\r\n")
			where := "in an atom"
			if quoted {
				where = "in a quoted string before ENABLE UTF8=ACCEPT (or ENABLE IMAP4rev2)"
			}
			return fmt.Sprintf("8-bit octets %s: an IMAP4rev1 command line is ASCII outside literals, and a mailbox name like %s is written %q (modified UTF-7, RFC 3501 section 5.1.3)", where, word, encodeMailbox(word))
		}
	}
	return ""
}

// refuseLine answers a command's first line with BAD itself: the server
// never sees it. The rest of the command is dropped: a {N+} literal the
// line announces comes at once; after {N} the client waits for a "+" that
// never comes, and reads the BAD instead.
func (f *filterConn) refuseLine(line []byte, why string) error {
	tag := "*"
	if fields := bytes.Fields(line); len(fields) > 0 {
		tag = string(fields[0])
	}
	if _, err := f.Conn.Write([]byte(tag + " BAD " + why + "\r\n")); err != nil {
		return err
	}
	return f.drop(line)
}
