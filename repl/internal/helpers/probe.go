package helpers

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// probeSteps are the FETCHes of probe after whereis's, one item each: the
// structure (BODYSTRUCTURE, and BODY without a section, which is the
// structure too: the seed's "fetch 1045 (body)"), then the content, from
// the two header fields the seed asked for to the whole message.
var probeSteps = []struct{ items, item string }{
	{"(BODYSTRUCTURE)", "BODYSTRUCTURE"},
	{"(BODY)", "BODY"},
	{"(BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])", "BODY[HEADER.FIELDS (FROM SUBJECT)]"},
	{"(BODY.PEEK[HEADER])", "BODY[HEADER]"},
	{"(BODY.PEEK[TEXT])", "BODY[TEXT]"},
	{"(BODY.PEEK[])", "BODY[]"},
	{"(BODY.PEEK[]<0.4096>)", "BODY[]<0>"},
}

// probeStep is one FETCH of probe and what it got.
type probeStep struct {
	items string // the item list sent
	it    Item
}

// probeHelper fetches a message part by part and says which the server
// delivers, with one verdict (see verdictOf) that save shares.
func (t *tool) probeHelper(args string) error {
	arg := strings.TrimSpace(args)
	if arg == "" || strings.Contains(arg, " ") {
		return &LineError{"usage: probe UID (or probe #SEQ for a sequence number)"}
	}
	if _, err := t.needSelected("probe"); err != nil {
		return err
	}
	uid, err := t.targetUID("probe", arg)
	if err != nil {
		return err
	}
	t.start(uid)
	found, err := t.locate()
	if err != nil {
		return err
	}
	if !found {
		err := t.notFound(uid)
		t.Plain("verdict: not in this mailbox")
		return err
	}
	s, err := t.gather()
	if err != nil {
		return err
	}
	steps := []probeStep{{whereisItems, s.combined}}
	if s.combined.Outcome == Delivered {
		for _, it := range s.items {
			if !it.Good() {
				steps[0].it = Item{Name: "the message", Outcome: Delivered, Why: "though not every item came"}
			}
		}
	}
	for i, mi := range metaItems {
		if s.combined.Outcome != Delivered || !s.items[i].Good() {
			steps = append(steps, probeStep{"(" + mi.item + ")", s.items[i]})
		}
	}
	// Body octets are counted, not shown; judged once all have come.
	count := func(string, int64) (io.Writer, string) { return io.Discard, "counted by probe" }
	results := make([]fetched, len(probeSteps))
	for i, ps := range probeSteps {
		results[i], err = t.fetch(fetchSpec{uid: uid, items: ps.items, sink: count})
		if err != nil {
			return err
		}
		if results[i].info != nil {
			s.info.absorb(results[i].info)
		}
	}
	f := factsOf(s.info)
	whole := judge("BODY[]", results[5], f)
	f.whole = whole.Good()
	for i, ps := range probeSteps {
		it := judge(ps.item, results[i], f)
		if ps.item == "BODY" && it.Good() {
			it.Why = "the structure only: BODY without a section is not the content"
		}
		steps = append(steps, probeStep{ps.items, it})
	}
	t.probeReport(s, steps, whole)
	return nil
}

// probeReport prints the table of steps and the verdict.
func (t *tool) probeReport(s *summary, steps []probeStep, whole Item) {
	m := s.info
	var b strings.Builder
	fmt.Fprintf(&b, "probe of UID %d in %s, %s:", m.UID, boxName(t.env.State()), where(m.Seq))
	w := 0
	for _, st := range steps {
		w = max(w, len(st.items))
	}
	for _, st := range steps {
		it := st.it
		if it.Name == "BODY[]" && it.Good() && it.Why != "" {
			it.Why = "see the note below"
		}
		fmt.Fprintf(&b, "\n  UID FETCH %d %-*s  %s", m.UID, w, st.items, it)
	}
	b.WriteString("\n" + verdictOf(s, steps, whole))
	t.Plain("%s", b.String())
}

// verdictOf is the one verdict on a message: delivered when BODY[] came
// whole (and, when the server told RFC822.SIZE, of that size or more),
// whatever its text reads like; else a poison message, with what the
// server does and does not give.
func verdictOf(s *summary, steps []probeStep, whole Item) string {
	m := s.info
	var good, withheld, subs, failedNames []string
	var failed [][]string // names, by how they failed, in order
	var how []string
	items := slices.Clone(s.items)
	for _, st := range steps[1:] {
		if !slices.ContainsFunc(items, func(it Item) bool { return it.Name == st.it.Name }) {
			items = append(items, st.it)
		}
	}
	for _, it := range items {
		switch it.Outcome {
		case Delivered:
			good = append(good, it.Name)
		case Withheld:
			withheld = append(withheld, it.Name)
		case Substitute:
			subs = append(subs, it.Name)
		default:
			failedNames = append(failedNames, it.Name)
			var text string
			switch it.Outcome {
			case Nil:
				text = "It answers NIL for %s."
			case Refused:
				text = "It refuses %s: " + strings.ReplaceAll(it.Why, "%", "%%") + "."
			case Short:
				text = "It sends %s short, with fewer octets than RFC822.SIZE announces."
			default:
				text = "The connection ended during %s."
			}
			if i := slices.Index(how, text); i >= 0 {
				failed[i] = append(failed[i], it.Name)
			} else {
				how, failed = append(how, text), append(failed, []string{it.Name})
			}
		}
	}
	var b strings.Builder
	if whole.Good() {
		fmt.Fprintf(&b, "verdict: delivered: BODY[] came whole (%s)", octets(whole.Size))
		if m.Has["RFC822.SIZE"] && whole.Size == m.Size {
			b.WriteString(", the size RFC822.SIZE announces")
		}
		if len(withheld)+len(failed)+len(subs) > 0 {
			fmt.Fprintf(&b, ", though %s did not come as asked", andList(append(append(withheld, subs...), failedNames...)))
		}
		b.WriteString(".")
		if whole.Why != "" {
			b.WriteString("\nnote: " + whole.Why + ".")
		}
		return b.String()
	}
	fmt.Fprintf(&b, "verdict: a poison message: the server lists UID %d", m.UID)
	if m.Seq != 0 {
		fmt.Fprintf(&b, " (message %d)", m.Seq)
	}
	fmt.Fprintf(&b, " but does not deliver it (BODY[]: %s).", whole)
	if len(good) > 0 {
		fmt.Fprintf(&b, "\nIt gives %s", andList(good))
		if len(withheld) > 0 {
			fmt.Fprintf(&b, "; it withholds %s", andList(withheld))
		}
		b.WriteString(".")
	} else if len(withheld) > 0 {
		fmt.Fprintf(&b, "\nIt withholds %s.", andList(withheld))
	}
	if len(subs) > 0 {
		fmt.Fprintf(&b, "\nFor %s it sends content of its own making instead of the message's.", andList(subs))
	}
	for i, names := range failed {
		fmt.Fprintf(&b, "\n"+how[i], andList(names))
	}
	if steps[0].it.Outcome == Withheld {
		b.WriteString("\nAsked for several items at once, it sends nothing for the message at all, not even its UID.")
	}
	fmt.Fprintf(&b, "\nWhat to do next: `save %d FILE` keeps what can be had; `kill %d` deletes this message alone, nothing else.", m.UID, m.UID)
	return b.String()
}
