package teach

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// data explains an untagged data response and applies it to the model.
func (m *model) data(h wire.Head, raw []byte) string {
	m.greeted = true
	box := m.box()
	switch h.Name {
	case "CAPABILITY":
		fields := strings.Fields(strings.TrimRight(string(raw), "\r\n"))
		list := fields[min(2, len(fields)):]
		m.setCaps(list)
		return fmt.Sprintf("untagged CAPABILITY: the server supports %d things (IMAP versions, AUTH= mechanisms, extensions); type caps to see them grouped and explained.", len(list))
	case "ENABLED":
		fields := strings.Fields(strings.TrimRight(string(raw), "\r\n"))
		if len(fields) <= 2 {
			return "untagged ENABLED: nothing was enabled: the server supports none of what ENABLE named."
		}
		return "untagged ENABLED: now on: " + strings.Join(fields[2:], " ") + "."
	case "LIST", "LSUB", "XLIST":
		return listNote(h.Name, raw)
	case "NAMESPACE":
		return namespaceNote(raw)
	case "STATUS":
		return statusNote(raw)
	case "SEARCH", "ESEARCH":
		return m.searchNote(raw)
	case "FLAGS":
		flags := codeList(string(raw[min(len(raw), len("* FLAGS ")):]))
		return fmt.Sprintf("untagged FLAGS: the flags defined in %s: %s. Which of them can be set for good comes in [PERMANENTFLAGS].", box, strings.Join(flags, " "))
	case "EXISTS":
		return m.existsNote(h.Num)
	case "RECENT":
		return fmt.Sprintf("untagged RECENT: %d of them arrived since the last session opened %s (\\Recent; IMAP4rev1 only, IMAP4rev2 dropped it).", h.Num, box)
	case "EXPUNGE":
		return m.expungeNote(h.Num)
	case "VANISHED":
		return m.vanishedNote(raw)
	case "FETCH":
		return m.fetchNote(h.Num, raw)
	}
	if ts := topicIndex[h.Name]; len(ts) > 0 {
		return "untagged " + h.Name + ": " + firstSentence(ts[0].Text)
	}
	return "untagged " + h.Name + ": a response imapsh does not know (an extension's); a client ignores what it does not understand."
}

func (m *model) existsNote(n uint32) string {
	box := m.box()
	old, known := m.exists, m.existsKnown
	m.setExists(n)
	switch {
	case m.pending != "" || !known:
		if n == 0 {
			return fmt.Sprintf("untagged EXISTS: %s is empty.", box)
		}
		return fmt.Sprintf("untagged EXISTS: %s holds %d messages, sequence numbers 1 to %d.", box, n, n)
	case n > old:
		return fmt.Sprintf("untagged EXISTS: %d new message(s) arrived in %s: numbers %d to %d (now %d in all).", n-old, box, old+1, n, n)
	case n == old:
		return fmt.Sprintf("untagged EXISTS: %s still holds %d messages.", box, n)
	}
	return fmt.Sprintf("untagged EXISTS: %s holds %d messages, fewer than the %d counted before: EXISTS must never decrease (only EXPUNGE removes), so the server broke the protocol.", box, n, old)
}

func (m *model) expungeNote(n uint32) string {
	box, total, uid := m.box(), m.exists, m.uidOf(n)
	m.expunge(n)
	who := fmt.Sprintf("message %d", n)
	if uid != 0 {
		who += fmt.Sprintf(" (UID %d)", uid)
	}
	switch {
	case !m.existsKnown:
		return fmt.Sprintf("untagged EXPUNGE: %s is gone for good, and every message after it moves down one number (UIDs do not change).", who)
	case n > total:
		return fmt.Sprintf("untagged EXPUNGE: %s, but %s held only %d: the server broke the protocol.", who, box, total)
	case n == total:
		return fmt.Sprintf("untagged EXPUNGE: %s, the last one, is gone for good; no other message is renumbered. %s holds %d now.", who, box, total-1)
	}
	return fmt.Sprintf("untagged EXPUNGE: %s is gone for good. Messages %d to %d are now %d to %d: every number after %d dropped by one "+
		"(UIDs do not change). %s holds %d now.", who, n+1, total, n, total-1, n, box, total-1)
}

func (m *model) vanishedNote(raw []byte) string {
	vals, err := wire.Parse(raw)
	if err != nil || len(vals) < 3 {
		return "untagged VANISHED: messages were expunged (QRESYNC); imapsh could not read which."
	}
	earlier := vals[2].Kind == wire.List
	set := string(vals[len(vals)-1].Bytes)
	if earlier {
		return fmt.Sprintf("untagged VANISHED (EARLIER): the messages with UIDs %s were expunged while you were away; the current numbering is not affected.", set)
	}
	if uids, ok := expandSet(set, maxUIDs); ok {
		m.vanish(uids)
	}
	return fmt.Sprintf("untagged VANISHED: the messages with UIDs %s are gone for good (QRESYNC's EXPUNGE by UID); the messages after them move down.", set)
}

func listNote(name string, raw []byte) string {
	vals, err := wire.Parse(raw)
	if err != nil || len(vals) < 5 || vals[2].Kind != wire.List {
		return "untagged " + name + ": a mailbox; imapsh could not read this one."
	}
	mbox := string(vals[4].Bytes)
	var b strings.Builder
	fmt.Fprintf(&b, "untagged %s: mailbox %q", name, mbox)
	if vals[3].IsNIL() {
		b.WriteString(", no hierarchy (NIL delimiter)")
	} else {
		fmt.Fprintf(&b, ", levels separated by %q", vals[3].Bytes)
	}
	var said []string
	for _, a := range vals[2].List {
		if s, ok := attrMeaning[strings.ToLower(string(a.Bytes))]; ok {
			said = append(said, string(a.Bytes)+" "+s)
		} else {
			said = append(said, string(a.Bytes))
		}
	}
	if len(said) > 0 {
		b.WriteString(": " + strings.Join(said, ", "))
	}
	b.WriteString(".")
	return b.String()
}

var attrMeaning = map[string]string{
	`\noselect`: "(a name only: it holds no messages and cannot be selected)", `\nonexistent`: "(does not exist)",
	`\noinferiors`: "(cannot have children)", `\haschildren`: "(has child mailboxes)", `\hasnochildren`: "(no children)",
	`\subscribed`: "(subscribed)", `\marked`: "(probably new mail)", `\unmarked`: "(no new mail)", `\remote`: "(on another server)",
	`\all`: "(special use: every message)", `\archive`: "(special use: archive)", `\drafts`: "(special use: drafts)",
	`\flagged`: "(special use: flagged messages)", `\junk`: "(special use: spam)", `\sent`: "(special use: sent mail)",
	`\trash`: "(special use: deleted messages)", `\important`: "(special use: important)",
}

func namespaceNote(raw []byte) string {
	vals, err := wire.Parse(raw)
	if err != nil || len(vals) < 5 {
		return "untagged NAMESPACE: where mailboxes live; imapsh could not read this one."
	}
	kinds := []string{"personal", "other users'", "shared"}
	var parts []string
	for i, k := range kinds {
		v := vals[2+i]
		if v.IsNIL() || v.Kind != wire.List || len(v.List) == 0 {
			parts = append(parts, k+": none")
			continue
		}
		var ns []string
		for _, n := range v.List {
			if n.Kind == wire.List && len(n.List) >= 2 {
				ns = append(ns, fmt.Sprintf("prefix %q, delimiter %q", n.List[0].Bytes, n.List[1].Bytes))
			}
		}
		parts = append(parts, k+": "+strings.Join(ns, "; "))
	}
	return "untagged NAMESPACE: " + strings.Join(parts, "; ") + "."
}

var statusItems = map[string]string{
	"MESSAGES": "messages", "UNSEEN": "without \\Seen", "UIDNEXT": "next UID", "UIDVALIDITY": "UIDVALIDITY",
	"RECENT": "\\Recent", "DELETED": "marked \\Deleted", "SIZE": "octets in all", "HIGHESTMODSEQ": "highest mod-sequence",
}

func statusNote(raw []byte) string {
	vals, err := wire.Parse(raw)
	if err != nil || len(vals) < 4 || vals[3].Kind != wire.List {
		return "untagged STATUS: counters of a mailbox; imapsh could not read this one."
	}
	var parts []string
	l := vals[3].List
	for i := 0; i+1 < len(l); i += 2 {
		item := strings.ToUpper(string(l[i].Bytes))
		what := statusItems[item]
		if what == "" {
			what = item
		}
		parts = append(parts, fmt.Sprintf("%s %s", l[i+1].Bytes, what))
	}
	return fmt.Sprintf("untagged STATUS: %q, without selecting it: %s.", vals[2].Bytes, strings.Join(parts, ", "))
}

func (m *model) searchNote(raw []byte) string {
	sd, _, err := wire.ParseSearch(raw)
	if err != nil {
		return "untagged SEARCH result imapsh could not read: " + err.Error()
	}
	c, _ := m.inFlight()
	uid := strings.HasPrefix(c.name, "UID ") || sd.UID
	kind := "sequence numbers (positions; UID SEARCH gives UIDs)"
	if uid {
		kind = "UIDs"
	}
	if sd.ESearch {
		var parts []string
		if sd.Tag != "" {
			parts = append(parts, "answers "+sd.Tag)
		}
		if sd.Count != 0 || strings.Contains(strings.ToUpper(string(raw)), "COUNT") {
			parts = append(parts, fmt.Sprintf("COUNT %d matched", sd.Count))
		}
		if sd.Min != 0 {
			parts = append(parts, fmt.Sprintf("MIN %d the lowest", sd.Min))
		}
		if sd.Max != 0 {
			parts = append(parts, fmt.Sprintf("MAX %d the highest", sd.Max))
		}
		if len(sd.All) > 0 {
			parts = append(parts, fmt.Sprintf("ALL: %d of them", len(sd.All)))
		}
		if len(parts) == 0 {
			parts = append(parts, "nothing matched")
		}
		return "untagged ESEARCH: " + strings.Join(parts, ", ") + "; the numbers are " + kind + "."
	}
	if len(sd.All) == 0 {
		return "untagged SEARCH: no message matched."
	}
	s := fmt.Sprintf("untagged SEARCH: %d message(s) matched; the numbers are %s.", len(sd.All), kind)
	if !uid && len(sd.All) <= 20 {
		var known []string
		for _, n := range sd.All {
			if u := m.uidOf(n); u != 0 {
				known = append(known, fmt.Sprintf("%d=UID %d", n, u))
			}
		}
		if len(known) == len(sd.All) {
			s += " Their UIDs: " + strings.Join(known, ", ") + "."
		}
	}
	return s
}
