package imaptest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xdg-go/scram"
)

// ScramEnd says how SASLServer ends a SCRAM exchange whose client proof is
// right.
type ScramEnd uint8

const (
	ScramValid   ScramEnd = iota // server-final-message with the right signature
	ScramWrong                   // a server-final-message whose signature is wrong
	ScramMissing                 // tagged OK without any server-final-message
)

// SASLConfig configures a SASLServer.
type SASLConfig struct {
	User, Password, Token string
	// Mechs are advertised as AUTH=...: any of PLAIN, SCRAM-SHA-1,
	// SCRAM-SHA-256, XOAUTH2, OAUTHBEARER.
	Mechs  []string
	SASLIR bool // advertise SASL-IR
	Scram  ScramEnd
	// Host and Port are what OAUTHBEARER's host= and port= must say ("" and
	// 0: not checked).
	Host string
	Port int
}

// OAuth2Scope is the scope SASLServer names in its OAuth error challenges.
const OAuth2Scope = "https://mail.example.test/"

// SASLServer is a scripted server that checks the messages of the SASL
// mechanisms strictly (RFC 4616, RFC 5802/7677 through xdg-go/scram,
// Google's XOAUTH2, RFC 7628): a blob that breaks the format is a test
// error. A wrong token gets the mechanism's JSON error challenge, and the
// client must answer it as the mechanism requires (XOAUTH2: an empty line;
// OAUTHBEARER: ^A) before the tagged NO. "*" cancels any exchange (tagged
// BAD). After the login, every command completes OK; LOGOUT says BYE.
type SASLServer struct {
	*Server
	cfg SASLConfig
	mu  sync.Mutex
	got []string
}

// NewSASLServer starts a SASLServer; Close is registered with t.Cleanup.
func NewSASLServer(t testing.TB, cfg SASLConfig) *SASLServer {
	s := &SASLServer{cfg: cfg}
	s.Server = NewServer(t, s.serve)
	return s
}

// Events returns what the server saw, in order: "XOAUTH2 ok", "XOAUTH2
// refused, answered ok", "SCRAM-SHA-256 cancelled" ...
func (s *SASLServer) Events() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

func (s *SASLServer) event(format string, args ...any) {
	s.mu.Lock()
	s.got = append(s.got, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

func (s *SASLServer) errorf(format string, args ...any) {
	s.event("error: "+format, args...)
	s.t.Errorf("imaptest: SASL server: "+format, args...)
}

func (s *SASLServer) caps() string {
	caps := "IMAP4rev1"
	if s.cfg.SASLIR {
		caps += " SASL-IR"
	}
	for _, m := range s.cfg.Mechs {
		caps += " AUTH=" + m
	}
	return caps
}

func (s *SASLServer) serve(c *Conn) {
	c.Send("* OK [CAPABILITY " + s.caps() + "] scripted SASL server ready")
	for {
		line, err := c.ReadLine()
		if err != nil {
			return
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			c.Send("* BAD no command")
			continue
		}
		tag, name := f[0], strings.ToUpper(f[1])
		switch name {
		case "LOGOUT":
			c.Send("* BYE bye")
			c.Send(tag + " OK LOGOUT completed")
			return
		case "CAPABILITY":
			c.Send("* CAPABILITY " + s.caps())
			c.Send(tag + " OK CAPABILITY completed")
		case "AUTHENTICATE":
			if len(f) < 3 || len(f) > 4 {
				c.Send(tag + " BAD AUTHENTICATE needs a mechanism")
				continue
			}
			ir, hasIR := "", len(f) == 4
			if hasIR {
				ir = f[3]
			}
			if !s.authenticate(c, tag, strings.ToUpper(f[2]), ir, hasIR) {
				return
			}
		default:
			c.Send(tag + " OK " + name + " completed")
		}
	}
}

// saslStep sends a challenge and reads the answer, decoded. cancelled is true
// when the client answered "*"; ok is false when the connection failed.
func saslStep(c *Conn, challenge string) (answer []byte, raw string, cancelled, ok bool) {
	c.Send("+ " + base64.StdEncoding.EncodeToString([]byte(challenge)))
	line, err := c.ReadLine()
	if err != nil {
		return nil, "", false, false
	}
	if line == "*" {
		return nil, line, true, true
	}
	b, err := base64.StdEncoding.DecodeString(line)
	if err != nil {
		return nil, line, false, true
	}
	return b, line, false, true
}

// authenticate runs one exchange; it returns false when the connection
// failed.
func (s *SASLServer) authenticate(c *Conn, tag, mech, ir string, hasIR bool) bool {
	offered := false
	for _, m := range s.cfg.Mechs {
		offered = offered || strings.EqualFold(m, mech)
	}
	if !offered {
		c.Send(tag + " NO [CANNOT] unsupported mechanism")
		return true
	}
	if hasIR && !s.cfg.SASLIR {
		s.errorf("%s: an initial response without SASL-IR", mech)
	}
	var first []byte
	if hasIR {
		if ir != "=" {
			b, err := base64.StdEncoding.DecodeString(ir)
			if err != nil {
				s.errorf("%s: the initial response is not base64: %q", mech, ir)
				c.Send(tag + " BAD not base64")
				return true
			}
			first = b
		}
	} else {
		b, _, cancelled, ok := saslStep(c, "")
		if !ok {
			return false
		}
		if cancelled {
			s.event("%s cancelled", mech)
			c.Send(tag + " BAD AUTHENTICATE cancelled")
			return true
		}
		first = b
	}
	switch mech {
	case "PLAIN":
		if string(first) == "\x00"+s.cfg.User+"\x00"+s.cfg.Password {
			s.event("PLAIN ok")
			c.Send(tag + " OK PLAIN authentication successful")
		} else {
			s.event("PLAIN refused")
			c.Send(tag + " NO [AUTHENTICATIONFAILED] invalid credentials")
		}
		return true
	case "XOAUTH2", "OAUTHBEARER":
		return s.oauth(c, tag, mech, first)
	case "SCRAM-SHA-1", "SCRAM-SHA-256":
		return s.scram(c, tag, mech, first)
	}
	c.Send(tag + " NO [CANNOT] unsupported mechanism")
	return true
}

// oauth checks an XOAUTH2 or OAUTHBEARER initial response.
func (s *SASLServer) oauth(c *Conn, tag, mech string, blob []byte) bool {
	user, token, err := parseOAuth(mech, string(blob), s.cfg.Host, s.cfg.Port)
	if err != nil {
		s.errorf("%s: %v (blob %q)", mech, err, blob)
		c.Send(tag + " BAD malformed " + mech + " response")
		return true
	}
	if user == s.cfg.User && token == s.cfg.Token {
		s.event("%s ok", mech)
		c.Send(tag + " OK " + mech + " authentication successful")
		return true
	}
	e := map[string]string{"status": "401", "schemes": "bearer", "scope": OAuth2Scope}
	want := ""
	if mech == "OAUTHBEARER" {
		e = map[string]string{"status": "invalid_token", "scope": OAuth2Scope, "openid-configuration": "https://auth.example.test/.well-known/openid-configuration"}
		want = "\x01"
	}
	js, _ := json.Marshal(e)
	answer, raw, cancelled, ok := saslStep(c, string(js))
	switch {
	case !ok:
		return false
	case cancelled:
		s.event("%s refused, cancelled", mech)
		c.Send(tag + " BAD AUTHENTICATE cancelled")
	case string(answer) == want && (raw != "" || want == ""):
		s.event("%s refused, answered ok", mech)
		c.Send(tag + " NO [AUTHENTICATIONFAILED] invalid token")
	default:
		s.errorf("%s: the answer to the error challenge is %q, want base64 of %q", mech, raw, want)
		c.Send(tag + " BAD wrong answer to the error challenge")
	}
	return true
}

// parseOAuth checks the format of an XOAUTH2 or OAUTHBEARER initial
// response and returns the user and the token.
func parseOAuth(mech, blob, host string, port int) (user, token string, err error) {
	if !strings.HasSuffix(blob, "\x01\x01") {
		return "", "", fmt.Errorf("does not end in ^A^A")
	}
	body := strings.TrimSuffix(blob, "\x01\x01")
	if mech == "OAUTHBEARER" {
		gs2, rest, ok := strings.Cut(body, ",")
		authz, kv, ok2 := strings.Cut(rest, ",")
		if !ok || !ok2 || gs2 != "n" || !strings.HasPrefix(authz, "a=") || !strings.HasPrefix(kv, "\x01") {
			return "", "", fmt.Errorf("bad GS2 header (want n,a=USER,^A...)")
		}
		user = strings.NewReplacer("=2C", ",", "=3D", "=").Replace(authz[2:])
		body = kv[1:]
	}
	fields := map[string]string{}
	for _, kv := range strings.Split(body, "\x01") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return "", "", fmt.Errorf("key-value %q has no =", kv)
		}
		fields[k] = v
	}
	if mech == "XOAUTH2" {
		user = fields["user"]
	} else {
		if host != "" && fields["host"] != host {
			return "", "", fmt.Errorf("host=%q, want %q", fields["host"], host)
		}
		if port != 0 && fields["port"] != strconv.Itoa(port) {
			return "", "", fmt.Errorf("port=%q, want %d", fields["port"], port)
		}
	}
	token, ok := strings.CutPrefix(fields["auth"], "Bearer ")
	if !ok || token == "" {
		return "", "", fmt.Errorf("auth=%q is not \"Bearer TOKEN\"", fields["auth"])
	}
	return user, token, nil
}

// scram runs the server side of SCRAM with xdg-go/scram, and ends it as
// cfg.Scram says.
func (s *SASLServer) scram(c *Conn, tag, mech string, first []byte) bool {
	hash := scram.SHA256
	if mech == "SCRAM-SHA-1" {
		hash = scram.SHA1
	}
	cl, _ := hash.NewClient(s.cfg.User, s.cfg.Password, "")
	creds := cl.GetStoredCredentials(scram.KeyFactors{Salt: "imaptest-salt-16", Iters: 4096})
	srv, _ := hash.NewServer(func(user string) (scram.StoredCredentials, error) {
		if user != s.cfg.User {
			return scram.StoredCredentials{}, fmt.Errorf("unknown user %q", user)
		}
		return creds, nil
	})
	conv := srv.NewConversation()
	s1, err := conv.Step(string(first))
	if err != nil {
		s.event("%s refused: %v", mech, err)
		c.Send(tag + " NO [AUTHENTICATIONFAILED] " + mech + " failed")
		return true
	}
	c2, _, cancelled, ok := saslStep(c, s1)
	if !ok {
		return false
	}
	if cancelled {
		s.event("%s cancelled", mech)
		c.Send(tag + " BAD AUTHENTICATE cancelled")
		return true
	}
	s2, err := conv.Step(string(c2))
	if err != nil {
		s.event("%s refused: %v", mech, err)
		c.Send(tag + " NO [AUTHENTICATIONFAILED] " + mech + " failed")
		return true
	}
	switch s.cfg.Scram {
	case ScramMissing:
		s.event("%s ok, no server signature", mech)
		c.Send(tag + " OK " + mech + " authentication successful")
		return true
	case ScramWrong:
		sig, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(s2, "v="))
		for i := range sig {
			sig[i] ^= 0x5a
		}
		s2 = "v=" + base64.StdEncoding.EncodeToString(sig)
	}
	answer, raw, cancelled, ok := saslStep(c, s2)
	switch {
	case !ok:
		return false
	case cancelled:
		s.event("%s cancelled after the server signature", mech)
		c.Send(tag + " BAD AUTHENTICATE cancelled")
	case len(answer) == 0 && raw == "":
		s.event("%s ok", mech)
		c.Send(tag + " OK " + mech + " authentication successful")
	default:
		s.errorf("%s: the answer to the server-final-message is %q, want an empty line", mech, raw)
		c.Send(tag + " BAD wrong answer")
	}
	return true
}
