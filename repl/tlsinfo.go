package repl

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// tlsHelper is `tls`: the protocol version, cipher suite and certificate
// chain of the connection, and whether it was verified.
func (sh *Shell) tlsHelper(string) error {
	st := sh.conn.TLS()
	if st == nil {
		sh.pr.Plain("this connection does not use TLS: everything, the password included, crosses the network in clear")
		return nil
	}
	sh.pr.Plain("%s", strings.Join(describeTLS(st, sh.verifiedText()), "\n"))
	return nil
}

func (sh *Shell) verifiedText() string {
	if sh.cfg.Insecure {
		return "NOT verified (--insecure): anyone on the path could have presented this chain"
	}
	return "verified: the chain leads to a trusted root and names " + sh.cfg.Host
}

// describeTLS says what a TLS connection is made of.
func describeTLS(st *tls.ConnectionState, verified string) []string {
	out := []string{
		"TLS version:  " + tls.VersionName(st.Version),
		"cipher suite: " + tls.CipherSuiteName(st.CipherSuite),
		"certificate:  " + verified,
	}
	if st.NegotiatedProtocol != "" {
		out = append(out, "ALPN:         "+st.NegotiatedProtocol)
	}
	return append(out, describeChain(st.PeerCertificates)...)
}

// describeChain shows each certificate the server sent: subject, issuer,
// validity, names and SHA-256 fingerprint. The names are the server's text:
// they are shown through the printer, which makes them safe (sanitized
// here as well, a backslash of the escapes would read as the server's).
func describeChain(certs []*x509.Certificate) []string {
	var out []string
	now := time.Now()
	for i, c := range certs {
		out = append(out, fmt.Sprintf("chain[%d] subject: %s", i, c.Subject.String()))
		out = append(out, "  issuer:      "+c.Issuer.String())
		valid := fmt.Sprintf("  valid:       %s to %s", c.NotBefore.UTC().Format(time.DateOnly), c.NotAfter.UTC().Format(time.DateOnly))
		switch {
		case now.After(c.NotAfter):
			valid += " (EXPIRED)"
		case now.Before(c.NotBefore):
			valid += " (NOT YET VALID)"
		}
		out = append(out, valid)
		var names []string
		names = append(names, c.DNSNames...)
		for _, ip := range c.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) > 0 {
			out = append(out, "  names:       "+strings.Join(names, ", "))
		}
		sum := sha256.Sum256(c.Raw)
		hexes := make([]string, len(sum))
		for j, b := range sum {
			hexes[j] = fmt.Sprintf("%02X", b)
		}
		out = append(out, "  SHA-256:     "+strings.Join(hexes, ":"))
	}
	return out
}

// explainTLSFailure prints the chain a server presented when it could not
// be verified, so that the user can decide whether to trust it (--ca with
// that certificate, after checking its fingerprint).
func (sh *Shell) explainTLSFailure(err error) {
	var ve *tls.CertificateVerificationError
	if !errors.As(err, &ve) || len(ve.UnverifiedCertificates) == 0 {
		return
	}
	lines := append([]string{"the server presented this chain, which could NOT be verified; check the fingerprint with the server's administrator before you trust it:"},
		describeChain(ve.UnverifiedCertificates)...)
	sh.pr.Warn("%s", strings.Join(lines, "\n"))
}

// clientCertificate loads --client-cert and --client-key. The key must be
// private to its owner.
func (c *Config) clientCertificate() ([]tls.Certificate, error) {
	if c.ClientCert == "" && c.ClientKey == "" {
		return nil, nil
	}
	if c.ClientCert == "" || c.ClientKey == "" {
		return nil, &UsageError{"--client-cert and --client-key go together: give both (the key may be in the certificate's file: name it twice)"}
	}
	fi, err := os.Stat(c.ClientKey)
	if err != nil {
		return nil, &UsageError{fmt.Sprintf("--client-key: %v", err)}
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, &UsageError{fmt.Sprintf("--client-key %s is readable or writable by others (mode %04o): make it private with chmod 600 %s", c.ClientKey, perm, c.ClientKey)}
	}
	cert, err := tls.LoadX509KeyPair(c.ClientCert, c.ClientKey)
	if err != nil {
		return nil, &UsageError{fmt.Sprintf("--client-cert %s, --client-key %s: %v", c.ClientCert, c.ClientKey, err)}
	}
	return []tls.Certificate{cert}, nil
}

// clientCertHint explains a server's refusal of the TLS client certificate
// (or of its absence), which TLS 1.3 reports only at the first read.
func (sh *Shell) clientCertHint(err error) string {
	msg := err.Error()
	if !strings.Contains(msg, "remote error: tls:") {
		return ""
	}
	switch {
	case strings.Contains(msg, "certificate required") && sh.cfg.ClientCert == "":
		return " (the server wants a TLS client certificate: pass --client-cert FILE --client-key FILE)"
	case strings.Contains(msg, "certificate"):
		return " (the server refused the TLS client certificate of --client-cert: is it the one this server trusts, and still valid?)"
	}
	return ""
}
