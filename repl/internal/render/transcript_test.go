package render_test

import (
	"bufio"
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// replay rebuilds the octets of each direction from a transcript.
func replay(t *testing.T, tr []byte) (sent, recv []byte) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(tr))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) < 17 {
			t.Fatalf("short record %q", line)
		}
		dir, end, text := line[13], line[15], line[17:]
		var dst *[]byte
		switch dir {
		case 'C':
			dst = &sent
		case 'S':
			dst = &recv
		case '#':
			continue
		default:
			t.Fatalf("bad direction in %q", line)
		}
		if end == '#' {
			continue // a hidden literal
		}
		*dst = append(*dst, text...)
		switch end {
		case ':':
			*dst = append(*dst, "\r\n"...)
		case '|':
			*dst = append(*dst, '\n')
		case '-':
		default:
			t.Fatalf("bad end in %q", line)
		}
	}
	return sent, recv
}

// A transcript keeps every octet of a session, a 1 MB literal with bare
// CR, bare LF and NUL included, and hides the password.
func TestTranscriptKeepsOctets(t *testing.T) {
	body := make([]byte, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range body {
		body[i] = byte(rng.IntN(256))
	}
	var serverSent bytes.Buffer
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		send := func(b []byte) { serverSent.Write(b); c.SendRaw(b) }
		send([]byte("* OK ready\r\n"))
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, _, _ := strings.Cut(line, " ")
			switch {
			case strings.Contains(line, "FETCH"):
				send([]byte("* 1 FETCH (BODY[] {1048576}\r\n"))
				send(body)
				send([]byte(" UID 9)\r\n" + tag + " OK done\r\n"))
			case strings.Contains(line, "APPEND"):
				send([]byte("+ go\r\n"))
				c.ReadN(11)
				c.ReadLine()
				send([]byte(tag + " OK appended\r\n"))
			case strings.Contains(line, "LOGOUT"):
				send([]byte("* BYE bye\r\n" + tag + " OK bye\r\n"))
				return
			default:
				send([]byte(tag + " OK\r\n"))
			}
		}
	})
	c, err := wire.Dial(context.Background(), wire.DialConfig{Addr: srv.Addr, Security: wire.Plaintext, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	tr := render.NewTranscript(&file, false, nil)
	s := session.New(c, session.NewHub(tr), session.NewState("h"), session.Options{CaptureLimit: 1 << 20})
	if _, err := s.Greeting(); err != nil {
		t.Fatal(err)
	}
	s.Run()
	do := func(text string) *session.Op {
		o, err := s.Start(&session.Command{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	o := do("LOGIN alice s3cretpw")
	o.Wait(nil, false)
	o = do("APPEND INBOX {11}")
	if k, _ := o.Wait(nil, true); k != session.WaitContinue {
		t.Fatal("no continuation")
	}
	s.SendLiteral(o, strings.NewReader("a\rb\nc\r\nd\x00e"), 11, "typed", false)
	s.SendLine(o, "", "")
	o.Wait(nil, false)
	do("FETCH 1 BODY[]").Wait(nil, false)
	do("LOGOUT").Wait(nil, false)
	<-s.Closed()
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(file.Bytes(), []byte("s3cretpw")) {
		t.Error("the transcript holds the password")
	}
	sent, recv := replay(t, file.Bytes())
	if !bytes.Equal(recv, serverSent.Bytes()) {
		t.Errorf("received octets differ: transcript %d octets, server sent %d", len(recv), serverSent.Len())
	}
	wantSent := "a001 LOGIN alice [hidden]\r\na002 APPEND INBOX {11}\r\na\rb\nc\r\nd\x00e\r\na003 FETCH 1 BODY[]\r\na004 LOGOUT\r\n"
	if string(sent) != wantSent {
		t.Errorf("sent octets:\n%q\nwant\n%q", sent, wantSent)
	}
}
