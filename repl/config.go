// Package repl is the imapsh shell: it connects (package wire), tags
// commands (package tagger), prints responses in color with untrusted text
// made safe, and offers helpers for literals and for finding, saving and
// deleting one message by UID. It is the only package that knows a
// terminal exists.
package repl

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/imapsh/imapsh/repl/internal/term"
	"github.com/imapsh/imapsh/wire"
)

// Config is everything Run needs. main builds it from flags.
type Config struct {
	Host     string
	Port     int
	Security wire.Security
	User     string
	CAFile   string
	Insecure bool
	Timeout  time.Duration
	// Color is "auto", "always" or "never".
	Color     string
	TagPrefix string
	// Raw prints server literals whole even at the terminal.
	Raw bool
	// LiteralLimit is the size above which literals are summarised at the
	// terminal.
	LiteralLimit int64
	// MaxLine caps one response line from the server, literals excepted
	// (wire.DefaultMaxLine when 0).
	MaxLine int
	// Password, when set, is used for User instead of IMAPSH_PASSWORD or
	// asking (main sets it for the demo only).
	Password string
	// Demo says Host:Port is the built-in sandbox that main started: its
	// welcome notes are shown, and plaintext is not warned about.
	Demo bool
	// DemoUser and DemoPassword are the sandbox's credentials (main sets
	// them with Demo). When User is empty (--login-yourself) the shell
	// shows them instead of logging in; the tour logs in with them.
	DemoUser, DemoPassword string
	// Mailbox is selected after login, as an IMAP URL's path asks.
	Mailbox string
	// Auth is the SASL mechanism to log in with ("" lets imapsh choose).
	Auth string
	// OAuth2TokenFile holds the access token for XOAUTH2 and OAUTHBEARER.
	OAuth2TokenFile string
	// ClientCert and ClientKey are PEM files of a TLS client certificate
	// (for servers that ask for one, and EXTERNAL).
	ClientCert, ClientKey string
	// LogFile, when set, receives a transcript of the session (see
	// render.Transcript); it must not exist yet.
	LogFile string
	// LogSecrets records credentials in the transcript too.
	LogSecrets bool
	// Strict makes any rule of IMAP the server breaks (as the protocol
	// watchdog sees it) fail the run: exit status 1.
	Strict bool

	// Proxy is a SOCKS5 proxy: socks5://[USER:PASS@]HOST[:PORT] (names
	// resolved here) or socks5h://... (names resolved by the proxy);
	// "none" connects directly; "" uses ALL_PROXY unless NO_PROXY covers
	// Host (see proxy.go).
	Proxy string
	// Keepalive is how long the user may sit at the prompt before a NOOP
	// keeps the connection alive (its lines shown only if they bring
	// news); nil means 4 minutes at the terminal and none in script mode,
	// 0 none.
	Keepalive *time.Duration
	// CommandTimeout is how long a command may go without completing
	// before it is reported (at the terminal) or the run ends with exit
	// status 2 (in script mode); nil means none at the terminal and 10
	// minutes in script mode, 0 none.
	CommandTimeout *time.Duration
	// SendID sends ID (RFC 2971) right after login.
	SendID bool
	// Compress turns on COMPRESS=DEFLATE (RFC 4978) after login when the
	// server offers it.
	Compress bool
	// Version is imapsh's version, which ID sends.
	Version string

	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Interactive forces the shell (true) or script mode (false); nil
	// decides by whether stdin is a terminal.
	Interactive *bool
	// HistoryFile overrides the history location ("-" disables history).
	HistoryFile string
	// HistoryLimit is how many history entries are kept (0: 5000).
	HistoryLimit int
	// Getenv reads the environment (IMAPSH_PASSWORD, NO_COLOR, TERM ...).
	Getenv func(string) string

	// termIO lets tests replace the terminal under the console.
	termIO func(*term.Config)
	// testInterrupt replaces Ctrl-C's SIGINT in tests.
	testInterrupt chan struct{}
	// testSignals replaces the signals a helper's shield catches, and
	// testRaise the re-raising of one when it is released, in tests.
	testSignals chan os.Signal
	testRaise   func(os.Signal)
}

// UsageError is an error in how imapsh was invoked: exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// ErrFailed is returned by Run when the session worked but some command
// completed NO or BAD (or a helper failed): exit status 1.
var ErrFailed = errors.New("some commands failed")

// Target is a parsed [imaps://|imap://][USER@]HOST[:PORT].
type Target struct {
	Host     string
	Port     int // 0 when not given
	User     string
	Security wire.Security
	Scheme   bool   // a scheme was given
	Mailbox  string // a mailbox named by an imap:// URL path, to select
}

// ParseTarget parses the server argument. IPv6 literals go in brackets:
// [::1]:993.
func ParseTarget(s string) (Target, error) {
	var t Target
	switch {
	case strings.HasPrefix(s, "imaps://"):
		s, t.Scheme = s[len("imaps://"):], true
	case strings.HasPrefix(s, "imap://"):
		s, t.Scheme, t.Security = s[len("imap://"):], true, wire.StartTLS
	case strings.Contains(s, "://"):
		return t, &UsageError{fmt.Sprintf("unsupported scheme in %q: use imaps:// (TLS, port 993) or imap:// (STARTTLS, port 143)", s)}
	}
	if t.Scheme {
		// An IMAP URL (RFC 5092) may name a mailbox: imap://host/INBOX.
		if i := strings.Index(s, "/"); i >= 0 {
			box, err := url.PathUnescape(s[i+1:])
			if err != nil {
				return t, &UsageError{fmt.Sprintf("bad mailbox in %q: %v", s, err)}
			}
			t.Mailbox, s = box, s[:i]
		}
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		t.User, s = s[:i], s[i+1:]
		if t.User == "" {
			return t, &UsageError{"empty user name before @: write USER@HOST, or leave out the @"}
		}
		if t.Scheme {
			user, err := urlUser(t.User)
			if err != nil {
				return t, err
			}
			t.User = user
		}
	}
	if s == "" {
		return t, &UsageError{"no server given: imapsh [flags] [imaps://|imap://][USER@]HOST[:PORT]"}
	}
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]")
		if end < 0 {
			return t, &UsageError{fmt.Sprintf("unterminated IPv6 address in %q: write it as [::1]:993", s)}
		}
		host, port = s[1:end], strings.TrimPrefix(s[end+1:], ":")
		if rest := s[end+1:]; rest != "" && !strings.HasPrefix(rest, ":") {
			return t, &UsageError{fmt.Sprintf("unexpected %q after the IPv6 address", rest)}
		}
	} else if strings.Count(s, ":") == 1 {
		host, port, _ = strings.Cut(s, ":")
	} else if strings.Count(s, ":") > 1 {
		return t, &UsageError{fmt.Sprintf("%q looks like an IPv6 address: put it in brackets, as [%s]:993", s, s)}
	}
	if port != "" {
		p, err := strconv.Atoi(port)
		if err != nil || p < 1 || p > 65535 {
			return t, &UsageError{fmt.Sprintf("bad port %q: give a number from 1 to 65535", port)}
		}
		t.Port = p
	}
	t.Host = host
	return t, nil
}

// urlUser decodes the user part of an IMAP URL (RFC 5092 section 3.2):
// enc-user [";AUTH=" ("*" / enc-auth-type)], percent-encoded, so that
// alice%40example.com is alice@example.com. ";AUTH=*" (any mechanism) is
// what imapsh does anyway; a named mechanism is refused, since imapsh picks
// its own (AUTHENTICATE PLAIN when offered, else LOGIN).
func urlUser(enc string) (string, error) {
	enc, auth, hasAuth := strings.Cut(enc, ";")
	if hasAuth {
		key, mech, _ := strings.Cut(auth, "=")
		if !strings.EqualFold(key, "AUTH") || mech == "" {
			return "", &UsageError{fmt.Sprintf("unknown ;%s in the user part of the URL: an IMAP URL allows only ;AUTH=MECHANISM there (RFC 5092)", auth)}
		}
		if mech != "*" {
			m, err := url.PathUnescape(mech)
			if err != nil || !isMechanism(m) {
				m = mech
			}
			return "", &UsageError{fmt.Sprintf("the URL asks for the SASL mechanism %q (;AUTH=%s): imapsh chooses the mechanism itself (AUTHENTICATE PLAIN when the server offers it, else LOGIN); drop ;AUTH=%s, or write ;AUTH=* for any", m, mech, mech)}
		}
	}
	user, err := url.PathUnescape(enc)
	if err != nil {
		return "", &UsageError{fmt.Sprintf("bad percent-encoding in the user name %q of the URL: %v (write %%40 for @, %%25 for %%)", enc, err)}
	}
	for _, r := range user {
		if r < 0x20 || r == 0x7f {
			return "", &UsageError{fmt.Sprintf("the user name %q in the URL decodes to a control character, which no user name holds", enc)}
		}
	}
	return user, nil
}

// maxLine is the cap on one response line in effect.
func (c *Config) maxLine() int {
	if c.MaxLine > 0 {
		return c.MaxLine
	}
	return wire.DefaultMaxLine
}

func (c *Config) addr() string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}
