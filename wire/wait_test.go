package wire

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"
	"time"
)

// OnWait's function runs before a read that waits for the network, and
// only then: the server here sends its second part only after the client
// said it waits (else the test hangs), and a burst already received costs
// no call.
func TestOnWait(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	waited := make(chan struct{}, 10)
	part1 := bytes.Repeat([]byte("* 1 FETCH (FLAGS (\\Seen))\r\n"), 4000) // ~100 KB
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write(part1)
		select {
		case <-waited:
		case <-time.After(10 * time.Second):
			return // the client never said it waits: it hangs, the test fails
		}
		time.Sleep(50 * time.Millisecond) // the client may read part1's rest meanwhile
		c.Write([]byte("a1 OK done\r\n"))
	}()
	conn, err := Dial(context.Background(), DialConfig{Addr: ln.Addr().String(), Security: Plaintext})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	calls := 0
	conn.OnWait(func() {
		calls++
		select {
		case waited <- struct{}{}:
		default:
		}
	})
	// Let all of part1 arrive before reading, so that reading it waits
	// for nothing.
	time.Sleep(100 * time.Millisecond)
	var lines int
	for {
		f, err := conn.R.ReadFragment()
		if err != nil {
			t.Fatalf("after %d lines: %v", lines, err)
		}
		lines++
		if string(f.Text) == "a1 OK done" {
			break
		}
	}
	if lines != 4001 {
		t.Fatalf("%d lines", lines)
	}
	if calls < 1 || calls > 3 {
		t.Errorf("OnWait's function ran %d times for one pause (want 1, 2 at most with a slow kernel)", calls)
	}
	// With it removed, nothing is called.
	conn.OnWait(nil)
	calls = 0
	if _, err := conn.R.ReadFragment(); err != io.EOF {
		t.Fatalf("at the end: %v", err)
	}
	if calls != 0 {
		t.Errorf("called %d times after OnWait(nil)", calls)
	}
}

// Inside a literal a wait ends only once a good part of what the server
// owes has come (on Linux: SO_RCVLOWAT), so a server that sends a literal
// in small pieces wakes the reader a few times, not at each piece; and a
// literal's last octets, however few, end the wait (nothing hangs).
func TestLiteralWaitsForMore(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	const size, piece = 256 << 10, 2 << 10
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		fmt.Fprintf(c, "* 1 FETCH (BODY[] {%d}\r\n", size)
		chunk := bytes.Repeat([]byte("x"), piece)
		for sent := 0; sent < size; sent += piece {
			c.Write(chunk)
			time.Sleep(time.Millisecond)
		}
		c.Write([]byte(")\r\n* 2 FETCH (BODY[] {3}\r\n"))
		time.Sleep(100 * time.Millisecond)
		c.Write([]byte("abc)\r\n"))
		time.Sleep(100 * time.Millisecond) // the reader must not wait for more than it is owed
		c.Write([]byte("a1 OK done\r\n"))
		time.Sleep(time.Second)
	}()
	conn, err := Dial(context.Background(), DialConfig{Addr: ln.Addr().String(), Security: Plaintext})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	waits := 0
	conn.OnWait(func() { waits++ })
	var got int
	for {
		f, err := conn.R.ReadFragment()
		if err != nil {
			t.Fatalf("after %d octets: %v", got, err)
		}
		if string(f.Text) == "a1 OK done" {
			break
		}
		for f.Literal >= 0 {
			b, err := conn.R.LiteralChunk(32 << 10)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got += len(b)
		}
	}
	if got != size+3 {
		t.Fatalf("%d octets of literals, want %d", got, size+3)
	}
	// 128 pieces: about one wait per 64 KiB on Linux (and for the small
	// literal and the lines after it), one per piece elsewhere.
	if runtime.GOOS == "linux" && waits > 40 {
		t.Errorf("%d waits for 128 pieces", waits)
	}
	t.Logf("%d waits", waits)
}

// splitWrites writes the first record larger than big in two parts, with a
// pause between: the reader takes in the start of that record with the
// record before it.
type splitWrites struct {
	net.Conn
	big   int
	done  bool
	pause time.Duration
}

func (c *splitWrites) Write(p []byte) (int, error) {
	if c.done || len(p) <= c.big {
		return c.Conn.Write(p)
	}
	c.done = true
	n, err := c.Conn.Write(p[:100])
	if err != nil {
		return n, err
	}
	time.Sleep(c.pause)
	m, err := c.Conn.Write(p[100:])
	return n + m, err
}

// Over TLS, crypto/tls may already hold part of a record carrying the
// literal when the Reader waits: fewer octets than the literal's rest are
// then still to come, and a wait for all of them would last until the
// server's next response (here: never). The literal here spans two
// records, and the first arrives in two parts.
func TestLiteralWaitOverTLSRecordReadInPart(t *testing.T) {
	cert := newTestCert(t)
	ln := listenSmallSegments(t)
	const size = 20000
	done := serve(t, ln, func(raw net.Conn) error {
		sw := &splitWrites{Conn: raw, big: 1000, pause: 200 * time.Millisecond, done: true}
		sc := tls.Server(sw, &tls.Config{Certificates: []tls.Certificate{cert.tls}, MaxVersion: tls.VersionTLS13, DynamicRecordSizingDisabled: true})
		if err := sc.Handshake(); err != nil {
			return err
		}
		sw.done = false // split the literal's first record, not the handshake's
		// One record for the line, then the literal and the tagged OK:
		// a record of 16 KiB and one of the rest.
		if _, err := fmt.Fprintf(sc, "* 1 FETCH (BODY[] {%d}\r\n", size); err != nil {
			return err
		}
		time.Sleep(50 * time.Millisecond)
		if _, err := sc.Write(append(bytes.Repeat([]byte("x"), size), ")\r\na1 OK done\r\n"...)); err != nil {
			return err
		}
		io.Copy(io.Discard, sc) // until the client closes
		return nil
	})
	conn, err := Dial(context.Background(), DialConfig{Addr: ln.Addr().String(), Security: ImplicitTLS,
		TLS: &tls.Config{ServerName: "127.0.0.1", RootCAs: cert.pool}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	f, err := conn.R.ReadFragment()
	if err != nil || f.Literal != size {
		t.Fatalf("first fragment %q, %v", f.Text, err)
	}
	time.Sleep(100 * time.Millisecond) // the record's first part has come
	got := 0
	for {
		b, err := conn.R.LiteralChunk(64 << 10)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d of %d octets: %v", got, size, err)
		}
		got += len(b)
	}
	for _, want := range []string{")", "a1 OK done"} {
		if f, err := conn.R.ReadFragment(); err != nil || string(f.Text) != want {
			t.Fatalf("got %q, %v; want %q", f.Text, err, want)
		}
	}
	conn.Close()
	if err := <-done; err != nil && !errors.Is(err, net.ErrClosed) {
		t.Log(err)
	}
}

// listenSmallSegments listens on loopback with segments of at most 1400
// octets, as on an Ethernet path: over loopback's 64 KiB segments Linux
// wakes a read whatever its low-water mark once the window is below one
// segment, which would hide a wait for octets that never come.
func listenSmallSegments(t *testing.T) net.Listener {
	t.Helper()
	lc := net.ListenConfig{Control: setMaxSeg}
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}
