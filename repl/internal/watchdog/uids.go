package watchdog

import (
	"fmt"
)

// fetch checks "* N FETCH (...)": N must be a message of the mailbox, and
// a UID it carries must agree with everything told before.
func (b *mailbox) fetch(w *Watchdog, c *conn, n uint32, fd fetchFacts, ev string) {
	if !b.known {
		return
	}
	if n == 0 || n > b.count {
		if !b.selecting {
			w.report(Finding{Rule: RuleSeqRange, Evidence: nonEmpty(b.countLine, b.lastExpunge, ev),
				Text: fmt.Sprintf("FETCH data for message %d, but %s has %d messages: sequence numbers run from 1 to the count, and a new message is announced by EXISTS before anything is said about it", n, b.name, b.count)})
		}
		return
	}
	if b.selecting || !b.track || !fd.ok || fd.uid == 0 {
		return
	}
	b.learn(w, c, int(n-1), fd.uid, ev)
}

// learn checks the UID u the server gave for the message at index i and
// records it. At most one finding per response: the most telling one.
func (b *mailbox) learn(w *Watchdog, c *conn, i int, u uint32, ev string) {
	s := b.q.at(i)
	seq := i + 1
	// earlier is the line that told the UID of the message at index j,
	// saying so when its sequence number has changed since.
	earlier := func(j int, s *slot) string {
		line := c.ring.get(int(s.uidAt), fmt.Sprintf("S: * %d FETCH (... UID %d ...)  [abridged: said %d responses ago]", s.seq, s.uid, c.n-int(s.uidAt)))
		if int(s.seq) != j+1 {
			line += fmt.Sprintf("  [message %d then, %d now]", s.seq, j+1)
		}
		return line
	}
	grew := func(s *slot) string {
		return c.ring.get(int(s.grewAt), fmt.Sprintf("S: * %d EXISTS  [abridged]", seq))
	}
	defer func() {
		s.uid, s.seq, s.uidAt = u, uint32(seq), int32(c.n)
		b.minKnown, b.maxKnown = min(b.minKnown, i), max(b.maxKnown, i)
	}()
	if s.uid != 0 {
		if s.uid != u {
			w.report(Finding{Rule: RuleUIDChanged, Evidence: []string{earlier(i, s), ev},
				Text: fmt.Sprintf("message %d now has UID %d, but the server gave it UID %d before, and no EXPUNGE since explains the change: a message's UID must not change during the session", seq, u, s.uid)})
		}
		return
	}
	if line, ok := b.gone[u]; ok {
		if s.org == originNew {
			w.report(Finding{Rule: RuleCountMismatch, Evidence: nonEmpty(line, grew(s), ev),
				Text: fmt.Sprintf("message %d, announced as new by an EXISTS, carries UID %d, the UID of a message the server had expunged: the count did not add up, the server counted the expunged message again", seq, u)})
		} else {
			w.report(Finding{Rule: RuleUIDExpunged, Evidence: []string{line, ev},
				Text: fmt.Sprintf("message %d has UID %d, which belonged to a message expunged earlier in this session: a UID never refers to another message, and an expunged message's UID is never reused", seq, u)})
		}
		return
	}
	if j, other := b.outOfOrder(i, u); j >= 0 {
		if other.uid == u && s.org == originNew {
			text := fmt.Sprintf("message %d, announced as new by an EXISTS, carries UID %d, which message %d already has", seq, u, j+1)
			evidence := []string{earlier(j, other)}
			if b.lastExpunge != "" {
				text += " (the count had gone down by an EXPUNGE before)"
				evidence = append(evidence, b.lastExpunge)
			}
			if b.base != 0 && u < b.base {
				text += fmt.Sprintf(", and below the UIDNEXT %d announced before it arrived", b.base)
			}
			text += ": the count did not add up, the server counted a message twice"
			w.report(Finding{Rule: RuleCountMismatch, Text: text, Evidence: append(evidence, grew(s), ev)})
			return
		}
		w.report(Finding{Rule: RuleUIDOrder, Evidence: []string{earlier(j, other), ev},
			Text: fmt.Sprintf("message %d has UID %d, but message %d has UID %d: UIDs ascend strictly with sequence numbers", seq, u, j+1, other.uid)})
		return
	}
	switch {
	case b.base == 0:
	case s.org == originOld && u >= b.base:
		w.report(Finding{Rule: RuleUIDNext, Evidence: nonEmpty(b.baseLine, ev),
			Text: fmt.Sprintf("message %d was in %s when the server announced UIDNEXT %d, but has UID %d: every message there then has a lower UID", seq, b.name, b.base, u)})
	case s.org == originNew && u < b.base:
		w.report(Finding{Rule: RuleUIDNext, Evidence: nonEmpty(b.baseLine, grew(s), ev),
			Text: fmt.Sprintf("message %d arrived after the server announced UIDNEXT %d, but has UID %d, below it: a message that arrives later gets a UID at or above the UIDNEXT announced before", seq, b.base, u)})
	}
}

// outOfOrder returns the nearest message with a known UID that u would not
// ascend with, if any (index -1 if none).
func (b *mailbox) outOfOrder(i int, u uint32) (int, *slot) {
	for j := i - 1; j >= max(b.minKnown, i-scanLimit) && j >= 0; j-- {
		if s := b.q.at(j); s.uid != 0 {
			if s.uid >= u {
				return j, s
			}
			break
		}
	}
	for j := i + 1; j <= min(b.maxKnown, i+scanLimit) && j < b.q.len(); j++ {
		if s := b.q.at(j); s.uid != 0 {
			if s.uid <= u {
				return j, s
			}
			break
		}
	}
	return -1, nil
}
