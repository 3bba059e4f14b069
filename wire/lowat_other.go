//go:build !linux

package wire

// setLowat does nothing here: every wait is woken by the first octet.
func (c *waitConn) setLowat(n int) {}
