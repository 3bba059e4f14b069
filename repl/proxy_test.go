package repl

import (
	"errors"
	"net"
	"strings"
	"testing"
)

// demoVia runs a script against the demo server, named "localhost", with
// the environment env and the proxy flag.
func demoVia(t *testing.T, proxyFlag string, env map[string]string) scriptRun {
	t.Helper()
	srv := startDemo(t)
	_, port, _ := net.SplitHostPort(srv.Addr)
	return runScript(t, "localhost:"+port, srv.User, srv.Password, "SELECT INBOX\n", func(c *Config) {
		c.Proxy = proxyFlag
		c.Getenv = func(k string) string {
			if k == "IMAPSH_PASSWORD" {
				return srv.Password
			}
			return env[k]
		}
	})
}

// TestProxySOCKS5h: socks5h:// hands the proxy the server's name.
func TestProxySOCKS5h(t *testing.T) {
	px := newSOCKS5(t, "", "")
	r := demoVia(t, "socks5h://"+px.Addr, nil)
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	d := px.destinations()
	if len(d) != 1 || !strings.HasPrefix(d[0], "localhost:") {
		t.Errorf("proxy asked for %q, want the name localhost", d)
	}
	if !strings.Contains(r.Out, "through the SOCKS5 proxy "+px.Addr+" (names resolved by the proxy)") {
		t.Errorf("the connection note does not name the proxy:\n%s", r.Out)
	}
}

// TestProxySOCKS5: socks5:// resolves the name here and hands the proxy an
// address; the proxy's user name and password are sent to it and shown
// nowhere.
func TestProxySOCKS5(t *testing.T) {
	px := newSOCKS5(t, "proxyuser", "proxy-s3cret")
	r := demoVia(t, "socks5://proxyuser:proxy-s3cret@"+px.Addr, nil)
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	d := px.destinations()
	if len(d) == 0 {
		t.Fatal("nothing went through the proxy")
	}
	for _, x := range d {
		if strings.HasPrefix(x, "localhost") {
			t.Errorf("socks5:// handed the proxy the name %q, want an address", x)
		}
	}
	if !strings.HasPrefix(d[len(d)-1], "127.0.0.1:") {
		t.Errorf("last destination %q, want 127.0.0.1", d[len(d)-1])
	}
	if strings.Contains(r.Out, "proxy-s3cret") {
		t.Errorf("the proxy password was shown:\n%s", r.Out)
	}
	// A wrong password: the proxy refuses, and the error says where.
	r = demoVia(t, "socks5://proxyuser:wrong@"+px.Addr, nil)
	var ce *ConnError
	if !errors.As(r.Err, &ce) || !strings.Contains(r.Err.Error(), "through the SOCKS5 proxy "+px.Addr) || strings.Contains(r.Err.Error(), "wrong") {
		t.Errorf("wrong proxy password: %v", r.Err)
	}
}

// TestProxyEnvironment: ALL_PROXY is used without --proxy, unless NO_PROXY
// names the server or --proxy none is given; a proxy that is not SOCKS5 is
// refused with advice.
func TestProxyEnvironment(t *testing.T) {
	px := newSOCKS5(t, "", "")
	if r := demoVia(t, "", map[string]string{"ALL_PROXY": "socks5h://" + px.Addr}); r.Err != nil || len(px.destinations()) != 1 || !strings.Contains(r.Out, "from ALL_PROXY") {
		t.Fatalf("ALL_PROXY: %v, %d connections\n%s", r.Err, len(px.destinations()), r.Out)
	}
	if r := demoVia(t, "", map[string]string{"all_proxy": "socks5h://" + px.Addr, "NO_PROXY": "example.org,localhost"}); r.Err != nil || len(px.destinations()) != 1 {
		t.Fatalf("NO_PROXY=localhost: %v, %d connections\n%s", r.Err, len(px.destinations()), r.Out)
	}
	if r := demoVia(t, "none", map[string]string{"ALL_PROXY": "socks5h://" + px.Addr}); r.Err != nil || len(px.destinations()) != 1 {
		t.Fatalf("--proxy none: %v, %d connections\n%s", r.Err, len(px.destinations()), r.Out)
	}
	if r := demoVia(t, "", map[string]string{"ALL_PROXY": "socks5h://" + px.Addr, "NO_PROXY": ".example.org"}); r.Err != nil || len(px.destinations()) != 2 {
		t.Fatalf("NO_PROXY for another domain: %v, %d connections\n%s", r.Err, len(px.destinations()), r.Out)
	}
	var ue *UsageError
	r := demoVia(t, "", map[string]string{"ALL_PROXY": "http://proxy.example:3128"})
	if !errors.As(r.Err, &ue) || !strings.Contains(r.Err.Error(), "ALL_PROXY: http:// proxies are not supported") || !strings.Contains(r.Err.Error(), "--proxy none") {
		t.Errorf("http ALL_PROXY: %v", r.Err)
	}
}

func TestParseProxy(t *testing.T) {
	for _, c := range []struct{ in, host, err string }{
		{"socks5://127.0.0.1:9050", "127.0.0.1:9050", ""},
		{"socks5h://tor.example", "tor.example:1080", ""},
		{"socks5://u:p@[::1]:1081", "[::1]:1081", ""},
		{"127.0.0.1:9050", "", "not a proxy URL"},
		{"socks4://h:1", "", "socks4:// proxies are not supported"},
		{"socks5://h:1/path", "", "no path"},
		{"socks5://u:secret@", "", "not a proxy URL"},
	} {
		u, err := parseProxy(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || strings.Contains(err.Error(), "secret") {
				t.Errorf("%q: %v, want %q (and no password)", c.in, err, c.err)
			}
			continue
		}
		if err != nil || u.Host != c.host {
			t.Errorf("%q: %v, %v; want host %s", c.in, u, err, c.host)
		}
	}
}

func TestNoProxyCovers(t *testing.T) {
	for _, c := range []struct {
		list, host string
		want       bool
	}{
		{"localhost", "localhost", true},
		{"localhost", "127.0.0.1", false}, // loopback is not exempt by itself
		{"127.0.0.1", "127.0.0.1", true},
		{"10.0.0.0/8", "10.1.2.3", true},
		{"10.0.0.0/8", "imap.example.org", false},
		{".example.org", "imap.example.org", true},
		{".example.org", "example.org", false},
		{"example.org", "imap.example.org", true},
		{"example.org", "example.org", true},
		{"example.org", "badexample.org", false},
		{"*.example.org", "imap.example.org", true},
		{"a.example, IMAP.Example.ORG", "imap.example.org", true},
		{"example.org:993", "example.org", true},
		{"example.org:143", "example.org", false},
		{"::1", "::1", true},
		{"[::1]:993", "::1", true},
		{"*", "anything", true},
		{"", "example.org", false},
	} {
		if got := noProxyCovers(c.list, c.host, 993); got != c.want {
			t.Errorf("NO_PROXY=%s covers %s = %v, want %v", c.list, c.host, got, c.want)
		}
	}
}
