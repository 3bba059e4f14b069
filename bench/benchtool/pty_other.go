//go:build !linux

package main

import (
	"errors"
	"os"
	"syscall"
)

func openPTY() (master, slave *os.File, err error) {
	return nil, nil, errors.New("pseudo-terminals are opened on Linux only")
}

func ttyAttr() *syscall.SysProcAttr { return nil }
