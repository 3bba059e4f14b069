package wire

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// SeqSet is a parsed sequence-set (RFC 9051 section 9), as written: ranges
// are kept in order and may overlap or run downwards ("7:3").
type SeqSet struct {
	ranges []seqRange
}

// seqRange is one range of a sequence set; 0 stands for "*", the largest
// number in use.
type seqRange struct{ lo, hi uint32 }

// errSetTooLarge is returned when expanding a set would give more numbers
// than allowed.
var errSetTooLarge = errors.New("wire: sequence set too large")

// MaxSetNumbers is the default limit of SeqSet.Expand: a server that
// answers a search with more numbers than this is not believed.
const MaxSetNumbers = 10_000_000

// ParseSeqSet parses a sequence set such as "1:3,7,9:*" (RFC 9051
// sequence-set, also uid-set and the known-uids of VANISHED). "$"
// (SEARCHRES) is not accepted. A number over 4294967295 is refused with an
// error wrapping ErrNumberRange, anything else malformed with ErrSyntax.
// It performs no I/O.
func ParseSeqSet(s string) (SeqSet, error) {
	if s == "" {
		return SeqSet{}, fmt.Errorf("%w: empty sequence set", ErrSyntax)
	}
	var set SeqSet
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(part, ":")
		a, err := seqNumber(lo, s)
		if err != nil {
			return SeqSet{}, err
		}
		b := a
		if isRange {
			if b, err = seqNumber(hi, s); err != nil {
				return SeqSet{}, err
			}
		}
		set.ranges = append(set.ranges, seqRange{a, b})
	}
	return set, nil
}

// seqNumber parses one seq-number of set: an nz-number, or "*" as 0.
func seqNumber(s, set string) (uint32, error) {
	if s == "*" {
		return 0, nil
	}
	n, st := number32(s)
	if st == numTooLarge {
		return 0, numberError(st, s, "the number", fmt.Sprintf("the sequence set %q", shorten(set)))
	}
	if st != numOK || n == 0 {
		return 0, fmt.Errorf("%w: %q in the sequence set %q is not a number from 1 to 4294967295 or *", ErrSyntax, shorten(s), shorten(set))
	}
	return n, nil
}

// Expand returns the numbers of the set, ascending and without duplicates,
// with "*" standing for star. It refuses to produce more
// than limit numbers (MaxSetNumbers when limit <= 0), and refuses a set
// with "*" when star is 0.
func (set SeqSet) Expand(star uint32, limit int) ([]uint32, error) {
	if limit <= 0 {
		limit = MaxSetNumbers
	}
	var total uint64
	ranges := make([]seqRange, 0, len(set.ranges))
	for _, r := range set.ranges {
		if r.lo == 0 || r.hi == 0 {
			if star == 0 {
				return nil, fmt.Errorf("%w: * with no known largest number", ErrSyntax)
			}
			r.lo, r.hi = cmp.Or(r.lo, star), cmp.Or(r.hi, star)
		}
		if r.lo > r.hi {
			r.lo, r.hi = r.hi, r.lo
		}
		total += uint64(r.hi-r.lo) + 1
		if total > uint64(limit) {
			return nil, fmt.Errorf("%w: more than %d numbers", errSetTooLarge, limit)
		}
		ranges = append(ranges, r)
	}
	out := make([]uint32, 0, total)
	for _, r := range ranges {
		for n := uint64(r.lo); n <= uint64(r.hi); n++ {
			out = append(out, uint32(n))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Ranges returns the ranges of the set as written, each as {first, last};
// 0 stands for "*". It performs no I/O.
func (set SeqSet) Ranges() [][2]uint32 {
	out := make([][2]uint32, len(set.ranges))
	for i, r := range set.ranges {
		out[i] = [2]uint32{r.lo, r.hi}
	}
	return out
}
