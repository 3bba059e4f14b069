package imaptest

import (
	"fmt"
	"strconv"
	"strings"
)

// Fetch item kinds.
const (
	itUID = iota
	itFlags
	itSize
	itDate
	itEnvelope
	itBodyStructure
	itBody    // BODY without a section: the structure
	itSection // BODY[...] and BODY.PEEK[...]
	itRFC822
	itRFC822Header
	itRFC822Text
)

type fetchItem struct {
	kind     int
	name     string // name in the response, e.g. BODY[HEADER.FIELDS (from subject)]<0>
	section  string // upper-cased section keyword: "", HEADER, TEXT, 1, HEADER.FIELDS, HEADER.FIELDS.NOT
	fields   []string
	peek     bool
	partial  bool
	off, cnt int
}

// bodyData reports whether the item returns message text.
func (it fetchItem) bodyData() bool { return it.kind >= itSection }

// setsSeen reports whether fetching the item sets \Seen.
func (it fetchItem) setsSeen() bool {
	return it.kind == itSection && !it.peek || it.kind == itRFC822 || it.kind == itRFC822Text
}

var simpleItems = map[string]int{
	"UID": itUID, "FLAGS": itFlags, "RFC822.SIZE": itSize, "INTERNALDATE": itDate,
	"ENVELOPE": itEnvelope, "BODYSTRUCTURE": itBodyStructure, "BODY": itBody,
	"RFC822": itRFC822, "RFC822.HEADER": itRFC822Header, "RFC822.TEXT": itRFC822Text,
}

var macros = map[string][]string{
	"FAST": {"FLAGS", "INTERNALDATE", "RFC822.SIZE"},
	"ALL":  {"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"},
	"FULL": {"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"},
}

// parseFetchItem parses one fetch attribute (RFC 3501 section 6.4.5).
func parseFetchItem(atom string) (fetchItem, bool) {
	up := strings.ToUpper(atom)
	if k, ok := simpleItems[up]; ok {
		return fetchItem{kind: k, name: up}, true
	}
	open, end := strings.IndexByte(atom, '['), strings.LastIndexByte(atom, ']')
	if open < 0 || end < open {
		return fetchItem{}, false
	}
	it := fetchItem{kind: itSection}
	switch up[:open] {
	case "BODY":
	case "BODY.PEEK":
		it.peek = true
	default:
		return fetchItem{}, false
	}
	sec := atom[open+1 : end]
	kw, rest, _ := strings.Cut(sec, " ")
	it.section = strings.ToUpper(kw)
	switch it.section {
	case "", "HEADER", "TEXT", "1":
		if rest != "" {
			return fetchItem{}, false
		}
	case "HEADER.FIELDS", "HEADER.FIELDS.NOT":
		n, err := tokenize([]byte(rest))
		if err != nil || len(n) != 1 || !n[0].isL || len(n[0].list) == 0 {
			return fetchItem{}, false
		}
		for _, f := range n[0].list {
			it.fields = append(it.fields, f.text())
		}
		kw = it.section + " " + rest
	default:
		return fetchItem{}, false
	}
	it.name = "BODY[" + strings.ToUpper(kw[:len(it.section)]) + kw[len(it.section):] + "]"
	if p := atom[end+1:]; p != "" {
		o, c, ok := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(p, "<"), ">"), ".")
		off, err1 := strconv.Atoi(o)
		cnt, err2 := strconv.Atoi(c)
		if !ok || !strings.HasPrefix(p, "<") || !strings.HasSuffix(p, ">") || err1 != nil || err2 != nil || off < 0 || cnt <= 0 {
			return fetchItem{}, false
		}
		it.partial, it.off, it.cnt = true, off, cnt
		it.name += "<" + o + ">"
	}
	return it, true
}

// parseFetchItems parses a single item, a macro or a parenthesised list.
func parseFetchItems(n node) ([]fetchItem, bool) {
	var atoms []string
	switch {
	case n.isL:
		for _, a := range n.list {
			if a.isL || a.str != nil {
				return nil, false
			}
			atoms = append(atoms, a.atom)
		}
	case n.str == nil:
		atoms = []string{n.atom}
	}
	if len(atoms) == 1 {
		if m, ok := macros[strings.ToUpper(atoms[0])]; ok {
			atoms = m
		}
	}
	var items []fetchItem
	for _, a := range atoms {
		it, ok := parseFetchItem(a)
		if !ok {
			return nil, false
		}
		items = append(items, it)
	}
	return items, len(items) > 0
}

// fetch implements FETCH and UID FETCH, including the poison message.
func (s *session) fetch(tag string, args []byte, uid bool) {
	n, err := tokenize(args)
	if err != nil || len(n) != 2 || n[0].isL || n[0].str != nil {
		s.send(tag + argError)
		return
	}
	items, ok := parseFetchItems(n[1])
	if !ok {
		s.send(tag + argError)
		return
	}
	idx, ok := s.resolve(n[0].atom, uid)
	if !ok {
		s.send(tag + argError)
		return
	}
	for _, i := range idx {
		if line := s.fetchLine(i, items, uid); line != nil {
			s.c.SendRaw(line)
		}
	}
	s.send(tag + " OK FETCH completed.")
}

// fetchLine renders one FETCH response, or nil for the poison message when
// Exchange answers nothing.
func (s *session) fetchLine(i int, items []fetchItem, uid bool) []byte {
	m := s.sel.msgs[i]
	text := m.text
	seen, hasFlags, hasUID, bodyFlags := false, false, false, false
	for _, it := range items {
		if it.bodyData() && m.poison {
			if !s.x.cfg.PoisonSubstitute {
				return nil
			}
			text = substitute(m.uid, m.date)
		}
		seen = seen || it.setsSeen()
		hasFlags = hasFlags || it.kind == itFlags
		hasUID = hasUID || it.kind == itUID
		bodyFlags = bodyFlags || it.kind == itBody
	}
	extraFlags := bodyFlags && !hasFlags
	if seen && !s.readOnly && !hasFlag(m.flags, `\Seen`) {
		m.flags = addFlags(m.flags, `\Seen`)
		extraFlags = !hasFlags
	}
	header, body := splitMessage(text)
	var parts []string
	for _, it := range items {
		var v string
		switch it.kind {
		case itUID:
			v = strconv.FormatUint(uint64(m.uid), 10)
		case itFlags:
			v = flagList(m.flags)
		case itSize:
			v = strconv.Itoa(m.size)
		case itDate:
			v = `"` + m.date.Format("02-Jan-2006 15:04:05 -0700") + `"`
		case itEnvelope:
			v = envelope(m.text, s.eol)
		case itBodyStructure, itBody:
			v = PoisonStructure
			if !m.poison {
				v = bodyStructure(m.text, it.kind == itBodyStructure, s.eol)
			}
		case itRFC822:
			v = s.literal(text)
		case itRFC822Header:
			v = s.literal(header)
		case itRFC822Text:
			v = s.literal(body)
		case itSection:
			v = s.literal(section(it, header, body, text))
		}
		parts = append(parts, it.name+" "+v)
	}
	if extraFlags {
		parts = append(parts, "FLAGS "+flagList(m.flags))
	}
	if uid && !hasUID {
		parts = append(parts, fmt.Sprintf("UID %d", m.uid))
	}
	return []byte(fmt.Sprintf("* %d FETCH (%s)%s", i+1, strings.Join(parts, " "), s.eol))
}

// section extracts a BODY[...] section, then applies a partial range.
func section(it fetchItem, header, body, text []byte) []byte {
	var data []byte
	switch it.section {
	case "":
		data = text
	case "HEADER":
		data = header
	case "TEXT", "1":
		data = body
	case "HEADER.FIELDS":
		data = selectFields(header, it.fields, false)
	case "HEADER.FIELDS.NOT":
		data = selectFields(header, it.fields, true)
	}
	if it.partial {
		if it.off >= len(data) {
			return nil
		}
		data = data[it.off:min(len(data), it.off+it.cnt)]
	}
	return data
}

// literal renders data as a synchronizing-style literal "{N}" EOL data.
func (s *session) literal(data []byte) string {
	return fmt.Sprintf("{%d}%s%s", len(data), s.eol, data)
}
