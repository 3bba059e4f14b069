package helpers

import (
	"fmt"
	"strings"
)

// count writes n things as a person would: "1 message", "3 messages".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// octets is count(n, "octet").
func octets(n int64) string { return count(int(n), "octet") }

// field makes one decoded header value (a Subject with an RFC 2047 "=0A",
// a From) fit on the one line it is shown on, before it is formatted
// into a report: a line feed or carriage return in it becomes a visible
// ␊ or ␍ (U+240A, U+240D), so it can never start a line of its own that
// reads like imapsh's ("# killed ..."). The printer makes every other
// control visible, as for all server text (an escape such as \x0a made
// here would be escaped again there, and shown doubled).
func field(s string) string {
	return lineBreaks.Replace(s)
}

// lineBreaks are the octets the printer splits lines at (LF), and CR with
// them, for one look.
var lineBreaks = strings.NewReplacer("\n", "␊", "\r", "␍")
