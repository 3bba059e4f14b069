package imaptest

import (
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
	itBinary     // BINARY[...] and BINARY.PEEK[...] (RFC 3516)
	itBinarySize // BINARY.SIZE[...]
)

type fetchItem struct {
	kind     int
	name     string // name in the response, e.g. BODY[HEADER.FIELDS (from subject)]<0>
	section  string // upper-cased section keyword: "", HEADER, TEXT, 1, HEADER.FIELDS, HEADER.FIELDS.NOT (BINARY: "" or 1)
	fields   []string
	peek     bool
	partial  bool
	off, cnt int
}

// bodyData reports whether the item returns message text.
func (it fetchItem) bodyData() bool { return it.kind >= itSection }

// literal reports whether the item's value is a literal.
func (it fetchItem) literal() bool { return it.bodyData() && it.kind != itBinarySize }

// setsSeen reports whether fetching the item sets \Seen.
func (it fetchItem) setsSeen() bool {
	return (it.kind == itSection || it.kind == itBinary) && !it.peek || it.kind == itRFC822 || it.kind == itRFC822Text
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
	case "BINARY", "BINARY.PEEK", "BINARY.SIZE":
		return parseBinaryItem(up, open, end)
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
	return it.withPartial(atom[end+1:])
}

// withPartial parses a "<offset.count>" suffix, if any, into it.
func (it fetchItem) withPartial(p string) (fetchItem, bool) {
	if p == "" {
		return it, true
	}
	o, c, ok := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(p, "<"), ">"), ".")
	off, err1 := strconv.Atoi(o)
	cnt, err2 := strconv.Atoi(c)
	if !ok || !strings.HasPrefix(p, "<") || !strings.HasSuffix(p, ">") || err1 != nil || err2 != nil || off < 0 || cnt <= 0 {
		return fetchItem{}, false
	}
	it.partial, it.off, it.cnt = true, off, cnt
	it.name += "<" + o + ">"
	return it, true
}

// parseBinaryItem parses BINARY[part]<partial>, BINARY.PEEK[...] and
// BINARY.SIZE[part] (RFC 3516 section 4.2) of a single-part message: the
// part is empty (the whole message) or 1 (its decoded body).
func parseBinaryItem(up string, open, end int) (fetchItem, bool) {
	it := fetchItem{kind: itBinary, section: up[open+1 : end]}
	if it.section != "" && it.section != "1" {
		return fetchItem{}, false
	}
	switch up[:open] {
	case "BINARY.PEEK":
		it.peek = true
	case "BINARY.SIZE":
		it.kind = itBinarySize
		if end+1 != len(up) {
			return fetchItem{}, false
		}
		it.name = "BINARY.SIZE[" + it.section + "]"
		return it, true
	}
	it.name = "BINARY[" + it.section + "]"
	return it.withPartial(up[end+1:])
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
