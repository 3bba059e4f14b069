// Command imapsh is an interactive IMAP shell: it connects with TLS, tags
// your commands, colors the responses, counts literals for you and helps
// find, save and delete one message by UID.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/imapsh/imapsh/demo"
	"github.com/imapsh/imapsh/repl"
	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

var version = "0.1.0-dev"

const usage = `imapsh: an interactive IMAP shell

Usage:
  imapsh [flags] [imaps://|imap://][USER@]HOST[:PORT]
  imapsh --demo [--login-yourself]

Connects with implicit TLS to port 993 by default (certificate and host name
verified), or with STARTTLS to port 143 for imap:// or --starttls. Type IMAP
commands as they are; imapsh adds the tags (a001, a002, ...). When standard
input is not a terminal, imapsh runs it as a script: each line after the
previous one completes, then LOGOUT.

Examples:
  imapsh --demo                                 try it on a built-in sandbox server (type tour there)
  imapsh --demo --login-yourself                the same, not logged in: practise LOGIN and AUTHENTICATE
  imapsh -u alice imap.example.com              TLS on 993, asks for the password
  imapsh imap://alice@mail.example.com          STARTTLS on 143
  imapsh --auth CRAM-MD5 -u alice mail.example.com   log in with CRAM-MD5, each step explained
  imapsh --ca ca.pem -u alice 127.0.0.1:10993   trust a self-signed certificate
  printf 'SELECT INBOX\nwhereis 15541\n' | IMAPSH_PASSWORD=... imapsh -u alice mail.example.com

Exit status: 0 every command completed OK; 1 some completed NO or BAD (or a
helper failed, or with --strict the server broke a rule of IMAP); 2 usage,
connection, TLS or protocol error, or the login that -u asked for was refused.

A protocol watchdog checks every response against the rules of IMAP and
prints a violation line, with the RFC section, when the server breaks one;
type check for its report.

Flags:
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("imapsh", flag.ContinueOnError)
	// Errors are reported in one line below; --help prints the usage.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var (
		user      = fs.String("u", "", "log in as `USER` after the greeting (password from IMAPSH_PASSWORD, ~/.netrc or $NETRC, or asked without echo)")
		auth      = fs.String("auth", "", "log in with the SASL mechanism `MECH`: SCRAM-SHA-256, SCRAM-SHA-1, PLAIN, LOGIN, CRAM-MD5, XOAUTH2, OAUTHBEARER or EXTERNAL (default: the best the server offers)")
		tokenFile = fs.String("oauth2-token-file", "", "read the OAuth2 access token for XOAUTH2 and OAUTHBEARER from `FILE` (else IMAPSH_OAUTH2_TOKEN, or asked without echo)")
		cert      = fs.String("client-cert", "", "present the TLS client certificate in PEM `FILE` (with --client-key; for EXTERNAL)")
		key       = fs.String("client-key", "", "the private key of --client-cert, PEM `FILE` (mode 0600)")
		starttls  = fs.Bool("starttls", false, "connect in clear (port 143) and require STARTTLS")
		plaintext = fs.Bool("plaintext", false, "no TLS at all (unsafe: the password crosses the network in clear)")
		ca        = fs.String("ca", "", "trust the PEM certificates in `FILE` (for self-signed servers)")
		insecure  = fs.Bool("insecure", false, "do not verify the server's certificate (unsafe)")
		timeout   = fs.Duration("timeout", 15*time.Second, "time limit for connecting and the greeting")
		colorMode = fs.String("color", "auto", "color output: auto, always or never")
		prefix    = fs.String("tag-prefix", "a", "tag prefix: tags are PREFIX001, PREFIX002, ...")
		raw       = fs.Bool("raw", false, "print server literals whole, even large ones at the terminal")
		litLimit  = fs.Int64("literal-limit", 64<<10, "at the terminal, summarise server literals larger than `N` octets")
		maxLine   = fs.Int("max-line", wire.DefaultMaxLine, "close the connection when a server response line (literals not counted) exceeds `N` bytes")
		demo      = fs.Bool("demo", false, "start a sandbox IMAP server with sample mail inside imapsh and connect to it")
		yourself  = fs.Bool("login-yourself", false, "with --demo: do not log in; the shell shows the sandbox's user and password, and you log in (LOGIN, AUTHENTICATE ...)")
		showVer   = fs.Bool("version", false, "print the version and exit")
		logFile   = fs.String("log", "", "record the whole session in `FILE` (created 0600, never overwritten; credentials hidden)")
		logSecret = fs.Bool("log-secrets", false, "with --log: record credentials too (unsafe: do not share that file)")
		proxyURL  = fs.String("proxy", "", "connect through the SOCKS5 proxy `URL`: socks5://HOST:PORT (names resolved here) or socks5h://HOST:PORT (by the proxy); none ignores ALL_PROXY, which is used otherwise (unless NO_PROXY names the server)")
		keepalive = fs.Duration("keepalive", 0, "at the prompt, send a NOOP after `DURATION` without input, its lines shown only if they bring news (default 4m at the terminal, off in script mode; 0 never)")
		cmdTime   = fs.Duration("command-timeout", 0, "report a command not completed after `DURATION`; in script mode end the run with exit status 2 (default off at the terminal, 10m in script mode; 0 never)")
		sendID    = fs.Bool("id", false, "send ID (RFC 2971) with imapsh's name and version right after login")
		compress  = fs.Bool("compress", false, "turn on COMPRESS=DEFLATE (RFC 4978) after login when the server offers it")
		strict    = fs.Bool("strict", false, "any rule of IMAP the server breaks (the watchdog's violations) makes the exit status 1")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "imapsh: %s (see imapsh --help)\n", repl.Sanitize(err.Error()))
		return 2
	}
	if *showVer {
		fmt.Fprintln(stdout, "imapsh", version)
		return 0
	}
	cfg := repl.Config{
		User: *user, CAFile: *ca, Insecure: *insecure, Timeout: *timeout,
		Color: *colorMode, TagPrefix: *prefix, Raw: *raw, LiteralLimit: *litLimit, MaxLine: *maxLine, Demo: *demo,
		LogFile: *logFile, LogSecrets: *logSecret, Strict: *strict,
		Auth: *auth, OAuth2TokenFile: *tokenFile, ClientCert: *cert, ClientKey: *key,
		Proxy: *proxyURL, SendID: *sendID, Compress: *compress, Version: version,
		Stdin: stdin, Stdout: stdout, Stderr: stderr,
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "keepalive":
			cfg.Keepalive = keepalive
		case "command-timeout":
			cfg.CommandTimeout = cmdTime
		}
	})
	if err := checkFlags(fs, &cfg, *starttls, *plaintext); err != nil {
		fmt.Fprintf(stderr, "imapsh: %s\n", repl.Sanitize(err.Error()))
		return 2
	}
	if *yourself && !cfg.Demo {
		fmt.Fprintf(stderr, "imapsh: --login-yourself only applies with --demo (a real server's login is yours anyway: leave out -u)\n")
		return 2
	}
	if cfg.Demo {
		srv, err := startDemo(&cfg, *yourself)
		if err != nil {
			fmt.Fprintf(stderr, "imapsh: starting the demo server: %s\n", repl.Sanitize(err.Error()))
			return 2
		}
		defer srv.Close()
	}
	err := repl.Run(context.Background(), cfg)
	var usageErr *repl.UsageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, repl.ErrFailed):
		return 1
	case errors.As(err, &usageErr):
		fmt.Fprintf(stderr, "imapsh: %s\n", repl.Sanitize(err.Error()))
		return 2
	default:
		fmt.Fprintf(stderr, "imapsh: %s\n", repl.Sanitize(err.Error()))
		return 2
	}
}

// startDemo starts the sandbox server and points cfg at it; unless the
// user logs in by hand (--login-yourself), the shell logs in as the
// sandbox's user. The caller must close the server.
func startDemo(cfg *repl.Config, yourself bool) (*demo.Server, error) {
	srv, err := demo.StartWith(demo.Options{SCRAM: true})
	if err != nil {
		return nil, err
	}
	host, port, err := net.SplitHostPort(srv.Addr)
	if err == nil {
		cfg.Port, err = strconv.Atoi(port)
	}
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("its address %q: %w", srv.Addr, err)
	}
	cfg.Host, cfg.Security = host, wire.Plaintext
	cfg.DemoUser, cfg.DemoPassword = srv.User, srv.Password
	if !yourself {
		cfg.User, cfg.Password = srv.User, srv.Password
	}
	return srv, nil
}

// checkFlags validates the flags against each other and the server argument.
func checkFlags(fs *flag.FlagSet, cfg *repl.Config, starttls, plaintext bool) error {
	switch cfg.Color {
	case "auto", "always", "never":
	default:
		return fmt.Errorf("--color must be auto, always or never, not %q", cfg.Color)
	}
	if cfg.Auth != "" {
		mech, err := repl.CheckAuth(cfg.Auth)
		if err != nil {
			return err
		}
		cfg.Auth = mech
	}
	if err := tagger.Valid(cfg.TagPrefix); err != nil {
		return fmt.Errorf("--tag-prefix: %v", err)
	}
	if cfg.LogSecrets && cfg.LogFile == "" {
		return errors.New("--log-secrets only applies with --log FILE")
	}
	if cfg.Keepalive != nil && *cfg.Keepalive < 0 || cfg.CommandTimeout != nil && *cfg.CommandTimeout < 0 {
		return errors.New("--keepalive and --command-timeout take a positive duration (4m, 30s), or 0 for never")
	}
	if cfg.Keepalive != nil && *cfg.Keepalive > 0 && *cfg.Keepalive < time.Second {
		return fmt.Errorf("--keepalive %v is less than a second: a NOOP that often is a flood; give 1s or more (servers log out after 30 minutes)", *cfg.Keepalive)
	}
	if cfg.MaxLine < 1024 {
		return fmt.Errorf("--max-line must be at least 1024 bytes, not %d", cfg.MaxLine)
	}
	if starttls && plaintext {
		return errors.New("--starttls and --plaintext contradict each other: pick one")
	}
	userSet := false
	fs.Visit(func(f *flag.Flag) { userSet = userSet || f.Name == "u" })
	if userSet && cfg.User == "" {
		return errors.New("-u needs a user name")
	}
	if cfg.Demo {
		if fs.NArg() > 0 {
			return errors.New("--demo connects to its own sandbox: give no server")
		}
		if userSet {
			return errors.New("--demo logs in as its own user (demo): drop -u")
		}
		if cfg.Proxy != "" && cfg.Proxy != "none" {
			return errors.New("--demo runs its server inside imapsh: --proxy does not apply")
		}
		return nil
	}
	for _, a := range fs.Args()[min(1, fs.NArg()):] {
		if strings.HasPrefix(a, "-") {
			return fmt.Errorf("flags go before the server: imapsh [flags] SERVER (%s came after it)", a)
		}
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("give exactly one server, as [imaps://|imap://][USER@]HOST[:PORT] (see imapsh --help); got %d arguments", fs.NArg())
	}
	t, err := repl.ParseTarget(fs.Arg(0))
	if err != nil {
		return err
	}
	cfg.Host, cfg.Port, cfg.Security = t.Host, t.Port, t.Security
	if starttls {
		if t.Scheme && t.Security == wire.ImplicitTLS {
			return errors.New("imaps:// means implicit TLS: drop --starttls, or write imap://")
		}
		cfg.Security = wire.StartTLS
	}
	if plaintext {
		if t.Scheme && t.Security == wire.ImplicitTLS {
			return errors.New("imaps:// means TLS: drop --plaintext, or write imap:// with --plaintext")
		}
		cfg.Security = wire.Plaintext
	}
	cfg.Mailbox = t.Mailbox
	if t.User != "" {
		if cfg.User != "" && cfg.User != t.User {
			return fmt.Errorf("two users given: -u %s and %s@ in the address", cfg.User, t.User)
		}
		cfg.User = t.User
	}
	return nil
}
