package repl

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/wire"
)

// The TestDovecot tests of this file run the shell against the Dovecot
// that .ci/dovecot-up starts (its IMAPSH_DOVECOT_* variables), over
// implicit TLS, with mailbox names of their own.
type dovecotServer struct {
	addr, ca, user, pass string
}

func needDovecotServer(t *testing.T) dovecotServer {
	t.Helper()
	d := dovecotServer{os.Getenv("IMAPSH_DOVECOT_TLS"), os.Getenv("IMAPSH_DOVECOT_CA"), os.Getenv("IMAPSH_DOVECOT_USER"), os.Getenv("IMAPSH_DOVECOT_PASSWORD")}
	if d.addr == "" {
		t.Skip("no Dovecot: run .ci/dovecot-up and source its env file (.ci/run does)")
	}
	return d
}

// tlsConfig sets up a Config for Dovecot's implicit TLS port.
func (d dovecotServer) tlsConfig(c *Config) {
	c.Security, c.CAFile, c.Timeout = wire.ImplicitTLS, d.ca, 15*time.Second
}

// dial is the DialConfig of a second connection to Dovecot.
func (d dovecotServer) dial(t *testing.T) wire.DialConfig {
	pem, err := os.ReadFile(d.ca)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return wire.DialConfig{Addr: d.addr, Security: wire.ImplicitTLS, TLS: &tls.Config{RootCAs: pool}, Timeout: 15 * time.Second}
}

// box returns a mailbox name of this test alone.
func (d dovecotServer) box(t *testing.T) string {
	return fmt.Sprintf("imapsh-longrun-%s-%d", strings.ToLower(strings.TrimPrefix(t.Name(), "TestDovecot")), time.Now().UnixNano())
}

// TestDovecotIdleSeesAppend: idle on a mailbox of Dovecot while a second
// connection appends to it: the EXISTS shows while idling; then an idle
// with a short renewal re-issues the IDLE and still sees a new message.
func TestDovecotIdleSeesAppend(t *testing.T) {
	d := needDovecotServer(t)
	box := d.box(t)
	tm := startTermWith(t, d.addr, d.user, d.pass, d.tlsConfig)
	tm.waitFor("(no mailbox)> ")
	tm.typeKeys("CREATE " + box + "\r")
	tm.waitFor("OK Create completed")
	tm.typeKeys("SELECT " + box + "\r")
	tm.waitFor(box + " rw 0> ")
	tm.typeKeys("idle\r")
	tm.waitFor("S: + idling")
	start := time.Now()
	appendOther(t, d.dial(t), d.user, d.pass, box, otherMsg)
	tm.waitFor("S: * 1 EXISTS")
	t.Logf("Dovecot: EXISTS %v after the other connection's APPEND returned", time.Since(start))
	tm.typeKeys("\r")
	tm.waitFor("OK Idle completed")
	tm.waitFor(box + " rw 1> ")

	tm.typeKeys("# renew\r")
	tm.typeKeys("idle --renew 700ms\r")
	tm.waitAfter("# renew", "renewing the IDLE (every 700ms)")
	tm.waitAfter("renewing the IDLE", "S: + idling")
	appendOther(t, d.dial(t), d.user, d.pass, box, otherMsg)
	tm.waitAfter("# renew", "S: * 2 EXISTS")
	tm.typeKeys("\r")
	tm.waitFor(box + " rw 2> ")
	tm.typeKeys("CLOSE\r")
	tm.typeKeys("DELETE " + box + "\r")
	tm.waitFor("OK Delete completed")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	if n := strings.Count(tm.out.String(), "C: DONE"); n < 3 {
		t.Errorf("%d DONE, want one per IDLE (at least 3 with a renewal)", n)
	}
}

// TestDovecotKeepalive: NOOPs every 300ms at the prompt, none shown; then
// a message appended by another connection comes with a keepalive and is
// shown.
func TestDovecotKeepalive(t *testing.T) {
	d := needDovecotServer(t)
	box := d.box(t)
	log := t.TempDir() + "/session.log"
	tm := startTermWith(t, d.addr, d.user, d.pass, func(c *Config) {
		d.tlsConfig(c)
		c.Keepalive = ptr(300 * time.Millisecond)
		c.LogFile = log
	})
	tm.waitFor("(no mailbox)> ")
	tm.typeKeys("CREATE " + box + "\r")
	tm.typeKeys("SELECT " + box + "\r")
	tm.waitFor(box + " rw 0> ")
	time.Sleep(1500 * time.Millisecond)
	if s := tm.out.String(); strings.Contains(s, "NOOP") {
		t.Fatalf("keepalive lines shown without news:\n%s", s)
	}
	appendOther(t, d.dial(t), d.user, d.pass, box, otherMsg)
	tm.waitFor("S: * 1 EXISTS")
	tm.typeKeys("\r")
	tm.waitFor(box + " rw 1> ")
	if !regexp.MustCompile(`(?s)C: a\d+ NOOP\n.{0,300}S: \* 1 EXISTS`).MatchString(tm.out.String()) {
		t.Errorf("the NOOP that brought EXISTS is not shown before it:\n%s", tm.out.String())
	}
	tm.typeKeys("CLOSE\r")
	tm.typeKeys("DELETE " + box + "\r")
	tm.waitFor("OK Delete completed")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	rec, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(rec), " NOOP"); n < 3 {
		t.Errorf("the transcript has %d NOOPs, want the keepalives recorded", n)
	}
}

// TestDovecotEntwuerfe: a mailbox named Entwürfe (under a parent of this
// test) is created from its name typed in Unicode, listed (the raw name
// and a note with the decoded one), completed by Tab from its decoded
// name, selected (the prompt shows both), appended to and deleted.
func TestDovecotEntwuerfe(t *testing.T) {
	d := needDovecotServer(t)
	parent := d.box(t)
	name := parent + "/Entwürfe"
	raw := parent + "/Entw&APw-rfe"
	tm := startTermWith(t, d.addr, d.user, d.pass, d.tlsConfig)
	tm.waitFor("(no mailbox)> ")
	tm.typeKeys("CREATE " + name + "\r")
	tm.waitFor(fmt.Sprintf("# %q is sent as %s (modified UTF-7", name, raw))
	tm.waitFor("C: a002 CREATE " + raw)
	tm.waitFor("OK Create completed")
	tm.typeKeys(`LIST "" ` + parent + "/*\r")
	tm.waitFor(`S: * LIST (\HasNoChildren) "/" ` + raw)
	tm.waitFor(fmt.Sprintf("# mailbox name %q is %q (modified UTF-7)", raw, name))
	tm.typeKeys(`STATUS ` + name + " (MESSAGES)\r")
	tm.waitFor("S: * STATUS " + raw + " (MESSAGES 0)")
	tm.typeKeys("SELECT " + parent + "/Entw\t")
	tm.waitFor("SELECT " + name)
	tm.typeKeys("\r")
	tm.waitFor("C: a005 SELECT " + raw)
	tm.waitFor(fmt.Sprintf("%s [%s] rw 0> ", name, raw))
	tm.typeKeys("APPEND " + name + " <<EOF\rSubject: Entwurf\r\rhallo\rEOF\r")
	tm.waitFor(fmt.Sprintf("%s [%s] rw 1> ", name, raw))
	// At the terminal CLOSE is guarded: UID SEARCH DELETED (a007) first.
	tm.typeKeys("CLOSE\r")
	tm.waitFor("C: a008 CLOSE")
	tm.typeKeys("DELETE " + name + "\r")
	tm.waitFor("C: a009 DELETE " + raw)
	tm.waitAfter("C: a009 DELETE", "OK Delete completed") // the parent, never created, goes with it
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
}

// TestDovecotID: id shows Dovecot's own answer field by field.
func TestDovecotID(t *testing.T) {
	d := needDovecotServer(t)
	r := runScript(t, d.addr, d.user, d.pass, "id\n", func(c *Config) { d.tlsConfig(c); c.Version = "1.2.3" })
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	for _, want := range []string{`C: a002 ID ("name" "imapsh" "version" "1.2.3")`, `S: * ID ("name" "Dovecot")`, "# the server identifies itself as:\n#   name         Dovecot"} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
	r = runScript(t, d.addr, d.user, d.pass, "NOOP\n", func(c *Config) { d.tlsConfig(c); c.SendID = true })
	if r.Err != nil || !regexp.MustCompile(`OK \[CAPABILITY [^\n]*\n(.*\n)*C: a\d+ ID \("name" "imapsh"`).MatchString(r.Out) {
		t.Errorf("--id: %v\n%s", r.Err, r.Out)
	}
}

// TestDovecotSOCKS5: a TLS session with Dovecot through the test's SOCKS5
// proxy, the name resolved by the proxy; the certificate is still checked
// against the server's name.
func TestDovecotSOCKS5(t *testing.T) {
	d := needDovecotServer(t)
	px := newSOCKS5(t, "", "")
	_, port, _ := strings.Cut(d.addr, ":")
	r := runScript(t, "localhost:"+port, d.user, d.pass, "SELECT INBOX\n", func(c *Config) { d.tlsConfig(c); c.Proxy = "socks5h://" + px.Addr })
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	if dests := px.destinations(); len(dests) != 1 || dests[0] != "localhost:"+port {
		t.Errorf("the proxy was asked for %q", dests)
	}
	if !strings.Contains(r.Out, "through the SOCKS5 proxy "+px.Addr+" (names resolved by the proxy) with TLS 1.3, certificate verified for localhost") {
		t.Errorf("output:\n%s", r.Out)
	}
}

// TestDovecotCompressTLS: --compress against the shared Dovecot (its
// imap_zlib plugin, loaded by .ci/dovecot-up) over TLS: a message is
// appended and saved back byte for byte through the compressed stream.
func TestDovecotCompressTLS(t *testing.T) {
	d := needDovecotServer(t)
	box := d.box(t)
	var msg strings.Builder
	msg.WriteString("From: Grüße <g@example.org>\r\nSubject: compressed\r\n\r\n")
	for i := range 500 {
		fmt.Fprintf(&msg, "line %03d %s\r\n", i, strings.Repeat("abcdefghij", i%9))
	}
	dir := t.TempDir()
	in, out := dir+"/in.eml", dir+"/out.eml"
	os.WriteFile(in, []byte(msg.String()), 0o600)
	script := "CREATE " + box + "\nAPPEND " + box + " <" + in + "\nSELECT " + box + "\nsave 1 " + out + "\nCLOSE\nDELETE " + box + "\nstats\n"
	r := runScript(t, d.addr, d.user, d.pass, script, func(c *Config) { d.tlsConfig(c); c.Compress = true })
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	if strings.Contains(r.Out, "the server does not offer COMPRESS=DEFLATE") {
		// The Dovecot is shared: one started by an older .ci/dovecot-up
		// lacks imap_zlib until someone runs the script again.
		t.Skip("the shared Dovecot does not offer COMPRESS=DEFLATE (started by a .ci/dovecot-up without the imap_zlib block): run .ci/dovecot-up; TestDovecotCompress tests COMPRESS against a private Dovecot meanwhile")
	}
	if !strings.Contains(r.Out, "COMPRESS=DEFLATE is on") {
		t.Fatalf("compression not on:\n%s", r.Out)
	}
	got, err := os.ReadFile(out)
	if err != nil || string(got) != msg.String() {
		t.Errorf("saved %d octets (%v), appended %d: not the same", len(got), err, msg.Len())
	}
	m := regexp.MustCompile(`# compressed \(DEFLATE\) +(\d+) +(\d+)`).FindStringSubmatch(r.Out)
	if m == nil || m[1] == "0" || m[2] == "0" {
		t.Errorf("stats lack compressed octets:\n%s", r.Out)
	}
}
