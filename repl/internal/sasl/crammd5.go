package sasl

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"
)

// cramMD5 is CRAM-MD5 (RFC 2195): the server sends a unique challenge, the
// client answers with the user name, a space, and the HMAC-MD5 of the
// challenge keyed with the password, in lower-case hex.
type cramMD5 struct {
	c    Credentials
	done bool
	step Step
}

func (m *cramMD5) Start() (string, []byte, error) {
	m.step = Step{Answer: []string{"CRAM-MD5: no initial response; the server sends a challenge first"}}
	return CramMD5, nil, nil
}

func (m *cramMD5) Next(ch []byte) ([]byte, error) {
	m.step = Step{Challenge: describeCram(ch)}
	if m.done {
		return nil, errUnexpected(CramMD5)
	}
	m.done = true
	answer, digest := CramAnswer(m.c.User, m.c.Password, ch)
	m.step.Answer = describeCramAnswer(m.c.User, digest)
	return answer, nil
}

func (m *cramMD5) Step() Step    { return m.step }
func (m *cramMD5) Finish() error { return nil }

// CramAnswer computes the CRAM-MD5 answer to challenge: "user digest", and
// the digest alone (the HMAC-MD5 of the challenge keyed with the password,
// in lower-case hex).
func CramAnswer(user, password string, challenge []byte) (answer []byte, digest string) {
	mac := hmac.New(md5.New, []byte(password))
	mac.Write(challenge)
	digest = hex.EncodeToString(mac.Sum(nil))
	return []byte(user + " " + digest), digest
}

func describeCram(ch []byte) []string {
	return []string{
		"the challenge, decoded: " + quote(string(ch)),
		"a string the server made for this login alone (RFC 2195 wants it in the form <random.timestamp@host>)",
	}
}

// DescribeCramAnswer explains a CRAM-MD5 answer that imapsh computed.
func describeCramAnswer(user, digest string) []string {
	return []string{
		"the answer: the user " + quote(user) + ", a space, and the HMAC-MD5 of the challenge keyed with the password: " + digest,
		"the password itself is not sent; but whoever sees the challenge and this digest can try passwords offline, and the server must keep a password equivalent: CRAM-MD5 is obsolete, prefer SCRAM",
	}
}

// DescribeCramAnswer explains the answer CramAnswer returned, for an
// exchange typed by hand.
func DescribeCramAnswer(user, digest string) []string { return describeCramAnswer(user, digest) }
