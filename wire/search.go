package wire

import (
	"fmt"
	"strings"
)

// SearchData is the result of a SEARCH response (RFC 3501 section 7.2.5)
// or an ESEARCH response (RFC 9051 section 7.3.4, RFC 4731).
type SearchData struct {
	ESearch bool   // an ESEARCH response
	Tag     string // ESEARCH: the tag of the command it answers, "" if none
	// All is SEARCH's numbers or ESEARCH's ALL, expanded.
	All []uint32
	// UID says that ESEARCH's numbers are UIDs (RFC 4731 section 3.1).
	UID bool
	// Min, Max and Count are ESEARCH's MIN, MAX and COUNT; 0 when absent.
	Min, Max, Count uint32
}

// ParseSearch parses a whole "* SEARCH ..." or "* ESEARCH ..." response.
// ok is false when b is neither; err reports a malformed one, a number over
// 4294967295 (wrapping ErrNumberRange) or an ALL set larger than
// MaxSetNumbers. It performs no I/O.
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
			n, st := number32(v.Bytes)
			if v.Kind != Atom || st != numOK {
				return sd, true, numberError(st, v.Bytes, "the result", "a SEARCH response")
			}
			if n == 0 {
				return sd, true, fmt.Errorf("%w: the result 0 in a SEARCH response: numbers start at 1", ErrSyntax)
			}
			sd.All = append(sd.All, n)
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
			n, st := number32(v.Bytes)
			if v.Kind != Atom || st != numOK {
				return sd, true, numberError(st, v.Bytes, key, "an ESEARCH response")
			}
			switch key {
			case "MIN":
				sd.Min = n
			case "MAX":
				sd.Max = n
			default:
				sd.Count = n
			}
		}
	}
	if len(rest) != 0 {
		return sd, true, fmt.Errorf("%w: ESEARCH item %q has no value", ErrSyntax, rest[0].Bytes)
	}
	return sd, true, nil
}
