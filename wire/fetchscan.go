package wire

// FetchSummary is what ScanFetch reads of a FETCH response (RFC 9051
// section 7.5.2).
type FetchSummary struct {
	Seq    uint32
	UID    uint32 // 0 when the response has no UID item (or "UID 0")
	HasUID bool   // the response has a UID item
	ModSeq bool   // the response has a MODSEQ item (RFC 7162 section 3.1.4)
}

// maxScanDepth is how deeply nested lists ScanFetch follows before it
// leaves the response to ParseFetch.
const maxScanDepth = 16

// ScanFetch reads the sequence number, the UID and whether there is a
// MODSEQ item from a whole "* N FETCH (...)" response, without
// allocating: the check that the protocol watchdog and the explainer make
// of every FETCH response. It reads only the plain form most FETCH
// responses take: items separated by single spaces whose names and values
// are atoms, quoted strings without escapes, or lists of those. sure is
// false for anything else (a literal, a section, an escape, an error): the
// caller then uses ParseFetch. When sure is true, ParseFetch would return
// ok and no error and agree with the summary. It performs no I/O.
func ScanFetch(b []byte) (s FetchSummary, sure bool) {
	if len(b) < 2 || b[0] != '*' || b[1] != ' ' {
		return s, false
	}
	i := 2
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	seq, st := number32(b[i:j])
	if st != numOK || len(b) < j+8 || b[j] != ' ' || !equalFoldASCII(b[j+1:j+6], "FETCH") || b[j+6] != ' ' || b[j+7] != '(' {
		return s, false
	}
	s.Seq = seq
	i = j + 8
	if i < len(b) && b[i] == ')' {
		return s, i+1 == len(b)
	}
	for {
		// An item: its name, a space, its value.
		j = plainAtomEnd(b, i)
		if j == i || j >= len(b) || b[j] != ' ' {
			return s, false
		}
		name := b[i:j]
		i = j + 1
		vstart := i
		if i = plainValueEnd(b, i, 0); i < 0 {
			return s, false
		}
		switch {
		case equalFoldASCII(name, "UID"):
			uid, st := number32(b[vstart:i])
			if st != numOK {
				return s, false // ParseFetch would refuse it, or read a list
			}
			s.UID, s.HasUID = uid, true
		case equalFoldASCII(name, "MODSEQ"):
			s.ModSeq = true
		}
		if i >= len(b) {
			return s, false
		}
		switch b[i] {
		case ' ':
			i++
		case ')':
			return s, i+1 == len(b)
		default:
			return s, false
		}
	}
}

// plainAtomEnd returns the end of the atom of plain characters at b[i:]
// (i when there is none): letters, digits and \ $ . - _ + : , none of which
// starts or ends anything for Parse.
func plainAtomEnd(b []byte, i int) int {
	for i < len(b) {
		c := b[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '\\', c == '$', c == '.', c == '-', c == '_', c == '+', c == ':':
		default:
			return i
		}
		i++
	}
	return i
}

// plainValueEnd returns the end of the plain value at b[i:]: an atom of
// plain characters, a quoted string of printable ASCII without escapes,
// or a list of such values separated by single spaces. It returns -1 for
// anything else.
func plainValueEnd(b []byte, i, depth int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		for i++; i < len(b); i++ {
			switch c := b[i]; {
			case c == '"':
				return i + 1
			case c < ' ' || c >= 0x7f || c == '\\':
				return -1
			}
		}
		return -1
	case '(':
		if depth >= maxScanDepth {
			return -1
		}
		i++
		if i < len(b) && b[i] == ')' {
			return i + 1
		}
		for {
			if i = plainValueEnd(b, i, depth+1); i < 0 || i >= len(b) {
				return -1
			}
			switch b[i] {
			case ')':
				return i + 1
			case ' ':
				i++
			default:
				return -1
			}
		}
	}
	if j := plainAtomEnd(b, i); j > i {
		return j
	}
	return -1
}

// equalFoldASCII reports whether b is upper, in ASCII letters without
// regard to case.
func equalFoldASCII(b []byte, upper string) bool {
	if len(b) != len(upper) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != upper[i] {
			return false
		}
	}
	return true
}
