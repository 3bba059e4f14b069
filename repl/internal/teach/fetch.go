package teach

import (
	"fmt"
	"sort"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

var flagMeaning = map[string]string{
	`\seen`: "read", `\answered`: "answered", `\flagged`: "flagged", `\deleted`: "marked for deletion: the next EXPUNGE removes it",
	`\draft`: "draft", `\recent`: "new in this session", `$forwarded`: "forwarded", `$junk`: "spam", `$notjunk`: "not spam",
	`$mdnsent`: "read receipt sent", `$phishing`: "phishing",
}

// itemOrder puts the items of a FETCH note in a readable order.
var itemOrder = map[string]int{"UID": 0, "FLAGS": 1, "INTERNALDATE": 2, "RFC822.SIZE": 3, "MODSEQ": 4, "ENVELOPE": 5, "BODYSTRUCTURE": 6, "BODY": 6}

// fetchNote explains "* n FETCH (...)" item by item.
func (m *model) fetchNote(seq uint32, raw []byte) string {
	return m.fetchContext(seq, raw).note(raw)
}

// fetchContext is what a FETCH note needs of the model, taken when the
// response arrives (which records its UID), so that the note can be
// written later from it and the response alone.
type fetchContext struct {
	seq, uid uint32 // uid: the one known for seq, 0 if none
	c        cmdInfo
	inFlight bool
}

func (m *model) fetchContext(seq uint32, raw []byte) fetchContext {
	m.trackFetch(seq, raw)
	c, inFlight := m.inFlight()
	return fetchContext{seq: seq, uid: m.uidOf(seq), c: c, inFlight: inFlight}
}

// note writes the note of the FETCH response raw. It does not use the
// model.
func (fc fetchContext) note(raw []byte) string {
	seq, c, inFlight := fc.seq, fc.c, fc.inFlight
	fd, ok, err := wire.ParseFetch(raw)
	if !ok || err != nil {
		return fmt.Sprintf("untagged FETCH of message %d; imapsh could not parse it.", seq)
	}
	uid := fd.UID()
	if uid == 0 {
		uid = fc.uid
	}
	var b strings.Builder
	fmt.Fprintf(&b, "untagged FETCH: message %d (a sequence number)", seq)
	if uid != 0 {
		fmt.Fprintf(&b, ", UID %d", uid)
	}
	switch {
	case !inFlight || !strings.Contains(c.name, "FETCH") && !strings.Contains(c.name, "STORE") && !strings.Contains(c.name, "SEARCH"):
		b.WriteString(", sent unasked: the server tells of a change (another client, or new flags)")
	case strings.Contains(c.name, "STORE"):
		b.WriteString(", its flags after your STORE")
	}
	b.WriteString(":")
	names := make([]string, 0, len(fd.Items))
	for k := range fd.Items {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		oi, ok1 := itemOrder[names[i]]
		oj, ok2 := itemOrder[names[j]]
		switch {
		case ok1 && ok2:
			return oi < oj
		case ok1 != ok2:
			return ok1
		}
		return names[i] < names[j]
	})
	askedUID := strings.Contains(strings.ToUpper(c.args), "UID") || strings.HasPrefix(c.name, "UID ")
	for _, name := range names {
		v := fd.Items[name]
		switch {
		case name == "UID":
			fmt.Fprintf(&b, "\n  UID %d: its permanent name in this mailbox (while UIDVALIDITY stays)", uid)
			if inFlight && c.name == "FETCH" && !askedUID {
				b.WriteString("; you did not ask for it, but a server may add items")
			}
		case name == "FLAGS":
			b.WriteString("\n  FLAGS: " + flagsText(v))
		case name == "INTERNALDATE":
			fmt.Fprintf(&b, "\n  INTERNALDATE: arrived on the server %s (not the Date: header)", v.String())
		case name == "RFC822.SIZE":
			fmt.Fprintf(&b, "\n  RFC822.SIZE: the whole message is %s octets", v.String())
		case name == "MODSEQ":
			fmt.Fprintf(&b, "\n  MODSEQ: mod-sequence %s (grows with every flag change; CONDSTORE)", strings.Trim(valueText(v), "()"))
		case name == "ENVELOPE":
			b.WriteString("\n  ENVELOPE (the main headers, parsed by the server):")
			for _, l := range envelopeLines(v) {
				b.WriteString("\n    " + l)
			}
		case name == "BODYSTRUCTURE" || name == "BODY":
			fmt.Fprintf(&b, "\n  %s (the MIME parts; the numbers are what BODY[n] fetches):", name)
			for _, l := range bodyLines(v) {
				b.WriteString("\n    " + l)
			}
		case strings.HasPrefix(name, "BODY[") || strings.HasPrefix(name, "BINARY[") || strings.HasPrefix(name, "RFC822"):
			fmt.Fprintf(&b, "\n  %s: %s", name, sectionText(name, v))
			if strings.HasPrefix(name, "BODY[") && inFlight && strings.Contains(strings.ToUpper(c.args), "BODY[") {
				b.WriteString(" (BODY[...] without .PEEK sets \\Seen)")
			}
		default:
			fmt.Fprintf(&b, "\n  %s: %s", name, clip(valueText(v), 100))
		}
	}
	return b.String()
}

func flagsText(v wire.Value) string {
	if len(v.List) == 0 {
		return "none: not even \\Seen, so it counts as unread"
	}
	var parts []string
	for _, f := range v.List {
		name := string(f.Bytes)
		if s, ok := flagMeaning[strings.ToLower(name)]; ok {
			parts = append(parts, name+" ("+s+")")
		} else {
			parts = append(parts, name+" (a keyword)")
		}
	}
	return strings.Join(parts, ", ")
}

// sectionText says what a body section holds.
func sectionText(name string, v wire.Value) string {
	n := len(v.Bytes)
	size := fmt.Sprintf("%d octets", n)
	if v.IsNIL() {
		return "NIL: the section does not exist"
	}
	sec := name[strings.IndexByte(name, '[')+1:]
	sec, partial, _ := strings.Cut(sec, "]")
	switch {
	case name == "RFC822" || sec == "" && strings.HasPrefix(name, "BODY["):
		return "the whole message, " + size
	case name == "RFC822.HEADER" || sec == "HEADER":
		return "the header, " + size
	case name == "RFC822.TEXT" || sec == "TEXT":
		return "the body without the header, " + size
	case strings.HasPrefix(sec, "HEADER.FIELDS.NOT"):
		return "the header without those fields, " + size
	case strings.HasPrefix(sec, "HEADER.FIELDS"):
		return "just those header fields, " + size
	}
	s := "part " + sec + ", " + size
	if strings.HasPrefix(name, "BINARY[") {
		s += ", decoded"
	}
	if partial != "" {
		s += ", a slice " + partial
	}
	return s
}

// valueText renders a value compactly, as it would be written.
func valueText(v wire.Value) string {
	switch v.Kind {
	case wire.List, wire.Code:
		parts := make([]string, len(v.List))
		for i, x := range v.List {
			parts[i] = valueText(x)
		}
		if v.Kind == wire.Code {
			return "[" + strings.Join(parts, " ") + "]"
		}
		return "(" + strings.Join(parts, " ") + ")"
	case wire.Quoted:
		return fmt.Sprintf("%q", v.Bytes)
	case wire.Literal:
		return fmt.Sprintf("{%d octets}", len(v.Bytes))
	}
	return string(v.Bytes)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
