package imaptest

import (
	"fmt"
	"slices"
	"testing"
)

func TestNoLiteralPlusPatientClient(t *testing.T) {
	s := NoLiteralPlusServer(t)
	c := dial(t, s.Addr)
	c.line()
	equalLines(t, "capability", c.cmd("a1", "CAPABILITY"), []string{"* CAPABILITY IMAP4rev1 AUTH=PLAIN", "a1 OK CAPABILITY completed"})
	c.send("a2 LOGIN {5}")
	if l := c.line(); l != "+ go ahead" {
		t.Fatalf("continuation %q", l)
	}
	c.send("tomas {6}")
	if l := c.line(); l != "+ go ahead" {
		t.Fatalf("continuation %q", l)
	}
	c.send("secret")
	equalLines(t, "login", c.until("a2"), []string{"a2 OK LOGIN completed"})
	msg := "Subject: patient\r\n\r\nhi\r\n"
	c.send(fmt.Sprintf("a3 APPEND INBOX (\\Seen) {%d}", len(msg)))
	c.line()
	c.send(msg)
	equalLines(t, "append", c.until("a3"), []string{"a3 OK [APPENDUID 7 1] APPEND completed"})
	equalLines(t, "select", c.cmd("a4", "SELECT INBOX"), []string{"* 1 EXISTS", "* OK [UIDNEXT 2] next UID",
		"* OK [UIDVALIDITY 7] UIDs valid", "a4 OK [READ-WRITE] SELECT completed"})
	equalLines(t, "fetch", c.cmd("a5", "FETCH 1 BODY[]"), []string{
		fmt.Sprintf("* 1 FETCH (BODY[] {%d}\r\n%s)", len(msg), msg), "a5 OK FETCH completed"})
	equalLines(t, "uid fetch", c.cmd("a6", "UID FETCH 1 BODY.PEEK[]"), []string{
		fmt.Sprintf("* 1 FETCH (UID 1 BODY[] {%d}\r\n%s)", len(msg), msg), "a6 OK FETCH completed"})
	if s.EarlyBytes() != 0 {
		t.Errorf("EarlyBytes = %d for a patient client", s.EarlyBytes())
	}
	want := [][]byte{[]byte("tomas"), []byte("secret"), []byte(msg)}
	if got := s.Literals(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("Literals %q", got)
	}
	if got := s.Appended(); len(got) != 1 || string(got[0]) != msg {
		t.Errorf("Appended %q", got)
	}
}

func TestNoLiteralPlusEagerClient(t *testing.T) {
	s := NoLiteralPlusServer(t)
	c := dial(t, s.Addr)
	c.line()
	msg := "Subject: eager\r\n\r\nhi\r\n"
	// Everything at once, without waiting for "+".
	c.nc.Write([]byte(fmt.Sprintf("a1 APPEND INBOX {%d}\r\n%s\r\n", len(msg), msg)))
	equalLines(t, "append", c.until("a1"), []string{"+ go ahead", "a1 OK [APPENDUID 7 1] APPEND completed"})
	early := s.EarlyBytes()
	if early == 0 || early > len(msg)+2 {
		t.Errorf("EarlyBytes = %d, want 1..%d", early, len(msg)+2)
	}
	c.nc.Write([]byte("a2 LOGIN {1+}\r\nu p\r\n"))
	equalLines(t, "literal+", c.until("a2"), []string{"a2 BAD literal not accepted: LITERAL+ is not advertised"})
	if n := s.EarlyBytes(); n != early+1 {
		t.Errorf("EarlyBytes = %d after {1+}, want %d", n, early+1)
	}
	equalLines(t, "in step", c.cmd("a3", "NOOP"), []string{"a3 OK NOOP completed"})
}

func TestRefuseLiteralServer(t *testing.T) {
	for _, bad := range []bool{false, true} {
		s := RefuseLiteralServer(t, bad)
		refusal := " NO [TOOBIG] too big"
		if bad {
			refusal = " BAD literal refused"
		}
		c := dial(t, s.Addr)
		c.line()
		equalLines(t, "login", c.cmd("a1", "LOGIN u p"), []string{"a1 OK LOGIN completed"})
		equalLines(t, "append", c.cmd("a2", "APPEND INBOX {10}"), []string{"a2" + refusal})
		equalLines(t, "noop", c.cmd("a3", "NOOP"), []string{"a3 OK NOOP completed"})
		c.nc.Write([]byte("a4 APPEND INBOX {3+}\r\nabc\r\n"))
		equalLines(t, "literal+", c.until("a4"), []string{"a4" + refusal})
		equalLines(t, "select", c.cmd("a5", "SELECT INBOX"), []string{"* 0 EXISTS", "* OK [UIDVALIDITY 1] UIDs valid", "a5 OK SELECT completed"})
		equalLines(t, "logout", c.cmd("a6", "LOGOUT"), []string{"* BYE logging out", "a6 OK LOGOUT completed"})
		equalLines(t, "Log", s.Log(), []string{"a1 LOGIN u p", "a2 APPEND INBOX {10}", "a3 NOOP", "a4 APPEND INBOX {3+}", "", "a5 SELECT INBOX", "a6 LOGOUT"})
	}
}
