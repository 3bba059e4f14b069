package teach

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// maxUIDs caps the sequence-number-to-UID pairs the model keeps (4 octets
// each): beyond it, UIDs of higher sequence numbers are simply unknown.
const maxUIDs = 1 << 20

// cmdInfo is a command in flight.
type cmdInfo struct {
	name, args string
	internal   bool // a helper's, not typed
}

// mailboxState is what the model knows of the selected mailbox.
type mailboxState struct {
	conn        session.ConnState
	mailbox     string
	readOnly    bool
	exists      uint32
	existsKnown bool
	uidValidity uint32
	uidNext     uint32
	uids        []uint32 // uids[seq-1] is the UID of message seq; 0 unknown
}

// model is the explainer's own picture of the session, built from the
// events alone.
type model struct {
	mailboxState
	greeted   bool
	responses int
	tags      map[string]cmdInfo
	order     []string // tags in flight, oldest first
	pending   string   // the mailbox a SELECT or EXAMINE in flight opens
	before    *mailboxState
	caps      map[string]bool
	// hint is what the last BAD completion of a typed command teaches
	// (the state or syntax it needs); "" when none.
	hint string
}

func newModel() model {
	return model{tags: map[string]cmdInfo{}, caps: map[string]bool{}}
}

// closed forgets the connection that ended.
func (m *model) closed() { *m = newModel() }

// sent records a line imapsh sent; it reports whether the line began a
// new command (rather than continuing one: DONE, a literal's rest).
func (m *model) sent(tag, line string, internal bool) bool {
	if tag == "" {
		return false
	}
	if _, ok := m.tags[tag]; ok {
		return false
	}
	_, text, _ := strings.Cut(line, " ")
	name, args := session.CommandName(text)
	m.tags[tag] = cmdInfo{name, args, internal}
	m.order = append(m.order, tag)
	if name == "SELECT" || name == "EXAMINE" {
		// RFC 9051 section 6.3.2: the mailbox selected before is closed
		// whatever the outcome (but BAD means nothing was done).
		b := m.mailboxState
		b.uids = append([]uint32(nil), m.uids...)
		m.before = &b
		m.mailboxState = mailboxState{conn: min(m.conn, session.Authenticated), readOnly: name == "EXAMINE"}
		m.pending = session.Unquote(args)
	}
	return true
}

// finish removes a completed command and returns it.
func (m *model) finish(tag string) (cmdInfo, bool) {
	c, ok := m.tags[tag]
	if !ok {
		return c, false
	}
	delete(m.tags, tag)
	for i, t := range m.order {
		if t == tag {
			m.order = append(m.order[:i], m.order[i+1:]...)
			break
		}
	}
	return c, true
}

// inFlight returns the newest command in flight, if any.
func (m *model) inFlight() (cmdInfo, bool) {
	if len(m.order) == 0 {
		return cmdInfo{}, false
	}
	return m.tags[m.order[len(m.order)-1]], true
}

// box names the mailbox the responses are about.
func (m *model) box() string {
	switch {
	case m.pending != "":
		return m.pending
	case m.mailbox != "":
		return m.mailbox
	}
	return "the selected mailbox"
}

// setExists records a new message count.
func (m *model) setExists(n uint32) {
	m.exists, m.existsKnown = n, true
	if len(m.uids) > int(n) {
		m.uids = m.uids[:n]
	}
}

// uidOf returns the UID of message seq if a response told it.
func (m *model) uidOf(seq uint32) uint32 {
	if seq == 0 || int(seq) > len(m.uids) {
		return 0
	}
	return m.uids[seq-1]
}

// setUID records that message seq has UID uid.
func (m *model) setUID(seq, uid uint32) {
	if seq == 0 || seq > maxUIDs || uid == 0 {
		return
	}
	if int(seq) > len(m.uids) {
		m.uids = append(m.uids, make([]uint32, int(seq)-len(m.uids))...)
	}
	m.uids[seq-1] = uid
}

// trackFetch records the UID a FETCH response tells, if any. The common
// plain form ("* 5 FETCH (UID 12 FLAGS (\Seen))") is read by
// wire.ScanFetch without allocating; a response without quoted strings or
// literals that it leaves is scanned word by word; others are parsed.
func (m *model) trackFetch(seq uint32, raw []byte) {
	if sum, sure := wire.ScanFetch(raw); sure {
		if sum.UID != 0 {
			m.setUID(seq, sum.UID)
		}
		return
	}
	if bytes.ContainsAny(raw, "\"{") {
		if fd, ok, err := wire.ParseFetch(raw); ok && err == nil {
			m.setUID(seq, fd.UID())
		}
		return
	}
	words := bytes.FieldsFunc(raw, func(r rune) bool { return r == ' ' || r == '(' || r == ')' || r == '\r' || r == '\n' })
	for i := 3; i+1 < len(words); i++ {
		if bytes.EqualFold(words[i], []byte("UID")) {
			if uid, ok := number(string(words[i+1])); ok {
				m.setUID(seq, uid)
			}
			return
		}
	}
}

// expunge removes message seq: every later message moves down one.
func (m *model) expunge(seq uint32) {
	if seq == 0 {
		return
	}
	if int(seq) <= len(m.uids) {
		m.uids = append(m.uids[:seq-1], m.uids[seq:]...)
	}
	if m.exists > 0 {
		m.exists--
	}
}

// vanish removes the messages with these UIDs (QRESYNC's VANISHED).
func (m *model) vanish(uids []uint32) {
	gone := make(map[uint32]bool, len(uids))
	for _, u := range uids {
		gone[u] = true
	}
	kept := m.uids[:0]
	for _, u := range m.uids {
		if u == 0 || !gone[u] {
			kept = append(kept, u)
		}
	}
	m.uids = kept
	m.exists -= min(m.exists, uint32(len(uids)))
}

func (m *model) setCaps(list []string) {
	m.caps = map[string]bool{}
	for _, c := range list {
		m.caps[strings.ToUpper(c)] = true
	}
}

// offers reports whether the server advertised capability c or an IMAP
// version that includes it. It reports true when no list is known.
func (m *model) offers(c string) bool {
	if len(m.caps) == 0 {
		return true
	}
	return m.caps[strings.ToUpper(c)] || (m.caps["IMAP4REV2"] && inRev2(c))
}

// number parses a decimal uint32.
func number(s string) (uint32, bool) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	return uint32(n), err == nil
}

// expandSet expands a sequence or UID set in the order written (a range
// may run downwards), refusing "*" and sets of more than limit numbers.
func expandSet(s string, limit int) ([]uint32, bool) {
	set, err := wire.ParseSeqSet(s)
	if err != nil {
		return nil, false
	}
	var out []uint32
	for _, r := range set.Ranges() {
		if r[0] == 0 || r[1] == 0 {
			return nil, false
		}
		step := int64(1)
		if r[0] > r[1] {
			step = -1
		}
		for n := int64(r[0]); ; n += step {
			if len(out) >= limit {
				return nil, false
			}
			out = append(out, uint32(n))
			if n == int64(r[1]) {
				break
			}
		}
	}
	return out, true
}
