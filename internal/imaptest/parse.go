package imaptest

import (
	"errors"
	"strconv"
	"strings"
)

// literalSuffix reports whether line ends with a literal announcement
// {N} or {N+} (RFC 3501 section 4.3, RFC 7888).
func literalSuffix(line string) (n int64, plus, ok bool) {
	if !strings.HasSuffix(line, "}") {
		return 0, false, false
	}
	i := strings.LastIndexByte(line, '{')
	if i < 0 {
		return 0, false, false
	}
	num := line[i+1 : len(line)-1]
	if strings.HasSuffix(num, "+") {
		plus, num = true, num[:len(num)-1]
	}
	if num == "" || strings.Trim(num, "0123456789") != "" || len(num) > 18 {
		return 0, false, false
	}
	n, _ = strconv.ParseInt(num, 10, 64)
	return n, plus, true
}

// readCommand reads one client command: a line plus every literal it
// announces and the rest of the line after each literal. The result holds
// the literals inline as "{N}\r\n" followed by N bytes. cont is called for
// each announcement before the literal's bytes are read; for a
// synchronizing literal it must send the "+" continuation itself and return
// true, or return false to refuse it (the client sends nothing more for
// this command). A refused non-synchronizing literal is still read and
// dropped with the rest of the command, to stay in step; ok is false then.
func readCommand(c *Conn, cont func(n int64, plus bool) bool) (cmd []byte, ok bool, err error) {
	ok = true
	for {
		line, err := c.ReadLine()
		if err != nil {
			return nil, false, err
		}
		cmd = append(cmd, line...)
		n, plus, lit := literalSuffix(line)
		if !lit {
			return cmd, ok, nil
		}
		if !cont(n, plus) || !ok {
			if !plus {
				return cmd, false, nil
			}
			ok = false
			if err := c.discard(n); err != nil {
				return nil, false, err
			}
			continue
		}
		data, err := c.ReadN(int(n))
		if err != nil {
			return nil, false, err
		}
		cmd = append(cmd, "\r\n"...)
		cmd = append(cmd, data...)
	}
}

// node is one token of a parsed command: an atom, a string (quoted or
// literal) or a parenthesised list.
type node struct {
	atom string // atom text, with any [section] and <partial> attached
	str  *string
	list []node
	isL  bool
	lit  bool // str came from a literal
}

func (n node) isAtom(s string) bool { return n.str == nil && !n.isL && strings.EqualFold(n.atom, s) }

// text returns an atom's or a string's value.
func (n node) text() string {
	if n.str != nil {
		return *n.str
	}
	return n.atom
}

var errSyntax = errors.New("imaptest: syntax error")

// tokenize splits command arguments into nodes. An atom runs to SP, "(" or
// ")"; a "[" inside it runs to the matching "]" so that
// BODY[HEADER.FIELDS (A B)]<0.10> is one atom.
func tokenize(b []byte) ([]node, error) {
	nodes, rest, err := tokenList(b, false)
	if err == nil && len(rest) != 0 {
		err = errSyntax
	}
	return nodes, err
}

func tokenList(b []byte, inList bool) ([]node, []byte, error) {
	var out []node
	for {
		for len(b) > 0 && b[0] == ' ' {
			b = b[1:]
		}
		if len(b) == 0 {
			if inList {
				return nil, nil, errSyntax
			}
			return out, b, nil
		}
		switch b[0] {
		case ')':
			if !inList {
				return nil, nil, errSyntax
			}
			return out, b[1:], nil
		case '(':
			sub, rest, err := tokenList(b[1:], true)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, node{list: sub, isL: true})
			b = rest
		case '"':
			s, rest, err := quoted(b)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, node{str: &s})
			b = rest
		case '{':
			s, rest, err := literal(b)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, node{str: &s, lit: true})
			b = rest
		default:
			i, depth := 0, 0
			for ; i < len(b); i++ {
				ch := b[i]
				if ch == '[' {
					depth++
				} else if ch == ']' && depth > 0 {
					depth--
				} else if depth == 0 && (ch == ' ' || ch == '(' || ch == ')') {
					break
				}
			}
			out = append(out, node{atom: string(b[:i])})
			b = b[i:]
		}
	}
}

func quoted(b []byte) (string, []byte, error) {
	var sb strings.Builder
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			if i+1 >= len(b) {
				return "", nil, errSyntax
			}
			i++
			sb.WriteByte(b[i])
		case '"':
			return sb.String(), b[i+1:], nil
		default:
			sb.WriteByte(b[i])
		}
	}
	return "", nil, errSyntax
}

func literal(b []byte) (string, []byte, error) {
	end := strings.Index(string(b), "}\r\n")
	if end < 0 {
		return "", nil, errSyntax
	}
	n, _, ok := literalSuffix(string(b[:end+1]))
	if !ok || int64(len(b)-end-3) < n {
		return "", nil, errSyntax
	}
	data := b[end+3:]
	return string(data[:n]), data[n:], nil
}

// splitCommand returns the tag, the upper-cased command name and the
// remaining argument bytes of a command line.
func splitCommand(cmd []byte) (tag, name string, args []byte) {
	s := string(cmd)
	tag, rest, _ := strings.Cut(s, " ")
	name, rest, _ = strings.Cut(rest, " ")
	return tag, strings.ToUpper(name), []byte(rest)
}

// seqRange is one element of a sequence set; 0 stands for "*".
type seqRange struct{ lo, hi uint32 }

// parseSeqSet parses a sequence set (RFC 3501 section 9, sequence-set).
func parseSeqSet(s string) ([]seqRange, error) {
	if s == "" {
		return nil, errSyntax
	}
	var out []seqRange
	for _, part := range strings.Split(s, ",") {
		a, b, isRange := strings.Cut(part, ":")
		lo, err := seqNum(a)
		if err != nil {
			return nil, err
		}
		hi := lo
		if isRange {
			if hi, err = seqNum(b); err != nil {
				return nil, err
			}
		}
		out = append(out, seqRange{lo, hi})
	}
	return out, nil
}

func seqNum(s string) (uint32, error) {
	if s == "*" {
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		return 0, errSyntax
	}
	return uint32(n), nil
}

// contains reports whether the set holds v, with "*" meaning max.
func setContains(set []seqRange, v, max uint32) bool {
	for _, r := range set {
		lo, hi := r.lo, r.hi
		if lo == 0 {
			lo = max
		}
		if hi == 0 {
			hi = max
		}
		if lo > hi {
			lo, hi = hi, lo
		}
		if v >= lo && v <= hi {
			return true
		}
	}
	return false
}

// setMax returns the largest explicit number in the set (0 if only "*").
func setMax(set []seqRange) uint32 {
	var m uint32
	for _, r := range set {
		m = max(m, r.lo, r.hi)
	}
	return m
}
