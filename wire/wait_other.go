//go:build !unix

package wire

// rawReader has nothing to keep here.
type rawReader struct{}

// tryRead cannot ask the socket here: every read is taken to wait.
func (c *waitConn) tryRead(p []byte) int { return 0 }
