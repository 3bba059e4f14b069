package wire

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"mime"
	"slices"
	"strconv"
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

// SeqRange is one range of a sequence set; 0 stands for "*", the largest
// number in use.
type SeqRange struct{ Lo, Hi uint32 }

// SeqSet is a parsed sequence-set (RFC 9051 section 9), as written: ranges
// are kept in order and may overlap or run downwards ("7:3").
type SeqSet []SeqRange

// ErrSetTooLarge is returned when expanding a set would give more numbers
// than allowed.
var ErrSetTooLarge = errors.New("wire: sequence set too large")

// MaxSetNumbers is the default limit of SeqSet.Expand: a server that
// answers a search with more numbers than this is not believed.
const MaxSetNumbers = 10_000_000

// ParseSeqSet parses a sequence set such as "1:3,7,9:*". "$" (SEARCHRES)
// is not accepted. It performs no I/O.
func ParseSeqSet(s string) (SeqSet, error) {
	if s == "" {
		return nil, fmt.Errorf("%w: empty sequence set", ErrSyntax)
	}
	var set SeqSet
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, ":")
		a, err := seqNumber(lo)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = seqNumber(hi); err != nil {
				return nil, err
			}
		}
		set = append(set, SeqRange{a, b})
	}
	return set, nil
}

func seqNumber(s string) (uint32, error) {
	if s == "*" {
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 || s[0] == '+' {
		return 0, fmt.Errorf("%w: %q is not a number from 1 to 4294967295 or *", ErrSyntax, s)
	}
	return uint32(n), nil
}

// Expand returns the numbers of the set, ascending and without duplicates,
// with "*" standing for star. It refuses with ErrSetTooLarge to produce more
// than limit numbers (MaxSetNumbers when limit <= 0), and refuses a set
// with "*" when star is 0.
func (set SeqSet) Expand(star uint32, limit int) ([]uint32, error) {
	if limit <= 0 {
		limit = MaxSetNumbers
	}
	var total uint64
	ranges := make([]SeqRange, 0, len(set))
	for _, r := range set {
		if r.Lo == 0 || r.Hi == 0 {
			if star == 0 {
				return nil, fmt.Errorf("%w: * with no known largest number", ErrSyntax)
			}
			r.Lo, r.Hi = cmp.Or(r.Lo, star), cmp.Or(r.Hi, star)
		}
		if r.Lo > r.Hi {
			r.Lo, r.Hi = r.Hi, r.Lo
		}
		total += uint64(r.Hi-r.Lo) + 1
		if total > uint64(limit) {
			return nil, fmt.Errorf("%w: more than %d numbers", ErrSetTooLarge, limit)
		}
		ranges = append(ranges, r)
	}
	out := make([]uint32, 0, total)
	for _, r := range ranges {
		for n := uint64(r.Lo); n <= uint64(r.Hi); n++ {
			out = append(out, uint32(n))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// SearchData is the result of a SEARCH or ESEARCH response (RFC 9051
// sections 7.3.4 and 7.3.5, RFC 4731).
type SearchData struct {
	ESearch bool   // an ESEARCH response
	Tag     string // ESEARCH: the tag of the command it answers, "" if none
	UID     bool   // ESEARCH: the numbers are UIDs
	// All is SEARCH's numbers or ESEARCH's ALL, expanded.
	All []uint32
	// Min, Max and Count are ESEARCH's MIN, MAX and COUNT; 0 when absent.
	Min, Max, Count uint32
}

// ParseSearch parses a whole "* SEARCH ..." or "* ESEARCH ..." response.
// ok is false when b is neither; err reports a malformed one or an ALL set
// larger than MaxSetNumbers. It performs no I/O.
func ParseSearch(b []byte) (sd SearchData, ok bool, err error) {
	vals, err := Parse(b)
	if len(vals) < 2 || string(vals[0].Bytes) != "*" || vals[1].Kind != Atom {
		return sd, false, nil
	}
	name := strings.ToUpper(string(vals[1].Bytes))
	if name != "SEARCH" && name != "ESEARCH" {
		return sd, false, nil
	}
	if err != nil {
		return sd, true, err
	}
	rest := vals[2:]
	if name == "SEARCH" {
		for _, v := range rest {
			if v.Kind == List { // RFC 7162's (MODSEQ n)
				continue
			}
			n, isNum := v.Number()
			if !isNum || n == 0 || n > 1<<32-1 {
				return sd, true, fmt.Errorf("%w: SEARCH result %q is not a number", ErrSyntax, v.Bytes)
			}
			sd.All = append(sd.All, uint32(n))
		}
		return sd, true, nil
	}
	sd.ESearch = true
	if len(rest) > 0 && rest[0].Kind == List {
		if l := rest[0].List; len(l) == 2 && strings.EqualFold(string(l[0].Bytes), "TAG") {
			sd.Tag = string(l[1].Bytes)
		}
		rest = rest[1:]
	}
	if len(rest) > 0 && rest[0].Kind == Atom && strings.EqualFold(string(rest[0].Bytes), "UID") {
		sd.UID, rest = true, rest[1:]
	}
	for ; len(rest) >= 2; rest = rest[2:] {
		key, v := strings.ToUpper(string(rest[0].Bytes)), rest[1]
		switch key {
		case "ALL":
			set, err := ParseSeqSet(string(v.Bytes))
			if err == nil {
				sd.All, err = set.Expand(0, MaxSetNumbers)
			}
			if err != nil {
				return sd, true, err
			}
		case "MIN", "MAX", "COUNT":
			n, isNum := v.Number()
			if !isNum || n > 1<<32-1 {
				return sd, true, fmt.Errorf("%w: ESEARCH %s %q is not a number", ErrSyntax, key, v.Bytes)
			}
			switch key {
			case "MIN":
				sd.Min = uint32(n)
			case "MAX":
				sd.Max = uint32(n)
			default:
				sd.Count = uint32(n)
			}
		}
	}
	if len(rest) != 0 {
		return sd, true, fmt.Errorf("%w: ESEARCH item %q has no value", ErrSyntax, rest[0].Bytes)
	}
	return sd, true, nil
}
