package imaptest

import (
	"encoding/base64"
	"fmt"
	"strings"
)

const argError = " BAD Command Argument Error. 11"

func (s *session) capability(tag string, _ []byte, _ bool) {
	s.send("* CAPABILITY " + s.x.cfg.Capabilities)
	s.send(tag + " OK CAPABILITY completed.")
}

func (s *session) noop(tag string, _ []byte, _ bool) { s.send(tag + " OK NOOP completed.") }

func (s *session) check(tag string, _ []byte, _ bool) { s.send(tag + " OK CHECK completed.") }

func (s *session) logout(tag string, _ []byte, _ bool) {
	s.send("* BYE Microsoft Exchange Server 2013 IMAP4 server signing off.")
	s.send(tag + " OK LOGOUT completed.")
	s.done = true
}

func (s *session) namespace(tag string, _ []byte, _ bool) {
	s.send(`* NAMESPACE (("" "/")) NIL NIL`)
	s.send(tag + " OK NAMESPACE completed.")
}

func (s *session) login(tag string, args []byte, _ bool) {
	n, err := tokenize(args)
	if err != nil || len(n) != 2 || n[0].isL || n[1].isL {
		s.send(tag + argError)
		return
	}
	if n[0].text() != s.x.cfg.User || n[1].text() != s.x.cfg.Password {
		s.send(tag + " NO LOGIN failed.")
		return
	}
	s.authed = true
	s.send(tag + " OK LOGIN completed.")
}

// authenticate implements AUTHENTICATE PLAIN (RFC 4616), with an initial
// response or after an empty "+ " challenge.
func (s *session) authenticate(tag string, args []byte, _ bool) {
	f := strings.Fields(string(args))
	if len(f) == 0 || len(f) > 2 {
		s.send(tag + argError)
		return
	}
	if !strings.EqualFold(f[0], "PLAIN") {
		s.send(tag + " NO AUTHENTICATE failed.")
		return
	}
	resp := ""
	if len(f) == 2 {
		resp = f[1]
	} else {
		s.send("+ ")
		line, err := s.c.ReadLine()
		if err != nil {
			s.done = true
			return
		}
		resp = line
	}
	if resp == "*" {
		s.send(tag + argError)
		return
	}
	if resp == "=" {
		resp = ""
	}
	raw, err := base64.StdEncoding.DecodeString(resp)
	parts := strings.Split(string(raw), "\x00")
	if err != nil || len(parts) != 3 || parts[1] != s.x.cfg.User || parts[2] != s.x.cfg.Password {
		s.send(tag + " NO AUTHENTICATE failed.")
		return
	}
	s.authed = true
	s.send(tag + " OK AUTHENTICATE completed.")
}

func (s *session) selectBox(tag string, args []byte, _ bool) {
	name := s.name
	readOnly := name == "EXAMINE"
	n, err := tokenize(args)
	if err != nil || len(n) != 1 || n[0].isL {
		s.send(tag + argError)
		return
	}
	s.sel, s.view, s.gone, s.changed = nil, nil, nil, nil
	b := s.x.box(n[0].text())
	if b == nil {
		s.send(tag + " NO The requested item could not be found.")
		return
	}
	s.sel, s.readOnly = b, readOnly
	s.resetView()
	s.send(fmt.Sprintf("* %d EXISTS", len(b.msgs)))
	s.send("* 0 RECENT")
	s.send("* FLAGS " + exchangeFlags)
	s.send("* OK [PERMANENTFLAGS " + exchangeFlags + "] Permanent flags")
	for i, m := range b.msgs {
		if !hasFlag(m.flags, `\Seen`) {
			s.send(fmt.Sprintf("* OK [UNSEEN %d] Is the first unseen message", i+1))
			break
		}
	}
	s.send(fmt.Sprintf("* OK [UIDVALIDITY %d] UIDVALIDITY value", b.uidValidity))
	s.send(fmt.Sprintf("* OK [UIDNEXT %d] The next unique identifier value", b.uidNext))
	mode := "[READ-WRITE]"
	if readOnly {
		mode = "[READ-ONLY]"
	}
	s.send(tag + " OK " + mode + " " + name + " completed.")
}

// mailboxName renders a mailbox name as an atom or a quoted string.
func mailboxName(name string) string {
	if name == "" || strings.ContainsAny(name, " ()\"\\{%*]") {
		return quote(name, false, "\r\n")
	}
	return name
}

func (s *session) list(tag string, args []byte, _ bool) {
	kind := s.name
	n, err := tokenize(args)
	if err != nil || len(n) != 2 || n[0].isL || n[1].isL {
		s.send(tag + argError)
		return
	}
	pattern := n[0].text() + n[1].text()
	if n[1].text() == "" && kind == "LIST" {
		s.send(`* LIST (\Noselect \HasChildren) "/" ""`)
		s.send(tag + " OK LIST completed.")
		return
	}
	for _, b := range s.x.boxes {
		if listMatch(pattern, b.name) {
			s.send(fmt.Sprintf(`* %s (%s) "/" %s`, kind, b.attrs, mailboxName(b.name)))
		}
	}
	s.send(tag + " OK " + kind + " completed.")
}

// listMatch matches a LIST pattern: "*" matches anything, "%" anything but
// the hierarchy delimiter "/"; INBOX is case-insensitive.
func listMatch(pattern, name string) bool {
	if name == "INBOX" {
		pattern = strings.ToUpper(pattern)
	}
	return wildMatch(pattern, name)
}

func wildMatch(p, s string) bool {
	for len(p) > 0 {
		if p[0] == '*' || p[0] == '%' {
			for i := 0; i <= len(s); i++ {
				if p[0] == '%' && i > 0 && s[i-1] == '/' {
					break
				}
				if wildMatch(p[1:], s[i:]) {
					return true
				}
			}
			return false
		}
		if len(s) == 0 || s[0] != p[0] {
			return false
		}
		p, s = p[1:], s[1:]
	}
	return s == ""
}

func (s *session) status(tag string, args []byte, _ bool) {
	n, err := tokenize(args)
	if err != nil || len(n) != 2 || n[0].isL || !n[1].isL {
		s.send(tag + argError)
		return
	}
	b := s.x.box(n[0].text())
	if b == nil {
		s.send(tag + " NO The requested item could not be found.")
		return
	}
	var out []string
	for _, it := range n[1].list {
		var v int
		switch strings.ToUpper(it.atom) {
		case "MESSAGES":
			v = len(b.msgs)
		case "RECENT":
		case "UIDNEXT":
			v = int(b.uidNext)
		case "UIDVALIDITY":
			v = int(b.uidValidity)
		case "UNSEEN":
			for _, m := range b.msgs {
				if !hasFlag(m.flags, `\Seen`) {
					v++
				}
			}
		default:
			s.send(tag + argError)
			return
		}
		out = append(out, fmt.Sprintf("%s %d", strings.ToUpper(it.atom), v))
	}
	s.send(fmt.Sprintf("* STATUS %s (%s)", mailboxName(b.name), strings.Join(out, " ")))
	s.send(tag + " OK STATUS completed.")
}

// idle implements IDLE (RFC 2177). Under NotifyDovecot and NotifyCourier
// it reports what is pending right after the "+" line; it reports nothing
// that happens while it waits for DONE.
func (s *session) idle(tag string, _ []byte, _ bool) {
	s.send("+ IDLE accepted, awaiting DONE command.")
	s.x.mu.Lock()
	if s.sel != nil {
		s.report(true)
	}
	s.x.mu.Unlock()
	line, err := s.c.ReadLine()
	if err != nil {
		s.done = true
		return
	}
	if !strings.EqualFold(line, "DONE") {
		s.send(tag + argError)
		return
	}
	s.send(tag + " OK IDLE completed.")
}
