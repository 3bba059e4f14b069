package helpers

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// whereisItems are what whereis asks for at once.
const whereisItems = "(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)"

// metaItems are the items of whereisItems, each asked alone when the
// combined FETCH does not bring it; their names for people.
var metaItems = []struct{ item, name string }{
	{"FLAGS", "flags"}, {"RFC822.SIZE", "size"}, {"INTERNALDATE", "date"}, {"ENVELOPE", "envelope"},
}

// whereisHelper shows where the message with a UID is and what it is, or
// that there is none, with the nearest UIDs either side.
func (t *tool) whereisHelper(args string) error {
	arg := strings.TrimSpace(args)
	if arg == "" || strings.Contains(arg, " ") {
		return &LineError{"usage: whereis UID (or whereis #SEQ for a sequence number)"}
	}
	if _, err := t.needSelected("whereis"); err != nil {
		return err
	}
	uid, err := t.targetUID("whereis", arg)
	if err != nil {
		return err
	}
	t.start(uid)
	_, err = t.whereis()
	return err
}

// summary is what whereis learned of a message.
type summary struct {
	info *msgInfo
	// items are the outcomes of metaItems, in order.
	items []Item
	// combined is the outcome of the combined FETCH for the message as a
	// whole: Withheld when it brought nothing for it.
	combined Item
}

// item returns the outcome of one of metaItems.
func (s *summary) item(name string) Item {
	for _, it := range s.items {
		if it.Name == name {
			return it
		}
	}
	return Item{Name: name, Outcome: Withheld}
}

// whereis finds the target and shows what could be learned of it. When it
// is not there it says so (see notFound) and returns ErrFailed.
func (t *tool) whereis() (*summary, error) {
	found, err := t.locate()
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, t.notFound(t.tr.uid)
	}
	s, err := t.gather()
	if err != nil {
		return nil, err
	}
	t.showSummary(s)
	return s, nil
}

// gather sends the combined FETCH of whereisItems and, for each item it
// did not bring, a FETCH of that item alone: a server that cannot produce
// one item may drop the whole response (Exchange does, for a poison
// message), and must not hide the others.
func (t *tool) gather() (*summary, error) {
	uid := t.tr.uid
	res, err := t.fetch(fetchSpec{uid: uid, items: whereisItems})
	if err != nil {
		return nil, err
	}
	s := &summary{info: res.info, combined: Item{Name: "the message"}}
	switch {
	case res.status.Name != "OK":
		s.combined.Outcome, s.combined.Why = Refused, StatusText(res.status)
	case res.info == nil:
		s.combined.Outcome = Withheld
	}
	if s.info == nil {
		s.info = newInfo(t.tr.seq, uid)
	}
	for _, mi := range metaItems {
		it := judge(mi.item, res, facts{})
		if !it.Good() {
			one, err := t.fetch(fetchSpec{uid: uid, items: "(" + mi.item + ")"})
			if err != nil {
				return nil, err
			}
			it = judge(mi.item, one, facts{})
			if one.info != nil {
				s.info.absorb(one.info)
			}
		}
		s.items = append(s.items, it)
	}
	if t.tr.seq != 0 {
		s.info.Seq = t.tr.seq
	}
	return s, nil
}

// absorb adds what o says to m.
func (m *msgInfo) absorb(o *msgInfo) {
	for k := range o.Has {
		m.Has[k], m.Nil[k] = true, o.Nil[k]
	}
	if o.Has["FLAGS"] {
		m.Flags = o.Flags
	}
	if o.Has["RFC822.SIZE"] {
		m.Size = o.Size
	}
	if o.Has["INTERNALDATE"] {
		m.Date = o.Date
	}
	if o.Has["ENVELOPE"] {
		m.Env = o.Env
	}
	if o.Structure.Kind != 0 || o.Has["BODYSTRUCTURE"] {
		m.Structure = o.Structure
	}
	for k, v := range o.Sections {
		m.Sections[k] = v
	}
}

// boxName names the selected mailbox with its UIDVALIDITY, which says
// whether a UID noted earlier still means the same message.
func boxName(snap session.Snapshot) string {
	if snap.UIDValidity == 0 {
		return fmt.Sprintf("%s (UIDVALIDITY not known)", DisplayMailbox(snap.Mailbox))
	}
	return fmt.Sprintf("%s (UIDVALIDITY %d)", DisplayMailbox(snap.Mailbox), snap.UIDValidity)
}

// where says where the target is: "sequence number 1045".
func where(seq uint32) string {
	if seq == 0 {
		return "listed (the server did not give its sequence number)"
	}
	return fmt.Sprintf("sequence number %d", seq)
}

// showSummary prints what whereis found, with a verdict when the server
// withholds part of it.
func (t *tool) showSummary(s *summary) {
	m := s.info
	var b strings.Builder
	fmt.Fprintf(&b, "UID %d in %s is %s", m.UID, boxName(t.env.State()), where(m.Seq))
	row := func(name, format string, args ...any) {
		fmt.Fprintf(&b, "\n  %-9s "+format, append([]any{name}, args...)...)
	}
	switch it := s.item("FLAGS"); {
	case !it.Good():
		row("flags", "%s", it)
	case len(m.Flags) == 0:
		row("flags", "(none)")
	default:
		row("flags", "%s", field(strings.Join(m.Flags, " ")))
	}
	if it := s.item("RFC822.SIZE"); it.Good() {
		row("size", "%s (RFC822.SIZE)", octets(m.Size))
	} else {
		row("size", "%s", it)
	}
	if it := s.item("INTERNALDATE"); it.Good() {
		row("arrived", "%s (INTERNALDATE)", field(m.Date))
	} else {
		row("arrived", "%s", it)
	}
	switch it := s.item("ENVELOPE"); {
	case !it.Good():
		row("envelope", "%s", it)
	case m.Env == nil:
		row("envelope", "(unreadable)")
	default:
		from := make([]string, len(m.Env.From))
		for i, f := range m.Env.From {
			from[i] = field(f)
		}
		row("From", "%s", orNone(strings.Join(from, ", ")))
		row("Subject", "%s", orNone(field(m.Env.Subject)))
		row("Date", "%s", orNone(field(m.Env.Date)))
	}
	if v := t.withheldVerdict(s); v != "" {
		b.WriteString("\n" + v)
	}
	t.Plain("%s", b.String())
}

// withheldVerdict says what the server withholds of a message it lists,
// or "" when it gives everything whereis asks.
func (t *tool) withheldVerdict(s *summary) string {
	var withheld, nils, refused []string
	for _, mi := range metaItems {
		switch it := s.item(mi.item); it.Outcome {
		case Withheld:
			withheld = append(withheld, mi.name)
		case Nil:
			nils = append(nils, mi.name)
		case Refused:
			refused = append(refused, fmt.Sprintf("%s (%s)", mi.name, it.Why))
		}
	}
	if len(withheld)+len(nils)+len(refused) == 0 {
		return ""
	}
	var parts []string
	if len(withheld) > 0 {
		parts = append(parts, "withholds its "+andList(withheld))
	}
	if len(nils) > 0 {
		parts = append(parts, "answers NIL for its "+andList(nils))
	}
	if len(refused) > 0 {
		parts = append(parts, "refuses its "+andList(refused))
	}
	m := s.info
	who := fmt.Sprintf("UID %d is message %d", m.UID, m.Seq)
	if m.Seq == 0 {
		who = fmt.Sprintf("UID %d is listed", m.UID)
	}
	v := fmt.Sprintf("%s, but the server %s: a message the server lists but cannot deliver (a poison message). `probe %d` shows which parts fail.",
		who, andList(parts), m.UID)
	if s.combined.Outcome == Withheld {
		v += fmt.Sprintf("\nAsked for %s at once, it sent nothing for the message, not even its UID: a client that asks for several items together (OfflineIMAP does) concludes that there is no such message.",
			strings.Trim(whereisItems, "()"))
	}
	return v
}

// orNone shows an empty value as (none).
func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// andList joins words for people: "a, b and c".
func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
