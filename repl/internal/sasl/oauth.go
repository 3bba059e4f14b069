package sasl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// oauth is XOAUTH2 (Google's and Microsoft's) or OAUTHBEARER (RFC 7628):
// the initial response carries the user and the bearer token, separated by
// ^A (0x01). A refused token comes back as a challenge holding a JSON
// error; the client must then answer (XOAUTH2: an empty line; OAUTHBEARER:
// a single ^A, RFC 7628 section 3.2.3) and the server ends with NO.
type oauth struct {
	name string
	c    Credentials
	done bool
	step Step
}

func (m *oauth) Start() (string, []byte, error) {
	hidden := fmt.Sprintf("[the token, %d characters, hidden]", len(m.c.Token))
	var ir string
	if m.name == XOAuth2 {
		ir = "user=" + m.c.User + "\x01auth=Bearer " + m.c.Token + "\x01\x01"
		m.step = Step{Secret: true, Answer: []string{
			"XOAUTH2 sends, separated by ^A: user=" + quote(m.c.User) + " ^A auth=Bearer " + hidden + " ^A ^A",
		}}
		return m.name, []byte(ir), nil
	}
	authz := "a=" + saslName(m.c.User)
	ir = "n," + authz + ","
	kv := ""
	if m.c.Host != "" {
		ir += "\x01host=" + m.c.Host
		kv += " ^A host=" + quote(m.c.Host)
	}
	if m.c.Port != 0 {
		ir += "\x01port=" + strconv.Itoa(m.c.Port)
		kv += " ^A port=" + strconv.Itoa(m.c.Port)
	}
	ir += "\x01auth=Bearer " + m.c.Token + "\x01\x01"
	m.step = Step{Secret: true, Answer: []string{
		"OAUTHBEARER sends the GS2 header " + quote("n,"+authz+",") + " (no channel binding, the user), then" + kv + " ^A auth=Bearer " + hidden + " ^A ^A",
	}}
	return m.name, []byte(ir), nil
}

// saslName escapes ',' and '=' as RFC 5801's saslname requires.
func saslName(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}

func (m *oauth) Next(ch []byte) ([]byte, error) {
	m.step = Step{Challenge: describeOAuthError(ch)}
	if m.done {
		return nil, errUnexpected(m.name)
	}
	m.done = true
	if m.name == XOAuth2 {
		m.step.Answer = []string{"an empty answer, as XOAUTH2 requires after an error; the server then ends the exchange with NO"}
		return []byte{}, nil
	}
	m.step.Answer = []string{"a single ^A (AQ== in base64), as RFC 7628 section 3.2.3 requires after an error; the server then ends the exchange with NO"}
	return []byte{1}, nil
}

func (m *oauth) Step() Step    { return m.step }
func (m *oauth) Finish() error { return nil }

// oauthFields are the members of the error object, in the order shown.
var oauthFields = []struct{ key, meaning string }{
	{"status", "why the token was refused"},
	{"schemes", "the token types the server takes"},
	{"scope", "the scope the token must have been issued for"},
	{"openid-configuration", "where to discover the authorization server"},
}

// describeOAuthError decodes the JSON error an XOAUTH2 or OAUTHBEARER
// server sends when it refuses the token.
func describeOAuthError(ch []byte) []string {
	out := []string{"the challenge, decoded: " + quote(string(ch))}
	dec := json.NewDecoder(bytes.NewReader(ch))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return append(out, "  not the JSON error object the mechanism defines")
	}
	seen := map[string]bool{}
	for _, f := range oauthFields {
		if v, ok := obj[f.key]; ok {
			out = append(out, fmt.Sprintf("  %s: %s (%s)", f.key, quote(jsonText(v)), f.meaning))
			seen[f.key] = true
		}
	}
	var rest []string
	for k := range obj {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, fmt.Sprintf("  %s: %s", quote(k), quote(jsonText(obj[k]))))
	}
	out = append(out, "  the server refused the token: it may have expired (access tokens last about an hour), been revoked, or been issued for another scope or user; get a new one")
	return out
}

func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
