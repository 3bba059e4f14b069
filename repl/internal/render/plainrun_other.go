//go:build !amd64

package render

// plainRun returns the length of the longest prefix of b made of octets
// that are shown as they are (see plainRunGeneric).
func plainRun(b []byte) int { return plainRunGeneric(b) }

// plainLines writes the whole lines at the start of src that are plain
// text ended by CRLF to dst as "S: " + line + LF (see plainLinesGeneric).
func plainLines(dst, src []byte) (nd, ns int) { return plainLinesGeneric(dst, src) }
