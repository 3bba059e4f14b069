package watchdog

import (
	"fmt"
	"math"

	"github.com/imapsh/imapsh/wire"
)

// trackLimit caps the messages whose UIDs are tracked (16 MiB of slots);
// above it only the count is checked.
const trackLimit = 1 << 20

// scanLimit caps how far a UID check looks for the nearest message whose
// UID is known; beyond it a disorder may go unseen, never be invented.
const scanLimit = 4096

// origin says when a message came into the watchdog's view.
type origin uint8

const (
	originUnknown origin = iota
	originOld            // in the mailbox when the SELECT announced UIDNEXT
	originNew            // announced later by an EXISTS
)

// slot is what the watchdog knows of one message, by sequence number.
type slot struct {
	uid    uint32 // 0: not told
	seq    uint32 // its sequence number when its UID was told
	uidAt  int32  // the response that told the UID
	grewAt int32  // the EXISTS that announced it (originNew)
	org    origin
}

// mailbox is the model of the selected mailbox: the count the server told,
// adjusted by every EXPUNGE, and the UID of each message when told.
type mailbox struct {
	name      string
	selecting bool // the SELECT or EXAMINE is still in flight
	known     bool // the count is known
	count     uint32
	track     bool // the slots are kept (count <= trackLimit)
	q         seqs
	// minKnown and maxKnown bound the slots whose UID is known, so that
	// filling them in order costs nothing to check.
	minKnown, maxKnown int

	validity     uint32
	validityLine string
	base         uint32 // UIDNEXT of the SELECT: messages before have lower UIDs, new ones not
	baseLine     string
	next         uint32 // the UIDNEXT announced last
	nextLine     string
	countLine    string            // the EXISTS that told the count last
	lastExpunge  string            // the EXPUNGE (or VANISHED) line last applied
	gone         map[uint32]string // UIDs expunged while selected, with the line that said so
}

func newMailbox(name string) *mailbox {
	return &mailbox{name: name, selecting: true, gone: map[uint32]string{}, minKnown: math.MaxInt, maxKnown: -1}
}

// selected is called at the tagged OK of the SELECT or EXAMINE: the
// messages there now are the ones below its UIDNEXT.
func (b *mailbox) selected() {
	b.selecting = false
	b.base, b.baseLine = b.next, b.nextLine
	if b.base != 0 && b.track {
		for i := range b.q.len() {
			b.q.at(i).org = originOld
		}
	}
}

// setCount learns a count afresh, forgetting every UID.
func (b *mailbox) setCount(n uint32) {
	b.known, b.count = true, n
	b.track = n <= trackLimit
	b.q = seqs{}
	if b.track {
		b.q.reset(int(n))
	}
	b.minKnown, b.maxKnown = math.MaxInt, -1
}

// forget drops what is known of the UIDs (and of the count, when
// countToo), after something the model cannot follow.
func (b *mailbox) forget(countToo bool) {
	if countToo {
		b.known, b.track, b.q = false, false, seqs{}
		b.minKnown, b.maxKnown = math.MaxInt, -1
		return
	}
	if b.known {
		b.setCount(b.count)
	}
}

// exists applies "* N EXISTS".
func (b *mailbox) exists(w *Watchdog, c *conn, n uint32, ev string) {
	switch {
	case !b.known || (b.selecting && n < b.count):
		b.setCount(n)
	case n < b.count:
		w.report(Finding{Rule: RuleExistsShrink, Evidence: nonEmpty(b.countLine, b.lastExpunge, ev),
			Text: fmt.Sprintf("EXISTS says %d messages, but %s had %d and no EXPUNGE removed any since: EXISTS may never lower the count, only EXPUNGE may", n, b.name, b.count)})
		b.setCount(n)
	case n > b.count:
		org := originNew
		if b.selecting {
			org = originUnknown
		}
		if b.track && n <= trackLimit {
			for range n - b.count {
				b.q.push(slot{org: org, grewAt: int32(c.n)})
			}
		} else {
			b.track, b.q = false, seqs{}
		}
		b.count = n
	}
	b.countLine = ev
}

// expunge applies "* N EXPUNGE".
func (b *mailbox) expunge(w *Watchdog, c *conn, n uint32, ev string) {
	if !b.known {
		return
	}
	if n == 0 || n > b.count {
		if !b.selecting {
			w.report(Finding{Rule: RuleSeqRange, Evidence: nonEmpty(b.countLine, b.lastExpunge, ev),
				Text: fmt.Sprintf("EXPUNGE of message %d, but %s has %d messages (sequence numbers run from 1 to the count, which each EXPUNGE lowers by one)", n, b.name, b.count)})
		}
		// The server and the model disagree: judge nothing that needs
		// the count until an EXISTS tells it again.
		b.forget(true)
		return
	}
	if b.track {
		i := int(n - 1)
		if s := b.q.at(i); s.uid != 0 {
			b.gone[s.uid] = ev
		}
		b.q.remove(i)
		if i < b.minKnown && b.minKnown != math.MaxInt {
			b.minKnown--
		}
		if i <= b.maxKnown {
			b.maxKnown--
		}
	}
	b.count--
	b.lastExpunge = ev
}

// vanish applies "* VANISHED uid-set" (RFC 7162 section 3.2.10): the
// messages with those UIDs are gone, and the count goes down.
func (b *mailbox) vanish(set wire.SeqSet, ev string) {
	uids, err := set.Expand(0, trackLimit)
	if err != nil || !b.known {
		b.forget(true)
		return
	}
	gone := map[uint32]bool{}
	for _, u := range uids {
		gone[u] = true
		b.gone[u] = ev
	}
	b.lastExpunge = ev
	if b.track && b.allKnown() {
		old := b.q
		b.setCount(0)
		for i := range old.len() {
			if s := old.at(i); !gone[s.uid] {
				b.q.push(*s)
				b.count++
				b.minKnown, b.maxKnown = min(b.minKnown, int(b.count-1)), int(b.count-1)
			}
		}
		return
	}
	b.setCount(b.count - min(b.count, uint32(len(uids))))
}

func (b *mailbox) allKnown() bool {
	for i := range b.q.len() {
		if b.q.at(i).uid == 0 {
			return false
		}
	}
	return true
}

// uidValidity applies [UIDVALIDITY n]: it may change only with a new
// SELECT or EXAMINE.
func (b *mailbox) uidValidity(w *Watchdog, c *conn, v uint32, ev string) {
	if b.selecting || b.validity == 0 || v == b.validity {
		b.validity, b.validityLine = v, ev
		return
	}
	w.report(Finding{Rule: RuleUIDValidity, Evidence: nonEmpty(b.validityLine, ev),
		Text: fmt.Sprintf("UIDVALIDITY of %s changed from %d to %d while it stayed selected (no SELECT or EXAMINE in between): every UID of the session changed meaning, and a message's UID must not change during the session", b.name, b.validity, v)})
	b.validity, b.validityLine = v, ev
	b.base, b.next = 0, 0
	b.gone = map[uint32]string{}
	b.forget(false)
}

// uidNext applies [UIDNEXT n]: it may only grow.
func (b *mailbox) uidNext(w *Watchdog, c *conn, v uint32, ev string) {
	if !b.selecting && b.next != 0 && v < b.next {
		w.report(Finding{Rule: RuleUIDNext, Evidence: nonEmpty(b.nextLine, ev),
			Text: fmt.Sprintf("UIDNEXT of %s went down from %d to %d while UIDVALIDITY stayed %d: the next UID may only grow", b.name, b.next, v, b.validity)})
	}
	b.next, b.nextLine = v, ev
}

func nonEmpty(lines ...string) []string {
	var out []string
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}
