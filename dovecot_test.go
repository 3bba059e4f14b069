package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// The TestDovecot tests run against a real Dovecot that .ci/dovecot-up
// configures and starts on 127.0.0.1; without its IMAPSH_DOVECOT_* variables
// they are skipped.
type dovecot struct {
	tls, starttls, ca, user, pass string
}

func needDovecot(t *testing.T) dovecot {
	t.Helper()
	d := dovecot{
		tls:      os.Getenv("IMAPSH_DOVECOT_TLS"),
		starttls: os.Getenv("IMAPSH_DOVECOT_STARTTLS"),
		ca:       os.Getenv("IMAPSH_DOVECOT_CA"),
		user:     os.Getenv("IMAPSH_DOVECOT_USER"),
		pass:     os.Getenv("IMAPSH_DOVECOT_PASSWORD"),
	}
	if d.tls == "" {
		t.Skip("no Dovecot: run .ci/dovecot-up and source its env file (.ci/run does)")
	}
	return d
}

func (d dovecot) env() []string { return []string{"IMAPSH_PASSWORD=" + d.pass} }

// mailbox returns a fresh mailbox name for one test.
func (d dovecot) mailbox(t *testing.T) string {
	return fmt.Sprintf("imapsh-%s-%d", strings.ToLower(t.Name()[len("TestDovecot"):]), time.Now().UnixNano())
}

func TestDovecotTLSSession(t *testing.T) {
	d := needDovecot(t)
	box := d.mailbox(t)
	msg := filepath.Join(t.TempDir(), "m.eml")
	os.WriteFile(msg, []byte("From: a@example.org\nSubject: over TLS\n\nhello\n"), 0o600)
	script := "CREATE " + box + "\nSELECT " + box + "\nAPPEND " + box + " <" + msg + "\nFETCH 1 (UID BODY.PEEK[])\nCLOSE\nDELETE " + box + "\n"
	code, out, stderr := imapsh(t, d.env(), script, "--ca", d.ca, "-u", d.user, d.tls)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	for _, want := range []string{"certificate verified for 127.0.0.1", "C: a001 AUTHENTICATE SCRAM-SHA-256 ",
		"S: * 1 FETCH (UID 1 BODY[] {49}", "S: Subject: over TLS", "S: hello", "OK Logout completed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, d.pass) || strings.Contains(stderr, d.pass) {
		t.Errorf("the password was printed")
	}
}

func TestDovecotSTARTTLS(t *testing.T) {
	d := needDovecot(t)
	_, port, _ := strings.Cut(d.starttls, ":")
	code, out, stderr := imapsh(t, d.env(), "NOOP\n", "--ca", d.ca, "imap://"+d.user+"@localhost:"+port)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	starttls := strings.Index(out, "C: a001 STARTTLS")
	auth := strings.Index(out, "AUTHENTICATE SCRAM-SHA-256")
	if starttls < 0 || auth < starttls || !strings.Contains(out, "TLS started with TLS 1.3, certificate verified for localhost") {
		t.Errorf("login did not wait for STARTTLS:\n%s", out)
	}
	// The pre-TLS capabilities are asked again after the handshake.
	if !regexp.MustCompile(`(?s)TLS started.*C: a002 CAPABILITY`).MatchString(out) {
		t.Errorf("capabilities not asked again after STARTTLS:\n%s", out)
	}
}

func TestDovecotCertificateChecked(t *testing.T) {
	d := needDovecot(t)
	code, _, stderr := imapsh(t, d.env(), "NOOP\n", "-u", d.user, d.tls)
	if code != 2 || !strings.Contains(stderr, "--ca FILE") || !strings.Contains(stderr, "--insecure") {
		t.Errorf("unverified certificate: exit %d, stderr %q", code, stderr)
	}
	// Right CA, wrong name: 127.0.0.2 is not in the certificate.
	_, port, _ := strings.Cut(d.tls, ":")
	code, _, stderr = imapsh(t, d.env(), "NOOP\n", "--timeout", "3s", "--ca", d.ca, "-u", d.user, "127.0.0.2:"+port)
	if code != 2 {
		t.Errorf("wrong host name: exit %d, stderr %q", code, stderr)
	}
	code, out, stderr := imapsh(t, d.env(), "NOOP\n", "--insecure", "-u", d.user, d.tls)
	if code != 0 || !strings.Contains(out, "warning: --insecure") {
		t.Errorf("--insecure: exit %d, stderr %q\n%s", code, stderr, out)
	}
}

func TestDovecotWrongPassword(t *testing.T) {
	d := needDovecot(t)
	code, out, stderr := imapsh(t, []string{"IMAPSH_PASSWORD=not-the-password"}, "NOOP\n", "--ca", d.ca, "-u", d.user, d.tls)
	if code != 2 || !strings.Contains(stderr, "login as "+d.user+" failed: the server answered NO [AUTHENTICATIONFAILED]") {
		t.Errorf("wrong password: exit %d, stderr %q\n%s", code, stderr, out)
	}
	if strings.Contains(out, "closed network connection") {
		t.Errorf("imapsh's own hang-up was reported as a failure:\n%s", out)
	}
	if strings.Contains(out, "not-the-password") {
		t.Errorf("the password was printed")
	}
}

// dovecotClient connects an independent client (go-imap) to read back what
// imapsh wrote.
func dovecotClient(t *testing.T, d dovecot) *imapclient.Client {
	t.Helper()
	pem, err := os.ReadFile(d.ca)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c, err := imapclient.DialTLS(d.tls, &imapclient.Options{TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(d.user, d.pass).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

var appendUIDRe = regexp.MustCompile(`\[APPENDUID \d+ (\d+)\]`)

func normalizeCRLF(b []byte) []byte {
	var out bytes.Buffer
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			out.WriteByte('\r')
		}
		out.WriteByte(c)
	}
	return out.Bytes()
}

func TestDovecotAppendRoundTrip(t *testing.T) {
	d := needDovecot(t)
	box := d.mailbox(t)
	dir := t.TempDir()
	var lf bytes.Buffer
	lf.WriteString("From: a@example.org\nSubject: LF\n\n")
	for lf.Len() < 2048 {
		fmt.Fprintf(&lf, "line %d\n", lf.Len())
	}
	big := bytes.Buffer{}
	big.WriteString("From: a@example.org\nSubject: big\nMIME-Version: 1.0\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n")
	for big.Len() < 5<<20 {
		big.WriteString("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n")
	}
	files := map[string][]byte{
		"empty.eml": {},
		"lf.eml":    lf.Bytes(),
		"crlf.eml":  normalizeCRLF(bytes.Replace(lf.Bytes(), []byte("LF"), []byte("CRLF"), 1)),
		"8bit.eml":  []byte("Subject: 8bit\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nH\xe4lsningar\r\n"),
		"big.eml":   big.Bytes(),
	}
	script := "CREATE " + box + "\n"
	for name, content := range files {
		path := filepath.Join(dir, name)
		os.WriteFile(path, content, 0o600)
		script += "APPEND " + box + " <" + path + "\n"
	}
	code, out, stderr := imapsh(t, d.env(), script, "--ca", d.ca, "-u", d.user, d.tls)
	t.Cleanup(func() { imapsh(t, d.env(), "DELETE "+box+"\n", "--ca", d.ca, "-u", d.user, d.tls) })
	// Dovecot refuses an empty message (exit 1); the session stays in step
	// and every other APPEND succeeds.
	if code != 1 || !strings.Contains(out, "{0+}") || !strings.Contains(out, "OK Logout completed") {
		t.Errorf("exit %d (want 1: only the empty message refused), stderr %q\n%s", code, stderr, out)
	}
	uids := appendUIDRe.FindAllStringSubmatch(out, -1)
	if len(uids) < len(files)-1 {
		t.Fatalf("%d APPENDUIDs for %d non-empty files:\n%s", len(uids), len(files)-1, out)
	}
	c := dovecotClient(t, d)
	if _, err := c.Select(box, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	sec := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(1, 2, 3, 4, 5), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{sec}, RFC822Size: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, m := range msgs {
		body := m.FindBodySection(sec)
		for name, content := range files {
			if len(content) > 0 && bytes.Equal(body, normalizeCRLF(content)) {
				got[name] = true
				t.Logf("%s: %d octets read back byte for byte (file %d octets)", name, len(body), len(content))
			}
		}
	}
	for name, content := range files {
		if len(content) > 0 && !got[name] {
			t.Errorf("%s was not read back byte for byte", name)
		}
	}
}

// uidList extracts the UIDs of the "* SEARCH" response that follows the
// command line cmd in a transcript.
func uidList(t *testing.T, out, cmd string) []int {
	t.Helper()
	i := strings.Index(out, cmd)
	if i < 0 {
		t.Fatalf("transcript lacks %q:\n%s", cmd, out)
	}
	m := regexp.MustCompile(`S: \* SEARCH([ 0-9]*)`).FindStringSubmatch(out[i:])
	if m == nil {
		t.Fatalf("no SEARCH response after %q", cmd)
	}
	var uids []int
	for _, f := range strings.Fields(m[1]) {
		n, _ := strconv.Atoi(f)
		uids = append(uids, n)
	}
	return uids
}

func TestDovecotKillOnlyOne(t *testing.T) {
	d := needDovecot(t)
	box := d.mailbox(t)
	script := "CREATE " + box + "\n"
	for i := 1; i <= 6; i++ {
		script += fmt.Sprintf("APPEND %s <<EOF\nSubject: message %d\n\nbody %d\nEOF\n", box, i, i)
	}
	script += "SELECT " + box + "\nUID STORE 2,4,6 +FLAGS (\\Deleted)\n" +
		"UID SEARCH DELETED\nUID SEARCH ALL\n" +
		"save 3 " + filepath.Join(t.TempDir(), "3.eml") + "\n" +
		"kill --yes 3\n" +
		"a100 UID SEARCH DELETED\na101 UID SEARCH ALL\n"
	code, out, stderr := imapsh(t, d.env(), script, "--ca", d.ca, "-u", d.user, d.tls)
	t.Cleanup(func() { imapsh(t, d.env(), "DELETE "+box+"\n", "--ca", d.ca, "-u", d.user, d.tls) })
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	before := [2][]int{uidList(t, out, "UID SEARCH DELETED"), uidList(t, out, "UID SEARCH ALL")}
	after := [2][]int{uidList(t, out, "a100 UID SEARCH DELETED"), uidList(t, out, "a101 UID SEARCH ALL")}
	t.Logf("before kill: DELETED %v ALL %v; after: DELETED %v ALL %v", before[0], before[1], after[0], after[1])
	if fmt.Sprint(before) != "[[2 4 6] [1 2 3 4 5 6]]" || fmt.Sprint(after) != "[[2 4 6] [1 2 4 5 6]]" {
		t.Errorf("kill did not remove exactly UID 3:\n%s", out)
	}
	if !strings.Contains(out, "UID EXPUNGE 3") {
		t.Errorf("kill did not use UID EXPUNGE on a UIDPLUS server:\n%s", out)
	}
	// whereis of the killed UID now fails: exit 1.
	code, out, _ = imapsh(t, d.env(), "SELECT "+box+"\nwhereis 3\n", "--ca", d.ca, "-u", d.user, d.tls)
	if code != 1 || !strings.Contains(out, "no message with UID 3") {
		t.Errorf("whereis of a missing UID: exit %d\n%s", code, out)
	}
}

func TestDovecotSaveByteForByte(t *testing.T) {
	d := needDovecot(t)
	box := d.mailbox(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "src.eml")
	msg := "From: a@example.org\r\nSubject: save me\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nR\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s\r\n" + strings.Repeat("line\r\n", 20000)
	os.WriteFile(src, []byte(msg), 0o600)
	saved := filepath.Join(dir, "saved.eml")
	script := "CREATE " + box + "\nAPPEND " + box + " <" + src + "\nSELECT " + box + "\nsave 1 " + saved + "\nsave 1 " + saved + "\n"
	code, out, _ := imapsh(t, d.env(), script, "--ca", d.ca, "-u", d.user, d.tls)
	t.Cleanup(func() { imapsh(t, d.env(), "DELETE "+box+"\n", "--ca", d.ca, "-u", d.user, d.tls) })
	if code != 1 || !strings.Contains(out, "exists") {
		t.Errorf("the second save must refuse to overwrite (exit 1): exit %d\n%s", code, out)
	}
	got, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	c := dovecotClient(t, d)
	if _, err := c.Select(box, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	sec := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(1), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{sec}}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatal(err)
	}
	if want := msgs[0].FindBodySection(sec); !bytes.Equal(got, want) {
		t.Errorf("saved %d octets, BODY[] is %d", len(got), len(want))
	} else {
		t.Logf("saved %d octets, identical to BODY[] read by another client", len(got))
	}
}

func TestDovecotLoginDisabledInClear(t *testing.T) {
	d := needDovecot(t)
	strict := os.Getenv("IMAPSH_DOVECOT_STARTTLS_STRICT")
	if strict == "" {
		t.Skip("no strict STARTTLS address")
	}
	// In clear, the server says LOGINDISABLED: imapsh must not send the password.
	code, out, stderr := imapsh(t, d.env(), "NOOP\n", "--plaintext", "-u", d.user, strict)
	if code != 2 || strings.Contains(out, "LOGIN "+d.user) || strings.Contains(out, "AUTHENTICATE") {
		t.Errorf("--plaintext against LOGINDISABLED: exit %d, stderr %q\n%s", code, stderr, out)
	}
	if !strings.Contains(stderr, "LOGINDISABLED") {
		t.Errorf("the refusal does not name LOGINDISABLED:\n%s", stderr)
	}
	if n := strings.Count(out+stderr, "forbids LOGIN"); n != 1 {
		t.Errorf("the refusal is said %d times, want once:\nstdout:\n%s\nstderr: %s", n, out, stderr)
	}
	// With STARTTLS the same server accepts the login.
	code, out, stderr = imapsh(t, d.env(), "NOOP\n", "--starttls", "--ca", d.ca, "-u", d.user, strict)
	if code != 0 || !strings.Contains(out, "TLS started") {
		t.Errorf("--starttls: exit %d, stderr %q\n%s", code, stderr, out)
	}
}

func TestDovecotMultiappendAndBinary(t *testing.T) {
	d := needDovecot(t)
	box := d.mailbox(t)
	dir := t.TempDir()
	a, b, nul := filepath.Join(dir, "a.eml"), filepath.Join(dir, "b.eml"), filepath.Join(dir, "nul.eml")
	os.WriteFile(a, []byte("Subject: a\n\nA\n"), 0o600)
	os.WriteFile(b, []byte("Subject: b\n\nB\n"), 0o600)
	os.WriteFile(nul, []byte("Subject: nul\r\n\r\nx\x00y\r\n"), 0o600)
	script := "CREATE " + box + "\nAPPEND " + box + " (\\Seen) <" + a + " (\\Flagged) <" + b + "\nAPPEND " + box + " <" + nul +
		"\nSELECT " + box + "\nFETCH 1:* (FLAGS BINARY.PEEK[])\nCLOSE\nDELETE " + box + "\n"
	code, out, stderr := imapsh(t, d.env(), script, "--ca", d.ca, "-u", d.user, d.tls)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	for _, want := range []string{
		"C: a003 APPEND " + box + " (\\Seen) {17+}\nC: [17 octets: from " + a + ", line ends sent as CRLF]\nC:  (\\Flagged) {17+}",
		"[APPENDUID", " 1:2]",
		"APPEND " + box + " ~{21}\nS: + OK",
		"S: * 3 FETCH (FLAGS (\\Recent) BINARY[] ~{21}\nS: Subject: nul\nS: \nS: x\\x00y\nS: )",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
}

func TestDovecotURLSelectsMailbox(t *testing.T) {
	d := needDovecot(t)
	_, port, _ := strings.Cut(d.starttls, ":")
	code, out, stderr := imapsh(t, d.env(), "NOOP\n", "--ca", d.ca, "imap://"+d.user+"@localhost:"+port+"/Archive")
	if code != 0 || !strings.Contains(out, "C: a004 SELECT Archive") || !strings.Contains(out, "OK [READ-WRITE]") {
		t.Errorf("exit %d, stderr %q\n%s", code, stderr, out)
	}
}

// TestDovecotPoisonToolkit runs the poison story's commands on a healthy
// Dovecot for comparison: nothing is withheld, and a message whose text
// reads like Exchange's retrieval-failure notice, stored as such, is
// delivered: probe and save agree (one verdict). IMAPSH_TRANSCRIPT=FILE
// keeps the session's output.
func TestDovecotPoisonToolkit(t *testing.T) {
	d := needDovecot(t)
	box := d.mailbox(t)
	dir := t.TempDir()
	notice := "From: Microsoft Exchange Server 2010\r\nSubject: Retrieval using the IMAP4 protocol failed for the following message:\r\n 15541\r\n\r\nThe server couldn't retrieve the following message.\r\n"
	os.WriteFile(filepath.Join(dir, "notice.eml"), []byte(notice), 0o600)
	script := "CREATE " + box + "\n" +
		"APPEND " + box + " <<EOF\nFrom: a@example.org\nSubject: one\n\nfirst\nEOF\n" +
		"APPEND " + box + " <" + filepath.Join(dir, "notice.eml") + "\n" +
		"APPEND " + box + " <<EOF\nFrom: b@example.org\nSubject: three\n\nthird\nEOF\n" +
		"SELECT " + box + "\nuids 1:*\nwhereis 2\nprobe 2\nsave 2 " + filepath.Join(dir, "2.eml") + "\nkill --yes 2\nuids 1:*\n"
	code, out, stderr := imapsh(t, d.env(), script, "--ca", d.ca, "-u", d.user, d.tls)
	t.Cleanup(func() { imapsh(t, d.env(), "DELETE "+box+"\n", "--ca", d.ca, "-u", d.user, d.tls) })
	if f := os.Getenv("IMAPSH_TRANSCRIPT"); f != "" {
		os.WriteFile(f, []byte(out), 0o644)
	}
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	for _, w := range []string{
		"# UID 2 in " + box,
		"# verdict: delivered: BODY[] came whole (" + strconv.Itoa(len(notice)) + " octets), the size RFC822.SIZE announces.",
		"# note: its content reads like a server's retrieval-failure notice",
		"exactly as BODY.PEEK[] delivered it\n# its size matches RFC822.SIZE",
		"# killed UID 2 (it was sequence number 2); the server expunged it and nothing else.",
		"#        1  1\n#        2  3\n# 2 messages of " + box,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	for _, w := range []string{"withheld", "substitute", "poison message", "incomplete", "NOOP"} {
		if strings.Contains(out, w) {
			t.Errorf("a healthy server, yet the output says %q:\n%s", w, out)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "2.eml")); string(got) != notice {
		t.Errorf("saved %q, want the message as stored", got)
	}
}
