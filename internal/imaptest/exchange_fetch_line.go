package imaptest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime/quotedprintable"
	"slices"
	"strconv"
	"strings"
)

// fetch implements FETCH and UID FETCH, including the poison message (see
// PoisonItems) and messages expunged by another client (see NotifyMode).
func (s *session) fetch(tag string, args []byte, uid bool) {
	n, err := tokenize(args)
	if err != nil || len(n) != 2 || n[0].isL || n[0].str != nil {
		s.send(tag + argError)
		return
	}
	items, ok := parseFetchItems(n[1])
	binary := slices.ContainsFunc(items, func(it fetchItem) bool { return it.kind == itBinary || it.kind == itBinarySize })
	if !ok || binary && !s.x.hasCap("BINARY") {
		s.send(tag + argError)
		return
	}
	idx, ok := s.resolve(n[0].atom, uid)
	if !ok {
		s.send(tag + argError)
		return
	}
	p := &s.x.poison
	verdict := p.verdict(items)
	poisoned := slices.ContainsFunc(idx, func(i int) bool { return s.view[i].poison })
	if poisoned && verdict == ItemBAD {
		s.send(tag + " BAD " + p.BadText)
		return
	}
	unknownCTE := false
	for _, i := range idx {
		if s.view[i].poison && (verdict == ItemNO || verdict == ItemDropFetch) {
			continue
		}
		line, st := s.fetchLine(i, items, uid)
		switch st {
		case lineCut:
			s.c.SendRaw(line)
			s.c.Close()
			s.done = true
			return
		case lineUnknownCTE:
			unknownCTE = true
		default:
			s.c.SendRaw(line)
		}
	}
	switch {
	case poisoned && verdict == ItemNO:
		s.send(tag + " NO " + p.NoText)
	case unknownCTE:
		s.send(tag + " NO [UNKNOWN-CTE] The content transfer encoding cannot be decoded.")
	case s.expungeSeen:
		s.send(tag + " OK [EXPUNGEISSUED] Some messages were already expunged")
	default:
		s.send(tag + " OK FETCH completed.")
	}
}

// verdict returns the behaviour that decides the poison message's whole
// response: the strongest of ItemCloseMidLiteral, ItemBAD, ItemNO and
// ItemDropFetch among the items, or ItemDeliver when each item is rendered
// by its own behaviour.
func (p *PoisonItems) verdict(items []fetchItem) ItemBehavior {
	rank := map[ItemBehavior]int{ItemDropFetch: 1, ItemNO: 2, ItemBAD: 3, ItemCloseMidLiteral: 4}
	v := ItemDeliver
	for _, it := range items {
		if b := p.behavior(it); rank[b] > rank[v] {
			v = b
		}
	}
	if v == ItemCloseMidLiteral {
		return ItemDeliver // fetchLine cuts the line at that item
	}
	return v
}

type lineStatus int

const (
	lineOK         lineStatus = iota
	lineCut                   // send the partial line, then close the connection
	lineUnknownCTE            // BINARY of an encoding the server cannot decode: no line
)

// fetchLine renders the FETCH response for view index i (nil when every
// item is omitted). The caller holds x.mu.
func (s *session) fetchLine(i int, items []fetchItem, uid bool) ([]byte, lineStatus) {
	m := s.view[i]
	ghost := s.isGhost(m)
	if ghost {
		s.expungeSeen = true
	}
	beh := func(fetchItem) ItemBehavior { return ItemDeliver }
	if m.poison {
		beh = s.x.poison.behavior
	}
	seen, hasFlags, hasUID, bodyFlags := false, false, false, false
	for _, it := range items {
		b := beh(it)
		hasFlags = hasFlags || it.kind == itFlags
		hasUID = hasUID || it.kind == itUID
		if b != ItemOmit && b != ItemNIL && !ghost {
			seen = seen || it.setsSeen()
		}
		bodyFlags = bodyFlags || it.kind == itBody && b != ItemOmit
	}
	extraFlags := bodyFlags && !hasFlags
	if seen && !s.readOnly && !hasFlag(m.flags, `\Seen`) {
		m.flags = addFlags(m.flags, `\Seen`)
		s.x.flagsChanged(s.sel, m, s)
		extraFlags = !hasFlags
	}
	buf := fmt.Appendf(nil, "* %d FETCH (", i+1)
	n := 0
	add := func(v string) {
		if n > 0 {
			buf = append(buf, ' ')
		}
		buf = append(buf, v...)
		n++
	}
	for _, it := range items {
		switch b := beh(it); b {
		case ItemOmit:
		case ItemNIL:
			add(it.name + " NIL")
		case ItemCloseMidLiteral:
			if !it.literal() {
				if n > 0 {
					buf = append(buf, ' ')
				}
				return buf, lineCut
			}
			data, _ := itemData(it, m.text)
			add(fmt.Sprintf("%s {%d}%s%s", it.name, len(data), s.eol, data[:len(data)/2]))
			return buf, lineCut
		default:
			v, ok := s.value(m, it, b, ghost)
			if !ok {
				return nil, lineUnknownCTE
			}
			add(it.name + " " + v)
		}
	}
	if extraFlags {
		add("FLAGS " + flagList(m.flags))
	}
	if uid && !hasUID {
		add(fmt.Sprintf("UID %d", m.uid))
	}
	if n == 0 {
		return nil, lineOK
	}
	return append(append(buf, ')'), s.eol...), lineOK
}

// value renders one item of m under behaviour b (ItemDeliver,
// ItemSubstitute or ItemShort); ghost is a message expunged by another
// client that the session has not been told about (Dovecot's answers). ok
// is false for BINARY of an unknown encoding.
func (s *session) value(m *message, it fetchItem, b ItemBehavior, ghost bool) (v string, ok bool) {
	text := m.text
	if b == ItemSubstitute {
		text = substitute(m.uid, m.date)
	}
	switch it.kind {
	case itUID:
		return strconv.FormatUint(uint64(m.uid), 10), true
	case itFlags:
		return flagList(m.flags), true
	case itSize:
		switch {
		case ghost:
			return "0", true
		case b == ItemSubstitute:
			return strconv.Itoa(len(text)), true
		}
		return strconv.Itoa(m.size), true
	case itDate:
		if ghost {
			return `"01-Jan-1970 00:00:00 +0000"`, true
		}
		return `"` + m.date.Format("02-Jan-2006 15:04:05 -0700") + `"`, true
	case itEnvelope:
		if ghost {
			return "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", true
		}
		return envelope(text, s.eol), true
	case itBodyStructure, itBody:
		if m.poison && b != ItemSubstitute {
			return PoisonStructure, true
		}
		return bodyStructure(text, it.kind == itBodyStructure, s.eol), true
	case itBinarySize:
		if ghost {
			return "0", true
		}
		data, ok := itemData(it, text)
		return strconv.Itoa(len(data)), ok
	}
	if ghost {
		return "NIL", true
	}
	data, ok := itemData(it, text)
	if b == ItemShort {
		data = data[:len(data)/2]
	}
	if it.kind == itBinary && bytes.IndexByte(data, 0) >= 0 {
		return fmt.Sprintf("~{%d}%s%s", len(data), s.eol, data), ok
	}
	return s.literal(data), ok
}

// itemData returns the octets of a body-data item of text. ok is false for
// BINARY of an encoding it cannot decode.
func itemData(it fetchItem, text []byte) (data []byte, ok bool) {
	header, body := splitMessage(text)
	switch it.kind {
	case itRFC822:
		return text, true
	case itRFC822Header:
		return header, true
	case itRFC822Text:
		return body, true
	case itBinary, itBinarySize:
		if it.section == "" {
			return cut(it, text), true
		}
		data, ok := decodeBody(header, body)
		return cut(it, data), ok
	}
	return section(it, header, body, text), true
}

// decodeBody undoes the Content-Transfer-Encoding of a single-part body
// (RFC 2045 section 6).
func decodeBody(header, body []byte) ([]byte, bool) {
	enc := ""
	for _, f := range headerFields(header) {
		if strings.EqualFold(f.name, "Content-Transfer-Encoding") {
			_, v, _ := strings.Cut(string(f.raw), ":")
			enc = strings.ToLower(strings.TrimSpace(v))
		}
	}
	switch enc {
	case "", "7bit", "8bit", "binary":
		return body, true
	case "quoted-printable":
		data, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		return data, err == nil
	case "base64":
		data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(body)), ""))
		return data, err == nil
	}
	return nil, false
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
	return cut(it, data)
}

// cut applies the item's partial range, if any, to data.
func cut(it fetchItem, data []byte) []byte {
	if !it.partial {
		return data
	}
	if it.off >= len(data) {
		return nil
	}
	return data[it.off:min(len(data), it.off+it.cnt)]
}

// literal renders data as a synchronizing-style literal "{N}" EOL data.
func (s *session) literal(data []byte) string {
	return fmt.Sprintf("{%d}%s%s", len(data), s.eol, data)
}
