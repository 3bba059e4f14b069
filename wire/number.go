package wire

import (
	"fmt"
	"math"
)

// ErrNumberRange is wrapped by the errors about a number larger than its
// place in the grammar allows: RFC 9051's number and nz-number (message
// sequence numbers, UIDs, UIDVALIDITY, the numbers of SEARCH results and
// sequence sets) run to 4294967295. Such a number is a protocol violation,
// never truncated. ErrNumberRange wraps ErrSyntax.
var ErrNumberRange = fmt.Errorf("%w: number out of range", ErrSyntax)

// numStatus is what number32 found.
type numStatus uint8

const (
	numOK       numStatus = iota
	numSyntax             // empty, or not all digits
	numTooLarge           // digits, but over 4294967295
)

// number32 parses b, which must be all digits (leading zeros allowed), as a
// 32-bit number. It does not allocate.
func number32[T string | []byte](b T) (uint32, numStatus) {
	if len(b) == 0 {
		return 0, numSyntax
	}
	var n uint64
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, numSyntax
		}
		if n <= math.MaxUint32 {
			n = n*10 + uint64(c-'0')
		}
	}
	if n > math.MaxUint32 {
		return 0, numTooLarge
	}
	return uint32(n), numOK
}

// numberError explains what number32 found wrong with num, which is what
// in where (for example "the UID" in "FETCH 3"). where must quote any
// server text it holds: errors may be shown on a terminal.
func numberError[T string | []byte](st numStatus, num T, what, where string) error {
	if st == numTooLarge {
		return fmt.Errorf("%w: %s %s in %s is larger than 4294967295", ErrNumberRange, what, shorten(num), where)
	}
	return fmt.Errorf("%w: %s %q in %s is not a number", ErrSyntax, what, shorten(num), where)
}

// allDigits reports whether b is one or more digits.
func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// shorten returns s for an error message, cut after 40 bytes: a hostile
// server's number may be megabytes long.
func shorten[T string | []byte](s T) string {
	if len(s) <= 40 {
		return string(s)
	}
	return fmt.Sprintf("%s... (%d bytes)", s[:40], len(s))
}
