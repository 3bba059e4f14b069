package demo

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawConn is a byte-level IMAP client for tests: it sends command lines as
// given and returns the server's responses verbatim, literals inline.
type rawConn struct {
	t        *testing.T
	c        net.Conn
	r        *bufio.Reader
	greeting string
}

var literalAtEnd = regexp.MustCompile(`~?\{(\d+)\}\r\n$`)

// dialRaw connects to s and reads the greeting. The connection is closed
// when the test ends.
func dialRaw(t *testing.T, s *Server) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatalf("dial %s: %v", s.Addr, err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(30 * time.Second))
	rc := &rawConn{t: t, c: c, r: bufio.NewReader(c)}
	rc.greeting = rc.response()
	return rc
}

// response reads one response: a line plus the literals it announces.
func (rc *rawConn) response() string {
	rc.t.Helper()
	var b strings.Builder
	for {
		line, err := rc.r.ReadString('\n')
		if err != nil {
			rc.t.Fatalf("read response: %v (so far %q)", err, b.String()+line)
		}
		b.WriteString(line)
		m := literalAtEnd.FindStringSubmatch(line)
		if m == nil {
			return b.String()
		}
		n, _ := strconv.Atoi(m[1])
		lit := make([]byte, n)
		if _, err := io.ReadFull(rc.r, lit); err != nil {
			rc.t.Fatalf("read literal {%d}: %v", n, err)
		}
		b.Write(lit)
	}
}

// do sends "tag command" CRLF and returns every response up to and
// including the tagged one.
func (rc *rawConn) do(tag, command string) []string {
	rc.t.Helper()
	rc.send(tag + " " + command + "\r\n")
	return rc.until(tag)
}

// send writes s as is.
func (rc *rawConn) send(s string) {
	rc.t.Helper()
	if _, err := io.WriteString(rc.c, s); err != nil {
		rc.t.Fatalf("write %q: %v", s, err)
	}
}

// until reads responses up to and including the one tagged tag.
func (rc *rawConn) until(tag string) []string {
	rc.t.Helper()
	var l []string
	for {
		resp := rc.response()
		l = append(l, resp)
		if strings.HasPrefix(resp, tag+" ") {
			return l
		}
	}
}

// ok is do that fails the test unless the tagged response is OK.
func (rc *rawConn) ok(tag, command string) []string {
	rc.t.Helper()
	l := rc.do(tag, command)
	if last := l[len(l)-1]; !strings.HasPrefix(last, tag+" OK") {
		rc.t.Fatalf("%s %s: %q", tag, command, l)
	}
	return l
}

// login logs in as demo and selects mailbox, unless it is "".
func (rc *rawConn) login(mailbox string) {
	rc.t.Helper()
	rc.ok("a0", "LOGIN demo demo")
	if mailbox != "" {
		rc.ok("a00", "SELECT "+quote(mailbox))
	}
}

func quote(s string) string {
	return fmt.Sprintf("%q", s)
}
