package wire

import (
	"fmt"
	"mime"
	"strings"
)

// FetchData is the parsed data of one "* N FETCH (...)" response
// (RFC 9051 section 7.5.2).
type FetchData struct {
	Seq   uint32
	Items map[string]Value // keyed by upper-cased item name, e.g. "UID", "BODY[]"
}

// ParseFetch parses a whole FETCH response, literals inline. ok is false
// when b is not a FETCH response. err reports a malformed one, including a
// sequence number or UID over 4294967295 (wrapping ErrNumberRange); fd then
// holds nothing. It performs no I/O.
func ParseFetch(b []byte) (fd FetchData, ok bool, err error) {
	vals, err := Parse(b)
	if len(vals) < 3 || string(vals[0].Bytes) != "*" || vals[2].Kind != Atom ||
		!strings.EqualFold(string(vals[2].Bytes), "FETCH") {
		return FetchData{}, false, nil
	}
	if err != nil {
		return FetchData{}, true, err
	}
	seq, st := number32(vals[1].Bytes)
	if vals[1].Kind != Atom || st != numOK {
		return FetchData{}, true, numberError(st, vals[1].Bytes, "the sequence number", "a FETCH response")
	}
	if len(vals) < 4 || vals[3].Kind != List {
		return FetchData{}, true, fmt.Errorf("%w: FETCH %d is not followed by a parenthesized list", ErrSyntax, seq)
	}
	fd = FetchData{Seq: seq, Items: make(map[string]Value)}
	list := vals[3].List
	for i := 0; i+1 < len(list); i += 2 {
		fd.Items[strings.ToUpper(string(list[i].Bytes))] = list[i+1]
	}
	if v, has := fd.Items["UID"]; has {
		if _, st := number32(v.Bytes); v.Kind != Atom || st != numOK {
			return FetchData{}, true, numberError(st, v.Bytes, "the UID", fmt.Sprintf("FETCH %d", seq))
		}
	}
	return fd, true, nil
}

// UID returns the UID item, or 0 when there is none. ParseFetch has
// checked that it is a 32-bit number.
func (fd FetchData) UID() uint32 {
	n, _ := number32(fd.Items["UID"].Bytes)
	return n
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

// Envelope is the part of an ENVELOPE (RFC 9051 section 7.5.2) imapsh
// shows.
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
