package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// loginServer accepts any LOGIN (it offers no AUTH=PLAIN, so imapsh sends
// LOGIN) and answers everything else OK.
func loginServer(t *testing.T) *imaptest.Server {
	return imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK [CAPABILITY IMAP4rev1] ready")
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, rest, _ := strings.Cut(line, " ")
			name, _, _ := strings.Cut(strings.ToUpper(rest), " ")
			if name == "LOGOUT" {
				c.Send("* BYE bye")
				c.Send(tag + " OK LOGOUT completed")
				return
			}
			c.Send(tag + " OK " + name + " completed")
		}
	})
}

func TestCLIURLUserPercentDecoded(t *testing.T) {
	srv := loginServer(t)
	code, out, stderr := imapsh(t, []string{"IMAPSH_PASSWORD=pw"}, "NOOP\n", "--plaintext", "imap://alice%40example.com;AUTH=*@"+srv.Addr)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	if log := strings.Join(srv.Log(), "\n"); !strings.Contains(log, "a001 LOGIN alice@example.com pw") {
		t.Errorf("the server did not get the decoded user name:\n%s", log)
	}
}

// TestReplDoesNotImportTheDemo: main starts the demo, so the shell does
// not carry the demo server's libraries.
func TestReplDoesNotImportTheDemo(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	out, err := exec.Command(gobin, "list", "-deps", "./repl").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "go-imap") || strings.HasSuffix(dep, "/imapsh/demo") {
			t.Errorf("repl depends on %s", dep)
		}
	}
}

func TestCLIDemoStartedByMain(t *testing.T) {
	code, out, stderr := imapsh(t, nil, "NOOP\n", "--demo")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	if !regexp.MustCompile(`# imapsh demo: a sandbox IMAP server inside this process on 127\.0\.0\.1:\d+, with sample mail\.`).MatchString(out) {
		t.Errorf("no welcome note with the address:\n%s", out)
	}
	if strings.Contains(out, "plaintext") || !strings.Contains(out, "C: a001 AUTHENTICATE PLAIN [credentials hidden]") {
		t.Errorf("the demo did not log in quietly in plaintext:\n%s", out)
	}
}

// TestCLITLSErrorSanitized connects to a server whose certificate names a
// host with ESC and BEL in it: the host-name error quotes the name, and
// must reach stderr with the controls shown, not raw.
func TestCLITLSErrorSanitized(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	evil := "evil\x1b[2J\x1b]0;pwned\x07.example"
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "imapsh test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{evil}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err := x509.ParseCertificate(der); err != nil || cert.DNSNames[0] != evil {
		t.Fatalf("the parser did not keep the name: %v", err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(5 * time.Second))
			c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	var stdout, stderr bytes.Buffer
	code := run([]string{"--ca", caFile, "--timeout", "5s", "localhost:" + port}, strings.NewReader(""), &stdout, &stderr)
	if code != 2 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), `evil\x1b[2J\x1b]0;pwned\x07.example`) {
		t.Errorf("stderr does not show the name with visible escapes: %q", stderr.String())
	}
	if strings.ContainsAny(stderr.String()+stdout.String(), "\x1b\x07") {
		t.Errorf("raw ESC or BEL reached the terminal: stderr %q", stderr.String())
	}
}

func TestCLIMaxLineFlag(t *testing.T) {
	code, _, stderr := imapsh(t, nil, "", "--max-line", "100", "h")
	if code != 2 || !strings.Contains(stderr, "--max-line must be at least 1024 bytes, not 100") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, out, _ := imapsh(t, nil, "", "--help")
	if code != 0 || !strings.Contains(out, "-max-line N") {
		t.Errorf("--help does not list --max-line:\n%s", out)
	}
}
