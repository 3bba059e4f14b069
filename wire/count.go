package wire

import (
	"io"
	"net"
	"sync/atomic"
)

// Octets counts what crossed a connection, in both directions.
type Octets struct {
	// Sent and Received are IMAP octets: what the session wrote and read,
	// before compression and TLS.
	Sent, Received int64
	// DeflateSent and DeflateReceived are the octets of the COMPRESS=DEFLATE
	// streams (RFC 4978), before TLS; zero until StartDeflate.
	DeflateSent, DeflateReceived int64
	// NetSent and NetReceived are the octets on the TCP connection: TLS
	// records and compression included, a proxy's handshake excluded.
	NetSent, NetReceived int64
	// Compressed says COMPRESS=DEFLATE is in use.
	Compressed bool
}

// Add returns the sum of two counts (of two connections, one after the
// other); Compressed is true if either was.
func (o Octets) Add(p Octets) Octets {
	return Octets{
		Sent: o.Sent + p.Sent, Received: o.Received + p.Received,
		DeflateSent: o.DeflateSent + p.DeflateSent, DeflateReceived: o.DeflateReceived + p.DeflateReceived,
		NetSent: o.NetSent + p.NetSent, NetReceived: o.NetReceived + p.NetReceived,
		Compressed: o.Compressed || p.Compressed,
	}
}

// octetCounters are a Conn's counters; they are safe for concurrent use.
type octetCounters struct {
	imapSent, imapRecv       atomic.Int64
	deflateSent, deflateRecv atomic.Int64
	netSent, netRecv         atomic.Int64
	compressed               atomic.Bool
}

// Octets returns the octets counted so far. It is safe for concurrent use.
func (c *Conn) Octets() Octets {
	o := &c.oct
	return Octets{
		Sent: o.imapSent.Load(), Received: o.imapRecv.Load(),
		DeflateSent: o.deflateSent.Load(), DeflateReceived: o.deflateRecv.Load(),
		NetSent: o.netSent.Load(), NetReceived: o.netRecv.Load(),
		Compressed: o.compressed.Load(),
	}
}

// countConn counts the octets read and written on a net.Conn.
type countConn struct {
	net.Conn
	sent, recv *atomic.Int64
}

func (c countConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.recv.Add(int64(n))
	return n, err
}

func (c countConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.sent.Add(int64(n))
	return n, err
}

// countReader counts the octets read from r.
type countReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// countWriter counts the octets written to w.
type countWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}
