package wire

import "syscall"

// setLowat sets the socket's SO_RCVLOWAT: a read that waits is woken only
// once n octets are queued (a read that finds some returns them at once).
// Only the Reader calls it, on the reading goroutine.
func (c *waitConn) setLowat(n int) {
	sc, ok := c.Conn.(syscall.Conn)
	if !ok {
		return
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVLOWAT, n)
	})
}
