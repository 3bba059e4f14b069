package wire

import (
	"net"
	"sync/atomic"
)

// waitConn is the network connection under the Reader (under TLS when the
// connection uses it). Before a read that would wait for the network it
// calls the function Conn.OnWait gave, so that whoever holds output back
// while responses stream in can show it before the wait, and only then.
// Whether a read would wait is asked of the socket itself (tryRead reads
// without waiting); where it cannot be asked, every read is taken to wait.
type waitConn struct {
	net.Conn
	onWait atomic.Pointer[func()]
	raw    *rawReader // made at the first tryRead; the reading goroutine's
}

func (c *waitConn) Read(p []byte) (int, error) {
	f := c.onWait.Load()
	if f == nil || len(p) == 0 {
		return c.Conn.Read(p)
	}
	if n := c.tryRead(p); n > 0 {
		return n, nil
	}
	(*f)()
	return c.Conn.Read(p)
}

// OnWait sets f to be called on the reading goroutine before a read from
// the network that would wait: when every octet received so far has been
// read. f must not read from the connection; nil removes it.
func (c *Conn) OnWait(f func()) {
	if f == nil {
		c.wait.onWait.Store(nil)
		return
	}
	c.wait.onWait.Store(&f)
}
