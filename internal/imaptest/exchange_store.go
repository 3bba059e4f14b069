package imaptest

import (
	"fmt"
	"slices"
	"strings"
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
