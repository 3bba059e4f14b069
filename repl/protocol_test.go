package repl

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/wire"
)

// literalHeaderRe matches a line that ends in a literal header.
var literalHeaderRe = regexp.MustCompile(`\{(\d+)\+?\}$`)

// scripted starts a server that sends greeting, then hands each command
// line to answer; answer returns false to end the connection.
func scripted(t *testing.T, greeting string, answer func(c *imaptest.Conn, tag, name, line string) bool) *imaptest.Server {
	return imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send(greeting)
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, rest, _ := strings.Cut(line, " ")
			name, _, _ := strings.Cut(strings.ToUpper(rest), " ")
			if name == "LOGOUT" {
				c.Send("* BYE bye")
				c.Send(tag + " OK LOGOUT completed")
				return
			}
			if !answer(c, tag, name, line) {
				return
			}
		}
	})
}

func TestLoginWithLiteralPassword(t *testing.T) {
	var gotPass []byte
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] no AUTH=PLAIN here", func(c *imaptest.Conn, tag, name, line string) bool {
		switch name {
		case "LOGIN":
			m := literalHeaderRe.FindStringSubmatch(line)
			if m == nil || !strings.HasPrefix(line, tag+" LOGIN alice {") {
				t.Errorf("LOGIN line %q: want the user as an atom and the password as a literal", line)
				c.Send(tag + " BAD")
				return true
			}
			n, _ := strconv.Atoi(m[1])
			c.Send("+ go ahead")
			gotPass, _ = c.ReadN(n)
			if rest, _ := c.ReadLine(); rest != "" {
				t.Errorf("after the literal: %q, want an empty line", rest)
			}
			c.Send("* CAPABILITY IMAP4rev1 UIDPLUS")
			c.Send(tag + " OK logged in")
		default:
			c.Send(tag + " OK " + name + " done")
		}
		return true
	})
	pass := "pä\"ss wörd"
	r := runScript(t, srv.Addr, "alice", pass, "NOOP\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	if string(gotPass) != pass {
		t.Errorf("server got password %q, want %q", gotPass, pass)
	}
	if strings.Contains(r.Out, "wörd") {
		t.Errorf("the password was shown:\n%s", r.Out)
	}
	// The untagged CAPABILITY that came with the login (as Gmail sends it)
	// is taken: imapsh does not ask again.
	if strings.Count(r.Out, "C: a00") != 3 || strings.Contains(r.Out, "C: a002 CAPABILITY") {
		t.Errorf("unexpected commands after a login that brought capabilities:\n%s", r.Out)
	}
}

func TestConnectionDropsMidLiteral(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		if name == "APPEND" {
			c.Send("+ send it")
			c.ReadN(1000)
			return false // hang up in the middle of the literal
		}
		c.Send(tag + " OK " + name + " done")
		return true
	})
	path := filepath.Join(t.TempDir(), "big.eml")
	os.WriteFile(path, []byte("Subject: big\r\n\r\n"+strings.Repeat("0123456789\r\n", 500000)), 0o600)
	r := runScript(t, srv.Addr, "", "", "NOOP\nAPPEND INBOX <"+path+"\nNOOP\n")
	var ce *ConnError
	if !errors.As(r.Err, &ce) {
		t.Fatalf("Run = %v, want a connection error\n%s", r.Err, r.Out)
	}
	if !strings.Contains(r.Err.Error(), "did not complete (no tagged OK)") {
		t.Errorf("the error does not say the APPEND did not happen: %v", r.Err)
	}
}

func TestAppendLimitRefusedBeforeSending(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1 LITERAL+ APPENDLIMIT=100] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		c.Send(tag + " OK " + name + " done")
		return true
	})
	path := filepath.Join(t.TempDir(), "m.eml")
	os.WriteFile(path, []byte(strings.Repeat("x", 101)), 0o600)
	r := runScript(t, srv.Addr, "", "", "APPEND INBOX <"+path+"\nNOOP\n")
	if !errors.Is(r.Err, ErrFailed) || !strings.Contains(r.Out, "over the server's APPENDLIMIT of 100: nothing was sent") {
		t.Fatalf("Run = %v\n%s", r.Err, r.Out)
	}
	for _, l := range srv.Log() {
		if strings.Contains(l, "APPEND") {
			t.Errorf("APPEND was sent: %q", l)
		}
	}
}

func TestUnsolicitedResponsesMidCommand(t *testing.T) {
	// Untagged responses of any kind may come between a command's own
	// responses; they must not end the command or be lost (the imaplib2
	// bug in the Gmail seed).
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		switch name {
		case "FETCH":
			c.Send("* 1 FETCH (UID 10 BODY[] {23}")
			c.SendRaw([]byte("a002 OK fake completion"))
			c.Send(")")
			c.Send("* 7 EXISTS")
			c.Send("* CAPABILITY IMAP4rev1 UIDPLUS")
			c.Send("* 2 FETCH (UID 11)")
			c.Send(tag + " OK FETCH completed")
		case "SELECT":
			c.Send("* 2 EXISTS")
			c.Send(tag + " OK [READ-WRITE] done")
		default:
			c.Send(tag + " OK done")
		}
		return true
	})
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nFETCH 1:2 (UID BODY[])\nNOOP\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	want := "S: * 1 FETCH (UID 10 BODY[] {23}\nS: a002 OK fake completion)\nS: * 7 EXISTS\nS: * CAPABILITY IMAP4rev1 UIDPLUS\nS: * 2 FETCH (UID 11)\nS: a002 OK FETCH completed\nC: a003 NOOP"
	if !strings.Contains(r.Out, want) {
		t.Errorf("transcript lacks\n%s\ngot:\n%s", want, r.Out)
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	for _, greeting := range []string{"", "* OK [CAPABILITY IMAP4rev1 STARTTLS] then silence"} {
		srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
			if greeting != "" {
				c.Send(greeting)
			}
			c.ReadLine() // and never answer
			c.ReadLine()
		})
		host, port, _ := strings.Cut(srv.Addr, ":")
		p, _ := strconv.Atoi(port)
		var out strings.Builder
		no := false
		sec := wire.Plaintext
		if greeting != "" {
			sec = wire.StartTLS
		}
		err := Run(context.Background(), Config{Host: host, Port: p, Security: sec, Color: "never",
			Timeout: 300 * time.Millisecond, Stdin: strings.NewReader("NOOP\n"), Stdout: &out, Stderr: &out,
			Interactive: &no, Getenv: func(string) string { return "" }})
		var ce *ConnError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "timeout") {
			t.Errorf("greeting %q: Run = %v, want a timeout ConnError", greeting, err)
		}
	}
}

func TestUnexpectedContinuationIgnored(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		if name == "NOOP" {
			c.Send("+ feed me")
			// Let the "+" arrive alone, as a server that waits for data.
			time.Sleep(100 * time.Millisecond)
		}
		c.Send(tag + " OK " + name + " done")
		return true
	})
	r := runScript(t, srv.Addr, "", "", "NOOP\nSELECT INBOX\nquit\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	// The watchdog (on by default) reports it; the engine's own warning
	// is then not printed a second time.
	if !strings.Contains(r.Out, "violation: [unsolicited-continuation]") || strings.Contains(r.Out, "NOOP takes no continuation") {
		t.Errorf("no warning:\n%s", r.Out)
	}
	log := strings.Join(srv.Log(), "\n")
	if !strings.Contains(log, "a002 SELECT INBOX") {
		t.Errorf("the next command was not sent with its tag:\n%s", log)
	}
}

func TestIdleTakesContinuationLines(t *testing.T) {
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1 IDLE] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		if name == "IDLE" {
			c.Send("+ idling")
			c.Send("* 3 EXISTS")
			if done, _ := c.ReadLine(); done != "DONE" {
				t.Errorf("after IDLE got %q, want DONE", done)
			}
		}
		c.Send(tag + " OK " + name + " done")
		return true
	})
	r := runScript(t, srv.Addr, "", "", "IDLE\nDONE\nNOOP\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	// The EXISTS pushed during IDLE may print before or after DONE is sent.
	for _, want := range []string{"C: a001 IDLE\nS: + idling\n", "S: * 3 EXISTS\n", "C: DONE\n", "S: a001 OK IDLE done\nC: a002 NOOP"} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("IDLE transcript lacks %q:\n%s", want, r.Out)
		}
	}
}
