package wire

import (
	"bytes"
	"fmt"
	"strings"
)

// RespKind says whether a response is tagged, untagged or a continuation
// request (RFC 9051 section 2.2.2).
type RespKind uint8

const (
	Untagged RespKind = iota
	Tagged
	Continuation
)

// Head is what the first line of a response says about the whole response:
// who it is for and what kind of data or status it carries.
type Head struct {
	Kind RespKind
	Tag  string // the tag of a tagged response
	// Num is the number in "* 12 EXISTS" or "* 3 FETCH (...)"; 0 if none.
	Num uint32
	// Name is the upper-cased response name: OK, NO, BAD, BYE, PREAUTH,
	// CAPABILITY, LIST, EXISTS, FETCH ... Empty for continuations.
	Name string
	// Code is the response code of a status response without its brackets,
	// for example "UIDNEXT 16124" or "READ-WRITE"; empty if none.
	Code string
	// Text is the human-readable text of a status response or a
	// continuation request.
	Text string
	// Err is a protocol violation ParseHead found while reading the line
	// leniently, or nil: a number over 4294967295 before the name (as in
	// "* 4294967296 EXISTS"; Num is then 0), or in a response code whose
	// numbers are 32-bit (UIDVALIDITY, UIDNEXT, UNSEEN, APPENDUID, COPYUID,
	// MODIFIED). It wraps ErrNumberRange. The rest of the Head is read as
	// usual, so that the response can still be shown.
	Err error
}

// IsStatus reports whether the response is a status response
// (OK, NO, BAD, BYE or PREAUTH).
func (h Head) IsStatus() bool {
	switch h.Name {
	case "OK", "NO", "BAD", "BYE", "PREAUTH":
		return true
	}
	return false
}

// CodeName returns the upper-cased first word of the response code.
func (h Head) CodeName() string {
	name, _, _ := strings.Cut(h.Code, " ")
	return strings.ToUpper(name)
}

// CodeArg returns the response code after its first word.
func (h Head) CodeArg() string {
	_, arg, _ := strings.Cut(h.Code, " ")
	return arg
}

// CodeNumber returns the argument of a response code that is one 32-bit
// number, such as UIDVALIDITY, UIDNEXT or UNSEEN (RFC 9051 section 7.1).
// The error wraps ErrNumberRange for a number over 4294967295 and
// ErrSyntax for an argument that is not a number; the number is then 0.
// It does not allocate unless it fails.
func (h Head) CodeNumber() (uint32, error) {
	arg := h.CodeArg()
	n, st := number32(arg)
	if st != numOK {
		return 0, numberError(st, arg, "the number", fmt.Sprintf("the code %q", "["+shorten(h.Code)+"]"))
	}
	return n, nil
}

// ParseHead parses the first line (fragment) of a response. It is lenient:
// servers in the wild send odd lines and the shell must still show them, so
// anything unrecognised is reported as an untagged response with what could
// be read. It performs no I/O and does not retain line.
func ParseHead(line []byte) Head {
	var h Head
	first, rest := cutWord(line)
	switch {
	case len(first) == 1 && first[0] == '+':
		h.Kind = Continuation
		h.Text = string(rest)
		return h
	case len(first) == 1 && first[0] == '*':
		h.Kind = Untagged
	case len(first) == 0:
		// An empty line, or one starting with a space: there is no tag, and
		// a Tagged head with Tag "" would be taken for a completion.
		h.Kind = Untagged
	case len(line) > 0 && line[0] == '+':
		// "+text" with no space: sloppy but seen.
		h.Kind = Continuation
		h.Text = string(line[1:])
		return h
	default:
		h.Kind = Tagged
		h.Tag = string(first)
	}
	word, rest := cutWord(rest)
	var num []byte
	if h.Kind == Untagged && allDigits(word) {
		num = word
		word, rest = cutWord(rest)
	}
	h.Name = responseName(word)
	if num != nil {
		n, st := number32(num)
		if st != numOK {
			h.Err = numberError(st, num, "the number", fmt.Sprintf("%q", "* "+shorten(num)+" "+shorten(word)))
		}
		h.Num = n
	}
	if h.IsStatus() {
		h.Code, h.Text = splitCode(rest)
		h.Err = cmpErr(h.Err, codeNumbers(h.Code))
	}
	return h
}

// responseName returns word upper-cased; the names of RFC 9051 and its
// common extensions, written in capitals as servers do, cost no
// allocation.
func responseName(word []byte) string {
	switch string(word) { // compiled without a conversion
	case "FETCH":
		return "FETCH"
	case "OK":
		return "OK"
	case "EXISTS":
		return "EXISTS"
	case "EXPUNGE":
		return "EXPUNGE"
	case "NO":
		return "NO"
	case "BAD":
		return "BAD"
	case "BYE":
		return "BYE"
	case "LIST":
		return "LIST"
	case "LSUB":
		return "LSUB"
	case "STATUS":
		return "STATUS"
	case "SEARCH":
		return "SEARCH"
	case "ESEARCH":
		return "ESEARCH"
	case "FLAGS":
		return "FLAGS"
	case "RECENT":
		return "RECENT"
	case "CAPABILITY":
		return "CAPABILITY"
	case "VANISHED":
		return "VANISHED"
	case "PREAUTH":
		return "PREAUTH"
	case "ENABLED":
		return "ENABLED"
	case "NAMESPACE":
		return "NAMESPACE"
	case "ID":
		return "ID"
	case "SORT":
		return "SORT"
	case "THREAD":
		return "THREAD"
	}
	return strings.ToUpper(string(word))
}

// codeNumbers checks the numbers of the response codes made of 32-bit
// numbers and sets: UIDVALIDITY, UIDNEXT, UNSEEN (RFC 9051 section 7.1),
// APPENDUID, COPYUID (RFC 4315) and MODIFIED (RFC 7162). Only their range
// is checked, not their form.
func codeNumbers(code string) error {
	name, arg, _ := strings.Cut(code, " ")
	switch strings.ToUpper(name) {
	case "UIDVALIDITY", "UIDNEXT", "UNSEEN", "APPENDUID", "COPYUID", "MODIFIED":
	default:
		return nil
	}
	for i := 0; i < len(arg); {
		j := i
		for j < len(arg) && arg[j] >= '0' && arg[j] <= '9' {
			j++
		}
		if j == i {
			i++
			continue
		}
		if _, st := number32(arg[i:j]); st != numOK {
			return numberError(st, arg[i:j], "the number", fmt.Sprintf("the code %q", "["+shorten(code)+"]"))
		}
		i = j
	}
	return nil
}

// cmpErr returns the first of a and b that is not nil.
func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// cutWord cuts b at its first space. The words of a head are short: a
// plain loop finds the space sooner than bytes.IndexByte starts.
func cutWord(b []byte) (word, rest []byte) {
	for i, c := range b {
		if c == ' ' {
			return b[:i], b[i+1:]
		}
	}
	return b, nil
}

// splitCode splits resp-text into its optional "[code]" and its text.
func splitCode(b []byte) (code, text string) {
	if len(b) == 0 || b[0] != '[' {
		return "", string(b)
	}
	quoted := false
	depth := 0
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '"':
			quoted = !quoted
		case '\\':
			if quoted {
				i++
			}
		case '[':
			if !quoted {
				depth++
			}
		case ']':
			if quoted {
				continue
			}
			if depth > 0 {
				depth--
				continue
			}
			return string(b[1:i]), string(bytes.TrimPrefix(b[i+1:], []byte(" ")))
		}
	}
	return "", string(b)
}
