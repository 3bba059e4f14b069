//go:build !linux

package wire

import "syscall"

func setMaxSeg(network, address string, c syscall.RawConn) error { return nil }
