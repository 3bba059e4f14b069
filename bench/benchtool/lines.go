package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
)

// lines serves IMAP on 127.0.0.1 (plaintext) to measure the cost of
// printing many short responses: LOGIN and SELECT are answered OK (SELECT
// with "* N EXISTS"), every FETCH with n lines "* i FETCH (UID u FLAGS
// (...))", LOGOUT with BYE. It prints its address on stdout and serves
// until it is killed.
func lines(args []string) error {
	fs := flag.NewFlagSet("lines", flag.ExitOnError)
	n := fs.Int("n", 100000, "FETCH lines per FETCH")
	fs.Parse(args)
	var resp bytes.Buffer
	for i := 1; i <= *n; i++ {
		flags := `\Seen`
		switch i % 4 {
		case 1:
			flags = `\Seen \Answered`
		case 2:
			flags = ``
		case 3:
			flags = `\Seen $Forwarded`
		}
		fmt.Fprintf(&resp, "* %d FETCH (UID %d FLAGS (%s))\r\n", i, 100000+3*i, flags)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr())
	os.Stdout.Sync()
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go serveLines(c, *n, resp.Bytes())
	}
}

func serveLines(c net.Conn, n int, resp []byte) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriterSize(c, 64<<10)
	w.WriteString("* OK [CAPABILITY IMAP4rev1 LITERAL+] benchtool lines ready\r\n")
	w.Flush()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		tag, rest, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		name, _, _ := strings.Cut(strings.ToUpper(rest), " ")
		switch name {
		case "LOGOUT":
			fmt.Fprintf(w, "* BYE bye\r\n%s OK LOGOUT completed\r\n", tag)
			w.Flush()
			return
		case "SELECT", "EXAMINE":
			fmt.Fprintf(w, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n* %d EXISTS\r\n* OK [UIDVALIDITY 1700000000] UIDs valid\r\n* OK [UIDNEXT %d] next\r\n%s OK [READ-WRITE] SELECT completed\r\n", n, 100000+3*n+1, tag)
		case "FETCH":
			w.Write(resp)
			fmt.Fprintf(w, "%s OK FETCH completed\r\n", tag)
		default:
			fmt.Fprintf(w, "%s OK %s completed\r\n", tag, name)
		}
		if w.Flush() != nil {
			return
		}
	}
}
