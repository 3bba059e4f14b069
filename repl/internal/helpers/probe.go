package helpers

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// outcome is what one probe step got.
type outcome uint8

const (
	gotData       outcome = iota
	gotEmpty              // a zero-length section
	gotNil                // NIL in place of the section
	gotNothing            // OK, but no FETCH data with the item: the Exchange poison
	gotRefused            // NO or BAD
	gotSubstitute         // content the server made up in place of the message
)

// probeStep is one FETCH of probe and what it got.
type probeStep struct {
	items string // the item list sent
	item  string // the item expected back
	got   outcome
	size  int64
	why   string // the server's text, or why it looks like a substitute
}

func (s probeStep) String() string {
	switch s.got {
	case gotData:
		switch s.item {
		case "BODYSTRUCTURE":
			return "delivered"
		case "RFC822.SIZE":
			return fmt.Sprintf("delivered: RFC822.SIZE %d", s.size)
		}
		return fmt.Sprintf("delivered (%d octets)", s.size)
	case gotEmpty:
		return "empty (0 octets)"
	case gotNil:
		return "NIL"
	case gotNothing:
		return fmt.Sprintf("no data: the server said OK but sent no %s", s.item)
	case gotRefused:
		return "refused: " + s.why
	}
	return fmt.Sprintf("server-made substitute (%d octets): %s", s.size, s.why)
}

// substituteMarks are phrases of the notices servers deliver in place of a
// message they cannot read (Exchange 2010 and later).
var substituteMarks = []string{
	"retrieval using the imap4 protocol failed",
	"couldn't retrieve the following message",
	"could not retrieve the following message",
}

// substituteWhy says why content looks server-made, or "".
func substituteWhy(head []byte, size, want int64, checkSize bool) string {
	low := bytes.ToLower(head)
	for _, m := range substituteMarks {
		if bytes.Contains(low, []byte(m)) {
			return fmt.Sprintf("it contains %q", m)
		}
	}
	if d := size - want; checkSize && (d > 1024 || d < -1024) && (size*2 < want || size > want*2) {
		return fmt.Sprintf("%d octets where %d were expected from RFC822.SIZE", size, want)
	}
	return ""
}

// probeHelper fetches a message part by part and says which the server
// delivers.
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
	first, h, err := t.fetchUID(fetchSpec{uid: uid, items: "(UID RFC822.SIZE)"})
	switch {
	case err != nil:
		return err
	case h.Name != "OK":
		return t.refused("probe", h)
	case first == nil:
		err := t.notFound(uid)
		t.Plain("verdict: not in this mailbox")
		return err
	}
	steps := []probeStep{{items: "(UID RFC822.SIZE)", item: "RFC822.SIZE", got: gotNothing}}
	if first.HasSize {
		steps[0].got, steps[0].size = gotData, first.Size
	}
	for _, s := range [][2]string{
		{"(BODYSTRUCTURE)", "BODYSTRUCTURE"},
		{"(BODY.PEEK[HEADER])", "BODY[HEADER]"},
		{"(BODY.PEEK[TEXT])", "BODY[TEXT]"},
		{"(BODY.PEEK[])", "BODY[]"},
		{"(BODY.PEEK[]<0.4096>)", "BODY[]<0>"},
	} {
		step, err := t.probeStep(first, s[0], s[1])
		if err != nil {
			return err
		}
		steps = append(steps, step)
	}
	t.probeReport(first, steps)
	return nil
}

// probeStep sends one FETCH and judges what came back. Body octets are
// counted, not shown.
func (t *tool) probeStep(m *msgInfo, items, item string) (probeStep, error) {
	count := func(string, int64) (io.Writer, string) { return io.Discard, "counted by probe" }
	info, h, err := t.fetchUID(fetchSpec{uid: m.UID, seq: m.Seq, items: items, sink: count})
	if err != nil {
		return probeStep{items: items, item: item}, err
	}
	return judge(m, items, item, info, h), nil
}

// judge says what a FETCH of items got of item, for message m (whose
// RFC822.SIZE the whole message is checked against).
func judge(m *msgInfo, items, item string, info *msgInfo, h wire.Head) probeStep {
	step := probeStep{items: items, item: item}
	if h.Name != "OK" {
		step.got, step.why = gotRefused, StatusText(h)
		return step
	}
	if item == "BODYSTRUCTURE" {
		step.got = gotNothing
		if info != nil && info.HasStructure {
			step.got = gotData
		}
		return step
	}
	sec, ok := section{}, false
	if info != nil {
		sec, ok = info.Sections[item]
	}
	want, checkSize := m.Size, m.HasSize && m.Size > 0 && strings.HasPrefix(item, "BODY[]")
	if item == "BODY[]<0>" {
		want = min(want, 4096)
	}
	step.size = sec.Size
	switch {
	case !ok:
		step.got = gotNothing
	case sec.Nil:
		step.got = gotNil
	case sec.Size == 0:
		step.got = gotEmpty
	default:
		if step.why = substituteWhy(sec.Head, sec.Size, want, checkSize); step.why != "" {
			step.got = gotSubstitute
		}
	}
	return step
}

// probeReport prints the table of steps and the verdict.
func (t *tool) probeReport(m *msgInfo, steps []probeStep) {
	var b strings.Builder
	fmt.Fprintf(&b, "probe of UID %d in %s, sequence number %d:", m.UID, boxName(t.env.State()), m.Seq)
	var good, bad []string
	var whole probeStep
	for _, s := range steps {
		fmt.Fprintf(&b, "\n  UID FETCH %d %-22s %s", m.UID, s.items, s)
		if s.item == "BODY[]" {
			whole = s
		}
		if s.got == gotData {
			good = append(good, s.item)
		} else if s.item != "RFC822.SIZE" {
			bad = append(bad, s.item)
		}
	}
	if m.HasSize && m.Size == 0 && whole.got == gotEmpty {
		whole.got = gotData // an empty message, and said to be
	}
	b.WriteString("\nverdict: ")
	switch {
	case whole.got == gotData && len(bad) == 0:
		b.WriteString("deliverable: every part came")
	case whole.got == gotData:
		fmt.Fprintf(&b, "deliverable as a whole (BODY[]), though %s did not come", strings.Join(bad, ", "))
	default:
		fmt.Fprintf(&b, "listed but not deliverable: this is a poison message (BODY[]: %s", whole)
		if len(good) > 0 {
			fmt.Fprintf(&b, "; the server does deliver %s", strings.Join(good, ", "))
		}
		fmt.Fprintf(&b, ").\nWhat to do next: `save %d FILE` keeps what can be had; `kill %d` deletes this message alone, nothing else.", m.UID, m.UID)
	}
	if whole.got == gotData && m.HasSize && whole.size != m.Size {
		fmt.Fprintf(&b, "\nnote: BODY[] has %d octets, RFC822.SIZE says %d (some servers, Exchange among them, only estimate RFC822.SIZE)", whole.size, m.Size)
	}
	t.Plain("%s", b.String())
}
