package main

import (
	"bufio"
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
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testPKI is a CA, a server certificate for 127.0.0.1 and a client
// certificate for "carol", written as PEM files.
type testPKI struct {
	dir                       string
	caFile, certFile, keyFile string
	pool                      *x509.CertPool
	server                    tls.Certificate
}

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	p := testPKI{dir: t.TempDir(), pool: x509.NewCertPool()}
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "imapsh test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	p.pool.AddCert(ca)
	issue := func(serial int64, cn string, usage x509.ExtKeyUsage, ip bool) ([]byte, *ecdsa.PrivateKey) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
		if ip {
			tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	write := func(name, typ string, der []byte, mode os.FileMode) string {
		path := filepath.Join(p.dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), mode); err != nil {
			t.Fatal(err)
		}
		return path
	}
	p.caFile = write("ca.pem", "CERTIFICATE", caDER, 0o644)
	srvDER, srvKey := issue(2, "server", x509.ExtKeyUsageServerAuth, true)
	p.server = tls.Certificate{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}
	cliDER, cliKey := issue(3, "carol", x509.ExtKeyUsageClientAuth, false)
	p.certFile = write("carol.pem", "CERTIFICATE", cliDER, 0o644)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(cliKey)
	p.keyFile = write("carol.key", "PRIVATE KEY", keyDER, 0o600)
	return p
}

// externalServer accepts TLS connections that present a client
// certificate signed by the test CA, and answers AUTHENTICATE EXTERNAL with
// OK when the certificate names carol. It returns its address and a
// channel of what it saw.
func externalServer(t *testing.T, p testPKI) (string, chan string) {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{p.server},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: p.pool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	seen := make(chan string, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				tc := c.(*tls.Conn)
				if err := tc.Handshake(); err != nil {
					seen <- "handshake failed"
					return
				}
				cn := tc.ConnectionState().PeerCertificates[0].Subject.CommonName
				tc.Write([]byte("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=EXTERNAL] ready\r\n"))
				r := bufio.NewReader(tc)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					f := strings.Fields(line)
					if len(f) < 2 {
						continue
					}
					switch strings.ToUpper(f[1]) {
					case "AUTHENTICATE":
						seen <- "AUTHENTICATE " + strings.Join(f[2:], " ") + " as " + cn
						if cn == "carol" && len(f) == 4 && f[2] == "EXTERNAL" && f[3] == "=" {
							tc.Write([]byte(f[0] + " OK EXTERNAL authentication successful\r\n"))
						} else {
							tc.Write([]byte(f[0] + " NO [AUTHENTICATIONFAILED] no\r\n"))
						}
					case "LOGOUT":
						tc.Write([]byte("* BYE bye\r\n" + f[0] + " OK LOGOUT completed\r\n"))
						return
					default:
						tc.Write([]byte(f[0] + " OK done\r\n"))
					}
				}
			}(c)
		}
	}()
	return ln.Addr().String(), seen
}

func TestCLIClientCertificateAndExternal(t *testing.T) {
	p := newTestPKI(t)
	addr, seen := externalServer(t, p)
	code, out, stderr := imapsh(t, nil, "tls\nNOOP\n", "--ca", p.caFile, "--client-cert", p.certFile, "--client-key", p.keyFile, "--auth", "EXTERNAL", addr)
	if code != 0 || !strings.Contains(out, "C: a001 AUTHENTICATE EXTERNAL =") || !strings.Contains(out, "TLS client certificate") {
		t.Errorf("EXTERNAL with a client certificate: exit %d, stderr %q\n%s", code, stderr, out)
	}
	for _, want := range []string{"# TLS version:  TLS 1.3", "cipher suite: TLS_", "certificate:  verified", "chain[0] subject: CN=server", "issuer:      CN=imapsh test CA", "names:       127.0.0.1", "SHA-256:     "} {
		if !strings.Contains(out, want) {
			t.Errorf("the tls helper does not show %q:\n%s", want, out)
		}
	}
	if got := <-seen; got != "AUTHENTICATE EXTERNAL = as carol" {
		t.Errorf("the server saw %q", got)
	}

	// Without the certificate the server refuses the handshake.
	code, _, stderr = imapsh(t, nil, "NOOP\n", "--ca", p.caFile, "--auth", "EXTERNAL", addr)
	if code != 2 || !strings.Contains(stderr, "pass --client-cert FILE --client-key FILE") {
		t.Errorf("no client certificate: exit %d, stderr %q", code, stderr)
	}
	// A key others can read is refused before connecting.
	os.Chmod(p.keyFile, 0o644)
	code, _, stderr = imapsh(t, nil, "NOOP\n", "--ca", p.caFile, "--client-cert", p.certFile, "--client-key", p.keyFile, addr)
	if code != 2 || !strings.Contains(stderr, "chmod 600 "+p.keyFile) {
		t.Errorf("a key others can read: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = imapsh(t, nil, "NOOP\n", "--ca", p.caFile, "--client-cert", p.certFile, addr)
	if code != 2 || !strings.Contains(stderr, "go together") {
		t.Errorf("--client-cert alone: exit %d, stderr %q", code, stderr)
	}
}

func TestCLIUnverifiedChainIsShown(t *testing.T) {
	p := newTestPKI(t)
	addr, _ := externalServer(t, p)
	code, out, stderr := imapsh(t, nil, "NOOP\n", "--client-cert", p.certFile, "--client-key", p.keyFile, addr)
	if code != 2 || !strings.Contains(stderr, "unknown authority") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"could NOT be verified", "chain[0] subject: CN=server", "issuer:      CN=imapsh test CA", "SHA-256:     "} {
		if !strings.Contains(out, want) {
			t.Errorf("the unverified chain is not shown (%q):\n%s", want, out)
		}
	}
}

func TestDovecotTLSHelper(t *testing.T) {
	d := needDovecot(t)
	_, port, _ := strings.Cut(d.starttls, ":")
	code, out, stderr := imapsh(t, d.env(), "tls\n", "--ca", d.ca, "imap://"+d.user+"@localhost:"+port)
	if code != 0 || !strings.Contains(out, "certificate:  verified: the chain leads to a trusted root and names localhost") || !strings.Contains(out, "names:       localhost, 127.0.0.1") {
		t.Errorf("tls after STARTTLS: exit %d, stderr %q\n%s", code, stderr, out)
	}
	code, out, stderr = imapsh(t, d.env(), "tls\n", "--plaintext", "-u", d.user, d.starttls)
	if code != 0 || !strings.Contains(out, "does not use TLS") {
		t.Errorf("tls in clear: exit %d, stderr %q\n%s", code, stderr, out)
	}
}
