package repl

import (
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// deflateServer is a one-connection IMAP server that offers
// COMPRESS=DEFLATE and, once it is on, speaks DEFLATE both ways. It
// answers FETCH with body as BODY[], and records the commands it read
// (inflated).
type deflateServer struct {
	Addr string
	mu   sync.Mutex
	cmds []string
}

func newDeflateServer(t *testing.T, body string) *deflateServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &deflateServer{Addr: ln.Addr().String()}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(30 * time.Second))
		var r *bufio.Reader = bufio.NewReader(c)
		var w io.Writer = c
		var fw *flate.Writer
		send := func(lines ...string) {
			w.Write([]byte(strings.Join(lines, "\r\n") + "\r\n"))
			if fw != nil {
				fw.Flush()
			}
		}
		send("* OK [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] ready")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			s.mu.Lock()
			s.cmds = append(s.cmds, line)
			s.mu.Unlock()
			tag, rest, _ := strings.Cut(line, " ")
			switch strings.ToUpper(rest) {
			case "COMPRESS DEFLATE":
				send(tag + " OK DEFLATE active")
				r = bufio.NewReader(flate.NewReader(r))
				fw, _ = flate.NewWriter(c, flate.BestSpeed)
				w = fw
			case "FETCH 1 BODY[]":
				send(fmt.Sprintf("* 1 FETCH (BODY[] {%d}", len(body)) + "\r\n" + body + ")")
				send(tag + " OK FETCH completed")
			case "LOGOUT":
				send("* BYE bye", tag+" OK LOGOUT completed")
				return
			default:
				send(tag + " OK done")
			}
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return s
}

// TestCompressScripted: a typed COMPRESS DEFLATE turns compression on; a
// FETCH comes back whole through it; stats show fewer compressed octets
// than IMAP ones; a second COMPRESS, or another mechanism, is not sent.
func TestCompressScripted(t *testing.T) {
	body := strings.Repeat("All work and no play makes Jack a dull boy.\r\n", 400)
	srv := newDeflateServer(t, body)
	r := runScript(t, srv.Addr, "", "", "COMPRESS DEFLATE\nFETCH 1 BODY[]\nCOMPRESS DEFLATE\nCOMPRESS LZ4\nstats\n")
	if r.Err != ErrFailed {
		t.Fatalf("Run = %v, want ErrFailed for the two refused lines\n%s", r.Err, r.Out)
	}
	if n := strings.Count(r.Out, "S: All work and no play makes Jack a dull boy."); n != 400 {
		t.Errorf("%d body lines shown, want 400", n)
	}
	for _, want := range []string{"compression is on already", "imapsh decodes COMPRESS DEFLATE only", "S: a002 OK FETCH completed", "S: a003 OK LOGOUT completed"} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
	m := regexp.MustCompile(`# IMAP \(uncompressed\) +(\d+) +(\d+)\n# compressed \(DEFLATE\) +(\d+) +(\d+)`).FindStringSubmatch(r.Out)
	if m == nil {
		t.Fatalf("no compressed octets in stats:\n%s", r.Out)
	}
	var imapIn, zIn int
	fmt.Sscan(m[2], &imapIn)
	fmt.Sscan(m[4], &zIn)
	if imapIn < len(body) || zIn == 0 || zIn*10 > imapIn {
		t.Errorf("received %d IMAP octets as %d compressed: want a body of %d compressed well", imapIn, zIn, len(body))
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if got := strings.Join(srv.cmds, "|"); got != "a001 COMPRESS DEFLATE|a002 FETCH 1 BODY[]|a003 LOGOUT" {
		t.Errorf("the server read %q", got)
	}
}

// TestCompressFlagWithoutOffer: --compress against a server that does not
// offer it is a note, not a failure.
func TestCompressFlagWithoutOffer(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		c.Send(tag + " OK " + name + " completed")
		return true
	})
	r := runScript(t, srv.Addr, "tomas", "pw", "NOOP\n", func(c *Config) { c.Compress = true })
	if r.Err != nil || !strings.Contains(r.Out, "the server does not offer COMPRESS=DEFLATE: --compress has no effect") {
		t.Errorf("%v\n%s", r.Err, r.Out)
	}
	for _, l := range srv.Log() {
		if strings.Contains(l, "COMPRESS") {
			t.Errorf("COMPRESS sent: %s", l)
		}
	}
}
