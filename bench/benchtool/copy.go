package main

import (
	"fmt"
	"io"
	"net"
	"os"
)

// copyConn is the Go floor of the plaintext fetch: it sends stdin to
// ADDR and copies what comes back to stdout, 64 KiB a read, parsing
// nothing, as nc does. Compared with nc it shows what Go's runtime (the
// network poller, its threads) costs any Go client; compared with imapsh,
// what imapsh's own work costs.
func copyConn(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: benchtool copy HOST:PORT")
	}
	c, err := net.Dial("tcp", args[0])
	if err != nil {
		return err
	}
	defer c.Close()
	go func() {
		io.Copy(c, os.Stdin)
		// As nc: keep reading until the server closes the connection.
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := os.Stdout.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
