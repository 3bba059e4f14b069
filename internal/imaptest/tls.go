package imaptest

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
	"testing"
	"time"
)

// TLSCert is a self-signed certificate for a test server: Cert for the
// server, PEM for the client to trust (imapsh --ca).
type TLSCert struct {
	Cert tls.Certificate
	PEM  []byte
}

// SelfSigned makes a certificate with cn as its subject's common name,
// valid for the DNS names given and, when ip is true, for 127.0.0.1. The
// names are taken as given: a hostile server's may carry escapes.
func SelfSigned(t testing.TB, cn string, ip bool, dnsNames ...string) TLSCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{cn}},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:        true, BasicConstraintsValid: true,
		DNSNames: dnsNames,
	}
	if ip {
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("imaptest: certificate: %v", err)
	}
	return TLSCert{
		Cert: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		PEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
	}
}

// StartTLS makes c a TLS server connection with cert: from then on it
// reads and writes through TLS. For implicit TLS call it first thing;
// after a STARTTLS OK, once the OK is sent. It returns the handshake's
// error.
func (c *Conn) StartTLS(cert tls.Certificate) error {
	tc := tls.Server(c.nc, &tls.Config{Certificates: []tls.Certificate{cert}})
	tc.SetDeadline(time.Now().Add(c.timeout))
	if err := tc.Handshake(); err != nil {
		return err
	}
	tc.SetDeadline(time.Time{})
	c.mu.Lock()
	c.raw, c.nc = c.nc, tc
	c.mu.Unlock()
	c.r = bufio.NewReaderSize(tc, 64<<10)
	return nil
}

// Abort closes the TCP connection at once; under TLS, without the
// close_notify alert that ends a TLS stream properly (RFC 8446 section
// 6.1), as a server that crashes or a middlebox that cuts does.
func (c *Conn) Abort() {
	c.mu.Lock()
	raw := c.raw
	if raw == nil {
		raw = c.nc
	}
	c.mu.Unlock()
	raw.Close()
}

// TLSAbort is a server with implicit TLS (cert) that answers LOGIN and
// SELECT as a server does and then, at the first FETCH, sends half a
// literal and cuts the TCP connection without close_notify; at the first
// NOOP, "* 4 EXISTS" and the same cut.
func TLSAbort(t testing.TB, cert tls.Certificate) *Server {
	return NewServer(t, func(c *Conn) {
		if c.StartTLS(cert) != nil {
			return
		}
		c.Send("* OK [CAPABILITY IMAP4rev1] imaptest TLS server ready")
		for {
			cmd, _, err := readCommand(c, goAhead(c, "+ go ahead"))
			if err != nil {
				return
			}
			tag, name := commandName(cmd)
			switch name {
			case "FETCH":
				c.SendRaw([]byte("* 1 FETCH (BODY[] {100}\r\nSubject: cut short\r\n"))
				c.Abort()
				return
			case "NOOP":
				c.Send("* 4 EXISTS")
				c.Abort()
				return
			case "SELECT":
				c.Send("* 3 EXISTS")
				c.Send(tag + " OK [READ-WRITE] SELECT completed")
			case "LOGOUT":
				c.Send("* BYE logging out")
				c.Send(tag + " OK LOGOUT completed")
				return
			default:
				c.Send(tag + " OK " + name + " completed")
			}
		}
	})
}
