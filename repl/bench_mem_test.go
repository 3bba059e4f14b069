package repl

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/wire"
)

// memServer is a net.Conn that answers each command line written to it
// from memory: the same response, ended by a tagged OK with the command's
// tag. Nothing goes through a socket and no server shares the CPU, so a
// benchmark over it measures imapsh's receive path alone, as wire's
// BenchmarkReaderLines measures the bare reader.
type memServer struct {
	mu      sync.Mutex
	more    sync.Cond
	pending [][]byte // what the server still has to send, in order
	body    []byte   // repeated to make a literal of bodyLen octets
	head    []byte   // sent before each answer's body
	bodyLen int64
	left    int64 // octets of the current body still to send
	closed  bool
}

func newMemServer(greeting string) *memServer {
	m := &memServer{pending: [][]byte{[]byte(greeting)}}
	m.more.L = &m.mu
	return m
}

func (m *memServer) Write(p []byte) (int, error) {
	tag, _, _ := bytes.Cut(p, []byte(" "))
	m.mu.Lock()
	m.pending = append(m.pending, m.head)
	if m.bodyLen > 0 {
		m.pending = append(m.pending, nil) // the literal's octets
	}
	m.pending = append(m.pending, fmt.Appendf(nil, "%s%s OK done\r\n", m.trailer(), tag))
	m.more.Signal()
	m.mu.Unlock()
	return len(p), nil
}

// trailer closes the FETCH response of a literal.
func (m *memServer) trailer() string {
	if m.bodyLen > 0 {
		return ")\r\n"
	}
	return ""
}

func (m *memServer) Read(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.pending) == 0 && !m.closed {
		m.more.Wait()
	}
	if m.closed {
		return 0, io.EOF
	}
	seg := m.pending[0]
	if seg == nil { // the body: bodyLen octets of m.body, repeated
		if m.left == 0 {
			m.left = m.bodyLen
		}
		off := (m.bodyLen - m.left) % int64(len(m.body))
		n := copy(p[:min(int64(len(p)), m.left)], m.body[off:])
		m.left -= int64(n)
		if m.left == 0 {
			m.pending = m.pending[1:]
		}
		return n, nil
	}
	n := copy(p, seg)
	if n == len(seg) {
		m.pending = m.pending[1:]
	} else {
		m.pending[0] = seg[n:]
	}
	return n, nil
}

func (m *memServer) Close() error {
	m.mu.Lock()
	m.closed = true
	m.more.Broadcast()
	m.mu.Unlock()
	return nil
}

func (m *memServer) LocalAddr() net.Addr                { return &net.TCPAddr{} }
func (m *memServer) RemoteAddr() net.Addr               { return &net.TCPAddr{} }
func (m *memServer) SetDeadline(t time.Time) error      { return nil }
func (m *memServer) SetReadDeadline(t time.Time) error  { return nil }
func (m *memServer) SetWriteDeadline(t time.Time) error { return nil }

// memConn connects to m.
func memConn(b *testing.B, m *memServer) *wire.Conn {
	return dialBench(b, "mem", func(context.Context, string, string) (net.Conn, error) { return m, nil })
}

// BenchmarkReceiveLiteral is BenchmarkSessionLiteral's script mode with
// the answer read from memory: framing, engine, sanitizer and printer for
// a 64 MiB literal of mail-like text, without a socket or a server.
func BenchmarkReceiveLiteral(b *testing.B) {
	var body bytes.Buffer
	for body.Len() < 1<<20 {
		fmt.Fprintf(&body, "Line %06d of a long message, with some text to print and sanitize.\r\n", body.Len())
	}
	const size = 64 << 20
	m := newMemServer("* OK ready\r\n")
	m.body, m.bodyLen = body.Bytes(), size
	m.head = fmt.Appendf(nil, "* 1 FETCH (BODY[] {%d}\r\n", size)
	benchSession(b, memConn(b, m), render.Options{Batch: true}, "FETCH 1 BODY[]", size, 0)
}

// BenchmarkReceiveLines is BenchmarkSessionLines from memory: untagged
// "* N FETCH (UID n FLAGS (...))" lines, the lines of wire's
// BenchmarkReaderLines, per command.
func BenchmarkReceiveLines(b *testing.B) {
	for _, lines := range []int{1000, 10000} {
		for _, color := range []bool{false, true} {
			b.Run(fmt.Sprintf("%d/color=%v", lines, color), func(b *testing.B) {
				var resp bytes.Buffer
				for i := 1; i <= lines; i++ {
					fmt.Fprintf(&resp, "* %d FETCH (UID %d FLAGS (\\Seen $Forwarded))\r\n", i, 4000+i)
				}
				m := newMemServer("* OK ready\r\n")
				m.head = resp.Bytes()
				benchSession(b, memConn(b, m), render.Options{Color: color, Batch: true}, "FETCH 1:* (UID FLAGS)", int64(resp.Len()), lines)
			})
		}
	}
}
