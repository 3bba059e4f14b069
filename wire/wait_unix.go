//go:build unix

package wire

import "syscall"

// tryRead reads what the socket holds without waiting and returns how
// much; 0 when it holds nothing, has ended or failed, or is no socket that
// can be asked (the usual read then waits or reports it).
func (c *waitConn) tryRead(p []byte) int {
	sc, ok := c.Conn.(syscall.Conn)
	if !ok {
		return 0
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return 0
	}
	var n int
	rc.Read(func(fd uintptr) bool {
		for {
			n, err = syscall.Read(int(fd), p)
			if err != syscall.EINTR {
				break
			}
		}
		return true // never wait here
	})
	if err != nil || n < 0 {
		return 0
	}
	return n
}
