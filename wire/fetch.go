package wire

import (
	"bytes"
	"mime"
	"strings"
)

// FetchData is the parsed data of one "* N FETCH (...)" response.
type FetchData struct {
	Seq   uint32
	Items map[string]Value // keyed by upper-cased item name, e.g. "UID", "BODY[]"
}

// ParseFetch parses a whole FETCH response, literals inline. It returns
// ok=false if b is not a FETCH response.
func ParseFetch(b []byte) (FetchData, bool) {
	vals, err := Parse(b)
	if err != nil || len(vals) < 4 || string(vals[0].Bytes) != "*" ||
		!strings.EqualFold(string(vals[2].Bytes), "FETCH") || vals[3].Kind != List {
		return FetchData{}, false
	}
	seq, ok := vals[1].Number()
	if !ok {
		return FetchData{}, false
	}
	fd := FetchData{Seq: uint32(seq), Items: make(map[string]Value)}
	list := vals[3].List
	for i := 0; i+1 < len(list); i += 2 {
		fd.Items[strings.ToUpper(string(list[i].Bytes))] = list[i+1]
	}
	return fd, true
}

// UID returns the UID item, or 0.
func (fd FetchData) UID() uint32 {
	n, _ := fd.Items["UID"].Number()
	return uint32(n)
}

// Flags returns the FLAGS item's flags and whether FLAGS was present.
func (fd FetchData) Flags() ([]string, bool) {
	v, ok := fd.Items["FLAGS"]
	if !ok {
		return nil, false
	}
	flags := make([]string, 0, len(v.List))
	for _, f := range v.List {
		flags = append(flags, string(f.Bytes))
	}
	return flags, true
}

// Body returns the first body-section item whose name starts with prefix
// (such as "BODY[]" or "BODY[HEADER"), ignoring any partial "<N>" suffix.
func (fd FetchData) Body(prefix string) (name string, v Value, ok bool) {
	for k, v := range fd.Items {
		if strings.HasPrefix(k, prefix) {
			return k, v, true
		}
	}
	return "", Value{}, false
}

// Envelope is the part of an ENVELOPE (RFC 9051 section 7.5.2) people read.
type Envelope struct {
	Date, Subject, MessageID string
	From, To                 []string
}

// ParseEnvelope decodes an ENVELOPE value. Encoded words (RFC 2047) in the
// subject and names are decoded; undecodable ones are kept as they are.
func ParseEnvelope(v Value) (Envelope, bool) {
	if v.Kind != List || len(v.List) < 10 {
		return Envelope{}, false
	}
	l := v.List
	return Envelope{
		Date:      l[0].String(),
		Subject:   decodeWords(l[1].String()),
		From:      addresses(l[2]),
		To:        addresses(l[5]),
		MessageID: l[9].String(),
	}, true
}

func addresses(v Value) []string {
	var out []string
	for _, a := range v.List {
		if a.Kind != List || len(a.List) < 4 {
			continue
		}
		addr := a.List[2].String()
		if host := a.List[3].String(); host != "" {
			addr += "@" + host
		}
		if name := decodeWords(a.List[0].String()); name != "" {
			addr = name + " <" + addr + ">"
		}
		out = append(out, addr)
	}
	return out
}

var wordDecoder = mime.WordDecoder{}

func decodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	d, err := wordDecoder.DecodeHeader(s)
	if err != nil {
		return s
	}
	return d
}

// EqualFoldPrefix reports whether b starts with prefix, ignoring ASCII case.
func EqualFoldPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}
