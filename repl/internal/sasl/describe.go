package sasl

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DecodeChallenge explains a challenge ("+ " and its base64 text) of an
// exchange typed by hand with mech: decoded, and read as that mechanism's
// message. Server text is quoted with escapes, never raw. It performs no
// I/O.
func DecodeChallenge(mech, b64 string) []string {
	ch, err := Decode(b64)
	if err != nil {
		return []string{err.Error() + ": a SASL challenge must be; answer * to cancel"}
	}
	if len(ch) == 0 {
		return []string{"an empty challenge: the server waits for the initial response (the mechanism's first message)"}
	}
	name, _ := Canonical(mech)
	switch name {
	case CramMD5:
		return describeCram(ch)
	case ScramSHA1, ScramSHA256:
		return describeScram(ch)
	case XOAuth2, OAuthBearer:
		return describeOAuthError(ch)
	case Login:
		return describeLoginPrompt(ch)
	}
	return describeText(ch)
}

// Decode decodes a challenge's base64 text; "=" or nothing is an empty
// challenge.
func Decode(b64 string) ([]byte, error) {
	b64 = strings.TrimSpace(b64)
	if b64 == "=" {
		return []byte{}, nil
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("the server's challenge %s is not valid base64 (RFC 4648)", quote(shorten(b64)))
	}
	return b, nil
}

// Encode encodes an answer or initial response for the wire.
func Encode(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// describeText shows a challenge no mechanism explains: as text when it is
// text, else as hex.
func describeText(ch []byte) []string {
	if len(ch) == 0 {
		return []string{"an empty challenge"}
	}
	if utf8.Valid(ch) {
		return []string{"the challenge, decoded: " + quote(string(ch))}
	}
	return []string{fmt.Sprintf("the challenge, decoded: %d octets, not text: %x", len(ch), ch[:min(len(ch), 64)])}
}

// quote shows untrusted text in double quotes with every control, format
// and invalid character escaped, cut at 512 octets.
func quote(s string) string { return strconv.QuoteToGraphic(shorten(s)) }

func shorten(s string) string {
	const max = 512
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
