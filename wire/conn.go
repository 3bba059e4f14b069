package wire

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"time"
)

// Security is how a connection is protected.
type Security uint8

const (
	// ImplicitTLS starts TLS before any IMAP byte (port 993).
	ImplicitTLS Security = iota
	// StartTLS connects in clear (port 143) and must upgrade with STARTTLS
	// before anything else is sent.
	StartTLS
	// Plaintext never uses TLS.
	Plaintext
)

// DialConfig says where and how to connect.
type DialConfig struct {
	Addr     string // host:port
	Security Security
	TLS      *tls.Config // ServerName defaults to the host of Addr
	Timeout  time.Duration
	// Dial opens the TCP connection (through a proxy, say); nil uses a
	// net.Dialer with Timeout.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Conn is a connection to an IMAP server. The caller must call Close.
type Conn struct {
	raw  net.Conn  // the connection, counted
	wait *waitConn // under raw: calls OnWait's function before a read waits
	nc   net.Conn  // raw, or the TLS connection over it
	R    *Reader
	W    *Writer
	tls  *tls.ConnectionState
	oct  octetCounters
}

// Dial connects and, for ImplicitTLS, completes the TLS handshake. It does
// not read the greeting.
func Dial(ctx context.Context, cfg DialConfig) (*Conn, error) {
	dial := cfg.Dial
	if dial == nil {
		d := net.Dialer{Timeout: cfg.Timeout}
		dial = d.DialContext
	}
	raw, err := dial(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", cfg.Addr, err)
	}
	c := &Conn{wait: &waitConn{Conn: raw}}
	c.raw = countConn{c.wait, &c.oct.netSent, &c.oct.netRecv}
	c.setStream(c.raw)
	if cfg.Security == ImplicitTLS {
		if err := c.handshake(ctx, cfg); err != nil {
			c.raw.Close()
			return nil, err
		}
	}
	return c, nil
}

func (c *Conn) setStream(nc net.Conn) {
	c.nc = nc
	c.R = NewReader(countReader{nc, &c.oct.imapRecv})
	c.R.lowat = c.wait.setLowat // (StartDeflate's Reader has none: fewer octets may come)
	if _, ok := nc.(*tls.Conn); ok {
		// crypto/tls may hold a record read in part, whose octets carry
		// up to a record's plaintext of the literal: those will not come
		// again, so a wait asks for that many fewer.
		c.R.lowatSlack = tlsMaxPlaintext
	}
	c.W = newWriter(countWriter{nc, &c.oct.imapSent})
}

func (c *Conn) handshake(ctx context.Context, cfg DialConfig) error {
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}
	tc := tls.Client(c.raw, clientConfig(cfg))
	if err := tc.HandshakeContext(ctx); err != nil {
		return tlsError(cfg.Addr, err)
	}
	st := tc.ConnectionState()
	c.tls = &st
	c.setStream(tc)
	return nil
}

// clientConfig returns cfg.TLS, or a copy of it whose ServerName is the host
// of cfg.Addr when it has none, as crypto/tls.Dial does: without a name
// the handshake can verify nothing and fails.
func clientConfig(cfg DialConfig) *tls.Config {
	tc := cfg.TLS
	if tc != nil && tc.ServerName != "" {
		return tc
	}
	if tc == nil {
		tc = &tls.Config{}
	} else {
		tc = tc.Clone()
	}
	if host, _, err := net.SplitHostPort(cfg.Addr); err == nil {
		tc.ServerName = host
	}
	return tc
}

// UpgradeTLS performs the TLS handshake after the server answered OK to
// STARTTLS. Bytes the server sent after that OK arrived before the
// handshake and cannot be trusted (RFC 9051 section 6.2.1): they are
// discarded and their count returned.
func (c *Conn) UpgradeTLS(ctx context.Context, cfg DialConfig) (discarded int, err error) {
	if c.tls != nil {
		return 0, errors.New("wire: connection already uses TLS")
	}
	discarded = c.R.Buffered()
	return discarded, c.handshake(ctx, cfg)
}

// TLS returns the TLS state, or nil on a plaintext connection.
func (c *Conn) TLS() *tls.ConnectionState { return c.tls }

// SetReadDeadline sets the deadline for reads on the connection.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.nc.SetReadDeadline(t) }

// Close closes the connection.
func (c *Conn) Close() error { return c.nc.Close() }

// tlsError explains a failed handshake in words that say what to do.
func tlsError(addr string, err error) error {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var hint string
	switch {
	case errors.As(err, &unknown):
		hint = "the server's certificate is signed by an unknown authority"
	case errors.As(err, &host):
		return fmt.Errorf("TLS with %s: %s: connect with a name the certificate covers (--ca FILE cannot help: the certificate names another host), or pass --insecure to skip verification (unsafe): %w", addr, host.Error(), err)
	case errors.As(err, &invalid):
		hint = "the server's certificate is invalid (" + invalid.Error() + ")"
	}
	if hint != "" {
		return fmt.Errorf("TLS with %s: %s: pass --ca FILE to trust the certificate in FILE, or --insecure to skip verification (unsafe): %w", addr, hint, err)
	}
	return fmt.Errorf("TLS handshake with %s failed: %w (is this port speaking implicit TLS? try --starttls for port 143)", addr, err)
}
