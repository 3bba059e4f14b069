package imaptest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// resolve returns the indexes into s.view named by a sequence set (or a
// UID set when uid), ascending. A sequence number beyond EXISTS is an
// error; UIDs that do not exist are skipped (RFC 3501 section 6.4.8). The
// caller holds x.mu.
func (s *session) resolve(set string, uid bool) ([]int, bool) {
	rs, err := parseSeqSet(set)
	if err != nil {
		return nil, false
	}
	msgs := s.view
	if !uid && (len(msgs) == 0 || setMax(rs) > uint32(len(msgs))) {
		return nil, false
	}
	var maxUID uint32
	if len(msgs) > 0 {
		maxUID = msgs[len(msgs)-1].uid
	}
	var idx []int
	for i, m := range msgs {
		if uid && len(msgs) > 0 && setContains(rs, m.uid, maxUID) ||
			!uid && setContains(rs, uint32(i+1), uint32(len(msgs))) {
			idx = append(idx, i)
		}
	}
	return idx, true
}

// store implements STORE and UID STORE (RFC 3501 section 6.4.6).
func (s *session) store(tag string, args []byte, uid bool) {
	n, err := tokenize(args)
	if err != nil || len(n) < 2 || n[0].str != nil || n[0].isL || n[1].str != nil || n[1].isL {
		s.send(tag + argError)
		return
	}
	item := strings.ToUpper(n[1].atom)
	silent := strings.HasSuffix(item, ".SILENT")
	item = strings.TrimSuffix(item, ".SILENT")
	if item != "FLAGS" && item != "+FLAGS" && item != "-FLAGS" {
		s.send(tag + argError)
		return
	}
	var flags []string
	for _, f := range n[2:] {
		if f.isL {
			for _, g := range f.list {
				flags = append(flags, g.text())
			}
		} else {
			flags = append(flags, f.text())
		}
	}
	idx, ok := s.resolve(n[0].atom, uid)
	if !ok {
		s.send(tag + argError)
		return
	}
	if s.readOnly {
		s.send(tag + " NO Command received in Invalid state.")
		return
	}
	if s.x.cfg.IgnoreStoreDeleted {
		flags = removeFlags(flags, `\Deleted`)
	}
	for _, i := range idx {
		m := s.view[i]
		if uid && s.isGhost(m) {
			continue // Dovecot: UID STORE skips a message another expunged
		}
		before := flagList(m.flags)
		switch item {
		case "FLAGS":
			deleted := hasFlag(m.flags, `\Deleted`)
			m.flags = addFlags(nil, flags...)
			if s.x.cfg.IgnoreStoreDeleted && deleted {
				m.flags = addFlags(m.flags, `\Deleted`)
			}
		case "+FLAGS":
			m.flags = addFlags(slices.Clone(m.flags), flags...)
		case "-FLAGS":
			m.flags = removeFlags(m.flags, flags...)
		}
		if flagList(m.flags) != before {
			s.x.flagsChanged(s.sel, m, s)
		}
		if silent {
			continue
		}
		line := fmt.Sprintf("* %d FETCH (FLAGS %s", i+1, flagList(m.flags))
		if uid {
			line += fmt.Sprintf(" UID %d", m.uid)
		}
		s.send(line + ")")
	}
	s.send(tag + " OK STORE completed.")
}

// expunge implements EXPUNGE and, with UIDPLUS configured, UID EXPUNGE.
func (s *session) expunge(tag string, args []byte, uid bool) {
	var keep []int
	if uid {
		var ok bool
		if keep, ok = s.resolve(strings.TrimSpace(string(args)), true); !ok {
			s.send(tag + argError)
			return
		}
	}
	if s.readOnly {
		s.send(tag + " NO Command received in Invalid state.")
		return
	}
	if s.removeDeleted(keep, uid, true) > 0 {
		s.send(fmt.Sprintf("* %d EXISTS", len(s.view)))
	}
	s.send(tag + " OK EXPUNGE completed.")
}

// removeDeleted removes the \Deleted messages (only those at the view
// indexes in only, when restrict) from the selected mailbox, highest
// sequence number first, reporting each when report. Under NotifyDovecot a
// reporting EXPUNGE also reports, in the same descending run, the messages
// another client expunged. Without restrict it also removes the \Deleted
// messages not yet announced to the session (NotifyCourier), silently. It
// returns how many EXPUNGE lines it sent, or removed when !report. The
// caller holds x.mu.
func (s *session) removeDeleted(only []int, restrict, report bool) int {
	in := map[int]bool{}
	for _, i := range only {
		in[i] = true
	}
	removed := 0
	for i := len(s.view) - 1; i >= 0; i-- {
		m := s.view[i]
		switch {
		case s.isGhost(m):
			if !report || s.x.cfg.Notify != NotifyDovecot {
				continue
			}
			delete(s.gone, m)
		case !hasFlag(m.flags, `\Deleted`) || restrict && !in[i]:
			continue
		default:
			s.x.removeLive(s.sel, m, s)
		}
		s.view = slices.Delete(s.view, i, i+1)
		removed++
		if report {
			s.send(fmt.Sprintf("* %d EXPUNGE", i+1))
		}
	}
	if !restrict {
		for _, m := range slices.Clone(s.sel.msgs) {
			if hasFlag(m.flags, `\Deleted`) && !slices.Contains(s.view, m) {
				s.x.removeLive(s.sel, m, s)
			}
		}
	}
	return removed
}

// closeBox implements CLOSE: a silent expunge unless read-only.
func (s *session) closeBox(tag string, _ []byte, _ bool) {
	if !s.readOnly {
		s.removeDeleted(nil, false, false)
	}
	s.sel, s.view, s.gone, s.changed = nil, nil, nil, nil
	s.send(tag + " OK CLOSE completed.")
}

// search implements SEARCH and UID SEARCH (RFC 3501 section 6.4.4) for
// flag, UID, sequence, size, header and text keys, NOT, OR and lists.
func (s *session) search(tag string, args []byte, uid bool) {
	n, err := tokenize(args)
	if err == nil && len(n) >= 2 && n[0].isAtom("CHARSET") {
		n = n[2:]
	}
	if err != nil || len(n) == 0 {
		s.send(tag + argError)
		return
	}
	p := &searchParser{s: s, nodes: n}
	var keys []matcher
	for p.pos < len(p.nodes) {
		k, ok := p.key()
		if !ok {
			s.send(tag + argError)
			return
		}
		keys = append(keys, k)
	}
	if s.uid && p.sets {
		s.expungeOK = false // Dovecot holds EXPUNGEs back after UID SEARCH UID set
	}
	line := "* SEARCH"
	for i, m := range s.view {
		if all(keys, i+1, m) {
			if uid {
				line += fmt.Sprintf(" %d", m.uid)
			} else {
				line += fmt.Sprintf(" %d", i+1)
			}
		}
	}
	s.send(line)
	s.send(tag + " OK SEARCH completed.")
}

// appendMsg implements APPEND; with UIDPLUS configured it answers APPENDUID.
func (s *session) appendMsg(tag string, args []byte, _ bool) {
	n, err := tokenize(args)
	if err != nil || len(n) < 2 || len(n) > 4 || n[0].isL || n[len(n)-1].str == nil {
		s.send(tag + argError)
		return
	}
	m := &message{date: time.Now().In(stockholm).Truncate(time.Second)}
	for _, opt := range n[1 : len(n)-1] {
		switch {
		case opt.isL:
			for _, f := range opt.list {
				m.flags = addFlags(m.flags, f.text())
			}
		case opt.str != nil:
			d, err := time.Parse("2-Jan-2006 15:04:05 -0700", strings.TrimSpace(*opt.str))
			if err != nil {
				s.send(tag + argError)
				return
			}
			m.date = d
		default:
			s.send(tag + argError)
			return
		}
	}
	b := s.x.box(n[0].text())
	if b == nil {
		s.send(tag + " NO [TRYCREATE] The requested item could not be found.")
		return
	}
	m.text = []byte(*n[len(n)-1].str)
	m.size, m.uid = len(m.text), b.uidNext
	b.uidNext++
	b.msgs = append(b.msgs, m)
	s.arrived(b)
	if s.x.hasCap("UIDPLUS") {
		s.send(fmt.Sprintf("%s OK [APPENDUID %d %d] APPEND completed.", tag, b.uidValidity, m.uid))
		return
	}
	s.send(tag + " OK APPEND completed.")
}

// copyMsgs implements COPY and UID COPY (COPYUID with UIDPLUS).
func (s *session) copyMsgs(tag string, args []byte, uid bool) {
	n, err := tokenize(args)
	if err != nil || len(n) != 2 || n[0].str != nil || n[0].isL || n[1].isL {
		s.send(tag + argError)
		return
	}
	idx, ok := s.resolve(n[0].atom, uid)
	if !ok {
		s.send(tag + argError)
		return
	}
	dst := s.x.box(n[1].text())
	if dst == nil {
		s.send(tag + " NO [TRYCREATE] The requested item could not be found.")
		return
	}
	var from, to []string
	gone := false
	for _, i := range idx {
		src := s.view[i]
		if s.isGhost(src) {
			gone = true
			continue
		}
		c := *src
		c.uid, c.flags = dst.uidNext, append([]string(nil), src.flags...)
		dst.uidNext++
		dst.msgs = append(dst.msgs, &c)
		from, to = append(from, fmt.Sprint(src.uid)), append(to, fmt.Sprint(c.uid))
	}
	if len(from) > 0 {
		s.arrived(dst)
	}
	if gone {
		s.send(tag + " NO [EXPUNGEISSUED] Some of the requested messages no longer exist")
		return
	}
	if s.x.hasCap("UIDPLUS") && len(from) > 0 {
		s.send(fmt.Sprintf("%s OK [COPYUID %d %s %s] COPY completed.", tag, dst.uidValidity,
			strings.Join(from, ","), strings.Join(to, ",")))
		return
	}
	s.send(tag + " OK COPY completed.")
}

// arrived announces the session's own APPEND or COPY into mailbox b the
// way ExchangeConfig.Notify says: "* N EXISTS" now under NotifySilent,
// before the tagged OK under NotifyDovecot (report), not before NOOP, IDLE
// or SELECT under NotifyCourier. The caller holds x.mu.
func (s *session) arrived(b *mailbox) {
	if b != s.sel || s.x.cfg.Notify != NotifySilent {
		return
	}
	s.view = slices.Clone(b.msgs)
	s.knownUID = b.msgs[len(b.msgs)-1].uid
	s.send(fmt.Sprintf("* %d EXISTS", len(s.view)))
}
