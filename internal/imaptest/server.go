// Package imaptest provides scripted IMAP servers for tests of the imapsh
// client: a tiny framework (Server, Conn), a stateful fake of the Microsoft
// Exchange 2013 IMAP4 service (Exchange), and hostile servers that misbehave
// on purpose (escape sequences, endless lines, huge literals, BYE in the
// middle of a command, literal handling per RFC 3501 section 7.5 and
// RFC 7888).
//
// The Exchange has modes, each selected by an ExchangeConfig field: how its
// poison message answers FETCH (Poison, PoisonItems: as the seed's
// transcript by default, the kinder first version, or item by item:
// dropped, omitted, NIL, NO, BAD, substitute, short literal, connection
// closed mid-literal), and, opt-in, when a session hears of
// other clients' changes (Notify: silently, as Dovecot, as Courier), other
// clients acting at a chosen command (BeforeCommand with ExpungeByOther,
// StoreByOther, AppendByOther, SetUIDValidity), a user without the right to
// delete (IgnoreStoreDeleted) and Cyrus's UID n:* (SearchUIDStarStrict).
//
// Every server listens on 127.0.0.1:0, every read and write has a deadline,
// and Close ends every goroutine the package started. NewServer and the
// constructors built on it register Close with t.Cleanup.
package imaptest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"runtime/debug"
	"sync"
	"testing"
	"time"
)

// DefaultTimeout bounds every read and write a Conn performs.
const DefaultTimeout = 10 * time.Second

// closeWait bounds how long Close waits for handlers to return.
var closeWait = 5 * time.Second

// maxLine caps one client line; longer lines fail with ErrLineTooLong.
const maxLine = 1 << 20

// ErrLineTooLong is returned by ReadLine when a client line exceeds 1 MiB.
var ErrLineTooLong = errors.New("imaptest: client line too long")

// Server accepts connections on 127.0.0.1:0 and runs a handler for each,
// one goroutine per connection. The caller must call Close (NewServer
// registers it with t.Cleanup). Its methods are safe for concurrent use.
type Server struct {
	Addr string // host:port to dial

	t       testing.TB
	ln      net.Listener
	handler func(c *Conn)
	wg      sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	conns   map[*Conn]bool
	log     []string
	accepts int
	once    sync.Once
}

// NewServer starts a server running h for every accepted connection; the
// connection is closed when h returns. A handler must not call t.FailNow
// (it runs on its own goroutine); use t.Errorf or Conn.Expect.
func NewServer(t testing.TB, h func(c *Conn)) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("imaptest: listen: %v", err)
	}
	s := &Server{Addr: ln.Addr().String(), t: t, ln: ln, handler: h, conns: map[*Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.Close)
	return s
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		c := &Conn{srv: s, nc: nc, r: bufio.NewReaderSize(nc, 64<<10), timeout: DefaultTimeout}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			return
		}
		s.conns[c] = true
		s.accepts++
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serve(c)
	}
}

func (s *Server) serve(c *Conn) {
	defer s.wg.Done()
	defer func() {
		c.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}()
	defer func() {
		if v := recover(); v != nil {
			s.t.Errorf("imaptest: handler panic: %v\n%s", v, debug.Stack())
		}
	}()
	s.handler(c)
}

// Close stops accepting, closes every open connection and waits (at most
// 5s, then it reports a test error) for the handlers to return. It is
// idempotent.
func (s *Server) Close() {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		var open []*Conn
		for c := range s.conns {
			open = append(open, c)
		}
		s.mu.Unlock()
		s.ln.Close()
		for _, c := range open {
			c.Close()
		}
		done := make(chan struct{})
		go func() { s.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(closeWait):
			s.t.Errorf("imaptest: server %s: handlers still running %v after Close", s.Addr, closeWait)
		}
	})
}

// Log returns every line received from any client, in order of arrival.
func (s *Server) Log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// Accepted returns how many connections the server has accepted.
func (s *Server) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepts
}

func (s *Server) closing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Conn wraps one accepted connection. Its methods are meant for the
// handler's goroutine; Log and Close are safe for concurrent use. Write
// errors are ignored (the client may have gone); reads return them.
type Conn struct {
	srv     *Server
	nc      net.Conn // the TCP connection, or TLS over raw
	raw     net.Conn // the TCP connection under TLS (StartTLS), or nil
	r       *bufio.Reader
	timeout time.Duration

	wmu  sync.Mutex
	mu   sync.Mutex
	log  []string
	once sync.Once
}

// SetTimeout changes the deadline applied to each later read and write
// (DefaultTimeout unless changed).
func (c *Conn) SetTimeout(d time.Duration) { c.timeout = d }

// Send writes s followed by CRLF.
func (c *Conn) Send(s string) { c.SendRaw([]byte(s + "\r\n")) }

// SendRaw writes b exactly as given.
func (c *Conn) SendRaw(b []byte) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.nc.SetWriteDeadline(time.Now().Add(c.timeout))
	c.nc.Write(b)
}

// ReadLine reads one client line and returns it without its CRLF (a bare LF
// is accepted too). It records the line in Log.
func (c *Conn) ReadLine() (string, error) {
	c.nc.SetReadDeadline(time.Now().Add(c.timeout))
	var buf []byte
	for {
		frag, err := c.r.ReadSlice('\n')
		buf = append(buf, frag...)
		if err == nil {
			break
		}
		if err != bufio.ErrBufferFull {
			return "", fmt.Errorf("imaptest: read line: %w", err)
		}
		if len(buf) > maxLine {
			return "", ErrLineTooLong
		}
	}
	buf = buf[:len(buf)-1]
	if n := len(buf); n > 0 && buf[n-1] == '\r' {
		buf = buf[:n-1]
	}
	line := string(buf)
	c.mu.Lock()
	c.log = append(c.log, line)
	c.mu.Unlock()
	c.srv.mu.Lock()
	c.srv.log = append(c.srv.log, line)
	c.srv.mu.Unlock()
	return line, nil
}

// ReadN reads exactly n bytes (a literal, for instance). They are not
// recorded in Log.
func (c *Conn) ReadN(n int) ([]byte, error) {
	c.nc.SetReadDeadline(time.Now().Add(c.timeout))
	b := make([]byte, n)
	if _, err := io.ReadFull(c.r, b); err != nil {
		return nil, fmt.Errorf("imaptest: read %d bytes: %w", n, err)
	}
	return b, nil
}

// discard reads and drops n bytes.
func (c *Conn) discard(n int64) error {
	c.nc.SetReadDeadline(time.Now().Add(c.timeout))
	_, err := io.CopyN(io.Discard, c.r, n)
	return err
}

// Pending reports whether the client sends at least one byte within d,
// without consuming it. It also returns how many bytes are buffered then.
func (c *Conn) Pending(d time.Duration) (bool, int) {
	if n := c.r.Buffered(); n > 0 {
		return true, n
	}
	c.nc.SetReadDeadline(time.Now().Add(d))
	_, err := c.r.Peek(1)
	return err == nil, c.r.Buffered()
}

// Expect reads one line and matches it, case-insensitively and in full,
// against the regular expression re. It returns the submatches (index 0 is
// the whole line). On a read error or mismatch it records t.Errorf (unless
// the server is closing), closes the connection and returns nil.
func (c *Conn) Expect(re string) []string {
	rx, err := regexp.Compile(`(?is)^(?:` + re + `)$`)
	if err != nil {
		c.srv.t.Errorf("imaptest: Expect(%q): %v", re, err)
		c.Close()
		return nil
	}
	line, err := c.ReadLine()
	if err != nil {
		if !c.srv.closing() {
			c.srv.t.Errorf("imaptest: expected a line matching %q: %v", re, err)
		}
		c.Close()
		return nil
	}
	m := rx.FindStringSubmatch(line)
	if m == nil {
		c.srv.t.Errorf("imaptest: expected a line matching %q, got %q", re, line)
		c.Close()
	}
	return m
}

// Close closes the connection; a blocked read or write returns. It is
// idempotent.
func (c *Conn) Close() {
	c.once.Do(func() {
		c.mu.Lock() // StartTLS may be replacing nc
		nc := c.nc
		c.mu.Unlock()
		nc.Close()
	})
}

// Log returns every line received from the client on this connection, in
// order.
func (c *Conn) Log() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.log...)
}
