// Package sasl is imapsh's client side of SASL (RFC 4422) as IMAP's
// AUTHENTICATE uses it (RFC 9051 section 6.2.2; SASL-IR, RFC 4959): PLAIN
// (RFC 4616), LOGIN (draft-murchison-sasl-login), CRAM-MD5 (RFC 2195),
// SCRAM-SHA-1 and SCRAM-SHA-256 (RFC 5802, RFC 7677), XOAUTH2 (Google's
// and Microsoft's), OAUTHBEARER (RFC 7628) and EXTERNAL (RFC 4422
// appendix A).
//
// Every mechanism is a Mechanism: Start and Next as net/smtp's Auth and
// emersion/go-sasl's Client, plus Step, which explains in words what the
// last step received and sent, for a person learning or debugging a login.
// An explanation never holds the password or the token, nor anything they
// could be read back from; Step.Secret says when the answer itself does
// (PLAIN, LOGIN's password, the OAuth blobs), so that its base64 is not
// shown either.
//
// PLAIN and EXTERNAL use emersion/go-sasl; SCRAM uses xdg-go/scram;
// LOGIN, CRAM-MD5, XOAUTH2 and OAUTHBEARER are written here (go-sasl has no
// CRAM-MD5 nor XOAUTH2, its LOGIN insists on an initial response and on the
// exact prompt "Password:", and its OAUTHBEARER aborts on the error
// challenge instead of answering it). The package performs no I/O.
package sasl

import (
	"errors"
	"fmt"
	"strings"
)

// Mechanism is one SASL exchange, on the client's side. A Mechanism is used
// for one exchange, by one goroutine.
type Mechanism interface {
	// Start begins the exchange: the mechanism's name and its initial
	// response. A nil ir means the mechanism has none; an empty, non-nil ir
	// is an empty initial response (sent as "=" with SASL-IR). The caller
	// sends ir with SASL-IR, or else in answer to the server's first,
	// empty, challenge.
	Start() (name string, ir []byte, err error)
	// Next answers the server's challenge (decoded from base64). An error
	// means the exchange must be cancelled ("*"); it says why.
	Next(challenge []byte) (answer []byte, err error)
	// Step explains the last Start or Next, also when it failed.
	Step() Step
	// Finish is called when the server has accepted the login. It returns
	// ErrServerUnproven (wrapped) when the mechanism expected the server to
	// prove that it knows the password and it did not.
	Finish() error
}

// Step explains one step of an exchange.
type Step struct {
	// Challenge says what the server's challenge holds, decoded (Next
	// only). Server text is quoted with escapes, never raw.
	Challenge []string
	// Answer says what the answer holds; a password or token is named,
	// never shown.
	Answer []string
	// Secret reports that the answer holds the password or the token (or
	// their encoding): neither it nor its base64 may be shown or kept.
	Secret bool
}

// ErrServerUnproven is wrapped by the errors of a mechanism whose server
// did not prove that it knows the password (SCRAM's server signature is
// wrong or missing): the server may be an impostor, and the session
// should not go on.
var ErrServerUnproven = errors.New("the server did not prove that it knows your password")

// Credentials are what a mechanism may need.
type Credentials struct {
	User     string // the authentication identity (not for EXTERNAL)
	Identity string // the authorization identity; "" means the same as User
	Password string // PLAIN, LOGIN, CRAM-MD5, SCRAM
	Token    string // an OAuth 2.0 access token: XOAUTH2, OAUTHBEARER
	Host     string // the server's host and port, sent by OAUTHBEARER
	Port     int
}

// Need says which secret a mechanism needs.
type Need uint8

const (
	NeedPassword Need = iota // PLAIN, LOGIN, CRAM-MD5, SCRAM-*
	NeedToken                // XOAUTH2, OAUTHBEARER
	NeedNothing              // EXTERNAL: the TLS client certificate speaks
)

// The mechanism names, as IMAP's AUTH= capabilities spell them.
const (
	Plain       = "PLAIN"
	Login       = "LOGIN"
	CramMD5     = "CRAM-MD5"
	ScramSHA1   = "SCRAM-SHA-1"
	ScramSHA256 = "SCRAM-SHA-256"
	XOAuth2     = "XOAUTH2"
	OAuthBearer = "OAUTHBEARER"
	External    = "EXTERNAL"
)

var needs = map[string]Need{
	Plain: NeedPassword, Login: NeedPassword, CramMD5: NeedPassword,
	ScramSHA1: NeedPassword, ScramSHA256: NeedPassword,
	XOAuth2: NeedToken, OAuthBearer: NeedToken, External: NeedNothing,
}

// Names lists the mechanisms imapsh knows, in a fixed order.
func Names() []string {
	return []string{ScramSHA256, ScramSHA1, Plain, Login, CramMD5, XOAuth2, OAuthBearer, External}
}

// Canonical returns the mechanism's name in upper case, and whether imapsh
// knows it.
func Canonical(name string) (string, bool) {
	up := strings.ToUpper(strings.TrimSpace(name))
	_, ok := needs[up]
	return up, ok
}

// Needs says what the named mechanism needs; the name must be known.
func Needs(name string) Need { return needs[strings.ToUpper(name)] }

// auto is the automatic choice, best first. CRAM-MD5 (obsolete: MD5, and
// the server keeps a password equivalent), the OAuth mechanisms (they need
// a token) and EXTERNAL (a certificate) are used only when asked for.
var auto = []string{ScramSHA256, ScramSHA1, Plain, Login}

// Choose picks the mechanism to use among those the server offers: offers
// reports whether it advertises AUTH=name. It returns "" when none of
// SCRAM-SHA-256, SCRAM-SHA-1, PLAIN and LOGIN is offered.
func Choose(offers func(name string) bool) string {
	for _, m := range auto {
		if offers(m) {
			return m
		}
	}
	return ""
}

// New returns the named mechanism with the credentials it needs. It checks
// them: a missing user or secret, or a user name a mechanism cannot carry,
// is an error that says which.
func New(name string, c Credentials) (Mechanism, error) {
	name, ok := Canonical(name)
	if !ok {
		return nil, fmt.Errorf("unknown mechanism %q: imapsh knows %s", name, strings.Join(Names(), ", "))
	}
	if name != External && c.User == "" {
		return nil, fmt.Errorf("%s needs a user name", name)
	}
	if strings.ContainsRune(c.User+c.Identity, 0) {
		return nil, errors.New("a user name cannot hold a NUL octet")
	}
	switch Needs(name) {
	case NeedPassword:
		if c.Password == "" {
			return nil, fmt.Errorf("%s needs a password", name)
		}
	case NeedToken:
		if c.Token == "" {
			return nil, fmt.Errorf("%s needs an OAuth 2.0 access token", name)
		}
		if strings.ContainsAny(c.Token+c.User, "\x01") {
			return nil, fmt.Errorf("%s cannot carry a ^A (0x01) octet in the user name or the token", name)
		}
	}
	switch name {
	case Plain:
		return newPlain(c), nil
	case Login:
		return &login{c: c}, nil
	case CramMD5:
		return &cramMD5{c: c}, nil
	case ScramSHA1, ScramSHA256:
		return newScram(name, c)
	case XOAuth2:
		return &oauth{name: XOAuth2, c: c}, nil
	case OAuthBearer:
		return &oauth{name: OAuthBearer, c: c}, nil
	}
	return newExternal(c), nil
}

// errUnexpected is a challenge that comes when the mechanism has nothing
// more to say.
func errUnexpected(name string) error {
	return fmt.Errorf("%s has no answer to another challenge: the exchange is cancelled", name)
}
