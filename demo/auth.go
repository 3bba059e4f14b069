package demo

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-sasl"
	"github.com/xdg-go/scram"
)

// mechanisms are the SASL mechanisms the sandbox offers (AUTH=...), so that
// each way of logging in can be practised: PLAIN (RFC 4616), LOGIN (the
// draft-murchison-sasl-login exchange many servers still offer) and
// CRAM-MD5 (RFC 2195), SCRAM-SHA-1 and SCRAM-SHA-256 (RFC 5802, RFC 7677).
var mechanisms = []string{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"}

// challenges numbers the CRAM-MD5 challenges of every sandbox in this
// process. A real server makes each challenge unique and unguessable; the
// sandbox counts them, so that its transcripts repeat.
var challenges atomic.Uint64

// CRAMChallenge is the text of the n-th CRAM-MD5 challenge a sandbox sends
// (before base64), for tests and the tour.
func CRAMChallenge(n uint64) string {
	return fmt.Sprintf("<%d.1773400000@demo.imapsh.example>", n)
}

// saslServer returns the server side of mech for a.
func (a *account) saslServer(mech string, scramOn bool) (sasl.Server, error) {
	check := a.checkPassword
	switch strings.ToUpper(mech) {
	case "PLAIN":
		return sasl.NewPlainServer(func(identity, user, password string) error {
			if identity != "" && identity != user {
				return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAuthorizationFailed,
					Text: "the sandbox cannot act for another user: leave the authorization identity empty"}
			}
			return check(user, password)
		}), nil
	case "LOGIN":
		return &loginServer{check: check}, nil
	case "CRAM-MD5":
		return &cramServer{a: a, challenge: CRAMChallenge(challenges.Add(1))}, nil
	case "SCRAM-SHA-1", "SCRAM-SHA-256":
		if !scramOn {
			break
		}
		if strings.EqualFold(mech, "SCRAM-SHA-1") {
			return a.scramServer(scram.SHA1)
		}
		return a.scramServer(scram.SHA256)
	}
	return nil, &imap.Error{Type: imap.StatusResponseTypeNo,
		Text: fmt.Sprintf("the sandbox offers AUTHENTICATE %s only, not %s", strings.Join(mechanisms, ", "), mech)}
}

// loginServer is the LOGIN mechanism: the server asks "Username:" and
// "Password:", and the client answers each (base64 on the wire).
type loginServer struct {
	check     func(user, password string) error
	user      string
	askedUser bool
	askedPass bool
}

func (s *loginServer) Next(resp []byte) (challenge []byte, done bool, err error) {
	switch {
	case !s.askedUser && resp != nil:
		// SASL-IR: the initial response is the user name.
		s.askedUser, s.user = true, string(resp)
		s.askedPass = true
		return []byte("Password:"), false, nil
	case !s.askedUser:
		s.askedUser = true
		return []byte("Username:"), false, nil
	case !s.askedPass:
		s.askedPass, s.user = true, string(resp)
		return []byte("Password:"), false, nil
	}
	return nil, true, s.check(s.user, string(resp))
}

// cramServer is CRAM-MD5: the server sends a challenge, the client answers
// "user HMAC-MD5(password, challenge) in hex"; the password never crosses
// the wire. No initial response is allowed (RFC 2195).
type cramServer struct {
	a         *account
	challenge string
	sent      bool
}

func (s *cramServer) Next(resp []byte) (challenge []byte, done bool, err error) {
	if !s.sent {
		if len(resp) > 0 {
			return nil, false, &imap.Error{Type: imap.StatusResponseTypeBad,
				Text: "CRAM-MD5 takes no initial response: send AUTHENTICATE CRAM-MD5 alone and answer the challenge"}
		}
		s.sent = true
		return []byte(s.challenge), false, nil
	}
	user, digest, ok := strings.Cut(string(resp), " ")
	if !ok {
		return nil, false, &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAuthenticationFailed,
			Text: `a CRAM-MD5 answer is "USER HEXDIGEST" in base64: the user name, a space, and HMAC-MD5 of the challenge keyed with the password, in lower-case hex`}
	}
	want := CRAMResponse(s.a.user, s.a.password, s.challenge)
	if !hmac.Equal([]byte(user+" "+strings.ToLower(digest)), []byte(want)) {
		return nil, false, imapserver.ErrAuthFailed
	}
	return nil, true, nil
}

// CRAMResponse is the client's answer to a CRAM-MD5 challenge (before
// base64): the user, a space and the hex HMAC-MD5 of the challenge keyed
// with the password (RFC 2195 section 2).
func CRAMResponse(user, password, challenge string) string {
	mac := hmac.New(md5.New, []byte(password))
	mac.Write([]byte(challenge))
	return user + " " + hex.EncodeToString(mac.Sum(nil))
}

// scramIterations is the PBKDF2 count the sandbox stores its SCRAM keys
// with (RFC 7677 recommends at least 4096).
const scramIterations = 4096

// scramServer is SCRAM (RFC 5802): client-first, server-first (nonce,
// salt, iteration count), client-final (the proof), server-final (the
// server's signature, sent as a last challenge that the client answers
// with an empty line). The sandbox derives its stored keys from the
// password once per login, with a fixed salt.
func (a *account) scramServer(hash scram.HashGeneratorFcn) (sasl.Server, error) {
	client, err := hash.NewClient(a.user, a.password, "")
	if err != nil {
		return nil, err
	}
	creds := client.GetStoredCredentials(scram.KeyFactors{Salt: "imapsh-demo-salt", Iters: scramIterations})
	srv, err := hash.NewServer(func(user string) (scram.StoredCredentials, error) {
		if user != a.user {
			return scram.StoredCredentials{}, imapserver.ErrAuthFailed
		}
		return creds, nil
	})
	if err != nil {
		return nil, err
	}
	return &scramServer{conv: srv.NewConversation()}, nil
}

type scramServer struct {
	conv  *scram.ServerConversation
	final bool // the server-final message was sent
}

func (s *scramServer) Next(resp []byte) (challenge []byte, done bool, err error) {
	if s.final {
		if len(resp) != 0 {
			return nil, false, &imap.Error{Type: imap.StatusResponseTypeBad, Text: "after the server's signature SCRAM expects an empty answer"}
		}
		return nil, true, nil
	}
	if resp == nil {
		return []byte{}, false, nil // no initial response: ask for client-first
	}
	out, err := s.conv.Step(string(resp))
	if err != nil {
		return nil, false, imapserver.ErrAuthFailed
	}
	if s.conv.Done() {
		if !s.conv.Valid() {
			return nil, false, imapserver.ErrAuthFailed
		}
		s.final = true
	}
	return []byte(out), false, nil
}
