package sasl

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode"
)

// safeNote reports whether a note can go to a terminal as it is: graphic
// characters and spaces only (no controls, no bidi or format characters).
func safeNote(s string) bool {
	for _, r := range s {
		if r != ' ' && !unicode.IsGraphic(r) {
			return false
		}
	}
	return true
}

func FuzzDecodeChallenge(f *testing.F) {
	for _, s := range []string{
		"<1896.697170952@postoffice.reston.mci.net>",
		"r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
		"v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", "e=other-error", "r=,s=,i=-1", "r=x,s=%%%,i=99999999999999999999",
		`{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}`, `{"status":{"a":[1,2]},"\u001b":null}`,
		"Username:", "\x1b[31m\u202e\x00", "",
	} {
		for _, m := range Names() {
			f.Add(m, base64.StdEncoding.EncodeToString([]byte(s)))
		}
	}
	f.Add("CRAM-MD5", "!!not base64")
	f.Fuzz(func(t *testing.T, mech, b64 string) {
		for _, note := range DecodeChallenge(mech, b64) {
			if !safeNote(note) {
				t.Fatalf("DecodeChallenge(%q, %q): note %q holds a raw control or format character", mech, b64, note)
			}
		}
	})
}

// FuzzMechanismNext feeds any challenge to every mechanism at each step:
// none may panic, every note is safe to print, and no note carries the
// password or the token.
func FuzzMechanismNext(f *testing.F) {
	f.Add([]byte("r=x,s=QSXCR+Q6sek8bf92,i=4096"), []byte("v=AAAA"))
	f.Add([]byte(`{"status":"401"}`), []byte("again"))
	f.Add([]byte("Password:"), []byte("Password:"))
	f.Add([]byte("\x00\xff"), []byte{})
	f.Fuzz(func(t *testing.T, first, second []byte) {
		for _, name := range Names() {
			m, err := New(name, Credentials{User: "alice", Password: testPass, Token: testToken, Host: "h", Port: 1})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := m.Start(); err != nil {
				t.Fatalf("%s: Start: %v", name, err)
			}
			for _, ch := range [][]byte{first, second} {
				m.Next(ch)
				st := m.Step()
				notes := strings.Join(append(append([]string{}, st.Challenge...), st.Answer...), "\n")
				for _, n := range strings.Split(notes, "\n") {
					if !safeNote(n) {
						t.Fatalf("%s: note %q is not safe to print", name, n)
					}
				}
				for _, s := range secretForms(testPass, testToken) {
					if strings.Contains(notes, s) {
						t.Fatalf("%s: a note holds the secret %q:\n%s", name, s, notes)
					}
				}
			}
		}
	})
}

func FuzzParseAttrs(f *testing.F) {
	f.Add("r=abc,s=QSXCR+Q6sek8bf92,i=4096")
	f.Add("a=,=b,,c")
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range parseAttrs(s) {
			if !strings.Contains(s, string([]byte{a.key})+"="+a.value) {
				t.Fatalf("parseAttrs(%q) made up %c=%q", s, a.key, a.value)
			}
			if strings.Contains(a.value, ",") {
				t.Fatalf("parseAttrs(%q): value %q holds a comma", s, a.value)
			}
		}
	})
}
