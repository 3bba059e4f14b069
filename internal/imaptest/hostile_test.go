package imaptest

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

func TestEscapeServer(t *testing.T) {
	s := EscapeServer(t)
	c := dial(t, s.Addr)
	if l := c.line(); l != "* OK [CAPABILITY IMAP4rev1 LITERAL+ "+EvilCode+"] "+Evil {
		t.Fatalf("greeting %q", l)
	}
	equalLines(t, "login", c.cmd("a1", "LOGIN x y"), []string{"* OK " + Evil, "a1 OK [" + EvilCode + "] " + Evil})
	got := c.cmd("a2", "UID FETCH 1 BODY[]")
	equalLines(t, "fetch", got, []string{"* OK " + Evil,
		fmt.Sprintf("* 1 FETCH (FLAGS (\\Seen) BODY[] {%d}\r\n%s)", len(EvilLiteral), EvilLiteral),
		"a2 OK [" + EvilCode + "] " + Evil})
	for _, bad := range []string{"\x1b[2J", "\x1b]0;pwned\x07", "\x1b[31m", "\u009b", "\x9b", "\u202E", "\x7f", "\x00"} {
		if !strings.Contains(got[1], bad) {
			t.Errorf("FETCH literal lacks %q", bad)
		}
	}
	c.send("a3 APPEND INBOX {3}")
	if l := c.line(); l != "+ "+Evil {
		t.Fatalf("continuation %q", l)
	}
	c.send("abc")
	c.until("a3")
	equalLines(t, "logout", c.cmd("a4", "LOGOUT"), []string{"* OK " + Evil, "* BYE " + Evil, "a4 OK " + Evil})
	c.eof()
}

func TestLongLineServer(t *testing.T) {
	const n = 3 << 20
	s := LongLineServer(t, n)
	c := dial(t, s.Addr)
	c.line()
	c.send("a1 CAPABILITY")
	head := make([]byte, n)
	if _, err := io.ReadFull(c.r, head); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(head), "* OK xxx") || strings.ContainsAny(string(head), "\r\n") {
		t.Errorf("long line has a line end before byte %d", n)
	}
	if l := c.line(); l != "" {
		t.Errorf("after %d bytes: %q", n, l)
	}
	equalLines(t, "tagged", c.until("a1"), []string{"a1 OK done"})
	equalLines(t, "next", c.cmd("a2", "NOOP"), []string{"a2 OK done"})
}

func TestLongLineServerClientGivesUp(t *testing.T) {
	s := LongLineServer(t, 1<<30)
	c := dial(t, s.Addr)
	c.line()
	c.send("a1 NOOP")
	buf := make([]byte, 1<<16)
	if _, err := io.ReadFull(c.r, buf); err != nil {
		t.Fatal(err)
	}
	c.nc.Close() // a client that caps lines hangs up; the server must not hang
	start := time.Now()
	s.Close()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
}

func TestHugeLiteralServer(t *testing.T) {
	s := HugeLiteralServer(t)
	c := dial(t, s.Addr)
	c.line()
	equalLines(t, "login", c.cmd("a1", "LOGIN u p"), []string{"a1 OK LOGIN completed"})
	equalLines(t, "select", c.cmd("a2", "SELECT INBOX"), []string{"* 1 EXISTS", "* OK [UIDVALIDITY 1] UIDs valid", "a2 OK SELECT completed"})
	c.send("a3 FETCH 1 BODY[]")
	if l, _ := c.r.ReadString('\n'); l != "* 1 FETCH (BODY[] {99999999999}\r\n" {
		t.Fatalf("announcement %q", l)
	}
	rest, err := io.ReadAll(c.r)
	if err != nil || len(rest) < 2048 || len(rest) > 8192 {
		t.Errorf("after the announcement: %d bytes, %v", len(rest), err)
	}
}

func TestByeMidCommand(t *testing.T) {
	s := ByeMidCommand(t)
	c := dial(t, s.Addr)
	c.line()
	equalLines(t, "capability", c.cmd("a1", "CAPABILITY"), []string{"* CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN", "a1 OK CAPABILITY completed"})
	equalLines(t, "login", c.cmd("a2", "LOGIN u p"), []string{"a2 OK LOGIN completed"})
	c.send("a3 SELECT INBOX")
	if l := c.line(); l != "* BYE server shutting down" {
		t.Fatalf("got %q", l)
	}
	c.eof()
}
