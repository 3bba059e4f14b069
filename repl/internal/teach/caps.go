package teach

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// phase is a part of a connection whose capabilities may differ.
type phase uint8

const (
	beforeLogin phase = iota
	afterTLS
	afterLogin
)

var phaseNames = [...]string{beforeLogin: "before login", afterTLS: "after STARTTLS", afterLogin: "after login"}

// Caps records the capability lists a server advertises (CAPABILITY
// responses and [CAPABILITY] codes) before login, after STARTTLS and after
// login, so that caps can say what changed. It is a session.Observer; it is
// safe for concurrent use. A connection that ends starts the record over.
type Caps struct {
	mu    sync.Mutex
	phase phase
	lists [3][]string
	seen  [3]bool
	tags  map[string]string // tag -> command name, for the commands in flight
	fresh bool
	// held is a list that came while a login was in flight: Gmail sends
	// the new list untagged just before the login's OK, so it belongs to
	// the phase the login's outcome decides.
	held []string
}

// NewCaps returns an empty record.
func NewCaps() *Caps { return &Caps{tags: map[string]string{}} }

// Interest names the events Caps reads.
func (c *Caps) Interest() session.Kinds {
	return session.KindsOf(session.Sent, session.Closed, session.End)
}

// Observe records capability lists from the events of a session.
func (c *Caps) Observe(e *session.Event) {
	if e.Kind == session.End && e.Resp != nil {
		// Untagged data other than CAPABILITY (FETCH, EXISTS ...) says
		// nothing of capabilities: no need to lock for it.
		if h := &e.Resp.Head; h.Kind == wire.Untagged && !h.IsStatus() && h.Name != "CAPABILITY" {
			return
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch e.Kind {
	case session.Sent:
		if _, ok := c.tags[e.Tag]; !ok && e.Tag != "" {
			c.tags[e.Tag] = sentName(e.Line)
		}
	case session.Closed:
		c.fresh = true
	case session.End:
		if e.Resp == nil {
			return
		}
		if c.fresh {
			c.phase, c.lists, c.seen, c.tags, c.fresh, c.held = beforeLogin, [3][]string{}, [3]bool{}, map[string]string{}, false, nil
		}
		c.response(e.Resp.Head, e.Resp.Raw)
	}
}

// sentName is the command name of a line as sent, tag first.
func sentName(line string) string {
	_, text, _ := strings.Cut(line, " ")
	name, _ := session.CommandName(text)
	return name
}

func (c *Caps) response(h wire.Head, raw []byte) {
	if h.Kind == wire.Tagged {
		name := c.tags[h.Tag]
		delete(c.tags, h.Tag)
		if h.Name == "OK" {
			switch name {
			case "LOGIN", "AUTHENTICATE":
				c.phase = afterLogin
			case "UNAUTHENTICATE":
				c.phase = beforeLogin
			}
		}
		if c.held != nil && (name == "LOGIN" || name == "AUTHENTICATE") {
			c.record(c.held)
			c.held = nil
		}
		if h.CodeName() == "CAPABILITY" {
			c.record(strings.Fields(h.CodeArg()))
		}
		if h.Name == "OK" && name == "STARTTLS" {
			// What was said before TLS is not trusted (RFC 9051 section
			// 6.2.1): the lists start again.
			c.phase = afterTLS
		}
		return
	}
	switch {
	case h.Name == "PREAUTH":
		c.phase = afterLogin
	case h.Name == "CAPABILITY":
		fields := strings.Fields(strings.TrimRight(string(raw), "\r\n"))
		list := append([]string{}, fields[min(2, len(fields)):]...)
		if c.loginInFlight() {
			c.held = list
		} else {
			c.record(list)
		}
		return
	}
	if h.IsStatus() && h.CodeName() == "CAPABILITY" {
		c.record(strings.Fields(h.CodeArg()))
	}
}

func (c *Caps) loginInFlight() bool {
	for _, name := range c.tags {
		if name == "LOGIN" || name == "AUTHENTICATE" {
			return true
		}
	}
	return false
}

func (c *Caps) record(list []string) {
	c.lists[c.phase] = append([]string(nil), list...)
	c.seen[c.phase] = true
}

// Known reports whether any capability list has been seen on this
// connection.
func (c *Caps) Known() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.fresh && (c.seen[0] || c.seen[1] || c.seen[2])
}

// Report lists the latest capabilities by group with what each means, and
// what changed after STARTTLS and after login.
func (c *Caps) Report() string {
	c.mu.Lock()
	lists, seen := c.lists, c.seen
	c.mu.Unlock()
	last := -1
	for p := range seen {
		if seen[p] {
			last = p
		}
	}
	if last < 0 {
		return "no capability list seen yet: send CAPABILITY"
	}
	name := func(p int) string {
		if p == int(beforeLogin) && seen[afterTLS] {
			return "before STARTTLS"
		}
		return phaseNames[p]
	}
	var b strings.Builder
	cur := lists[last]
	fmt.Fprintf(&b, "The server's capabilities %s (%d):", name(last), len(cur))
	writeGroups(&b, cur)
	prev := -1
	for p := 0; p < len(seen); p++ {
		if !seen[p] {
			continue
		}
		if prev >= 0 {
			added, gone := diff(lists[prev], lists[p])
			fmt.Fprintf(&b, "\nChanged %s (compared with %s):", name(p), name(prev))
			if len(added) == 0 && len(gone) == 0 {
				b.WriteString(" nothing")
			}
			if len(added) > 0 {
				fmt.Fprintf(&b, "\n  new:  %s", strings.Join(added, " "))
			}
			if len(gone) > 0 {
				fmt.Fprintf(&b, "\n  gone: %s", strings.Join(gone, " "))
			}
		} else if p != last {
			fmt.Fprintf(&b, "\n%s the server offered (%d): %s", upperFirst(name(p)), len(lists[p]), strings.Join(lists[p], " "))
		}
		prev = p
	}
	if last == int(beforeLogin) {
		b.WriteString("\nServers may offer more after login (Gmail turns features on per user) and must be asked again after STARTTLS.")
	}
	return b.String()
}

func writeGroups(b *strings.Builder, list []string) {
	var unknown []string
	byGroup := make([][]string, len(groupTitles))
	for _, name := range list {
		info, ok := lookupCap(name)
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		line := fmt.Sprintf("  %-22s %s (%s)", name, info.Meaning, info.RFC)
		byGroup[info.Group] = append(byGroup[info.Group], line)
	}
	for g, lines := range byGroup {
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(b, "\n%s:\n%s", groupTitles[g], strings.Join(lines, "\n"))
	}
	if len(unknown) > 0 {
		fmt.Fprintf(b, "\nNot in imapsh's table (look them up in the IANA IMAP capabilities registry): %s", strings.Join(unknown, " "))
	}
}

// diff returns what b has that a lacks, and what a has that b lacks,
// ignoring case.
func diff(a, b []string) (added, gone []string) {
	has := func(list []string, s string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
	}
	for _, s := range b {
		if !has(a, s) {
			added = append(added, s)
		}
	}
	for _, s := range a {
		if !has(b, s) {
			gone = append(gone, s)
		}
	}
	return added, gone
}
