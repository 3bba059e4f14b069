package repl

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/proxy"
)

// Proxies: --proxy socks5://HOST[:PORT] resolves the server's name here
// and hands the proxy an address; socks5h:// hands the proxy the name
// (DNS through the proxy, as Tor needs). USER:PASS@ in the URL is sent to
// the proxy (RFC 1929) and never shown. Without --proxy, ALL_PROXY (or
// all_proxy) is used the same way, unless NO_PROXY (or no_proxy) names the
// server (see noProxyCovers). Loopback addresses are not exempt
// unless NO_PROXY lists them: someone who sets ALL_PROXY to reach a server
// through a tunnel may well run that tunnel on 127.0.0.1. --proxy none
// ignores ALL_PROXY. The demo server never goes through a proxy.

// proxyDial returns the dial function for wire.DialConfig (nil: direct)
// and how the connection goes, for the "connected" note.
func (sh *Shell) proxyDial() (func(ctx context.Context, network, addr string) (net.Conn, error), string, error) {
	spec, source := sh.cfg.Proxy, "--proxy"
	if spec == "" && !sh.cfg.Demo {
		spec, source = sh.cfg.Getenv("ALL_PROXY"), "ALL_PROXY"
		if spec == "" {
			spec, source = sh.cfg.Getenv("all_proxy"), "all_proxy"
		}
	}
	if spec == "" || spec == "none" {
		return nil, "", nil
	}
	u, err := parseProxy(spec)
	if err != nil {
		if source == "--proxy" {
			return nil, "", &UsageError{"--proxy: " + err.Error()}
		}
		return nil, "", &UsageError{fmt.Sprintf("%s: %v (or pass --proxy none to connect directly)", source, err)}
	}
	var auth *proxy.Auth
	if u.User != nil {
		auth = &proxy.Auth{User: u.User.Username()}
		auth.Password, _ = u.User.Password()
	}
	forward := &net.Dialer{Timeout: sh.cfg.Timeout}
	d, err := proxy.SOCKS5("tcp", u.Host, auth, forward)
	if err != nil {
		return nil, "", &UsageError{fmt.Sprintf("%s: %v", source, err)}
	}
	socks := &socksDialer{d: d.(proxy.ContextDialer), proxy: u.Host, remoteDNS: u.Scheme == "socks5h"}
	how := fmt.Sprintf(" through the SOCKS5 proxy %s (%s)", u.Host, map[bool]string{true: "names resolved by the proxy", false: "names resolved here"}[socks.remoteDNS])
	if source != "--proxy" {
		how += " from " + source
		noProxy := sh.cfg.Getenv("NO_PROXY")
		if noProxy == "" {
			noProxy = sh.cfg.Getenv("no_proxy")
		}
		if noProxy != "" && noProxyCovers(noProxy, sh.cfg.Host, sh.cfg.Port) {
			return nil, "", nil
		}
	}
	return socks.DialContext, how, nil
}

// parseProxy checks a proxy URL: socks5:// or socks5h://, a host, a port
// (1080 by default), nothing else.
func parseProxy(spec string) (*url.URL, error) {
	u, err := url.Parse(spec)
	if err != nil || u.Host == "" || !strings.Contains(spec, "://") {
		return nil, fmt.Errorf("%q is not a proxy URL: write socks5://HOST:PORT (names resolved here) or socks5h://HOST:PORT (names resolved by the proxy)", redactProxy(spec))
	}
	switch u.Scheme {
	case "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("%s:// proxies are not supported: imapsh speaks SOCKS5 only (socks5://HOST:PORT or socks5h://HOST:PORT)", u.Scheme)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q: a SOCKS5 proxy URL has no path or query: write socks5://HOST:PORT", redactProxy(spec))
	}
	if u.Port() == "" {
		u.Host = net.JoinHostPort(u.Hostname(), "1080")
	}
	return u, nil
}

// redactProxy hides a password in a proxy URL for messages.
func redactProxy(spec string) string {
	u, err := url.Parse(spec)
	if err != nil || u.User == nil {
		if i := strings.Index(spec, "@"); i >= 0 {
			if j := strings.Index(spec, "://"); j >= 0 && j < i {
				return spec[:j+3] + "[hidden]" + spec[i:]
			}
		}
		return spec
	}
	u.User = url.User("[hidden]")
	return u.String()
}

// noProxyCovers reports whether the NO_PROXY list names host (the server,
// as given), with the syntax Go's net/http documents for it: entries
// separated by commas; "*" covers every host; an IP address or a CIDR
// range covers the addresses in it; a domain name covers itself and its
// subdomains ("example.org" covers imap.example.org), and with a leading
// dot its subdomains only; an entry with ":PORT" covers that port only.
// Unlike net/http, loopback is not exempt by itself (see above).
func noProxyCovers(list, host string, port int) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	ip := net.ParseIP(host)
	for _, e := range strings.Split(list, ",") {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		if e == "*" {
			return true
		}
		if h, p, err := net.SplitHostPort(e); err == nil {
			if p != strconv.Itoa(port) {
				continue
			}
			e = h
		}
		if _, n, err := net.ParseCIDR(e); err == nil {
			if ip != nil && n.Contains(ip) {
				return true
			}
			continue
		}
		if eip := net.ParseIP(strings.Trim(e, "[]")); eip != nil {
			if ip != nil && eip.Equal(ip) {
				return true
			}
			continue
		}
		e = strings.TrimPrefix(strings.TrimSuffix(e, "."), "*")
		if strings.HasPrefix(e, ".") {
			if strings.HasSuffix(host, e) {
				return true
			}
			continue
		}
		if host == e || strings.HasSuffix(host, "."+e) {
			return true
		}
	}
	return false
}

// socksDialer dials through the SOCKS5 proxy. For socks5:// it resolves
// the name first and hands the proxy an address, trying each address in
// turn; for socks5h:// it hands over the name.
type socksDialer struct {
	d         proxy.ContextDialer
	proxy     string
	remoteDNS bool
}

func (s *socksDialer) Dial(network, addr string) (net.Conn, error) {
	return s.DialContext(context.Background(), network, addr)
}

func (s *socksDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if s.remoteDNS || net.ParseIP(host) != nil {
		return s.dial(ctx, network, addr)
	}
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("resolving %s here for the SOCKS5 proxy (use socks5h:// to let the proxy resolve it): %w", host, err)
	}
	var first error
	for _, ip := range ips {
		c, err := s.dial(ctx, network, net.JoinHostPort(ip.IP.String(), port))
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

func (s *socksDialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := s.d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, fmt.Errorf("through the SOCKS5 proxy %s: %w", s.proxy, err)
	}
	return c, nil
}
