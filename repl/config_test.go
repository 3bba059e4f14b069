package repl

import (
	"errors"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/wire"
)

func TestParseTargetURLUser(t *testing.T) {
	cases := []struct {
		in   string
		want Target
	}{
		{"imap://alice%40example.com@mail.example.com", Target{Host: "mail.example.com", User: "alice@example.com", Security: wire.StartTLS, Scheme: true}},
		{"imaps://alice%40example.com;AUTH=*@mail.example.com:993/INBOX", Target{Host: "mail.example.com", Port: 993, User: "alice@example.com", Scheme: true, Mailbox: "INBOX"}},
		{"imaps://bob;auth=*@h", Target{Host: "h", User: "bob", Scheme: true}},
		{"imaps://;AUTH=*@h", Target{Host: "h", Scheme: true}},
		{"imaps://a%25b%20c@h", Target{Host: "h", User: "a%b c", Scheme: true}},
		// Not a URL: the user name is taken as written.
		{"alice%40example.com@h", Target{Host: "h", User: "alice%40example.com"}},
		{"alice@example.com@h", Target{Host: "h", User: "alice@example.com"}},
	}
	for _, c := range cases {
		got, err := ParseTarget(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	bad := []struct{ in, want string }{
		{"imaps://alice;AUTH=GSSAPI@h", `the URL asks for the SASL mechanism "GSSAPI" (;AUTH=GSSAPI)`},
		{"imaps://alice;AUTH=PLAIN@h", "drop ;AUTH=PLAIN, or write ;AUTH=* for any"},
		{"imaps://alice;FOO=1@h", "only ;AUTH=MECHANISM"},
		{"imaps://al%ZZice@h", `bad percent-encoding in the user name "al%ZZice"`},
		{"imaps://al%0Aice@h", "decodes to a control character"},
	}
	for _, c := range bad {
		_, err := ParseTarget(c.in)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseTarget(%q) = %v, want a usage error with %q", c.in, err, c.want)
		}
	}
}
