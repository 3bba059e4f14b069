package wire

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"
)

// testCert is a self-signed certificate for 127.0.0.1 and localhost, made
// fresh for the test run.
type testCert struct {
	tls  tls.Certificate
	pool *x509.CertPool // trusts the certificate
}

func newTestCert(t *testing.T) testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "imapsh test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return testCert{tls: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool: pool}
}

// serve accepts one connection on a fresh listener and runs handle on it
// in a goroutine. The returned channel gives handle's error.
func serve(t *testing.T, ln net.Listener, handle func(net.Conn) error) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		done <- handle(c)
	}()
	t.Cleanup(func() { ln.Close() })
	return done
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func tlsListen(t *testing.T, cert testCert) net.Listener {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert.tls}})
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// greet is a server that sends a greeting over whatever the listener gives.
func greet(c net.Conn) error {
	_, err := io.WriteString(c, "* OK [CAPABILITY IMAP4rev2] ready\r\n")
	return err
}

func TestDialImplicitTLS(t *testing.T) {
	cert := newTestCert(t)
	for _, name := range []string{"127.0.0.1", "localhost"} {
		ln := tlsListen(t, cert)
		done := serve(t, ln, greet)
		ctx := context.Background()
		c, err := Dial(ctx, DialConfig{
			Addr:     ln.Addr().String(),
			Security: ImplicitTLS,
			TLS:      &tls.Config{ServerName: name, RootCAs: cert.pool},
			Timeout:  5 * time.Second,
		})
		if err != nil {
			t.Fatalf("ServerName %s: %v", name, err)
		}
		if c.TLS() == nil || !c.TLS().HandshakeComplete {
			t.Fatalf("ServerName %s: no TLS state after an implicit TLS dial", name)
		}
		f, err := c.R.ReadFragment()
		if err != nil || string(f.Text) != "* OK [CAPABILITY IMAP4rev2] ready" {
			t.Fatalf("greeting %q, %v", f.Text, err)
		}
		c.Close()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// Without a ServerName, the host of Addr is verified, as crypto/tls.Dial
// does; the caller's config is not modified.
func TestDialDefaultServerName(t *testing.T) {
	cert := newTestCert(t)
	cfg := &tls.Config{RootCAs: cert.pool}
	ln := tlsListen(t, cert)
	serve(t, ln, greet)
	c, err := Dial(context.Background(), DialConfig{Addr: ln.Addr().String(), TLS: cfg, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if cfg.ServerName != "" {
		t.Errorf("Dial set ServerName %q in the caller's config", cfg.ServerName)
	}
	// With no config at all, the system roots are used, which do not know
	// the test certificate.
	ln = tlsListen(t, cert)
	serve(t, ln, greet)
	if _, err = Dial(context.Background(), DialConfig{Addr: ln.Addr().String(), Timeout: 5 * time.Second}); err == nil {
		t.Errorf("Dial with no TLS config trusted a self-signed certificate")
	}
}

func TestDialUnknownAuthority(t *testing.T) {
	cert := newTestCert(t)
	ln := tlsListen(t, cert)
	serve(t, ln, greet)
	_, err := Dial(context.Background(), DialConfig{
		Addr:     ln.Addr().String(),
		Security: ImplicitTLS,
		// An empty pool, so that the system roots of the machine running
		// the test cannot matter.
		TLS:     &tls.Config{ServerName: "127.0.0.1", RootCAs: x509.NewCertPool()},
		Timeout: 5 * time.Second,
	})
	if err == nil {
		t.Fatal("Dial trusted a certificate from an unknown authority")
	}
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("error %v does not wrap x509.UnknownAuthorityError", err)
	}
	for _, want := range []string{"--ca", "--insecure", "unknown authority", ln.Addr().String()} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestDialWrongHostName(t *testing.T) {
	cert := newTestCert(t)
	ln := tlsListen(t, cert)
	serve(t, ln, greet)
	_, err := Dial(context.Background(), DialConfig{
		Addr:     ln.Addr().String(),
		Security: ImplicitTLS,
		TLS:      &tls.Config{ServerName: "imap.example.org", RootCAs: cert.pool},
		Timeout:  5 * time.Second,
	})
	var host x509.HostnameError
	if !errors.As(err, &host) {
		t.Fatalf("error %v does not wrap x509.HostnameError", err)
	}
	for _, want := range []string{"imap.example.org", "--insecure"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// A plaintext server on the implicit TLS port: the error suggests STARTTLS.
func TestDialImplicitTLSToPlaintextServer(t *testing.T) {
	ln := listen(t)
	serve(t, ln, func(c net.Conn) error {
		greet(c)
		io.Copy(io.Discard, c)
		return nil
	})
	_, err := Dial(context.Background(), DialConfig{
		Addr:     ln.Addr().String(),
		Security: ImplicitTLS,
		TLS:      &tls.Config{ServerName: "127.0.0.1"},
		Timeout:  5 * time.Second,
	})
	if err == nil || !strings.Contains(err.Error(), "--starttls") {
		t.Fatalf("error %v, want a hint about --starttls", err)
	}
}

// A server that accepts and says nothing: the handshake gives up after the
// timeout instead of hanging.
func TestDialHandshakeTimeout(t *testing.T) {
	ln := listen(t)
	serve(t, ln, func(c net.Conn) error {
		io.Copy(io.Discard, c)
		return nil
	})
	start := time.Now()
	_, err := Dial(context.Background(), DialConfig{
		Addr:     ln.Addr().String(),
		Security: ImplicitTLS,
		TLS:      &tls.Config{ServerName: "127.0.0.1"},
		Timeout:  200 * time.Millisecond,
	})
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Dial took %v with a 200ms timeout", d)
	}
	if err == nil || !strings.Contains(err.Error(), "TLS handshake with "+ln.Addr().String()) {
		t.Fatalf("error %v, want a failed handshake", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not say the time ran out", err)
	}
}

func TestDialRefused(t *testing.T) {
	ln := listen(t)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	start := time.Now()
	_, err := Dial(context.Background(), DialConfig{Addr: addr, Security: Plaintext, Timeout: 5 * time.Second})
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Dial took %v to a closed port", d)
	}
	if err == nil {
		t.Fatal("Dial to a closed port succeeded")
	}
	if !strings.Contains(err.Error(), "connect to "+addr) {
		t.Errorf("error %q does not say what it tried to connect to", err)
	}
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Errorf("error %v does not wrap the *net.OpError", err)
	}
}

func TestDialCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ln := listen(t)
	_, err := Dial(ctx, DialConfig{Addr: ln.Addr().String(), Security: Plaintext})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestDialPlaintext(t *testing.T) {
	ln := listen(t)
	done := serve(t, ln, func(c net.Conn) error {
		greet(c)
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			return err
		}
		if line != "a1 LOGOUT\r\n" {
			return errors.New("server got " + line)
		}
		_, err = io.WriteString(c, "* BYE\r\na1 OK\r\n")
		return err
	})
	c, err := Dial(context.Background(), DialConfig{Addr: ln.Addr().String(), Security: Plaintext})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.TLS() != nil {
		t.Fatal("TLS state on a plaintext connection")
	}
	if _, err := c.R.ReadFragment(); err != nil {
		t.Fatal(err)
	}
	if err := c.W.WriteLine("a1 LOGOUT"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"* BYE", "a1 OK"} {
		if f, err := c.R.ReadFragment(); err != nil || string(f.Text) != want {
			t.Fatalf("got %q %v, want %q", f.Text, err, want)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// startTLSServer greets in clear, waits for "a1 STARTTLS", answers with
// reply in a single write, then (after pause) does the TLS handshake and
// sends after over TLS.
func startTLSServer(t *testing.T, cert testCert, reply, inject string, pause time.Duration, after string) (net.Listener, <-chan error) {
	ln := listen(t)
	done := serve(t, ln, func(c net.Conn) error {
		if _, err := io.WriteString(c, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n"); err != nil {
			return err
		}
		// Read byte by byte, so nothing of the ClientHello is swallowed.
		var line []byte
		b := make([]byte, 1)
		for !strings.HasSuffix(string(line), "\n") {
			if _, err := c.Read(b); err != nil {
				return err
			}
			line = append(line, b[0])
		}
		if string(line) != "a1 STARTTLS\r\n" {
			return errors.New("server got " + string(line))
		}
		if _, err := io.WriteString(c, reply); err != nil {
			return err
		}
		if pause > 0 {
			time.Sleep(pause)
			if _, err := io.WriteString(c, inject); err != nil {
				return err
			}
		}
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert.tls}})
		if err := tc.Handshake(); err != nil {
			return err
		}
		_, err := io.WriteString(tc, after)
		return err
	})
	return ln, done
}

// Bytes the server sends after its STARTTLS OK, before the handshake, are
// discarded and counted; after the upgrade only what came over TLS is read.
func TestStartTLSDiscardsInjectedBytes(t *testing.T) {
	cert := newTestCert(t)
	const inject = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN evil]\r\n"
	ln, done := startTLSServer(t, cert, "a1 OK Begin TLS negotiation now\r\n"+inject, "", 0,
		"* OK [CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-256] clean\r\n")
	cfg := DialConfig{
		Addr:     ln.Addr().String(),
		Security: StartTLS,
		TLS:      &tls.Config{ServerName: "127.0.0.1", RootCAs: cert.pool},
		Timeout:  5 * time.Second,
	}
	ctx := context.Background()
	c, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.TLS() != nil {
		t.Fatal("TLS before STARTTLS")
	}
	if f, err := c.R.ReadFragment(); err != nil || !strings.HasPrefix(string(f.Text), "* OK") {
		t.Fatalf("greeting %q %v", f.Text, err)
	}
	if err := c.W.WriteLine("a1 STARTTLS"); err != nil {
		t.Fatal(err)
	}
	f, err := c.R.ReadFragment()
	if err != nil || string(f.Text) != "a1 OK Begin TLS negotiation now" {
		t.Fatalf("STARTTLS answer %q %v", f.Text, err)
	}
	n, err := c.UpgradeTLS(ctx, cfg)
	if err != nil {
		t.Fatalf("UpgradeTLS: %v (server: %v)", err, <-done)
	}
	if n != len(inject) {
		t.Errorf("UpgradeTLS discarded %d bytes, want %d", n, len(inject))
	}
	if c.TLS() == nil || !c.TLS().HandshakeComplete {
		t.Fatal("no TLS state after UpgradeTLS")
	}
	f, err = c.R.ReadFragment()
	if err != nil {
		t.Fatal(err)
	}
	if got := string(f.Text); got != "* OK [CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-256] clean" {
		t.Fatalf("first line after TLS: %q", got)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpgradeTLS(ctx, cfg); err == nil {
		t.Error("a second UpgradeTLS succeeded")
	}
}

// Bytes injected after the client has read the OK reach the TLS layer,
// which must refuse them: the upgrade fails rather than let them through.
func TestStartTLSLateInjectionFailsClosed(t *testing.T) {
	cert := newTestCert(t)
	ln, _ := startTLSServer(t, cert, "a1 OK go\r\n", "* OK [CAPABILITY evil]\r\n", 200*time.Millisecond, "")
	cfg := DialConfig{
		Addr:     ln.Addr().String(),
		Security: StartTLS,
		TLS:      &tls.Config{ServerName: "127.0.0.1", RootCAs: cert.pool},
		Timeout:  5 * time.Second,
	}
	ctx := context.Background()
	c, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.R.ReadFragment()
	c.W.WriteLine("a1 STARTTLS")
	if f, err := c.R.ReadFragment(); err != nil || string(f.Text) != "a1 OK go" {
		t.Fatalf("STARTTLS answer %q %v", f.Text, err)
	}
	n, err := c.UpgradeTLS(ctx, cfg)
	if err == nil {
		t.Fatal("the handshake accepted injected clear text")
	}
	if n != 0 {
		t.Errorf("discarded %d bytes, want 0: the injection came after the OK was read", n)
	}
}

func TestStartTLSUnknownAuthority(t *testing.T) {
	cert := newTestCert(t)
	ln, _ := startTLSServer(t, cert, "a1 OK go\r\n", "", 0, "")
	cfg := DialConfig{
		Addr:     ln.Addr().String(),
		Security: StartTLS,
		TLS:      &tls.Config{ServerName: "127.0.0.1", RootCAs: x509.NewCertPool()},
		Timeout:  5 * time.Second,
	}
	ctx := context.Background()
	c, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.R.ReadFragment()
	c.W.WriteLine("a1 STARTTLS")
	c.R.ReadFragment()
	_, err = c.UpgradeTLS(ctx, cfg)
	if err == nil || !strings.Contains(err.Error(), "--ca") || !strings.Contains(err.Error(), "--insecure") {
		t.Fatalf("error %v, want hints about --ca and --insecure", err)
	}
}

func TestTLSError(t *testing.T) {
	other := errors.New("remote error: tls: handshake failure")
	err := tlsError("imap.example.org:993", other)
	if !errors.Is(err, other) {
		t.Errorf("%v does not wrap the handshake error", err)
	}
	if !strings.Contains(err.Error(), "imap.example.org:993") || strings.Contains(err.Error(), "--ca") {
		t.Errorf("error %q: want the address and no certificate hint", err)
	}
	invalid := x509.CertificateInvalidError{Reason: x509.Expired, Detail: "expired yesterday"}
	err = tlsError("h:993", &tls.CertificateVerificationError{Err: invalid})
	if !strings.Contains(err.Error(), "invalid") || !strings.Contains(err.Error(), "--insecure") {
		t.Errorf("error %q: want an invalid-certificate hint", err)
	}
}
