package repl

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startTermWith is startTerm with the configuration changed by mod first.
func startTermWith(t *testing.T, addr, user, pass string, mod func(*Config)) *vterm {
	t.Helper()
	if mod == nil {
		return startTerm(t, addr, user, pass, "-")
	}
	return startTerm(t, addr, user, pass, "-", mod)
}

// screenSince returns what the screen shows after the last occurrence of
// mark.
func (tm *vterm) screenSince(mark string) string {
	s := tm.out.String()
	if i := strings.LastIndex(s, mark); i >= 0 {
		return s[i:]
	}
	return ""
}

// waitLong is waitFor with a deadline of d.
func (tm *vterm) waitLong(want string, d time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.out.String(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("screen never showed %q in %v; screen:\n%s", want, d, tm.out.String())
}

// waitCountLong waits until the screen shows want n times, for at most d.
func (tm *vterm) waitCountLong(want string, n int, d time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.Count(tm.out.String(), want) >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("screen never showed %q %d times in %v; screen:\n%s", want, n, d, tm.out.String())
}

// waitAfter waits until the screen shows want after the last mark.
func (tm *vterm) waitAfter(mark, want string) {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.screenSince(mark), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("screen never showed %q after %q; screen:\n%s", want, mark, tm.out.String())
}

// cable relays TCP connections to a server, and can be cut: every
// connection through it is closed at once, as when a NAT box forgets it or
// the server restarts.
type cable struct {
	Addr string
	to   string
	ln   net.Listener

	mu    sync.Mutex
	conns []net.Conn
	down  bool
}

func newCable(t *testing.T, to string) *cable {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &cable{Addr: ln.Addr().String(), to: to, ln: ln}
	go c.accept()
	t.Cleanup(func() { ln.Close(); c.cut() })
	return c
}

func (c *cable) accept() {
	for {
		in, err := c.ln.Accept()
		if err != nil {
			return
		}
		c.mu.Lock()
		down := c.down
		c.mu.Unlock()
		if down {
			in.Close()
			continue
		}
		out, err := net.Dial("tcp", c.to)
		if err != nil {
			in.Close()
			continue
		}
		c.mu.Lock()
		c.conns = append(c.conns, in, out)
		c.mu.Unlock()
		go func() { io.Copy(out, in); out.Close() }()
		go func() { io.Copy(in, out); in.Close() }()
	}
}

// cut closes every connection through the cable.
func (c *cable) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, x := range c.conns {
		x.Close()
	}
	c.conns = nil
}

// setDown makes the cable refuse new connections (true) or carry them.
func (c *cable) setDown(down bool) {
	c.mu.Lock()
	c.down = down
	c.mu.Unlock()
}

// socks5Server is a small SOCKS5 proxy (RFC 1928: CONNECT only, with no
// authentication or, when user is set, RFC 1929 user name and password).
// It records the destination of each CONNECT as the client sent it.
type socks5Server struct {
	Addr       string
	user, pass string

	mu    sync.Mutex
	dests []string // "host:port" or "ip:port" as requested
	auths []string // "user:pass" received
}

func newSOCKS5(t *testing.T, user, pass string) *socks5Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &socks5Server{Addr: ln.Addr().String(), user: user, pass: pass}
	var wg sync.WaitGroup
	var open sync.Map
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			open.Store(c, true)
			go func() {
				defer wg.Done()
				defer open.Delete(c)
				if err := s.serve(c); err != nil {
					t.Logf("socks5 test proxy: %v", err)
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		open.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
		wg.Wait()
	})
	return s
}

func (s *socks5Server) destinations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.dests...)
}

func (s *socks5Server) serve(c net.Conn) error {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	hdr := make([]byte, 2)
	if _, err := io.ReadFull(c, hdr); err != nil || hdr[0] != 5 {
		return errors.New("not a SOCKS5 greeting")
	}
	methods := make([]byte, hdr[1])
	io.ReadFull(c, methods)
	want := byte(0)
	if s.user != "" {
		want = 2
	}
	if !strings.ContainsRune(string(methods), rune(want)) {
		c.Write([]byte{5, 0xff})
		return errors.New("no acceptable method")
	}
	c.Write([]byte{5, want})
	if want == 2 {
		b := make([]byte, 2)
		io.ReadFull(c, b)
		u := make([]byte, b[1])
		io.ReadFull(c, u)
		io.ReadFull(c, b[:1])
		p := make([]byte, b[0])
		io.ReadFull(c, p)
		s.mu.Lock()
		s.auths = append(s.auths, string(u)+":"+string(p))
		s.mu.Unlock()
		if string(u) != s.user || string(p) != s.pass {
			c.Write([]byte{1, 1})
			return errors.New("bad credentials")
		}
		c.Write([]byte{1, 0})
	}
	req := make([]byte, 4)
	if _, err := io.ReadFull(c, req); err != nil || req[1] != 1 {
		return errors.New("not a CONNECT")
	}
	var host string
	switch req[3] {
	case 1:
		ip := make([]byte, 4)
		io.ReadFull(c, ip)
		host = net.IP(ip).String()
	case 4:
		ip := make([]byte, 16)
		io.ReadFull(c, ip)
		host = net.IP(ip).String()
	case 3:
		n := make([]byte, 1)
		io.ReadFull(c, n)
		name := make([]byte, n[0])
		io.ReadFull(c, name)
		host = string(name)
	}
	pb := make([]byte, 2)
	io.ReadFull(c, pb)
	dest := net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(pb))))
	s.mu.Lock()
	s.dests = append(s.dests, dest)
	s.mu.Unlock()
	out, err := net.DialTimeout("tcp", dest, 5*time.Second)
	if err != nil {
		c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0}) // connection refused
		return err
	}
	defer out.Close()
	c.Write([]byte{5, 0, 0, 1, 127, 0, 0, 1, 0, 0})
	c.SetDeadline(time.Time{})
	done := make(chan struct{}, 2)
	go func() { io.Copy(out, c); done <- struct{}{} }()
	go func() { io.Copy(c, out); done <- struct{}{} }()
	<-done
	return nil
}
