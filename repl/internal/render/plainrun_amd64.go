package render

// plainRunSSE2 is plainRunGeneric for b of a length that is a multiple of
// 16, 16 octets a step with SSE2 (which every amd64 processor has): it
// returns the index of the first octet that is not plain, or len(b).
//
//go:noescape
func plainRunSSE2(b []byte) int

// plainRun returns the length of the longest prefix of b made of octets
// that are shown as they are (see plainRunGeneric).
func plainRun(b []byte) int {
	n := len(b) &^ 15
	if n > 0 {
		if i := plainRunSSE2(b[:n]); i < n {
			return i
		}
	}
	return n + plainRunGeneric(b[n:])
}

// plainLinesSSE2 is plainLinesGeneric with SSE2 (see plainrun_amd64.s).
//
//go:noescape
func plainLinesSSE2(dst, src []byte) (nd, ns int)

// plainLines writes the whole lines at the start of src that are plain
// text ended by CRLF to dst as "S: " + line + LF (see plainLinesGeneric).
func plainLines(dst, src []byte) (nd, ns int) { return plainLinesSSE2(dst, src) }
