package sasl

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

const (
	testPass  = "S3cr3t-p\u00e4ss"
	testToken = "ya29.A0AfH6SMtesttoken-xyz"
)

// secretForms are the password and token and every base64 text that
// carries them, whatever their offset in the encoded blob.
func secretForms(secrets ...string) []string {
	var out []string
	for _, s := range secrets {
		out = append(out, s)
		for pad := 0; pad < 3; pad++ {
			enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("\x00", pad) + s))
			// Drop the characters that also encode the padding, and the
			// last, partial, group.
			start := (pad*8 + 5) / 6
			end := ((pad+len(s))*8)/6 - 1
			if end > start+4 {
				out = append(out, enc[start:end])
			}
		}
	}
	return out
}

// noSecret fails when any note of st carries a secret.
func noSecret(t *testing.T, where string, st Step) {
	t.Helper()
	all := strings.Join(append(append([]string{}, st.Challenge...), st.Answer...), "\n")
	for _, f := range secretForms(testPass, testToken) {
		if strings.Contains(all, f) {
			t.Errorf("%s: the explanation holds the secret (%q):\n%s", where, f, all)
		}
	}
}

func TestSecretFormsFindEmbeddedBase64(t *testing.T) {
	for _, blob := range []string{"\x00alice\x00" + testPass, "user=bob\x01auth=Bearer " + testToken + "\x01\x01", testPass, "xy" + testPass + "z"} {
		enc := base64.StdEncoding.EncodeToString([]byte(blob))
		found := false
		for _, f := range secretForms(testPass, testToken) {
			found = found || strings.Contains(enc, f)
		}
		if !found {
			t.Errorf("no form of the secrets found in %q (base64 of %q)", enc, blob)
		}
	}
}

func TestCramMD5(t *testing.T) {
	cases := []struct{ user, pass, challenge, want string }{
		// RFC 2195 section 2.
		{"tim", "tanstaaftanstaaf", "<1896.697170952@postoffice.reston.mci.net>", "tim b913a602c7eda7a495b4e6e7334d3890"},
		// The seed's tutorial (advanced-imap-commands.txt, step 4 and 5).
		{"drichards", "My_P@ssword1", "<1856515982593296.1577749809@bluefin.p>", "drichards 786abbf9d4d38e270c895b82318c2223"},
	}
	for _, c := range cases {
		m, err := New("cram-md5", Credentials{User: c.user, Password: c.pass})
		if err != nil {
			t.Fatal(err)
		}
		name, ir, _ := m.Start()
		if name != CramMD5 || ir != nil {
			t.Errorf("Start: %q %q", name, ir)
		}
		got, err := m.Next([]byte(c.challenge))
		if err != nil || string(got) != c.want {
			t.Errorf("answer %q, %v; want %q", got, err, c.want)
		}
		st := m.Step()
		if st.Secret || !strings.Contains(strings.Join(st.Challenge, "\n"), c.challenge) || !strings.Contains(strings.Join(st.Answer, "\n"), c.want[len(c.user)+1:]) {
			t.Errorf("step does not show the challenge and the digest: %+v", st)
		}
		if strings.Contains(strings.Join(st.Answer, "\n"), c.pass) {
			t.Errorf("the explanation shows the password")
		}
		if _, err := m.Next([]byte("again")); err == nil {
			t.Errorf("a second challenge was answered")
		}
	}
	if got := base64.StdEncoding.EncodeToString([]byte("drichards 786abbf9d4d38e270c895b82318c2223")); got != "ZHJpY2hhcmRzIDc4NmFiYmY5ZDRkMzhlMjcwYzg5NWI4MjMxOGMyMjIz" {
		t.Errorf("the seed's base64 answer: %s", got)
	}
}

// scramVectors are the exchanges of RFC 5802 section 5 and RFC 7677
// section 3 (user "user", password "pencil").
var scramVectors = []struct {
	mech, nonce, first, serverFirst, final, serverFinal string
}{
	{ScramSHA1, "fyko+d2lbbFgONRv9qkxdawL", "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
		"r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
		"c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
		"v=rmF9pqV8S7suAoZWja4dJRkFsKQ="},
	{ScramSHA256, "rOprNGfwEbeRWgbNEkqO", "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
		"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
		"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
		"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="},
}

func TestScramRFCVectors(t *testing.T) {
	for _, v := range scramVectors {
		m, err := newScramWithNonce(v.mech, Credentials{User: "user", Password: "pencil"}, v.nonce)
		if err != nil {
			t.Fatal(err)
		}
		name, ir, err := m.Start()
		if err != nil || name != v.mech || string(ir) != v.first {
			t.Fatalf("%s: Start %q %q %v", v.mech, name, ir, err)
		}
		if st := m.Step(); !strings.Contains(strings.Join(st.Answer, "\n"), "r="+v.nonce) || st.Secret {
			t.Errorf("%s: client-first not explained: %+v", v.mech, st)
		}
		final, err := m.Next([]byte(v.serverFirst))
		if err != nil || string(final) != v.final {
			t.Fatalf("%s: client-final %q, %v; want %q", v.mech, final, err, v.final)
		}
		st := m.Step()
		for _, want := range []string{"i=4096", "the salt, ", "p=" + v.final[strings.Index(v.final, "p=")+2:], "the server's \""} {
			if !strings.Contains(strings.Join(append(st.Challenge, st.Answer...), "\n"), want) {
				t.Errorf("%s: server-first step lacks %q: %+v", v.mech, want, st)
			}
		}
		if err := m.Finish(); !errors.Is(err, ErrServerUnproven) {
			t.Errorf("%s: accepted before the server signature: %v", v.mech, err)
		}
		empty, err := m.Next([]byte(v.serverFinal))
		if err != nil || empty == nil || len(empty) != 0 {
			t.Fatalf("%s: server-final: %q, %v", v.mech, empty, err)
		}
		if st := m.Step(); !strings.Contains(strings.Join(st.Challenge, "\n"), "verified: the signature matches") {
			t.Errorf("%s: verification not said: %+v", v.mech, st)
		}
		if err := m.Finish(); err != nil {
			t.Errorf("%s: Finish after a valid signature: %v", v.mech, err)
		}
	}
}

func TestScramRefusesAServerThatDoesNotKnowThePassword(t *testing.T) {
	v := scramVectors[1]
	start := func() *scramMech {
		m, _ := newScramWithNonce(v.mech, Credentials{User: "user", Password: "pencil"}, v.nonce)
		m.Start()
		if _, err := m.Next([]byte(v.serverFirst)); err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := start()
	_, err := m.Next([]byte("v=AAAAZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))
	if !errors.Is(err, ErrServerUnproven) || !strings.Contains(strings.Join(m.Step().Challenge, "\n"), "NOT verified") {
		t.Errorf("wrong signature: %v, %+v", err, m.Step())
	}
	if err := m.Finish(); !errors.Is(err, ErrServerUnproven) {
		t.Errorf("Finish after a wrong signature: %v", err)
	}
	m = start()
	_, err = m.Next([]byte("e=invalid-proof"))
	if err == nil || errors.Is(err, ErrServerUnproven) || !strings.Contains(strings.Join(m.Step().Challenge, "\n"), `e="invalid-proof"`) {
		t.Errorf("server error: %v, %+v", err, m.Step())
	}
	// Too few iterations, and a nonce that is not ours.
	for _, first := range []string{"r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1024", "r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"} {
		m, _ := newScramWithNonce(v.mech, Credentials{User: "user", Password: "pencil"}, v.nonce)
		m.Start()
		if ans, err := m.Next([]byte(first)); err == nil {
			t.Errorf("%q answered with %q", first, ans)
		}
	}
}

func TestPlainLoginExternal(t *testing.T) {
	creds := Credentials{User: "alice", Password: testPass}
	m, _ := New("plain", creds)
	name, ir, _ := m.Start()
	if name != Plain || string(ir) != "\x00alice\x00"+testPass || !m.Step().Secret {
		t.Errorf("PLAIN: %q %q %+v", name, ir, m.Step())
	}
	noSecret(t, "PLAIN", m.Step())

	steps := []struct {
		prompts []string
		answers []string
		secret  []bool
	}{
		{[]string{"Username:", "Password:"}, []string{"alice", testPass}, []bool{false, true}},
		{[]string{"User Name\x00", "Password\x00"}, []string{"alice", testPass}, []bool{false, true}},
		{[]string{"", ""}, []string{"alice", testPass}, []bool{false, true}},
		{[]string{"Password:"}, []string{testPass}, []bool{true}},
	}
	for _, s := range steps {
		m, _ := New("LOGIN", creds)
		if _, ir, _ := m.Start(); ir != nil {
			t.Errorf("LOGIN sends an initial response")
		}
		for i, p := range s.prompts {
			got, err := m.Next([]byte(p))
			if err != nil || string(got) != s.answers[i] || m.Step().Secret != s.secret[i] {
				t.Errorf("LOGIN prompt %q: %q %v secret=%v", p, got, err, m.Step().Secret)
			}
			noSecret(t, "LOGIN", m.Step())
		}
	}
	m, _ = New("LOGIN", creds)
	m.Next([]byte("Username:"))
	m.Next([]byte("Password:"))
	if _, err := m.Next([]byte("Password:")); err == nil {
		t.Errorf("LOGIN answered a third prompt")
	}

	m, _ = New("external", Credentials{})
	name, ir, _ = m.Start()
	if name != External || ir == nil || len(ir) != 0 {
		t.Errorf("EXTERNAL: %q %q", name, ir)
	}
}

func TestOAuth(t *testing.T) {
	creds := Credentials{User: "bob@example.com", Token: testToken, Host: "imap.example.com", Port: 993}
	m, _ := New("xoauth2", creds)
	_, ir, _ := m.Start()
	if string(ir) != "user=bob@example.com\x01auth=Bearer "+testToken+"\x01\x01" || !m.Step().Secret {
		t.Errorf("XOAUTH2 initial response %q", ir)
	}
	noSecret(t, "XOAUTH2", m.Step())
	ans, err := m.Next([]byte(`{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}`))
	if err != nil || ans == nil || len(ans) != 0 {
		t.Errorf("XOAUTH2 answer to the error: %q %v", ans, err)
	}
	notes := strings.Join(m.Step().Challenge, "\n")
	for _, want := range []string{`status: "400"`, `scope: "https://mail.google.com/"`, "get a new one"} {
		if !strings.Contains(notes, want) {
			t.Errorf("XOAUTH2 error not decoded (%q):\n%s", want, notes)
		}
	}

	creds.User = "bob,x=y"
	m, _ = New("OAUTHBEARER", creds)
	_, ir, _ = m.Start()
	if want := "n,a=bob=2Cx=3Dy,\x01host=imap.example.com\x01port=993\x01auth=Bearer " + testToken + "\x01\x01"; string(ir) != want {
		t.Errorf("OAUTHBEARER initial response %q, want %q", ir, want)
	}
	noSecret(t, "OAUTHBEARER", m.Step())
	ans, err = m.Next([]byte(`{"status":"invalid_token","scope":"example_scope","openid-configuration":"https://example.com/.well-known/openid-configuration","extra":1}`))
	if err != nil || string(ans) != "\x01" || m.Step().Secret {
		t.Errorf("OAUTHBEARER answer to the error: %q %v", ans, err)
	}
	if notes := strings.Join(m.Step().Challenge, "\n"); !strings.Contains(notes, `status: "invalid_token"`) || !strings.Contains(notes, `"extra": "1"`) {
		t.Errorf("OAUTHBEARER error not decoded:\n%s", notes)
	}
	if _, err := m.Next([]byte("{}")); err == nil {
		t.Errorf("a second error challenge was answered")
	}
}

func TestNewChecksCredentials(t *testing.T) {
	cases := []struct {
		mech string
		c    Credentials
		want string
	}{
		{"DIGEST-MD5", Credentials{User: "a", Password: "p"}, "unknown mechanism"},
		{"PLAIN", Credentials{User: "a"}, "needs a password"},
		{"SCRAM-SHA-256", Credentials{Password: "p"}, "needs a user name"},
		{"XOAUTH2", Credentials{User: "a", Password: "p"}, "access token"},
		{"XOAUTH2", Credentials{User: "a", Token: "t\x01"}, "^A"},
		{"PLAIN", Credentials{User: "a\x00b", Password: "p"}, "NUL"},
	}
	for _, c := range cases {
		if _, err := New(c.mech, c.c); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%s, %+v): %v, want %q", c.mech, c.c, err, c.want)
		}
	}
}

func TestChoose(t *testing.T) {
	cases := []struct{ offered, want string }{
		{"PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256", ScramSHA256},
		{"PLAIN SCRAM-SHA-1", ScramSHA1},
		{"LOGIN PLAIN", Plain},
		{"LOGIN", Login},
		{"CRAM-MD5 XOAUTH2 OAUTHBEARER", ""},
		{"", ""},
	}
	for _, c := range cases {
		set := map[string]bool{}
		for _, m := range strings.Fields(c.offered) {
			set[m] = true
		}
		if got := Choose(func(m string) bool { return set[m] }); got != c.want {
			t.Errorf("Choose(%s) = %q, want %q", c.offered, got, c.want)
		}
	}
}

func TestDecodeChallenge(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	cases := []struct{ mech, b64, want string }{
		{"cram-md5", "PDE4NTY1MTU5ODI1OTMyOTYuMTU3Nzc0OTgwOUBibHVlZmluLnA+", `"<1856515982593296.1577749809@bluefin.p>"`},
		{"SCRAM-SHA-256", b64("r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"), "the salt, 16 octets"},
		{"SCRAM-SHA-1", b64("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="), "cannot check a signature"},
		{"SCRAM-SHA-1", b64("e=unknown-user"), `e="unknown-user"`},
		{"XOAUTH2", b64(`{"status":"401","schemes":"bearer"}`), `status: "401"`},
		{"OAUTHBEARER", b64("not json"), "not the JSON error object"},
		{"LOGIN", "VXNlcm5hbWU6", `"Username:"`},
		{"PLAIN", "", "an empty challenge"},
		{"PLAIN", "=", "an empty challenge"},
		{"X-UNKNOWN", b64("\xff\xfe"), "not text: fffe"},
		{"CRAM-MD5", "not base64!", "not valid base64"},
		{"CRAM-MD5", b64("<\x1b[2J\u202e@evil>"), `"<\x1b[2J\u202e@evil>"`},
	}
	for _, c := range cases {
		got := strings.Join(DecodeChallenge(c.mech, c.b64), "\n")
		if !strings.Contains(got, c.want) {
			t.Errorf("DecodeChallenge(%s, %q):\n%s\nwant %q", c.mech, c.b64, got, c.want)
		}
	}
}
