package wire

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Kind is the grammatical kind of a Value.
type Kind uint8

const (
	// Atom is an atom, a number, a flag (\Seen), NIL, or a fetch item with
	// its section and partial (BODY[HEADER.FIELDS (FROM)]<0>), kept verbatim.
	Atom Kind = iota
	// Quoted is a quoted string; Bytes holds it unescaped.
	Quoted
	// Literal is a literal ({N} CRLF octets); Bytes holds the octets.
	Literal
	// List is a parenthesized list; List holds its elements.
	List
	// Code is a bracketed response code ([UIDNEXT 12]); List holds its elements.
	Code
)

// Value is one element of a parsed response (RFC 9051 section 9: atom,
// quoted, literal, parenthesized list, response code).
type Value struct {
	Kind  Kind
	Bytes []byte
	List  []Value
	// Index is the literal's position among the literals of the response
	// (0 for the first); -1 for other kinds.
	Index int
}

// ErrSyntax is wrapped by the errors of Parse.
var ErrSyntax = errors.New("wire: syntax error")

// maxDepth caps the nesting of lists and codes. Real responses nest a few
// levels (BODYSTRUCTURE of deep multiparts a few dozen); without a cap a
// hostile line of "((((..." recurses until the goroutine stack overflows,
// which is fatal, not a recoverable panic.
const maxDepth = 1000

// Parse tokenizes b, a whole response or part of one with literal octets
// inline after their "{N}\r\n" announcement, into a tree of values. It
// performs no I/O. Quoted and literal values alias b unless unescaping was
// needed.
func Parse(b []byte) ([]Value, error) {
	p := parser{b: b}
	vals, err := p.values(0)
	if err != nil {
		return vals, err
	}
	if p.i < len(p.b) {
		return vals, p.errorf("unexpected %q", p.b[p.i])
	}
	return vals, nil
}

type parser struct {
	b     []byte
	i     int
	lits  int
	depth int
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", ErrSyntax, p.i, fmt.Sprintf(format, args...))
}

// values parses until the closing byte end (0 for the end of input).
func (p *parser) values(end byte) ([]Value, error) {
	var out []Value
	for {
		for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\r' || p.b[p.i] == '\n') {
			p.i++
		}
		if p.i >= len(p.b) {
			if end != 0 {
				return out, p.errorf("missing %q", end)
			}
			return out, nil
		}
		c := p.b[p.i]
		if c == end {
			p.i++
			return out, nil
		}
		var v Value
		var err error
		switch c {
		case '(', '[':
			if p.depth >= maxDepth {
				return out, p.errorf("lists nested more than %d deep", maxDepth)
			}
			p.i++
			p.depth++
			closer := byte(')')
			v.Kind = List
			if c == '[' {
				v.Kind, closer = Code, ']'
			}
			v.List, err = p.values(closer)
			p.depth--
		case ')', ']':
			return out, p.errorf("unbalanced %q", c)
		case '"':
			v, err = p.quoted()
		case '{', '~':
			v, err = p.literal()
		default:
			v, err = p.atom()
		}
		v.Index = -1
		if v.Kind == Literal {
			v.Index = p.lits
			p.lits++
		}
		out = append(out, v)
		if err != nil {
			return out, err
		}
	}
}

func (p *parser) quoted() (Value, error) {
	start := p.i + 1
	escaped := false
	for j := start; j < len(p.b); j++ {
		switch p.b[j] {
		case '\\':
			escaped = true
			j++
			if j < len(p.b) && (p.b[j] == '\r' || p.b[j] == '\n') {
				p.i = j
				return Value{}, p.errorf("line end inside a quoted string")
			}
		case '"':
			p.i = j + 1
			s := p.b[start:j]
			if escaped {
				s = unescape(s)
			}
			return Value{Kind: Quoted, Bytes: s}, nil
		case '\r', '\n':
			return Value{}, p.errorf("line end inside a quoted string")
		}
	}
	return Value{}, p.errorf("unterminated quoted string")
}

func unescape(s []byte) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		out = append(out, s[i])
	}
	return out
}

func (p *parser) literal() (Value, error) {
	// The announcement is "{" digits ["+" / "-"] "}", optionally after "~".
	// Anything else starting with "{" or "~" is read as an atom; the shape
	// is checked in place, never by searching ahead for "}", which would
	// make a line of many "{" quadratic.
	j := p.i
	if p.b[j] == '~' {
		j++
	}
	if j >= len(p.b) || p.b[j] != '{' {
		return p.atom()
	}
	k := j + 1
	for k < len(p.b) && p.b[k] >= '0' && p.b[k] <= '9' {
		k++
	}
	digits := p.b[j+1 : k]
	if k < len(p.b) && (p.b[k] == '+' || p.b[k] == '-') {
		k++
	}
	if len(digits) == 0 || k >= len(p.b) || p.b[k] != '}' {
		return p.atom()
	}
	n, err := strconv.ParseUint(string(digits), 10, 63)
	if err != nil {
		return Value{}, p.errorf("bad literal size %q", digits)
	}
	j = k + 1
	if bytes.HasPrefix(p.b[j:], []byte("\r\n")) {
		j += 2
	} else if j < len(p.b) && p.b[j] == '\n' {
		j++
	} else {
		return Value{}, p.errorf("literal announcement not followed by a line end")
	}
	if uint64(len(p.b)-j) < n {
		return Value{}, p.errorf("literal {%d} has only %d octets", n, len(p.b)-j)
	}
	p.i = j + int(n)
	return Value{Kind: Literal, Bytes: p.b[j:p.i]}, nil
}

// atom reads an atom. A '[' inside an atom starts a section that runs to
// its matching ']' and may be followed by a partial "<...>", so that
// BODY[HEADER.FIELDS (FROM)]<0> stays one value, as fetch items are keyed.
func (p *parser) atom() (Value, error) {
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '[' && p.i > start {
			depth := 0
			for ; p.i < len(p.b); p.i++ {
				if p.b[p.i] == '[' {
					depth++
				} else if p.b[p.i] == ']' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if p.i >= len(p.b) {
				return Value{}, p.errorf("unterminated section")
			}
			p.i++
			if p.i < len(p.b) && p.b[p.i] == '<' {
				k := bytes.IndexByte(p.b[p.i:], '>')
				if k < 0 {
					return Value{}, p.errorf("unterminated partial")
				}
				p.i += k + 1
			}
			continue
		}
		if c <= ' ' || c == '(' || c == ')' || c == '"' || c == ']' || c == 0x7f || (c == '{' && p.i > start) {
			break
		}
		p.i++
	}
	if p.i == start {
		return Value{}, p.errorf("unexpected %q", p.b[p.i])
	}
	return Value{Kind: Atom, Bytes: p.b[start:p.i]}, nil
}

// IsNIL reports whether v is the atom NIL.
func (v Value) IsNIL() bool {
	return v.Kind == Atom && len(v.Bytes) == 3 && bytes.EqualFold(v.Bytes, []byte("NIL"))
}

// Number returns v as a number if it is an atom made of digits.
func (v Value) Number() (uint64, bool) {
	if v.Kind != Atom {
		return 0, false
	}
	n, err := strconv.ParseUint(string(v.Bytes), 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// String returns the text of an atom, quoted string or literal; "" for NIL
// and lists.
func (v Value) String() string {
	if v.Kind == List || v.Kind == Code || v.IsNIL() {
		return ""
	}
	return string(v.Bytes)
}
