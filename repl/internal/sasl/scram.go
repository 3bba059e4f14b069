package sasl

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/xdg-go/scram"
)

// minIterations is the fewest PBKDF2 iterations imapsh accepts (RFC 7677
// section 4 asks for at least 4096).
const minIterations = 4096

// scramMech is SCRAM-SHA-1 or SCRAM-SHA-256 (RFC 5802, RFC 7677) through
// xdg-go/scram: client-first, server-first, client-final, server-final. The
// server proves with its signature that it knows the password; imapsh
// refuses a server that does not.
type scramMech struct {
	name  string
	conv  *scram.ClientConversation
	nonce string // imapsh's part of the nonce
	step  Step
	state int // 0 before Start, 1 after client-first, 2 after client-final, 3 done
}

func newScram(name string, c Credentials) (*scramMech, error) {
	hash := scram.SHA256
	if name == ScramSHA1 {
		hash = scram.SHA1
	}
	cl, err := hash.NewClient(c.User, c.Password, c.Identity)
	if err != nil {
		return nil, fmt.Errorf("%s: the user name or password cannot be prepared (SASLprep, RFC 4013): %v", name, err)
	}
	return &scramMech{name: name, conv: cl.WithMinIterations(minIterations).NewConversation()}, nil
}

// newScramWithNonce is for tests: a fixed client nonce.
func newScramWithNonce(name string, c Credentials, nonce string) (*scramMech, error) {
	hash := scram.SHA256
	if name == ScramSHA1 {
		hash = scram.SHA1
	}
	cl, err := hash.NewClient(c.User, c.Password, c.Identity)
	if err != nil {
		return nil, err
	}
	cl = cl.WithMinIterations(minIterations).WithNonceGenerator(func() string { return nonce })
	return &scramMech{name: name, conv: cl.NewConversation()}, nil
}

func (m *scramMech) Start() (string, []byte, error) {
	first, err := m.conv.Step("")
	if err != nil {
		m.step = Step{Answer: []string{"could not begin: " + err.Error()}}
		return m.name, nil, err
	}
	m.state = 1
	attrs := parseAttrs(first[strings.Index(first, ",")+1:])
	gs2, rest := first, ""
	if i := strings.Index(first, ",n="); i >= 0 {
		gs2, rest = first[:i+1], first[i+1:]
	}
	m.nonce = attrValue(parseAttrs(rest), 'r')
	m.step = Step{Answer: []string{
		"client-first-message, decoded: " + quote(first),
		"  " + quote(gs2) + ": the GS2 header: n = no channel binding, then " + gs2Identity(attrs),
		"  n=" + quote(attrValue(parseAttrs(rest), 'n')) + ": the user (',' and '=' written =2C and =3D)",
		"  r=" + m.nonce + ": imapsh's nonce, random, new for this login",
	}}
	return m.name, []byte(first), nil
}

func gs2Identity(attrs []attr) string {
	if id := attrValue(attrs, 'a'); id != "" {
		return "the authorization identity " + quote(id)
	}
	return "no authorization identity (the same as the user)"
}

func (m *scramMech) Next(ch []byte) ([]byte, error) {
	switch m.state {
	case 1:
		return m.serverFirst(ch)
	case 2:
		return m.serverFinal(ch)
	}
	m.step = Step{Challenge: describeText(ch)}
	return nil, errUnexpected(m.name)
}

func (m *scramMech) serverFirst(ch []byte) ([]byte, error) {
	m.step = Step{Challenge: describeServerFirst(ch, m.nonce)}
	m.state = 2
	final, err := m.conv.Step(string(ch))
	if err != nil {
		if strings.Contains(err.Error(), "too few iterations") {
			err = fmt.Errorf("the server asks for only %s PBKDF2 iterations; imapsh wants at least %d (RFC 7677): cancelled", attrValue(parseAttrs(string(ch)), 'i'), minIterations)
		}
		// The library's error may quote the server's text: quoted here,
		// so that no control character reaches a note.
		msg := strconv.QuoteToGraphic(err.Error())
		m.step.Answer = []string{"no answer: " + msg[1:len(msg)-1]}
		return nil, fmt.Errorf("%s: %s", m.name, msg[1:len(msg)-1])
	}
	attrs := parseAttrs(final)
	m.step.Answer = []string{
		"client-final-message, decoded: " + quote(final),
		"  c=" + attrValue(attrs, 'c') + ": the GS2 header again, in base64 (" + quote(decodeB64(attrValue(attrs, 'c'))) + ")",
		"  r=...: the whole nonce, echoed",
		"  p=" + attrValue(attrs, 'p') + ": the client proof, ClientKey XOR HMAC(StoredKey, AuthMessage): it shows that imapsh knows the password without sending it, and is worthless for any other login",
		"  imapsh derived the keys from the password with the salt and " + attrValue(parseAttrs(string(ch)), 'i') + " iterations of PBKDF2-HMAC-" + strings.TrimPrefix(m.name, "SCRAM-"),
	}
	return []byte(final), nil
}

func (m *scramMech) serverFinal(ch []byte) ([]byte, error) {
	m.step = Step{Challenge: describeServerFinal(ch)}
	m.state = 3
	_, err := m.conv.Step(string(ch))
	switch {
	case err == nil && m.conv.Valid():
		m.step.Challenge = append(m.step.Challenge, "  verified: the signature matches the one imapsh computed from your password, so this server knows it (it holds your SCRAM keys)")
		m.step.Answer = []string{"an empty answer: the exchange is complete"}
		return []byte{}, nil
	case err != nil && strings.HasPrefix(err.Error(), "server error"):
		m.step.Answer = []string{"no answer: the server refused the login"}
		return nil, fmt.Errorf("%s: the server refused the login (%s)", m.name, quote(string(ch)))
	}
	m.step.Challenge = append(m.step.Challenge, "  NOT verified: this signature is not the one your password gives: the server does not know your password (an impostor, or another account's keys)")
	m.step.Answer = []string{"no answer: the exchange is cancelled"}
	return nil, fmt.Errorf("%s: the server signature is wrong: %w", m.name, ErrServerUnproven)
}

func (m *scramMech) Step() Step { return m.step }

func (m *scramMech) Finish() error {
	if m.conv.Valid() {
		return nil
	}
	return fmt.Errorf("%s: the server accepted the login without sending its signature (server-final-message): %w", m.name, ErrServerUnproven)
}

func describeServerFirst(ch []byte, ours string) []string {
	attrs := parseAttrs(string(ch))
	out := []string{"server-first-message, decoded: " + quote(string(ch))}
	nonce := attrValue(attrs, 'r')
	switch {
	case nonce == "":
		out = append(out, "  no nonce (r=): not a SCRAM server-first-message")
	case ours == "":
		out = append(out, "  r="+quote(nonce)+": the client's nonce followed by the server's")
	case strings.HasPrefix(nonce, ours) && len(nonce) > len(ours):
		out = append(out, "  r=...: imapsh's nonce followed by the server's "+quote(nonce[len(ours):]))
	default:
		out = append(out, "  r="+quote(nonce)+": does NOT start with imapsh's nonce (a replay, or not this exchange)")
	}
	if s := attrValue(attrs, 's'); s != "" {
		if salt, err := base64.StdEncoding.DecodeString(s); err == nil {
			out = append(out, fmt.Sprintf("  s=%s: the salt, %d octets", quote(s), len(salt)))
		} else {
			out = append(out, "  s="+quote(s)+": the salt, but not valid base64")
		}
	}
	if i := attrValue(attrs, 'i'); i != "" {
		if n, err := strconv.Atoi(i); err == nil && n > 0 {
			out = append(out, fmt.Sprintf("  i=%d: the iteration count: PBKDF2 rounds to derive the keys from the password", n))
		} else {
			out = append(out, "  i="+quote(i)+": not a valid iteration count")
		}
	}
	return out
}

func describeServerFinal(ch []byte) []string {
	attrs := parseAttrs(string(ch))
	out := []string{"server-final-message, decoded: " + quote(string(ch))}
	if e := attrValue(attrs, 'e'); e != "" {
		return append(out, "  e="+quote(e)+": the server's error: the login failed")
	}
	if v := attrValue(attrs, 'v'); v != "" {
		return append(out, "  v="+quote(v)+": the server signature, HMAC(ServerKey, AuthMessage), which only a server that knows the password can compute")
	}
	return append(out, "  neither v= (signature) nor e= (error): not a SCRAM server-final-message")
}

// describeScram decodes a SCRAM challenge seen in an exchange typed by
// hand: the server-first or the server-final message.
func describeScram(ch []byte) []string {
	s := string(ch)
	switch {
	case strings.HasPrefix(s, "r="):
		return describeServerFirst(ch, "")
	case strings.HasPrefix(s, "v="), strings.HasPrefix(s, "e="):
		return append(describeServerFinal(ch), "  (imapsh cannot check a signature in an exchange typed by hand: use the authenticate helper for that)")
	}
	return describeText(ch)
}

// attr is one SCRAM attribute: a letter and its value.
type attr struct {
	key   byte
	value string
}

// parseAttrs splits "a=x,b=y" into attributes; malformed parts are
// skipped. It performs no I/O.
func parseAttrs(s string) []attr {
	var out []attr
	for _, part := range strings.Split(s, ",") {
		if len(part) >= 2 && part[1] == '=' {
			out = append(out, attr{part[0], part[2:]})
		}
	}
	return out
}

func attrValue(attrs []attr, key byte) string {
	for _, a := range attrs {
		if a.key == key {
			return a.value
		}
	}
	return ""
}

func decodeB64(s string) string {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "not valid base64"
	}
	return string(b)
}
