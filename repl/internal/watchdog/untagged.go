package watchdog

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// untagged checks an untagged response against the state.
func (c *conn) untagged(w *Watchdog, h wire.Head, r *session.Response, ev string) {
	if h.IsStatus() {
		if h.Name == "PREAUTH" {
			c.authed = true
		}
		c.codes(w, h, ev)
		return
	}
	if c.r.literals > 0 {
		c.checkLiterals(w, h, r.Raw, ev)
	}
	switch h.Name {
	case "CAPABILITY":
		_, list, _ := strings.Cut(string(r.Raw), " ")
		_, list, _ = strings.Cut(list, " ")
		c.setCaps(w, list, true, ev)
	case "ENABLED":
		c.enabledResp(r.Raw)
	case "ESEARCH":
		c.esearch(w, r.Raw, ev)
	case "EXISTS", "RECENT", "EXPUNGE", "FETCH", "VANISHED":
		if h.Err != nil {
			// A number out of range ("* 4294967296 EXISTS"): the session
			// warns that it did not apply the response, and its 0 would
			// blame the server for what it did not say.
			return
		}
		c.messageData(w, h, r.Raw, ev)
	}
}

// messageData checks the responses about the messages of the selected
// mailbox.
func (c *conn) messageData(w *Watchdog, h wire.Head, raw []byte, ev string) {
	b := c.box
	if b == nil {
		w.report(Finding{Rule: RuleNoMailbox, Evidence: []string{ev},
			Text: fmt.Sprintf("the server sent %s while no mailbox is selected: message counts and sequence numbers exist only in the selected state", h.Name)})
		return
	}
	var fetched fetchFacts
	if h.Name == "FETCH" {
		fetched = readFetch(raw)
		if u := fetched.badUID; u != "" {
			w.report(Finding{Rule: RuleUIDRange, Evidence: []string{ev},
				Text: fmt.Sprintf("FETCH data for message %d gives UID %s: a UID is a number from 1 to 4294967295 (nz-number, 32 bits); the UID is not taken", h.Num, u)})
		}
		if fetched.ok && fetched.modseq && !c.condstore && !c.enabled["QRESYNC"] {
			w.report(Finding{Rule: RuleExtension, RFC: "RFC 7162 section 3.1; RFC 3501 section 7.2.1; RFC 9051 section 7.2.2", Evidence: []string{ev},
				Text: "a FETCH response carries MODSEQ, but the client sent no CONDSTORE enabling command: until it does, the server must answer in the base protocol"})
		}
	}
	switch h.Name {
	case "EXISTS":
		b.exists(w, c, h.Num, ev)
	case "EXPUNGE":
		if !b.selecting {
			c.expungeTiming(w, "EXPUNGE", "", ev)
		}
		b.expunge(w, c, h.Num, ev)
	case "VANISHED":
		c.vanished(w, raw, ev)
	case "FETCH":
		b.fetch(w, c, h.Num, fetched, ev)
	}
}

// fetchFacts is what the watchdog reads of a FETCH response.
type fetchFacts struct {
	ok     bool   // it parses
	uid    uint32 // its UID, or 0
	modseq bool   // it carries MODSEQ
	badUID string // a UID item that is no 32-bit nz-number, as sent
}

// readFetch reads a FETCH response: with wire.ScanFetch (no allocation)
// when it has the plain form most have, else with wire.ParseFetch.
func readFetch(raw []byte) fetchFacts {
	if sum, sure := wire.ScanFetch(raw); sure {
		f := fetchFacts{ok: true, uid: sum.UID, modseq: sum.ModSeq}
		if sum.HasUID && sum.UID == 0 {
			f.badUID = "0"
		}
		return f
	}
	fd, ok, err := wire.ParseFetch(raw)
	if ok && errors.Is(err, wire.ErrNumberRange) {
		// (ParseFetch checks the sequence number first: the session has
		// warned of one out of range and the watchdog skipped the
		// response; here it is the UID.)
		if vals, perr := wire.Parse(raw); perr == nil && len(vals) >= 4 {
			items := vals[3].List
			for i := 0; i+1 < len(items); i += 2 {
				if strings.EqualFold(string(items[i].Bytes), "UID") {
					return fetchFacts{badUID: string(items[i+1].Bytes)}
				}
			}
		}
		return fetchFacts{}
	}
	if !ok || err != nil {
		return fetchFacts{}
	}
	f := fetchFacts{ok: true}
	_, f.modseq = fd.Items["MODSEQ"]
	if v, has := fd.Items["UID"]; has {
		if u, isNum := v.Number(); isNum && u <= 1<<32-1 {
			f.uid = uint32(u)
		}
	}
	if f.uid == 0 {
		if v, has := fd.Items["UID"]; has {
			f.badUID = string(v.Bytes)
		}
	}
	return f
}

// expungeTiming checks when an EXPUNGE (or VANISHED) may come: while a
// command is in progress, not while the server responds to FETCH, STORE or
// SEARCH (RFC 3501 sections 7.4.1 and 5.5); IDLE is a command in progress
// (RFC 2177 section 3).
func (c *conn) expungeTiming(w *Watchdog, what, rfcExtra, ev string) {
	var first, waiting *cmd
	for _, cm := range c.order {
		switch {
		case cm.complete && first == nil:
			first = cm
		case !cm.complete && waiting == nil:
			waiting = cm
		}
	}
	ref := rfc[RuleExpungeTiming] + rfcExtra
	switch {
	case first == nil && c.notify:
		// RFC 5465: with NOTIFY the server reports changes to the
		// selected mailbox as they happen.
	case first == nil:
		text := what + " arrived while no command was in progress"
		evidence := []string{ev}
		if waiting != nil {
			text += fmt.Sprintf(" (%s was still being sent, and a command is not in progress while its continuation is negotiated)", waiting.tag)
			evidence = []string{waiting.line, ev}
		}
		text += "; it may come only during a command (IDLE included), or client and server lose track of the sequence numbers"
		w.report(Finding{Rule: RuleExpungeTiming, RFC: ref, Text: text, Evidence: evidence})
	case first.name == "FETCH" || first.name == "STORE" || first.name == "SEARCH":
		w.report(Finding{Rule: RuleExpungeTiming, RFC: ref, Evidence: []string{first.line, ev},
			Text: fmt.Sprintf("%s arrived while the server was responding to %s (%s), which the RFC forbids: it would shift the sequence numbers that %s is using (UID %s may carry it; %s may not)",
				what, first.name, first.tag, first.name, first.name, first.name)})
	}
}

// vanished checks a VANISHED response (RFC 7162 section 3.2.10).
func (c *conn) vanished(w *Watchdog, raw []byte, ev string) {
	vals, err := wire.Parse(raw)
	if err != nil || len(vals) < 3 {
		return
	}
	earlier := vals[2].Kind == wire.List
	if !c.enabled["QRESYNC"] && !c.enabled["UIDONLY"] {
		w.report(Finding{Rule: RuleExtension, RFC: "RFC 7162 sections 3.2.3, 3.2.10; RFC 3501 section 7.2.1; RFC 9051 section 7.2.2", Evidence: []string{ev},
			Text: "the server sent VANISHED, but the client never enabled QRESYNC (ENABLE QRESYNC answered by ENABLED QRESYNC): without it, removals are reported with EXPUNGE"})
	}
	if earlier {
		return // (EARLIER): messages gone before, no change of the count
	}
	b := c.box
	if !b.selecting {
		c.expungeTiming(w, "VANISHED", "; RFC 7162 section 3.2.10", ev)
	}
	set, err := wire.ParseSeqSet(string(vals[len(vals)-1].Bytes))
	if err != nil {
		b.forget(false)
		return
	}
	b.vanish(set, ev)
}

// esearch checks that an ESEARCH response answers a search that asked for
// one (RFC 4731 section 3.1), unless the client enabled IMAP4rev2, whose
// SEARCH always answers ESEARCH (RFC 9051 section 6.4.4).
func (c *conn) esearch(w *Watchdog, raw []byte, ev string) {
	if c.update || c.enabled["IMAP4REV2"] || (c.caps["IMAP4REV2"] && !c.caps["IMAP4REV1"]) {
		return
	}
	sd, _, _ := wire.ParseSearch(raw)
	var plain *cmd
	if cm := c.cmds[sd.Tag]; sd.Tag != "" && cm != nil {
		if cm.ret {
			return
		}
		plain = cm
	} else {
		for _, cm := range c.order {
			if cm.ret {
				return
			}
			if plain == nil && strings.HasSuffix(cm.name, "SEARCH") {
				plain = cm
			}
		}
	}
	text := "the server sent ESEARCH, but no search with RETURN options was in progress"
	evidence := []string{ev}
	if plain != nil {
		text = fmt.Sprintf("the server answered %s, a %s without RETURN options, with ESEARCH", plain.tag, plain.name)
		evidence = []string{plain.line, ev}
	}
	text += ": ESEARCH answers only an extended search, and a client that did not ask for it may not understand it (IMAP4rev1 answers SEARCH)"
	w.report(Finding{Rule: RuleExtension, RFC: "RFC 4731 section 3.1; RFC 3501 sections 7.2.1, 7.2.5; RFC 9051 section 7.2.2", Text: text, Evidence: evidence})
}

// enabledResp records the extensions an ENABLE in flight asked for and the
// server confirmed (RFC 5161).
func (c *conn) enabledResp(raw []byte) {
	words := strings.Fields(strings.ToUpper(string(raw)))
	for _, f := range words[min(2, len(words)):] {
		for _, cm := range c.order {
			if slices.Contains(cm.enable, f) {
				c.enabled[f] = true
			}
		}
	}
}

// codes handles the response codes that carry state or deserve a note.
func (c *conn) codes(w *Watchdog, h wire.Head, ev string) {
	switch name := h.CodeName(); name {
	case "CAPABILITY":
		c.setCaps(w, h.CodeArg(), false, ev)
	case "UIDVALIDITY", "UIDNEXT":
		n, err := strconv.ParseUint(strings.TrimSpace(h.CodeArg()), 10, 32)
		if err != nil || c.box == nil {
			return
		}
		if name == "UIDVALIDITY" {
			c.box.uidValidity(w, c, uint32(n), ev)
		} else {
			c.box.uidNext(w, c, uint32(n), ev)
		}
	case "APPENDUID", "COPYUID":
		if c.caps == nil || c.caps["UIDPLUS"] || c.caps["IMAP4REV2"] || c.notes[name] {
			return
		}
		c.notes[name] = true
		w.report(Finding{Rule: NoteUIDPlusCodes, Note: true, Evidence: []string{ev},
			Text: fmt.Sprintf("[%s] came back although the server does not list UIDPLUS among its capabilities. That is legal and intended: RFC 4315 section 1 asks every server to return APPENDUID and COPYUID whether or not it implements UIDPLUS (the extension adds UID EXPUNGE); a client may use the UIDs", name)})
	}
}

// setCaps replaces the capabilities. An untagged CAPABILITY nobody asked
// for at login, with a list unlike the one before, gets a teaching note.
func (c *conn) setCaps(w *Watchdog, list string, untagged bool, ev string) {
	caps := map[string]bool{}
	for _, f := range strings.Fields(strings.ToUpper(list)) {
		caps[f] = true
	}
	atLogin := c.authed || c.inFlight("LOGIN", "AUTHENTICATE")
	if untagged && atLogin && c.caps != nil && !c.inFlight("CAPABILITY") && !c.notes[NoteCapsAtLogin] {
		var added, dropped []string
		for k := range caps {
			if !c.caps[k] {
				added = append(added, k)
			}
		}
		for k := range c.caps {
			if !caps[k] {
				dropped = append(dropped, k)
			}
		}
		if len(added)+len(dropped) > 0 {
			slices.Sort(added)
			slices.Sort(dropped)
			c.notes[NoteCapsAtLogin] = true
			change := ""
			if len(added) > 0 {
				change = "now also " + strings.Join(added, " ")
			}
			if len(dropped) > 0 {
				change = strings.TrimPrefix(change+"; no longer "+strings.Join(dropped, " "), "; ")
			}
			w.report(Finding{Rule: NoteCapsAtLogin, Note: true, Evidence: []string{ev},
				Text: fmt.Sprintf("the server sent a new CAPABILITY list at login without being asked (%s). That is legal: capabilities may change once the user is known, a server may announce them unasked, and a client must accept any response at any time; the newest list is the one that counts", change)})
		}
	}
	c.caps = caps
}

var fetchItemName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9.\-]*(\[.*\](<[0-9]+>)?)?$`)

// checkLiterals checks a response that carried literals: if the server
// announced a size that differs from the octets it sent, what follows the
// literal no longer fits the grammar. Found only when detectable.
func (c *conn) checkLiterals(w *Watchdog, h wire.Head, raw []byte, ev string) {
	vals, err := wire.Parse(raw)
	why := ""
	switch {
	case err != nil:
		why = strings.TrimPrefix(err.Error(), "wire: ")
	case h.Name == "FETCH":
		if len(vals) != 4 || vals[3].Kind != wire.List {
			why = "the FETCH data is not one parenthesized list"
			break
		}
		items := vals[3].List
		if len(items)%2 != 0 {
			why = "the FETCH data does not come in item-value pairs"
			break
		}
		for i := 0; i < len(items); i += 2 {
			if items[i].Kind != wire.Atom || !fetchItemName.Match(items[i].Bytes) {
				why = fmt.Sprintf("%q stands where a FETCH item name belongs", clip(string(items[i].Bytes)))
				break
			}
		}
	}
	if why == "" {
		return
	}
	w.report(Finding{Rule: RuleLiteralSize, Evidence: []string{ev},
		Text: "after its literal this response does not parse (" + why + "): the size the server announced likely differs from the octets it sent, and what follows is read out of step"})
}
