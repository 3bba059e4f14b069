package repl

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/imapsh/imapsh/internal/imaptest"
)

// normalizeCRLF is the reference CRLF normalization: bare LF and bare CR
// become CRLF.
func normalizeCRLF(b []byte) []byte {
	var out bytes.Buffer
	for i, c := range b {
		switch {
		case c == '\n' && (i == 0 || b[i-1] != '\r'):
			out.WriteString("\r\n")
		case c == '\r' && (i+1 == len(b) || b[i+1] != '\n'):
			out.WriteString("\r\n")
		default:
			out.WriteByte(c)
		}
	}
	return out.Bytes()
}

func TestCRLFReader(t *testing.T) {
	cases := []string{"", "a", "\n", "\r", "\r\n", "\n\r", "a\nb\n", "a\r\nb\r\n", "\n\n\r\n\n", "x\ry\n", "mixed\r\nand\nbare\n\r", "mac\rline\rends\r", "\r\r\n\r"}
	for _, in := range cases {
		want := normalizeCRLF([]byte(in))
		for _, wrap := range []func(io.Reader) io.Reader{func(r io.Reader) io.Reader { return r }, iotest.OneByteReader, iotest.HalfReader} {
			got, err := io.ReadAll(newCRLFReader(wrap(strings.NewReader(in))))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("crlf(%q) = %q, %v; want %q", in, got, err, want)
			}
		}
	}
	// Small destination buffers split the CR and LF of a converted line end.
	in := strings.Repeat("line\n", 1000)
	got, _ := io.ReadAll(iotest.OneByteReader(newCRLFReader(strings.NewReader(in))))
	if !bytes.Equal(got, normalizeCRLF([]byte(in))) {
		t.Errorf("one-byte reads: got %d bytes, want %d", len(got), len(normalizeCRLF([]byte(in))))
	}
}

func TestRedact(t *testing.T) {
	cases := map[string]string{
		"LOGIN alice secret":                      "LOGIN alice [hidden]",
		`login "alice b" "se cret"`:               `LOGIN "alice b" [hidden]`,
		"a1 LOGIN alice secret":                   "a1 LOGIN alice [hidden]",
		"LOGIN alice {10}":                        "LOGIN alice [hidden]",
		"LOGIN {5}":                               "LOGIN [hidden]",
		"AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==": "AUTHENTICATE PLAIN [hidden]",
		"AUTHENTICATE XOAUTH2":                    "AUTHENTICATE XOAUTH2",
		"SELECT INBOX":                            "SELECT INBOX",
		"FETCH 1 (BODY[])":                        "FETCH 1 (BODY[])",
	}
	for in, want := range cases {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

var appendUID = regexp.MustCompile(`\[APPENDUID \d+ (\d+)\]`)

// fetchBody reads a message back with an independent client (go-imap).
func fetchBody(t *testing.T, addr, user, pass, mailbox string, uid uint32) []byte {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, pass).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select(mailbox, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	sec := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(imap.UID(uid)), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{sec}}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch UID %d: %v (%d messages)", uid, err, len(msgs))
	}
	return msgs[0].FindBodySection(sec)
}

// testMessages are the files of the APPEND round trip: empty, 2 KB with LF
// line ends, 2 KB with CRLF, and a 5 MB message with a binary attachment
// (base64) and 8-bit text.
func testMessages(t *testing.T) map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var lf bytes.Buffer
	lf.WriteString("From: a@example.org\nTo: b@example.org\nSubject: two kilobytes, LF\n\n")
	for lf.Len() < 2048 {
		fmt.Fprintf(&lf, "line %d of a message typed on Unix\n", lf.Len())
	}
	crlf := normalizeCRLF([]byte(strings.Replace(lf.String(), "LF", "CRLF", 1)))
	att := make([]byte, 3_800_000)
	for i := range att {
		att[i] = byte(rng.Uint32())
	}
	var big bytes.Buffer
	big.WriteString("From: a@example.org\r\nSubject: attachment\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\nH\xe4lsningar fr\xe5n G\xf6teborg\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(att)
	for len(enc) > 76 {
		big.WriteString(enc[:76] + "\n") // LF on purpose: imapsh must send CRLF
		enc = enc[76:]
	}
	big.WriteString(enc + "\r\n--b--\r\n")
	if big.Len() < 5_000_000 {
		t.Fatalf("big message is only %d bytes", big.Len())
	}
	return map[string][]byte{"empty.eml": {}, "lf.eml": lf.Bytes(), "crlf.eml": crlf, "big.eml": big.Bytes()}
}

func TestAppendRoundTripDemo(t *testing.T) {
	srv := startDemo(t)
	dir := t.TempDir()
	for name, content := range testMessages(t) {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			r := runScript(t, srv.Addr, srv.User, srv.Password, "APPEND Archive (\\Seen) <"+path+"\n")
			want := normalizeCRLF(content)
			if len(content) == 0 {
				// An empty message: the server may refuse it; imapsh must
				// have sent {0} and stayed in step either way.
				if !strings.Contains(r.Out, "APPEND Archive (\\Seen) {0") {
					t.Fatalf("no {0} literal sent:\n%s", r.Out)
				}
				if !strings.Contains(r.Out, "OK LOGOUT") {
					t.Errorf("session out of step after an empty literal:\n%s", r.Out)
				}
				return
			}
			if r.Err != nil {
				t.Fatalf("Run: %v\n%s", r.Err, r.Out)
			}
			if !strings.Contains(r.Out, "["+strconv.Itoa(len(want))+" octets: from "+path) {
				t.Errorf("echo does not show the %d octets sent:\n%s", len(want), r.Out)
			}
			m := appendUID.FindStringSubmatch(r.Out)
			if m == nil {
				t.Fatalf("no APPENDUID:\n%s", r.Out)
			}
			uid, _ := strconv.ParseUint(m[1], 10, 32)
			got := fetchBody(t, srv.Addr, srv.User, srv.Password, "Archive", uint32(uid))
			if !bytes.Equal(got, want) {
				t.Errorf("read back %d bytes (sha256 %x), want %d (sha256 %x)", len(got), sha256.Sum256(got), len(want), sha256.Sum256(want))
			}
		})
	}
}

func TestLiteralWaitsForGoAhead(t *testing.T) {
	srv := imaptest.NoLiteralPlusServer(t)
	path := filepath.Join(t.TempDir(), "m.eml")
	msg := "Subject: wait for +\n\nbody\n"
	os.WriteFile(path, []byte(msg), 0o600)
	script := "LOGIN alice {10}\nwonderland\nAPPEND INBOX <" + path + "\nAPPEND INBOX <<END\nSubject: typed\n\nhi\nEND\nAPPEND INBOX {14}\nSubject: t\n\n\n"
	r := runScript(t, srv.Addr, "", "", script)
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	if n := srv.EarlyBytes(); n != 0 {
		t.Errorf("%d literal bytes were sent before the server's +", n)
	}
	got := srv.Literals()
	want := []string{"wonderland", string(normalizeCRLF([]byte(msg))), "Subject: typed\r\n\r\nhi\r\n", "Subject: t\r\n\r\n"}
	if len(got) != len(want) {
		t.Fatalf("server got %d literals, want %d:\n%q\n%s", len(got), len(want), got, r.Out)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("literal %d = %q, want %q", i, got[i], want[i])
		}
	}
	if strings.Contains(r.Out, "wonderland") {
		t.Errorf("the typed password was echoed:\n%s", r.Out)
	}
}

func TestLiteralRefused(t *testing.T) {
	for _, bad := range []bool{false, true} {
		srv := imaptest.RefuseLiteralServer(t, bad)
		path := filepath.Join(t.TempDir(), "m.eml")
		os.WriteFile(path, bytes.Repeat([]byte("x"), 5000), 0o600)
		r := runScript(t, srv.Addr, "", "", "LOGIN u p\nAPPEND INBOX <"+path+"\nNOOP\n")
		if !errors.Is(r.Err, ErrFailed) {
			t.Fatalf("Run = %v, want ErrFailed (exit 1)\n%s", r.Err, r.Out)
		}
		if !strings.Contains(r.Out, "its 5000 octets were not sent") {
			t.Errorf("refusal not explained:\n%s", r.Out)
		}
		if !regexp.MustCompile(`S: a\d+ OK NOOP`).MatchString(r.Out) {
			t.Errorf("the session did not stay in step after the refusal:\n%s", r.Out)
		}
		for _, l := range srv.Log() {
			if strings.Contains(l, "xxxx") {
				t.Errorf("literal data reached the server: %q", l[:20])
			}
		}
	}
}

// TestTypedLiteralOverrun: an APPEND's typed message is read before the
// command goes, so a line that would overrun the count is refused with
// nothing sent, and the session goes on; a LOGIN's typed literal is read
// after the server's "+", and an overrun then ends the connection.
func TestTypedLiteralOverrun(t *testing.T) {
	srv := imaptest.NoLiteralPlusServer(t)
	r := runScript(t, srv.Addr, "", "", "LOGIN u p\nAPPEND INBOX {5}\nabcd\nNOOP\n")
	if !errors.Is(r.Err, ErrFailed) || !strings.Contains(r.Out, "would overrun its count: nothing was sent") {
		t.Fatalf("Run = %v, want the line refused\n%s", r.Err, r.Out)
	}
	if !regexp.MustCompile(`S: a\d+ OK NOOP`).MatchString(r.Out) || strings.Contains(r.Out, "APPEND INBOX {5}\nS:") {
		t.Errorf("APPEND sent, or the session did not go on:\n%s", r.Out)
	}
	r = runScript(t, srv.Addr, "", "", "LOGIN {5}\nabcd\n")
	var ce *ConnError
	if !errors.As(r.Err, &ce) || !strings.Contains(r.Err.Error(), "would overrun") {
		t.Fatalf("Run = %v, want an overrun error\n%s", r.Err, r.Out)
	}
}

func TestLiteralLocalErrors(t *testing.T) {
	srv := startDemo(t)
	dir := t.TempDir()
	nul := filepath.Join(dir, "nul.eml")
	os.WriteFile(nul, []byte("Subject: x\r\n\r\na\x00b\r\n"), 0o600)
	r := runScript(t, srv.Addr, srv.User, srv.Password,
		"APPEND INBOX <"+filepath.Join(dir, "missing.eml")+"\nAPPEND INBOX <"+nul+"\nAPPEND INBOX <"+dir+"\nNOOP\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	for _, want := range []string{"missing.eml: no such file", "contains NUL octets", "is a directory", "OK NOOP"} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
	if strings.Contains(r.Out, "C: a002 APPEND") {
		t.Errorf("an APPEND was sent despite a local error:\n%s", r.Out)
	}
}

func TestLargeLiteralSummarisedInteractive(t *testing.T) {
	srv := startDemo(t)
	path := filepath.Join(t.TempDir(), "big.eml")
	body := "Subject: big\r\n\r\n" + strings.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\r\n", 3000)
	os.WriteFile(path, []byte(body), 0o600)
	tm := startTerm(t, srv.Addr, srv.User, srv.Password, "-")
	tm.waitFor("(no mailbox)> ")
	tm.typeKeys("SELECT Archive\r")
	tm.waitFor("Archive rw 3> ")
	tm.typeKeys("APPEND Archive <" + path + "\r")
	tm.waitFor("Archive rw 4> ")
	tm.typeKeys("FETCH 4 BODY.PEEK[]\r")
	tm.waitFor(fmt.Sprintf("more octets of this %d-octet literal not shown", len(body)))
	tm.typeKeys("\x04")
	tm.wait()
	if n := strings.Count(tm.out.String(), "0123456789abcdef"); n > 200 {
		t.Errorf("a large literal was printed whole at the terminal (%d lines)", n)
	}
	// Script mode prints it whole.
	r := runScript(t, srv.Addr, srv.User, srv.Password, "SELECT Archive\nFETCH 4 BODY.PEEK[]\n")
	if n := strings.Count(r.Out, "S: 0123456789abcdef"); n != 3000 {
		t.Errorf("script mode printed %d of 3000 literal lines", n)
	}
}
