package wire

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// pipeConn dials a Conn whose other end is returned: the Dial hook of
// DialConfig with net.Pipe.
func pipeConn(t *testing.T) (*Conn, net.Conn) {
	t.Helper()
	client, server := net.Pipe()
	c, err := Dial(context.Background(), DialConfig{Addr: "pipe:1", Security: Plaintext,
		Dial: func(context.Context, string, string) (net.Conn, error) { return client, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); server.Close() })
	return c, server
}

// deflated returns text as the next piece of a DEFLATE stream, sync-flushed.
func deflated(t *testing.T, fw *flate.Writer, buf *bytes.Buffer, text string) []byte {
	t.Helper()
	buf.Reset()
	fw.Write([]byte(text))
	if err := fw.Flush(); err != nil {
		t.Fatal(err)
	}
	return bytes.Clone(buf.Bytes())
}

func readLine(t *testing.T, c *Conn) string {
	t.Helper()
	f, err := c.R.ReadFragment()
	if err != nil {
		t.Fatalf("ReadFragment: %v", err)
	}
	return string(f.Text)
}

// TestStartDeflate runs a compressed exchange: octets the server sent in
// the same write as its OK are inflated first; commands are flushed line by
// line; literals stream; the counts add up; the end of the connection is
// io.EOF.
func TestStartDeflate(t *testing.T) {
	c, srv := pipeConn(t)
	var sbuf bytes.Buffer
	sw, _ := flate.NewWriter(&sbuf, flate.BestCompression)
	errc := make(chan error, 1)
	go func() {
		defer srv.Close()
		br := bufio.NewReader(srv)
		srv.Write([]byte("* OK hi\r\n"))
		if l, _ := br.ReadString('\n'); l != "a1 COMPRESS DEFLATE\r\n" {
			errc <- errors.New("got " + l)
			return
		}
		// The OK and the first compressed response in one write.
		srv.Write(append([]byte("a1 OK DEFLATE active\r\n"), deflated(t, sw, &sbuf, "* 1 EXISTS\r\n")...))
		in := bufio.NewReader(flate.NewReader(br))
		if l, err := in.ReadString('\n'); l != "a2 NOOP\r\n" {
			errc <- errors.New("inflated " + l + ", " + errString(err))
			return
		}
		body := strings.Repeat("hello world ", 1000)
		srv.Write(deflated(t, sw, &sbuf, "* 1 FETCH (BODY[] {12000}\r\n"+body+")\r\na2 OK done\r\n"))
		errc <- nil
	}()
	if l := readLine(t, c); l != "* OK hi" {
		t.Fatalf("greeting %q", l)
	}
	if err := c.W.WriteLine("a1 COMPRESS DEFLATE"); err != nil {
		t.Fatal(err)
	}
	if l := readLine(t, c); l != "a1 OK DEFLATE active" {
		t.Fatalf("OK %q", l)
	}
	carried, err := c.StartDeflate()
	if err != nil || carried == 0 {
		t.Fatalf("StartDeflate = %d, %v; want the octets after the OK carried over", carried, err)
	}
	if l := readLine(t, c); l != "* 1 EXISTS" {
		t.Fatalf("first compressed line %q", l)
	}
	if err := c.W.WriteLine("a2 NOOP"); err != nil {
		t.Fatal(err)
	}
	f, err := c.R.ReadFragment()
	if err != nil || f.Literal != 12000 {
		t.Fatalf("fragment %q %d, %v", f.Text, f.Literal, err)
	}
	lit, err := io.ReadAll(c.R.Literal())
	if err != nil || string(lit) != strings.Repeat("hello world ", 1000) {
		t.Fatalf("literal: %d octets, %v", len(lit), err)
	}
	if l := readLine(t, c); l != ")" {
		t.Fatalf("after the literal %q", l)
	}
	if l := readLine(t, c); l != "a2 OK done" {
		t.Fatalf("completion %q", l)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if _, err := c.R.ReadFragment(); err != io.EOF {
		t.Fatalf("after the server closed: %v, want io.EOF", err)
	}
	o := c.Octets()
	if !o.Compressed || !c.Compressed() {
		t.Error("not marked compressed")
	}
	if want := int64(len("a1 COMPRESS DEFLATE\r\na2 NOOP\r\n")); o.Sent != want {
		t.Errorf("Sent = %d, want %d", o.Sent, want)
	}
	wantRecv := int64(len("* OK hi\r\na1 OK DEFLATE active\r\n* 1 EXISTS\r\n* 1 FETCH (BODY[] {12000}\r\n)\r\na2 OK done\r\n") + 12000)
	if o.Received != wantRecv {
		t.Errorf("Received = %d, want %d", o.Received, wantRecv)
	}
	if o.DeflateReceived == 0 || o.DeflateReceived > o.Received/10 {
		t.Errorf("DeflateReceived = %d for %d inflated: not compressed?", o.DeflateReceived, o.Received)
	}
	if o.DeflateSent == 0 {
		t.Error("DeflateSent = 0")
	}
	if o.NetReceived != int64(len("* OK hi\r\na1 OK DEFLATE active\r\n"))+o.DeflateReceived {
		t.Errorf("NetReceived = %d, want the clear lines plus %d deflated", o.NetReceived, o.DeflateReceived)
	}
	if _, err := c.StartDeflate(); err == nil {
		t.Error("a second StartDeflate was accepted")
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestDeflateCorrupt: garbage where the compressed stream should be is an
// error that says so, not a hang or a silent end.
func TestDeflateCorrupt(t *testing.T) {
	c, srv := pipeConn(t)
	go func() {
		srv.Write([]byte("a1 OK go\r\n"))
		srv.Write([]byte("* 1 EXISTS\r\n")) // not compressed: corrupt for the inflater
		time.Sleep(100 * time.Millisecond)
		srv.Close()
	}()
	readLine(t, c)
	if _, err := c.StartDeflate(); err != nil {
		t.Fatal(err)
	}
	_, err := c.R.ReadFragment()
	if !errors.Is(err, ErrDeflate) {
		t.Fatalf("err = %v, want ErrDeflate", err)
	}
}
