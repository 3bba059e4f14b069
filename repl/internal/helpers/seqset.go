package helpers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// parseMsgArg parses a helper's message argument. A bare number is always a
// UID; a sequence number must be written #N, so that a number typed from an
// old listing can never hit another message by accident.
func parseMsgArg(s string) (n uint32, isSeq bool, err error) {
	if s == "" {
		return 0, false, fmt.Errorf("which message? give its UID (15541) or #sequence-number (#1045)")
	}
	num := s
	if strings.HasPrefix(s, "#") {
		num, isSeq = s[1:], true
	}
	if strings.ContainsAny(num, ":,*") {
		return 0, false, fmt.Errorf("%q names several messages; give one UID (15541) or one #sequence-number (#1045)", s)
	}
	v, perr := strconv.ParseUint(num, 10, 32)
	if perr != nil || v == 0 || num[0] == '+' {
		what := "a UID"
		if isSeq {
			what = "a sequence number"
		}
		return 0, false, fmt.Errorf("%q is not %s: numbers run from 1 to 4294967295 (a bare number is a UID, #N a sequence number)", s, what)
	}
	return uint32(v), isSeq, nil
}

// helperArgs splits a helper's arguments at spaces. An argument in double
// quotes may hold spaces (a file name), with Go's backslash escapes.
func helperArgs(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] != '"' {
			word, rest, _ := strings.Cut(s, " ")
			out, s = append(out, word), rest
			continue
		}
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("unterminated or malformed quoted argument: %s", s)
		}
		word, _ := strconv.Unquote(q)
		out, s = append(out, word), s[len(q):]
		if s != "" && s[0] != ' ' {
			return nil, fmt.Errorf("a space must follow the quoted argument %s", q)
		}
	}
	return out, nil
}

// takeFlags removes the --options among args. Each must be one of known.
func takeFlags(args []string, known ...string) (rest []string, set map[string]bool, err error) {
	set = map[string]bool{}
	for _, a := range args {
		if !strings.HasPrefix(a, "--") {
			rest = append(rest, a)
			continue
		}
		if !slices.Contains(known, a) {
			return nil, nil, fmt.Errorf("unknown option %s (this helper knows %s)", a, strings.Join(known, ", "))
		}
		set[a] = true
	}
	return rest, set, nil
}

// takeValue removes an option with a value, "--name N" or "--name=N",
// from args.
func takeValue(args []string, name string) (rest []string, value string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == name:
			if i+1 == len(args) {
				return nil, "", fmt.Errorf("%s needs a value, as in %s 14", name, name)
			}
			value = args[i+1]
			i++
		case strings.HasPrefix(a, name+"="):
			value = a[len(name)+1:]
		default:
			rest = append(rest, a)
		}
	}
	return rest, value, nil
}

// formatSet renders numbers as a compact sequence set: 1:3,7.
func formatSet(nums []uint32) string {
	ns := slices.Clone(nums)
	slices.Sort(ns)
	ns = slices.Compact(ns)
	var b strings.Builder
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		if j > i {
			fmt.Fprintf(&b, "%d:%d", ns[i], ns[j])
		} else {
			fmt.Fprintf(&b, "%d", ns[i])
		}
		i = j + 1
	}
	return b.String()
}

// listUIDs renders numbers for people: "15500, 15553 and 15683".
func listUIDs(nums []uint32) string {
	s := make([]string, len(nums))
	for i, n := range nums {
		s[i] = strconv.FormatUint(uint64(n), 10)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// expungeLog turns the server's "* N EXPUNGE" responses, each numbered
// after the ones before it have taken effect (RFC 9051 section 7.5.1),
// back into the sequence numbers the messages had before the first.
type expungeLog struct {
	orig []uint32 // ascending
}

// add records "* n EXPUNGE" and returns the message's original sequence
// number.
func (l *expungeLog) add(n uint32) uint32 {
	o := n
	for _, r := range l.orig {
		if r > o {
			break
		}
		o++
	}
	i, _ := slices.BinarySearch(l.orig, o)
	l.orig = slices.Insert(l.orig, i, o)
	return o
}
