package imaptest

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"
)

// matcher reports whether message m at sequence number seq matches a key.
type matcher func(seq int, m *message) bool

func all(keys []matcher, seq int, m *message) bool {
	for _, k := range keys {
		if !k(seq, m) {
			return false
		}
	}
	return true
}

type searchParser struct {
	s     *session
	nodes []node
	pos   int
	sets  bool // a UID or sequence-set key was parsed
}

func (p *searchParser) next() (node, bool) {
	if p.pos >= len(p.nodes) {
		return node{}, false
	}
	p.pos++
	return p.nodes[p.pos-1], true
}

// arg returns the next argument as text (atom or string).
func (p *searchParser) arg() (string, bool) {
	n, ok := p.next()
	if !ok || n.isL {
		return "", false
	}
	return n.text(), true
}

func flagKey(flag string, want bool) matcher {
	return func(_ int, m *message) bool { return hasFlag(m.flags, flag) == want }
}

// key parses one search key.
func (p *searchParser) key() (matcher, bool) {
	n, ok := p.next()
	if !ok {
		return nil, false
	}
	if n.isL {
		sub := &searchParser{s: p.s, nodes: n.list}
		var keys []matcher
		for sub.pos < len(sub.nodes) {
			k, ok := sub.key()
			if !ok {
				return nil, false
			}
			keys = append(keys, k)
		}
		p.sets = p.sets || sub.sets
		return func(seq int, m *message) bool { return all(keys, seq, m) }, len(keys) > 0
	}
	if n.str != nil {
		return nil, false
	}
	name := strings.ToUpper(n.atom)
	flags := map[string]string{"ANSWERED": `\Answered`, "DELETED": `\Deleted`, "DRAFT": `\Draft`,
		"FLAGGED": `\Flagged`, "SEEN": `\Seen`}
	if f, ok := flags[name]; ok {
		return flagKey(f, true), true
	}
	if f, ok := flags[strings.TrimPrefix(name, "UN")]; ok && strings.HasPrefix(name, "UN") {
		return flagKey(f, false), true
	}
	switch name {
	case "ALL", "OLD":
		return func(int, *message) bool { return true }, true
	case "NEW", "RECENT":
		return func(int, *message) bool { return false }, true
	case "NOT":
		k, ok := p.key()
		return func(seq int, m *message) bool { return !k(seq, m) }, ok
	case "OR":
		a, ok1 := p.key()
		b, ok2 := p.key()
		return func(seq int, m *message) bool { return a(seq, m) || b(seq, m) }, ok1 && ok2
	case "KEYWORD", "UNKEYWORD":
		f, ok := p.arg()
		return flagKey(f, name == "KEYWORD"), ok
	case "LARGER", "SMALLER":
		v, ok := p.arg()
		size, err := strconv.Atoi(v)
		if name == "LARGER" {
			return func(_ int, m *message) bool { return m.size > size }, ok && err == nil
		}
		return func(_ int, m *message) bool { return m.size < size }, ok && err == nil
	case "UID":
		v, ok := p.arg()
		set, err := parseSeqSet(v)
		p.sets = true
		msgs := p.s.view
		var maxUID uint32
		if len(msgs) > 0 {
			maxUID = msgs[len(msgs)-1].uid
		}
		if p.s.x.cfg.SearchUIDStarStrict {
			set = slices.DeleteFunc(set, func(r seqRange) bool {
				return r.lo == 0 && r.hi > maxUID || r.hi == 0 && r.lo > maxUID
			})
		}
		return func(_ int, m *message) bool { return setContains(set, m.uid, maxUID) }, ok && err == nil
	case "SUBJECT", "FROM", "TO", "CC", "BCC":
		v, ok := p.arg()
		return headerKey(name, v), ok
	case "HEADER":
		f, ok1 := p.arg()
		v, ok2 := p.arg()
		return headerKey(f, v), ok1 && ok2
	case "BODY", "TEXT":
		v, ok := p.arg()
		return func(_ int, m *message) bool {
			text := m.text
			if name == "BODY" {
				_, text = splitMessage(text)
			}
			return bytes.Contains(bytes.ToLower(text), []byte(strings.ToLower(v)))
		}, ok
	case "BEFORE", "ON", "SINCE":
		v, ok := p.arg()
		d, err := time.ParseInLocation("2-Jan-2006", v, stockholm)
		return func(_ int, m *message) bool {
			y, mo, dd := m.date.In(stockholm).Date()
			day := time.Date(y, mo, dd, 0, 0, 0, 0, stockholm)
			switch name {
			case "BEFORE":
				return day.Before(d)
			case "ON":
				return day.Equal(d)
			}
			return !day.Before(d)
		}, ok && err == nil
	}
	set, err := parseSeqSet(n.atom)
	if err != nil {
		return nil, false
	}
	p.sets = true
	total := uint32(len(p.s.view))
	return func(seq int, _ *message) bool { return setContains(set, uint32(seq), total) }, true
}

// headerKey matches messages whose header field contains v,
// case-insensitively.
func headerKey(field, v string) matcher {
	return func(_ int, m *message) bool {
		hdr, _ := splitMessage(m.text)
		for _, f := range headerFields(hdr) {
			if !strings.EqualFold(f.name, field) {
				continue
			}
			_, val, _ := strings.Cut(string(f.raw), ":")
			if strings.Contains(strings.ToLower(val), strings.ToLower(v)) {
				return true
			}
		}
		return false
	}
}
