package imaptest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Evil is server text built to attack a terminal: clear screen, set the
// window title, color, a C1 CSI (UTF-8 and raw byte), a right-to-left
// override, DEL, BEL and NUL. It holds no CR or LF, so lines stay framed.
const Evil = "\x1b[2J\x1b]0;pwned\x07\x1b[31mred\x1b[0m c1:\u009b31m raw:\x9b " +
	"bidi:\u202Etxt.exe\u202C del:\x7f nul:\x00 bell:\x07 end"

// EvilCode is the evil atom EscapeServer puts inside response codes.
const EvilCode = "X-EVIL\x1b[31m\u009b\u202E\x7f"

// EvilLiteral is the message EscapeServer returns for any FETCH.
const EvilLiteral = "From: " + Evil + "\r\nSubject: " + Evil + "\r\n\r\n" + Evil + "\r\n"

// commandName returns the tag and the command name, looking through UID.
func commandName(cmd []byte) (tag, name string) {
	tag, name, args := splitCommand(cmd)
	if name == "UID" {
		sub, _, _ := strings.Cut(string(args), " ")
		name = strings.ToUpper(sub)
	}
	return tag, name
}

// goAhead returns a literal callback that accepts every literal up to
// maxLiteral, sending cont for synchronizing ones.
func goAhead(c *Conn, cont string) func(int64, bool) bool {
	return func(n int64, plus bool) bool {
		if n > maxLiteral {
			return false
		}
		if !plus {
			c.Send(cont)
		}
		return true
	}
}

// EscapeServer sends Evil in its greeting, in a response code, in every
// untagged and tagged response, in continuation requests and, for any
// FETCH, inside the literal of "* 1 FETCH (FLAGS (\Seen) BODY[] {N}".
// Every command completes OK; LOGOUT answers BYE and closes.
func EscapeServer(t testing.TB) *Server {
	return NewServer(t, func(c *Conn) {
		c.Send("* OK [CAPABILITY IMAP4rev1 LITERAL+ " + EvilCode + "] " + Evil)
		for {
			cmd, _, err := readCommand(c, goAhead(c, "+ "+Evil))
			if err != nil {
				return
			}
			tag, name := commandName(cmd)
			c.Send("* OK " + Evil)
			switch name {
			case "LOGOUT":
				c.Send("* BYE " + Evil)
				c.Send(tag + " OK " + Evil)
				return
			case "SELECT", "EXAMINE":
				c.Send("* 1 EXISTS")
			case "FETCH":
				c.Send(fmt.Sprintf("* 1 FETCH (FLAGS (\\Seen) BODY[] {%d}\r\n%s)", len(EvilLiteral), EvilLiteral))
			}
			c.Send(tag + " OK [" + EvilCode + "] " + Evil)
		}
	})
}

// LongLineServer answers the first command after its greeting with an
// untagged line of n bytes ("* OK xxxx...") that has no line end before
// byte n; then it sends CRLF and "tag OK done" and answers every later
// command OK (LOGOUT with BYE). The line is written in 64 KiB chunks and
// abandoned if the client stops reading or disconnects.
func LongLineServer(t testing.TB, n int) *Server {
	return NewServer(t, func(c *Conn) {
		c.Send("* OK imaptest long-line server ready")
		first := true
		for {
			cmd, _, err := readCommand(c, goAhead(c, "+ go ahead"))
			if err != nil {
				return
			}
			tag, name := commandName(cmd)
			if name == "LOGOUT" {
				c.Send("* BYE logging out")
				c.Send(tag + " OK LOGOUT completed")
				return
			}
			if first {
				first = false
				if !sendLong(c, n) {
					return
				}
				c.SendRaw([]byte("\r\n"))
			}
			c.Send(tag + " OK done")
		}
	})
}

func sendLong(c *Conn, n int) bool {
	head := "* OK "[:min(n, 5)]
	c.SendRaw([]byte(head))
	chunk := []byte(strings.Repeat("x", 64<<10))
	for left := n - len(head); left > 0; left -= len(chunk) {
		c.wmu.Lock()
		c.nc.SetWriteDeadline(time.Now().Add(c.timeout))
		_, err := c.nc.Write(chunk[:min(left, len(chunk))])
		c.wmu.Unlock()
		if err != nil {
			return false
		}
	}
	return true
}

// HugeLiteralServer answers LOGIN, SELECT and the like OK ("* 1 EXISTS" for
// SELECT); a FETCH gets "* 1 FETCH (BODY[] {99999999999}", about 4 KiB of
// text, and then the connection is closed.
func HugeLiteralServer(t testing.TB) *Server {
	return NewServer(t, func(c *Conn) {
		c.Send("* OK imaptest huge-literal server ready")
		for {
			cmd, _, err := readCommand(c, goAhead(c, "+ go ahead"))
			if err != nil {
				return
			}
			tag, name := commandName(cmd)
			switch name {
			case "LOGOUT":
				c.Send("* BYE logging out")
				c.Send(tag + " OK LOGOUT completed")
				return
			case "SELECT", "EXAMINE":
				c.Send("* 1 EXISTS")
				c.Send("* OK [UIDVALIDITY 1] UIDs valid")
			case "FETCH":
				c.SendRaw([]byte("* 1 FETCH (BODY[] {99999999999}\r\n"))
				c.SendRaw([]byte("Subject: huge\r\n\r\n" + strings.Repeat("This literal never ends.\r\n", 160)))
				return
			}
			c.Send(tag + " OK " + name + " completed")
		}
	})
}

// ByeMidCommand answers commands OK until LOGIN succeeds (any credentials);
// the first command after LOGIN gets "* BYE server shutting down" and the
// socket is closed without a tagged response.
func ByeMidCommand(t testing.TB) *Server {
	return NewServer(t, func(c *Conn) {
		c.Send("* OK imaptest server ready")
		loggedIn := false
		for {
			cmd, _, err := readCommand(c, goAhead(c, "+ go ahead"))
			if err != nil {
				return
			}
			tag, name := commandName(cmd)
			switch {
			case loggedIn:
				c.Send("* BYE server shutting down")
				return
			case name == "CAPABILITY":
				c.Send("* CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN")
			case name == "LOGIN":
				loggedIn = true
			case name == "LOGOUT":
				c.Send("* BYE logging out")
				c.Send(tag + " OK LOGOUT completed")
				return
			}
			c.Send(tag + " OK " + name + " completed")
		}
	})
}
