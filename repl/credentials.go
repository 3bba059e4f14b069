package repl

import (
	"errors"
	"fmt"
	"github.com/imapsh/imapsh/repl/internal/term"
	"os"
	"path/filepath"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/netrc"
	"github.com/imapsh/imapsh/repl/internal/sasl"
)

// errNoToken is returned when no token can be had without a terminal.
var errNoToken = errors.New("no OAuth2 access token: pass --oauth2-token-file FILE, set IMAPSH_OAUTH2_TOKEN, or run imapsh at a terminal to be asked for it")

// startLogin logs in after the greeting when the invocation asks for it
// (-u, USER@HOST, --auth). pass is the demo's password, else "".
func (sh *Shell) startLogin(pass string) error {
	if sh.st.Snapshot().Conn != NotAuthenticated {
		return nil
	}
	user := sh.cfg.User
	if user == "" && sh.cfg.Auth != "" && sh.cfg.Auth != sasl.External {
		u, err := sh.netrcLogin()
		if err != nil {
			return &UsageError{err.Error()}
		}
		if u == "" {
			return &UsageError{fmt.Sprintf("--auth %s needs a user: -u USER, USER@HOST, or a login for %s in %s", sh.cfg.Auth, sh.cfg.Host, sh.netrcPath())}
		}
		user = u
	}
	if user == "" && sh.cfg.Auth == "" {
		return nil
	}
	mech := sh.cfg.Auth
	if sh.cfg.Demo && mech == "" {
		// The sandbox logs itself in with PLAIN, so its transcripts
		// repeat; SCRAM (random nonces) is there to practise with
		// `authenticate scram-sha-256 demo`.
		mech = "PLAIN"
	}
	ok, err := sh.login(user, mech, pass)
	var le *lineError
	if errors.As(err, &le) {
		return &UsageError{le.msg}
	}
	if err != nil {
		return err
	}
	if !ok && !sh.interactive {
		return &ConnError{fmt.Errorf("login as %s failed: %s", user, sh.loginRefusal)}
	}
	return nil
}

// secret returns the password or the token a mechanism needs.
func (sh *Shell) secret(user string, need sasl.Need) (string, error) {
	if s, ok := sh.lr.typedSecret(user, need); ok {
		return s, nil // typed at a prompt earlier; reconnect logs in again
	}
	if need == sasl.NeedToken {
		return sh.token(user)
	}
	return sh.password(user)
}

// secretErr makes a failure to get a secret a line error: reported, and
// the session goes on (Run turns it into a usage error).
func (sh *Shell) secretErr(err error) error { return &lineError{err.Error()} }

// password returns the password from IMAPSH_PASSWORD, else from the
// .netrc entry for the host and user, else asks for it without echo.
func (sh *Shell) password(user string) (string, error) {
	if p := sh.cfg.Getenv("IMAPSH_PASSWORD"); p != "" {
		return p, nil
	}
	e, found, err := sh.netrcEntry(user)
	if err != nil {
		return "", err
	}
	if found && e.Password != "" {
		sh.pr.Note("using the password for %s from %s", user, sh.netrcPath())
		return e.Password, nil
	}
	sh.flushOutput()
	p, err := sh.con.ReadPassword(fmt.Sprintf("password for %s@%s: ", user, sh.cfg.Host))
	if errors.Is(err, term.ErrNoTerminal) {
		return "", errNoPassword
	}
	if err == nil {
		sh.lr.keepTyped(user, sasl.NeedPassword, p)
	}
	return p, err
}

// token returns the OAuth 2.0 access token from --oauth2-token-file, else
// IMAPSH_OAUTH2_TOKEN, else asks for it without echo.
func (sh *Shell) token(user string) (string, error) {
	if path := sh.cfg.OAuth2TokenFile; path != "" {
		return readTokenFile(path)
	}
	if t := sh.cfg.Getenv("IMAPSH_OAUTH2_TOKEN"); t != "" {
		return strings.TrimSpace(t), nil
	}
	sh.flushOutput()
	t, err := sh.con.ReadPassword(fmt.Sprintf("OAuth2 access token for %s@%s: ", user, sh.cfg.Host))
	if errors.Is(err, errNoPassword) {
		return "", errNoToken
	}
	if err == nil {
		sh.lr.keepTyped(user, sasl.NeedToken, strings.TrimSpace(t))
	}
	return strings.TrimSpace(t), err
}

// readTokenFile reads a token file, which must be private.
func readTokenFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("--oauth2-token-file: %v", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("--oauth2-token-file: %v", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("--oauth2-token-file %s is readable or writable by others (mode %04o): imapsh does not use a token others can read; make it private with chmod 600 %s", path, perm, path)
	}
	if fi.Size() > 64<<10 {
		return "", fmt.Errorf("--oauth2-token-file %s is larger than 64 KiB: it should hold one access token", path)
	}
	b := make([]byte, fi.Size())
	n, _ := f.Read(b)
	t := strings.TrimSpace(string(b[:n]))
	if t == "" {
		return "", fmt.Errorf("--oauth2-token-file %s is empty: it should hold the access token", path)
	}
	if strings.ContainsAny(t, "\r\n") {
		return "", fmt.Errorf("--oauth2-token-file %s holds more than one line: it should hold the access token alone", path)
	}
	return t, nil
}

// netrcPath is $NETRC, else ~/.netrc; "" when there is no home.
func (sh *Shell) netrcPath() string {
	if p := sh.cfg.Getenv("NETRC"); p != "" {
		return p
	}
	if home := sh.cfg.Getenv("HOME"); home != "" {
		return filepath.Join(home, ".netrc")
	}
	return ""
}

// netrcEntry returns the .netrc entry for the host and user.
func (sh *Shell) netrcEntry(user string) (netrc.Entry, bool, error) {
	path := sh.netrcPath()
	if path == "" {
		return netrc.Entry{}, false, nil
	}
	entries, err := netrc.Load(path)
	if err != nil {
		return netrc.Entry{}, false, err
	}
	e, ok := netrc.Find(entries, sh.cfg.Host, user)
	return e, ok, nil
}

// netrcLogin returns the login of the .netrc entry for the host, or "".
func (sh *Shell) netrcLogin() (string, error) {
	e, ok, err := sh.netrcEntry("")
	if err != nil || !ok {
		return "", err
	}
	return e.Login, nil
}
