package imaptest

import "strings"

// session is one client connection's state; it lives on the handler's
// goroutine. The fields marked "x.mu" are also written by other sessions and
// by the other-client methods, under x.mu.
type session struct {
	x        *Exchange
	c        *Conn
	id       int
	eol      string
	authed   bool
	sel      *mailbox
	readOnly bool
	done     bool
	name     string // upper-cased name of the command being run
	uid      bool   // the command being run is a UID command
	index    int    // commands received so far

	// Running command: its tag until the tagged OK or NO is sent, whether
	// x.mu is held while it runs, whether pending EXPUNGEs may be reported
	// at its end (RFC 3501 section 7.4.1), and whether FETCH met a message
	// expunged by another client.
	tag         string
	holding     bool
	expungeOK   bool
	expungeSeen bool

	// The selected mailbox as this session knows it (see exchange_notify.go).
	view     []*message        // in this session's sequence order; x.mu
	knownUID uint32            // highest UID announced to the session; x.mu
	gone     map[*message]bool // in view, expunged by another, not yet reported; x.mu
	changed  []*message        // in view, flags changed by another, not yet reported; x.mu
}

// send writes one line. Before the tagged OK or NO of the running command
// it reports what the session must be told (finish).
func (s *session) send(line string) {
	if s.tag != "" && (strings.HasPrefix(line, s.tag+" OK") || strings.HasPrefix(line, s.tag+" NO")) {
		s.tag = ""
		s.finish()
	}
	s.c.SendRaw([]byte(line + s.eol))
}

func (x *Exchange) serve(c *Conn) {
	s := &session{x: x, c: c, eol: "\r\n"}
	if x.cfg.BareLF {
		s.eol = "\n"
	}
	x.mu.Lock()
	x.nextID++
	s.id = x.nextID
	x.sessions[s] = true
	x.mu.Unlock()
	defer func() {
		x.mu.Lock()
		delete(x.sessions, s)
		x.mu.Unlock()
	}()
	s.send(x.cfg.Greeting)
	for !s.done {
		cmd, ok, err := readCommand(c, s.cont)
		if err != nil {
			return
		}
		x.mu.Lock()
		x.cmds = append(x.cmds, string(cmd))
		x.mu.Unlock()
		s.index++
		tag, name, args := splitCommand(cmd)
		if x.cfg.BeforeCommand != nil {
			hookName, hookArgs := name, string(args)
			if name == "UID" {
				sub, rest, _ := strings.Cut(hookArgs, " ")
				hookName, hookArgs = "UID "+strings.ToUpper(sub), rest
			}
			lines := x.cfg.BeforeCommand(x, Command{Session: s.id, Index: s.index, Tag: tag, Name: hookName,
				Args: hookArgs, Text: string(cmd)})
			for _, l := range lines {
				s.c.SendRaw([]byte(l + s.eol))
			}
		}
		switch {
		case tag == "":
			s.send("* BAD Command Error. 10")
		case name == "":
			s.send(tag + " BAD Command Error. 10")
		case !ok:
			s.send(tag + " BAD Command Argument Error. 11")
		default:
			s.dispatch(tag, name, args)
		}
	}
}

// cont answers a literal announcement the way Exchange does.
func (s *session) cont(n int64, plus bool) bool {
	if n > maxLiteral {
		return false
	}
	if !plus {
		s.send("+ Ready for additional command text.")
	}
	return true
}
