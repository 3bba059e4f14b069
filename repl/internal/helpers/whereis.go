package helpers

import (
	"errors"
	"fmt"
	"math"
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

// notFound explains that no message has the UID: the nearest UIDs either
// side, and, when the number is also a sequence number, which UID that one
// has. It returns ErrFailed (or a connection error).
func (t *tool) notFound(uid uint32) error {
	snap := t.env.State()
	var below, above uint32
	var hint string
	if snap.Exists > 0 {
		var err error
		if below, above, err = t.nearestUIDs(uid); err != nil {
			return err
		}
		if uid <= snap.Exists {
			// Best effort: a refusal is shown, and only the hint is lost.
			pairs, err := t.fetchSeqUIDs(fmt.Sprint(uid))
			if err != nil && !errors.Is(err, ErrFailed) {
				return err
			}
			for _, p := range pairs {
				if p.seq == uid {
					hint = fmt.Sprintf("\nSequence number %d is UID %d: write #%d to mean it.", uid, p.uid, uid)
				}
			}
		}
	}
	msg := fmt.Sprintf("no message with UID %d in %s.", uid, boxName(snap))
	switch {
	case snap.Exists == 0:
		msg += " The mailbox is empty."
	case below != 0 && above != 0:
		msg += fmt.Sprintf(" The nearest UIDs are %d below and %d above.", below, above)
	case below != 0:
		msg += fmt.Sprintf(" The nearest UID is %d, below; there is none above.", below)
	case above != 0:
		msg += fmt.Sprintf(" The nearest UID is %d, above; there is none below.", above)
	}
	t.Error("%s%s", msg, hint)
	return ErrFailed
}

// nearestUIDs finds the largest UID below uid and the smallest above it (0
// for none) with UID SEARCH: with ESEARCH asking only for MAX and MIN,
// else looking in growing windows, so as not to list a whole mailbox.
func (t *tool) nearestUIDs(uid uint32) (below, above uint32, err error) {
	esearch := t.env.Has("ESEARCH") || t.env.Has("IMAP4REV2")
	find := func(ret, set string) ([]uint32, error) {
		if esearch {
			res, ok, err := t.searchUIDs("RETURN (" + ret + ") UID " + set)
			if err != nil || ok {
				return append(res.All, res.Min, res.Max), err
			}
		}
		res, _, err := t.searchUIDs("UID " + set)
		return res.All, err
	}
	windows := []uint32{100, 10000, math.MaxUint32}
	if esearch {
		windows = windows[2:]
	} else if next := t.env.State().UIDNext; next != 0 && uid >= next {
		// Likely above every UID: "*" alone is the largest.
		found, err := find("MAX", "*")
		if err != nil {
			return 0, 0, err
		}
		if len(found) == 1 && found[0] < uid {
			return found[0], 0, nil
		}
	}
	for _, w := range windows {
		if uid == 1 || below != 0 {
			break
		}
		lo := uint32(1)
		if uid-1 > w {
			lo = uid - w
		}
		found, err := find("MAX", fmt.Sprintf("%d:%d", lo, uid-1))
		if err != nil {
			return 0, 0, err
		}
		for _, n := range found {
			if n < uid {
				below = max(below, n)
			}
		}
		if lo == 1 {
			break
		}
	}
	for _, w := range windows {
		if uid == math.MaxUint32 || above != 0 {
			break
		}
		// "*" is the largest UID in use, so N:* matches it even when it
		// is below N: keep only what is above uid.
		set := fmt.Sprintf("%d:*", uid+1)
		if w < math.MaxUint32-uid {
			set = fmt.Sprintf("%d:%d", uid+1, uid+w)
		}
		found, err := find("MIN", set)
		if err != nil {
			return 0, 0, err
		}
		for _, n := range found {
			if n > uid && (above == 0 || n < above) {
				above = n
			}
		}
	}
	return below, above, nil
}
