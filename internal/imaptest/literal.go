package imaptest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// earlyWait is how long NoLiteralPlus waits before sending "+", to catch
// clients that send a synchronizing literal without waiting for it.
const earlyWait = 200 * time.Millisecond

// NoLiteralPlus is a server that does not advertise LITERAL+ (RFC 7888) and
// checks that the client waits for "+ go ahead" before sending each
// literal (RFC 3501 section 7.5). It handles CAPABILITY, LOGIN (any
// credentials), SELECT/EXAMINE, APPEND (answering
// "tag OK [APPENDUID 7 N] APPEND completed"), FETCH n BODY[] of appended
// messages (also BODY.PEEK[], RFC822 and UID FETCH, UID = N), NOOP and
// LOGOUT. A non-synchronizing {N+} literal is read, counted as early and
// the command answered BAD. Its methods are safe for concurrent use.
type NoLiteralPlus struct {
	*Server

	mu       sync.Mutex
	early    int
	literals [][]byte
	appended [][]byte
}

// EarlyBytes returns how many bytes the client sent after a literal
// announcement before it was sent "+": 0 for a correct client.
func (s *NoLiteralPlus) EarlyBytes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.early
}

// Literals returns every literal received, in order.
func (s *NoLiteralPlus) Literals() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.literals)
}

// Appended returns the messages stored by APPEND; message N has UID N.
func (s *NoLiteralPlus) Appended() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.appended)
}

// NoLiteralPlusServer starts a NoLiteralPlus.
func NoLiteralPlusServer(t testing.TB) *NoLiteralPlus {
	s := &NoLiteralPlus{}
	s.Server = NewServer(t, s.serve)
	return s
}

func (s *NoLiteralPlus) cont(c *Conn) func(int64, bool) bool {
	return func(n int64, plus bool) bool {
		if plus {
			s.mu.Lock()
			s.early += int(n)
			s.mu.Unlock()
			return false
		}
		if n > maxLiteral {
			return false
		}
		if got, buffered := c.Pending(earlyWait); got {
			s.mu.Lock()
			s.early += buffered
			s.mu.Unlock()
		}
		c.Send("+ go ahead")
		return true
	}
}

func (s *NoLiteralPlus) serve(c *Conn) {
	c.Send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] imaptest server without LITERAL+ ready")
	for {
		cmd, ok, err := readCommand(c, s.cont(c))
		if err != nil {
			return
		}
		tag, name, args := splitCommand(cmd)
		nodes, perr := tokenize(args)
		s.mu.Lock()
		for _, n := range nodes {
			if n.lit {
				s.literals = append(s.literals, []byte(*n.str))
			}
		}
		s.mu.Unlock()
		if !ok || perr != nil {
			c.Send(tag + " BAD literal not accepted: LITERAL+ is not advertised")
			continue
		}
		uid := false
		if name == "UID" && len(nodes) > 0 {
			name, nodes, uid = strings.ToUpper(nodes[0].atom), nodes[1:], true
		}
		switch name {
		case "CAPABILITY":
			c.Send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
		case "LOGOUT":
			c.Send("* BYE logging out")
			c.Send(tag + " OK LOGOUT completed")
			return
		case "SELECT", "EXAMINE":
			s.mu.Lock()
			c.Send(fmt.Sprintf("* %d EXISTS", len(s.appended)))
			c.Send(fmt.Sprintf("* OK [UIDNEXT %d] next UID", len(s.appended)+1))
			s.mu.Unlock()
			c.Send("* OK [UIDVALIDITY 7] UIDs valid")
			name = "[READ-WRITE] " + name
		case "APPEND":
			if len(nodes) < 2 || nodes[len(nodes)-1].str == nil {
				c.Send(tag + " BAD APPEND needs a mailbox and a message")
				continue
			}
			s.mu.Lock()
			s.appended = append(s.appended, []byte(*nodes[len(nodes)-1].str))
			n := len(s.appended)
			s.mu.Unlock()
			c.Send(fmt.Sprintf("%s OK [APPENDUID 7 %d] APPEND completed", tag, n))
			continue
		case "FETCH":
			if !s.fetch(c, tag, nodes, uid) {
				continue
			}
		case "LOGIN", "AUTHENTICATE", "NOOP", "CHECK", "CLOSE":
		default:
			c.Send(tag + " BAD unknown command")
			continue
		}
		c.Send(tag + " OK " + name + " completed")
	}
}

// fetch answers "FETCH n BODY[]" for one appended message.
func (s *NoLiteralPlus) fetch(c *Conn, tag string, nodes []node, uid bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int
	if len(nodes) == 2 {
		n, _ = strconv.Atoi(nodes[0].atom)
	}
	if n < 1 || n > len(s.appended) {
		c.Send(tag + " BAD FETCH n BODY[] with 1 <= n <= EXISTS, please")
		return false
	}
	msg := s.appended[n-1]
	extra := ""
	if uid {
		extra = fmt.Sprintf("UID %d ", n)
	}
	c.SendRaw([]byte(fmt.Sprintf("* %d FETCH (%sBODY[] {%d}\r\n%s)\r\n", n, extra, len(msg), msg)))
	return true
}

// RefuseLiteralServer answers every literal announcement {N} (and {N+},
// whose bytes it reads and drops) with "tag NO [TOOBIG] too big" (with bad,
// "tag BAD literal refused") instead of "+", and keeps serving: LOGIN,
// SELECT, NOOP and any other command without a literal complete OK
// (SELECT reports "* 0 EXISTS"), LOGOUT answers BYE. Use Log to see what
// the client sent.
func RefuseLiteralServer(t testing.TB, bad bool) *Server {
	refusal := " NO [TOOBIG] too big"
	if bad {
		refusal = " BAD literal refused"
	}
	return NewServer(t, func(c *Conn) {
		c.Send("* OK [CAPABILITY IMAP4rev1] imaptest server refusing literals ready")
		for {
			cmd, ok, err := readCommand(c, func(int64, bool) bool { return false })
			if err != nil {
				return
			}
			tag, name := commandName(cmd)
			switch {
			case !ok:
				c.Send(tag + refusal)
				continue
			case name == "LOGOUT":
				c.Send("* BYE logging out")
				c.Send(tag + " OK LOGOUT completed")
				return
			case name == "CAPABILITY":
				c.Send("* CAPABILITY IMAP4rev1")
			case name == "SELECT" || name == "EXAMINE":
				c.Send("* 0 EXISTS")
				c.Send("* OK [UIDVALIDITY 1] UIDs valid")
			}
			c.Send(tag + " OK " + name + " completed")
		}
	})
}
