package watchdog

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// count records a violation that is counted but not delivered.
func (w *Watchdog) count(f Finding) {
	if !f.Note {
		w.st.violations++
	}
	w.st.unshown[f.Rule]++
}

// seqs holds one slot per message, by sequence number, in a gap buffer:
// servers expunge at one place again and again (a "lower to higher"
// server repeats one number, a "higher to lower" one counts down), which a
// gap buffer does in constant time, and new messages come at the end.
type seqs struct {
	buf    []slot
	gs, ge int // the gap is buf[gs:ge]
}

func (q *seqs) reset(n int) { q.buf, q.gs, q.ge = make([]slot, n), n, n }

func (q *seqs) len() int { return len(q.buf) - (q.ge - q.gs) }

func (q *seqs) at(i int) *slot {
	if i < q.gs {
		return &q.buf[i]
	}
	return &q.buf[i+q.ge-q.gs]
}

func (q *seqs) moveGap(i int) {
	switch {
	case i < q.gs:
		n := q.gs - i
		copy(q.buf[q.ge-n:q.ge], q.buf[i:q.gs])
		q.gs, q.ge = i, q.ge-n
	case i > q.gs:
		n := i - q.gs
		copy(q.buf[q.gs:q.gs+n], q.buf[q.ge:q.ge+n])
		q.gs, q.ge = i, q.ge+n
	}
}

func (q *seqs) remove(i int) {
	q.moveGap(i)
	q.ge++
}

// push adds a slot at the end.
func (q *seqs) push(s slot) {
	q.moveGap(q.len())
	if q.gs == q.ge {
		nb := make([]slot, 2*len(q.buf)+16)
		copy(nb, q.buf[:q.gs])
		q.buf, q.ge = nb, len(nb)
	}
	q.buf[q.gs] = s
	q.gs++
}

// ring keeps the first lines of the last responses, for evidence.
type ring struct {
	lines [1024]string
	nums  [1024]int
}

func (r *ring) put(n int, line string) {
	r.lines[n%len(r.lines)], r.nums[n%len(r.nums)] = line, n
}

// get returns line n, or fallback when it is no longer kept.
func (r *ring) get(n int, fallback string) string {
	if n > 0 && r.nums[n%len(r.nums)] == n {
		return r.lines[n%len(r.lines)]
	}
	return fallback
}

// clip shortens a line kept as evidence to 200 bytes, on a rune boundary.
func clip(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// appendClip appends b to dst shortened as clip shortens a string.
func appendClip(dst, b []byte) []byte {
	const max = 200
	if len(b) <= max {
		return append(dst, b...)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return append(append(dst, b[:cut]...), "…"...)
}

type literalKind uint8

const (
	noLiteral literalKind = iota
	syncLiteral
	nonSyncLiteral
)

var literalRe = regexp.MustCompile(`~?\{[0-9]+([+-]?)\}$`)

// literalAtEnd says whether a line sent ends in a literal announcement, and
// which kind (RFC 9051 section 4.3, RFC 7888).
func literalAtEnd(line string) literalKind {
	m := literalRe.FindStringSubmatch(line)
	switch {
	case m == nil:
		return noLiteral
	case m[1] == "":
		return syncLiteral
	}
	return nonSyncLiteral
}

var condstoreRe = regexp.MustCompile(`(?i)\b(CONDSTORE|QRESYNC|MODSEQ|CHANGEDSINCE|UNCHANGEDSINCE|HIGHESTMODSEQ)\b`)

// enablesCondstore reports a line that may be a CONDSTORE enabling command
// (RFC 7162 section 3.1): any mention of its words counts, so that the
// watchdog never blames the server for answering one.
func enablesCondstore(line string) bool {
	return strings.ContainsAny(line, "CcHhMmQqUu") && condstoreRe.MatchString(line)
}
