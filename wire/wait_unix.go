//go:build unix

package wire

import "syscall"

// rawReader reads from a socket without waiting, through its
// syscall.RawConn; made once per connection so that a read allocates
// nothing.
type rawReader struct {
	rc   syscall.RawConn
	p    []byte
	n    int
	err  error
	read func(fd uintptr) bool
}

// tryRead reads what the socket holds without waiting and returns how
// much; 0 when it holds nothing, has ended or failed, or is no socket that
// can be asked (the usual read then waits or reports it).
func (c *waitConn) tryRead(p []byte) int {
	r := c.raw
	if r == nil {
		sc, ok := c.Conn.(syscall.Conn)
		if !ok {
			return 0
		}
		rc, err := sc.SyscallConn()
		if err != nil {
			return 0
		}
		r = &rawReader{rc: rc}
		r.read = func(fd uintptr) bool {
			for {
				r.n, r.err = syscall.Read(int(fd), r.p)
				if r.err != syscall.EINTR {
					break
				}
			}
			return true // never wait here
		}
		c.raw = r
	}
	r.p, r.n, r.err = p, 0, nil
	if err := r.rc.Read(r.read); err != nil || r.err != nil || r.n < 0 {
		r.p = nil
		return 0
	}
	r.p = nil
	return r.n
}
