package imaptest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Hostile is a server that misbehaves in one way, for the hostile-server
// suite (repl's hostile tests): Handle answers one command after the
// greeting; LOGIN, SELECT (3 EXISTS) and LOGOUT are answered as a server
// does unless Handle takes them (it returns false for those it leaves).
type Hostile struct {
	Greeting string // "* OK ..." if empty
	Handle   func(c *Conn, tag, name string, cmd []byte) bool
	// Literals says how a synchronizing literal of a command is met:
	// accepted with "+ go ahead" when nil.
	Literals func(c *Conn, n int64, plus bool) bool
}

// Start runs h on a new server.
func (h Hostile) Start(t testing.TB) *Server {
	return NewServer(t, func(c *Conn) {
		greeting := h.Greeting
		if greeting == "" {
			greeting = "* OK [CAPABILITY IMAP4rev1] imaptest hostile server ready"
		}
		c.Send(greeting)
		lit := goAhead(c, "+ go ahead")
		if h.Literals != nil {
			lit = func(n int64, plus bool) bool { return h.Literals(c, n, plus) }
		}
		for {
			cmd, ok, err := readCommand(c, lit)
			if err != nil {
				return
			}
			if !ok {
				continue // its literal was refused: answered already
			}
			tag, name := commandName(cmd)
			if h.Handle != nil && h.Handle(c, tag, name, cmd) {
				continue
			}
			switch name {
			case "LOGOUT":
				c.Send("* BYE logging out")
				c.Send(tag + " OK LOGOUT completed")
				return
			case "SELECT", "EXAMINE":
				c.Send("* 3 EXISTS")
				c.Send("* OK [UIDVALIDITY 7] UIDs valid")
				c.Send("* OK [UIDNEXT 14] next")
				c.Send(tag + " OK [READ-WRITE] " + name + " completed")
			default:
				c.Send(tag + " OK " + name + " completed")
			}
		}
	})
}

// hold keeps the connection open without a word until the client leaves
// (or a minute passes).
func hold(c *Conn) {
	c.SetTimeout(time.Minute)
	for {
		if _, err := c.ReadLine(); err != nil {
			return
		}
	}
}

// NeverEndingLiteral answers a FETCH with "* 1 FETCH (BODY[] {1000000}",
// 52 octets of it and then nothing, the connection held open.
func NeverEndingLiteral(t testing.TB) *Server {
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "FETCH" {
			return false
		}
		c.SendRaw([]byte("* 1 FETCH (BODY[] {1000000}\r\nSubject: never ends\r\n\r\nThe rest never comes.\r\n"))
		hold(c)
		return true
	}}.Start(t)
}

// Trickle answers the first NOOP with "* OK " and then one octet of "x"
// every interval, never a line end, until the client leaves.
func Trickle(t testing.TB, interval time.Duration) *Server {
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "NOOP" {
			return false
		}
		c.SendRaw([]byte("* OK "))
		for range int(time.Minute / interval) {
			time.Sleep(interval)
			c.wmu.Lock()
			c.nc.SetWriteDeadline(time.Now().Add(c.timeout))
			_, err := c.nc.Write([]byte("x"))
			c.wmu.Unlock()
			if err != nil {
				return true
			}
		}
		return true
	}}.Start(t)
}

// UnknownTag answers a NOOP with the completion of a tag nobody sent
// ("zz999 OK"), then with its own.
func UnknownTag(t testing.TB) *Server {
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "NOOP" {
			return false
		}
		c.Send("zz999 OK completed, whatever it was")
		c.Send(tag + " OK NOOP completed")
		return true
	}}.Start(t)
}

// OKBeforeLiteral meets a synchronizing literal (APPEND's message) with
// the command's tagged OK instead of "+": the literal must then not be
// sent, or its lines would be read as commands. It offers no LITERAL+.
// Every line it reads is in Log.
func OKBeforeLiteral(t testing.TB) *Server {
	return Hostile{Literals: func(c *Conn, n int64, plus bool) bool {
		log := c.Log() // the line that announced the literal is the last
		tag, _, _ := strings.Cut(log[len(log)-1], " ")
		c.Send(tag + " OK APPEND completed without your message")
		return false
	}}.Start(t)
}

// ExpungeDuringFetch answers FETCH 1:3 with message 2 expunged between
// the FETCH responses of 1 and 3, which RFC 9051 section 7.5.1 forbids
// (the sequence numbers the FETCH uses would shift under it).
func ExpungeDuringFetch(t testing.TB) *Server {
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "FETCH" {
			return false
		}
		c.Send("* 1 FETCH (UID 11 FLAGS (\\Seen))")
		c.Send("* 2 EXPUNGE")
		c.Send("* 2 FETCH (UID 13 FLAGS ())")
		c.Send(tag + " OK FETCH completed")
		return true
	}}.Start(t)
}

// CapabilityMidFetch sends "* CAPABILITY" between the literal of one
// FETCH response and the next response of the same command.
func CapabilityMidFetch(t testing.TB) *Server {
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "FETCH" {
			return false
		}
		c.SendRaw([]byte("* 1 FETCH (UID 11 BODY[] {12}\r\nHello there!)\r\n"))
		c.Send("* CAPABILITY IMAP4rev1 UIDPLUS X-CHANGED-MIDWAY")
		c.Send("* 2 FETCH (UID 12 BODY[] NIL)")
		c.Send(tag + " OK FETCH completed")
		return true
	}}.Start(t)
}

// HugeLiteralSize answers a FETCH with "* 1 FETCH (BODY[] {N}" where N is
// 2^64 (more octets than any client can count), then 20 octets and the
// tagged OK, as if the literal had been that short.
func HugeLiteralSize(t testing.TB) *Server {
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "FETCH" {
			return false
		}
		c.SendRaw([]byte("* 1 FETCH (BODY[] {18446744073709551616}\r\nSubject: short\r\n\r\n)\r\n"))
		c.Send(tag + " OK FETCH completed")
		return true
	}}.Start(t)
}

// OutOfRange answers a FETCH with numbers over 2^32-1 where RFC 9051
// allows 32-bit ones: a message number (EXISTS and FETCH), a UID, a
// UIDNEXT and a UIDVALIDITY; each response is otherwise well formed.
func OutOfRange(t testing.TB) *Server {
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "FETCH" {
			return false
		}
		c.Send("* 4294967296 EXISTS")
		c.Send("* 3 FETCH (UID 4294967296 FLAGS ())")
		c.Send("* 99999999999 FETCH (FLAGS ())")
		c.Send("* OK [UIDNEXT 99999999999] next")
		c.Send(tag + " OK [UIDVALIDITY 18446744073709551616] FETCH completed")
		return true
	}}.Start(t)
}

// ManyCapabilities answers CAPABILITY with n capabilities (X-CAP-1 ...).
func ManyCapabilities(t testing.TB, n int) *Server {
	var b strings.Builder
	b.WriteString("* CAPABILITY IMAP4rev1 LITERAL+")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, " X-CAP-%d", i)
	}
	list := b.String()
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "CAPABILITY" {
			return false
		}
		c.Send(list)
		c.Send(tag + " OK CAPABILITY completed")
		return true
	}}.Start(t)
}

// ManyMailboxes answers LIST with n mailboxes, "Folder/00001" and on.
func ManyMailboxes(t testing.TB, n int) *Server {
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "LIST" {
			return false
		}
		var b strings.Builder
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "* LIST (\\HasNoChildren) \"/\" Folder/%05d\r\n", i)
		}
		c.SendRaw([]byte(b.String()))
		c.Send(tag + " OK LIST completed")
		return true
	}}.Start(t)
}

// EvilMailboxes answers LIST with mailbox names that carry escapes: a
// quoted string with ESC sequences (which the grammar forbids), a literal
// with a right-to-left override and BEL, and a modified UTF-7 name that
// decodes to an escape; a SELECT of anything succeeds.
func EvilMailboxes(t testing.TB) *Server {
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "LIST" {
			return false
		}
		c.Send("* LIST () \"/\" \"Inbox\x1b[2J\x1b]0;pwned\x07\"")
		lit := "evil\u202eexe.txt\x07"
		c.SendRaw([]byte(fmt.Sprintf("* LIST () \"/\" {%d}\r\n%s\r\n", len(lit), lit)))
		c.Send("* LIST () \"/\" \"&ABs-[31mred\"")
		c.Send(tag + " OK LIST completed")
		return true
	}}.Start(t)
}

// UnaskedContinuation answers a NOOP with "+ feed me", a continuation
// request no command asked for, before the NOOP's OK.
func UnaskedContinuation(t testing.TB) *Server {
	return Hostile{Handle: func(c *Conn, tag, name string, _ []byte) bool {
		if name != "NOOP" {
			return false
		}
		c.Send("+ feed me \x1b[31m")
		time.Sleep(50 * time.Millisecond) // let the "+" arrive alone
		c.Send(tag + " OK NOOP completed")
		return true
	}}.Start(t)
}

// StartTLSPlaintext offers STARTTLS, answers it OK and then goes on in
// clear (with an escape sequence in its text) instead of a TLS handshake:
// the client must stop, and send nothing more, the password least of all.
// Every line it reads is in Log.
func StartTLSPlaintext(t testing.TB) *Server {
	return Hostile{
		Greeting: "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready",
		Handle: func(c *Conn, tag, name string, _ []byte) bool {
			if name != "STARTTLS" {
				return false
			}
			c.Send(tag + " OK begin TLS now")
			c.Send("* OK \x1b[2J still in clear, send me your password")
			hold(c)
			return true
		},
	}.Start(t)
}

// Unanswering greets and then answers nothing: it reads what the client
// sends until the client leaves.
func Unanswering(t testing.TB) *Server {
	return NewServer(t, func(c *Conn) {
		c.Send("* OK [CAPABILITY IMAP4rev1] imaptest server ready, and that is all")
		hold(c)
	})
}
