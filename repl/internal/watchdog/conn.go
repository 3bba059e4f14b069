package watchdog

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// conn is the watchdog's model of one connection, built from the events
// alone: doesn't perform I/O, used under the Watchdog's lock.
type conn struct {
	shown map[string]int  // findings per rule on this connection
	notes map[string]bool // teaching notes given on this connection

	authed    bool
	caps      map[string]bool // nil until the server lists them
	enabled   map[string]bool // extensions ENABLEd (RFC 5161) and confirmed by ENABLED
	condstore bool            // a CONDSTORE enabling command was sent (RFC 7162 section 3.1)
	update    bool            // a search asked for UPDATE results (RFC 5267): ESEARCH may come any time
	notify    bool            // NOTIFY SET (RFC 5465): the server may report removals without a command

	cmds  map[string]*cmd // in flight, by tag
	order []*cmd          // in flight, in the order sent

	box  *mailbox // the selected mailbox, or the one a SELECT in flight opens; nil when none
	prev *mailbox // the mailbox a SELECT in flight replaced: selected again if it fails BAD

	r           resp   // the response being read
	first       []byte // its first line (up to its first literal), clipped
	evbuf       []byte // scratch for the evidence line
	n           int    // responses read
	prevLiteral bool   // the previous response carried a literal
	bareLF      int    // lines ended in a bare LF
	ring        ring   // the last responses' first lines, for evidence
}

// cmd is a command in flight.
type cmd struct {
	tag, name, args string
	line            string // its first line as evidence, credentials hidden
	complete        bool   // the whole command was sent: it is "in progress" (RFC 3501 section 7.4.1)
	waitCont        bool   // the server may ask it for more ("+") now
	anyCont         bool   // an unknown command, perhaps an extension that takes "+" at any time
	ret             bool   // a SEARCH or SORT with RETURN options: answered with ESEARCH
	enable          []string
}

// resp is what the watchdog keeps of the response being read.
type resp struct {
	line     string // the first line (up to its first literal), clipped
	texts    int
	literals int
	bareLF   bool
}

func newConn() *conn {
	return &conn{shown: map[string]int{}, notes: map[string]bool{}, enabled: map[string]bool{}, cmds: map[string]*cmd{}}
}

func (c *conn) observe(w *Watchdog, e *session.Event) {
	switch e.Kind {
	case session.Sent:
		c.sent(e)
	case session.SentLiteral:
		if cm := c.cmds[e.Tag]; cm != nil {
			cm.waitCont = false
		}
	case session.Begin:
		c.r = resp{}
	case session.Text:
		if c.r.texts == 0 {
			// Kept as octets until the response ends, when the evidence
			// line is made of them: one allocation per response.
			c.first = appendClip(c.first[:0], e.Data)
		}
		c.r.texts++
		c.r.bareLF = c.r.bareLF || e.BareLF
	case session.Literal:
		c.r.literals++
	case session.End:
		if e.Err == nil && e.Resp != nil {
			c.n++
			w.st.responses++
			c.response(w, e.Resp)
		}
	}
}

// sent tracks a line imapsh wrote: a new command, or a later line of one
// in flight (after a literal, an answer to a challenge, IDLE's DONE).
func (c *conn) sent(e *session.Event) {
	line := e.Line
	cm := c.cmds[e.Tag]
	if cm == nil {
		name, args := session.CommandName(strings.TrimPrefix(line, e.Tag+" "))
		cm = &cmd{tag: e.Tag, name: name, args: args, line: "C: " + clip(session.Redact(line, e.Secrets))}
		c.cmds[e.Tag] = cm
		c.order = append(c.order, cm)
		c.begin(cm)
	} else if cm.name == "AUTHENTICATE" {
		cm.waitCont = line != "*" // the server may challenge again
	}
	if enablesCondstore(line) {
		c.condstore = true
	}
	switch literalAtEnd(line) {
	case syncLiteral:
		cm.complete, cm.waitCont = false, true
	case nonSyncLiteral:
		cm.complete = false
	default:
		cm.complete = true
	}
}

// begin notes what a new command changes.
func (c *conn) begin(cm *cmd) {
	switch cm.name {
	case "SELECT", "EXAMINE":
		// RFC 9051 section 6.3.2: the mailbox selected before is
		// deselected at once; until the completion, responses may still
		// belong to it.
		c.prev, c.box = c.box, newMailbox(session.Unquote(cm.args))
	case "ENABLE":
		cm.enable = strings.Fields(strings.ToUpper(cm.args))
	case "SEARCH", "UID SEARCH", "SORT", "UID SORT":
		if word, rest, _ := strings.Cut(cm.args, " "); strings.EqualFold(word, "RETURN") {
			cm.ret = true
			opts, _, _ := strings.Cut(rest, ")")
			c.update = c.update || strings.Contains(strings.ToUpper(opts), "UPDATE")
		}
	case "ESEARCH": // RFC 7377
		cm.ret = true
	case "NOTIFY":
		c.notify = !strings.EqualFold(strings.TrimSpace(cm.args), "NONE")
	case "IDLE", "AUTHENTICATE":
		cm.waitCont = true
	}
	if first, _, _ := strings.Cut(cm.name, " "); !wire.IsCommand(first) {
		cm.anyCont = true
	}
}

// finish removes a completed command from the commands in flight.
func (c *conn) finish(cm *cmd) {
	delete(c.cmds, cm.tag)
	for i, x := range c.order {
		if x == cm {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
}

// inFlight reports whether a command with one of the names is in flight.
func (c *conn) inFlight(names ...string) bool {
	for _, cm := range c.order {
		for _, n := range names {
			if cm.name == n {
				return true
			}
		}
	}
	return false
}

// response checks a whole response. The evidence line of a response is its
// first line, "…" marking where a literal and the rest were cut.
func (c *conn) response(w *Watchdog, r *session.Response) {
	h := r.Head
	c.evbuf = append(append(c.evbuf[:0], "S: "...), c.first...)
	if c.r.literals > 0 {
		c.evbuf = append(c.evbuf, " …"...)
	}
	ev := string(c.evbuf)
	c.r.line = ev[len("S: ") : len("S: ")+len(c.first)]
	c.ring.put(c.n, ev)
	if w.st.greeting == "" && c.n == 1 && h.Kind == wire.Untagged {
		w.st.greeting = c.r.line
	}
	if c.r.bareLF {
		c.bareLF++
		f := Finding{Rule: RuleBareLF, Evidence: []string{ev},
			Text: "the server ended this line with a bare LF instead of CRLF; every line of IMAP ends in CRLF (imapsh reads it anyway, stricter clients do not)"}
		if c.bareLF == 1 {
			w.report(f)
		} else {
			w.count(f)
		}
	}
	switch h.Kind {
	case wire.Continuation:
		c.continuation(w, ev)
	case wire.Tagged:
		cm := c.cmds[h.Tag]
		if cm == nil {
			c.unknownTag(w, h, ev)
		} else {
			c.finish(cm)
		}
		if h.IsStatus() {
			c.codes(w, h, ev)
		}
		if cm != nil {
			c.completed(cm, h)
		}
	default:
		c.untagged(w, h, r, ev)
	}
	c.prevLiteral = c.r.literals > 0
}

// completed applies the state change of a command's tagged completion.
func (c *conn) completed(cm *cmd, h wire.Head) {
	ok := h.Name == "OK"
	switch cm.name {
	case "SELECT", "EXAMINE":
		switch {
		case ok && c.box != nil:
			c.box.selected()
		case h.Name == "BAD":
			// Not carried out (RFC 9051 section 7.1.3): the mailbox
			// before stays selected.
			c.box = c.prev
		default:
			c.box = nil
		}
		c.prev = nil
	case "CLOSE", "UNSELECT":
		if ok {
			c.box = nil
		}
	case "LOGIN", "AUTHENTICATE":
		c.authed = c.authed || ok
	case "UNAUTHENTICATE":
		if ok {
			c.authed, c.box = false, nil
		}
	case "STARTTLS":
		if ok {
			c.caps = nil // RFC 3501 section 6.2.1: forget what was said in clear
		}
	}
}

func (c *conn) unknownTag(w *Watchdog, h wire.Head, ev string) {
	text := fmt.Sprintf("the server completed tag %q, which no command in flight has; a tagged response answers the command that carried the tag", h.Tag)
	evidence := []string{ev}
	if c.prevLiteral {
		text += " (the response before carried a literal: if its announced size was smaller than the octets sent, their rest is read as this line)"
		evidence = []string{c.ring.get(c.n-1, ""), ev}
	}
	w.report(Finding{Rule: RuleUnknownTag, Text: text, Evidence: evidence})
}

// continuation checks a "+": some command in flight must be waiting for
// one (a synchronizing literal, IDLE, an AUTHENTICATE exchange).
func (c *conn) continuation(w *Watchdog, ev string) {
	for _, cm := range c.order {
		if cm.waitCont {
			cm.waitCont = false
			return
		}
	}
	for _, cm := range c.order {
		if cm.anyCont {
			return
		}
	}
	text := "the server sent a continuation request (+) while no command was in flight"
	evidence := []string{ev}
	if len(c.order) > 0 {
		text = fmt.Sprintf("the server sent a continuation request (+) but no command in flight was waiting for one (%s sent no synchronizing literal and is no IDLE or AUTHENTICATE still waiting)", c.order[0].tag)
		evidence = []string{c.order[0].line, ev}
	}
	text += "; a \"+\" invites the rest of a command, and a client that believed it would send its next line into the void"
	w.report(Finding{Rule: RuleUnsolicitedPlus, Text: text, Evidence: evidence})
}
