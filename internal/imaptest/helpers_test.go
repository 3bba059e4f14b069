package imaptest

import (
	"bufio"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// client is a raw IMAP client for the tests: it writes lines and reads
// responses with their literals inline.
type client struct {
	t  testing.TB
	nc net.Conn
	r  *bufio.Reader
}

func dial(t testing.TB, addr string) *client {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	nc.SetDeadline(time.Now().Add(30 * time.Second))
	t.Cleanup(func() { nc.Close() })
	return &client{t: t, nc: nc, r: bufio.NewReaderSize(nc, 1<<20)}
}

func (c *client) send(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.nc, s+"\r\n"); err != nil {
		c.t.Fatalf("write %q: %v", s, err)
	}
}

// line reads one response line plus the literals it announces, and
// returns it without the final line end (literal framing kept as sent).
func (c *client) line() string {
	c.t.Helper()
	var b strings.Builder
	for {
		l, err := c.r.ReadString('\n')
		b.WriteString(l)
		if err != nil {
			c.t.Fatalf("read: %v (got %q)", err, b.String())
		}
		n, _, ok := literalSuffix(strings.TrimRight(l, "\r\n"))
		if !ok {
			s := strings.TrimSuffix(b.String(), "\n")
			return strings.TrimSuffix(s, "\r")
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			c.t.Fatalf("read literal {%d}: %v", n, err)
		}
		b.Write(buf)
	}
}

// cmd sends "tag text" and returns every response line up to and including
// the tagged one.
func (c *client) cmd(tag, text string) []string {
	c.t.Helper()
	c.send(tag + " " + text)
	return c.until(tag)
}

func (c *client) until(tag string) []string {
	c.t.Helper()
	var out []string
	for {
		l := c.line()
		out = append(out, l)
		if strings.HasPrefix(l, tag+" ") {
			return out
		}
	}
}

// rawCmd sends "tag text" and returns the exact bytes the server sends up
// to and including the tagged line's line end.
func (c *client) rawCmd(tag, text string) string {
	c.t.Helper()
	c.send(tag + " " + text)
	var b strings.Builder
	for {
		l, err := c.r.ReadString('\n')
		b.WriteString(l)
		if err != nil {
			c.t.Fatalf("read: %v (got %q)", err, b.String())
		}
		if strings.HasPrefix(l, tag+" ") {
			return b.String()
		}
		if n, _, ok := literalSuffix(strings.TrimRight(l, "\r\n")); ok {
			buf := make([]byte, n)
			if _, err := io.ReadFull(c.r, buf); err != nil {
				c.t.Fatalf("read literal {%d}: %v", n, err)
			}
			b.Write(buf)
		}
	}
}

// rest returns every byte the server sends until it closes the connection.
func (c *client) rest() string {
	c.t.Helper()
	b, err := io.ReadAll(c.r)
	if err != nil {
		c.t.Fatalf("read to EOF: %v (got %q)", err, b)
	}
	return string(b)
}

// eof asserts the server closed the connection.
func (c *client) eof() {
	c.t.Helper()
	if b, err := c.r.ReadByte(); err == nil {
		c.t.Fatalf("want EOF, got byte %q", b)
	}
}

func equalLines(t testing.TB, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got: %q\nwant: %q", what, got, want)
	}
}

// recTB records Errorf calls instead of failing the test.
type recTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, format)
}

func (r *recTB) errors() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errs)
}
