//go:build !amd64

package render

// plainRun returns the length of the longest prefix of b made of octets
// that are shown as they are (see plainRunGeneric).
func plainRun(b []byte) int { return plainRunGeneric(b) }
