package sasl

import (
	"fmt"
	"strings"

	gosasl "github.com/emersion/go-sasl"
)

// plain is PLAIN (RFC 4616): one message, authzid NUL user NUL password.
type plain struct {
	c    Credentials
	cl   gosasl.Client
	step Step
}

func newPlain(c Credentials) *plain {
	return &plain{c: c, cl: gosasl.NewPlainClient(c.Identity, c.User, c.Password)}
}

func (m *plain) Start() (string, []byte, error) {
	_, ir, err := m.cl.Start()
	m.step = Step{Secret: true, Answer: []string{
		fmt.Sprintf("PLAIN sends everything in one message: the user %s and the password (hidden), NUL-separated, with %s; base64 hides nothing: only TLS protects it", quote(m.c.User), identity(m.c.Identity)),
	}}
	return Plain, ir, err
}

func (m *plain) Next(ch []byte) ([]byte, error) {
	m.step = Step{Challenge: describeText(ch)}
	return nil, errUnexpected(Plain)
}

func (m *plain) Step() Step    { return m.step }
func (m *plain) Finish() error { return nil }

// identity describes an authorization identity.
func identity(id string) string {
	if id == "" {
		return "no authorization identity (the user's own)"
	}
	return "the authorization identity " + quote(id)
}

// login is LOGIN (draft-murchison-sasl-login): the server prompts for the
// user name, then the password. imapsh sends no initial response, which
// every server accepts, and goes by the prompt's words ("User Name",
// "Username:", "Password:") or else by their order.
type login struct {
	c     Credentials
	asked int
	step  Step
}

func (m *login) Start() (string, []byte, error) {
	m.step = Step{Answer: []string{"LOGIN: the server will prompt for the user name, then for the password"}}
	return Login, nil, nil
}

func (m *login) Next(ch []byte) ([]byte, error) {
	m.step = Step{Challenge: describeLoginPrompt(ch)}
	p := strings.ToLower(string(ch))
	m.asked++
	if m.asked > 2 {
		return nil, errUnexpected(Login)
	}
	switch {
	case strings.Contains(p, "pass"), !strings.Contains(p, "user") && !strings.Contains(p, "name") && m.asked == 2:
		m.step.Secret = true
		m.step.Answer = []string{"the password (hidden): base64 is no protection, only TLS keeps it from the network"}
		return []byte(m.c.Password), nil
	default:
		m.step.Answer = []string{"the user name " + quote(m.c.User)}
	}
	return []byte(m.c.User), nil
}

func (m *login) Step() Step    { return m.step }
func (m *login) Finish() error { return nil }

func describeLoginPrompt(ch []byte) []string {
	return []string{"the server's prompt: " + quote(string(ch))}
}

// external is EXTERNAL (RFC 4422 appendix A): the server takes the identity
// from outside SASL, from the TLS client certificate.
type external struct {
	c    Credentials
	cl   gosasl.Client
	step Step
}

func newExternal(c Credentials) *external {
	return &external{c: c, cl: gosasl.NewExternalClient(c.Identity)}
}

func (m *external) Start() (string, []byte, error) {
	_, ir, err := m.cl.Start()
	if ir == nil {
		ir = []byte{}
	}
	m.step = Step{Answer: []string{
		"EXTERNAL: the server knows who you are from the TLS client certificate; imapsh asks for " + identity(m.c.Identity),
	}}
	return External, ir, err
}

func (m *external) Next(ch []byte) ([]byte, error) {
	m.step = Step{Challenge: describeText(ch)}
	return nil, errUnexpected(External)
}

func (m *external) Step() Step    { return m.step }
func (m *external) Finish() error { return nil }
