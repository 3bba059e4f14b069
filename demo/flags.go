package demo

import (
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// systemFlags are the flags RFC 9051 section 2.3.2 defines that a client
// may set, in the order the sandbox lists them (Dovecot's order). \Recent
// is the server's own and is never stored.
var systemFlags = []imap.Flag{imap.FlagAnswered, imap.FlagFlagged, imap.FlagDeleted, imap.FlagSeen, imap.FlagDraft}

// canonicalFlag returns f as the sandbox stores and shows it: a system flag
// in its canonical case (\seen and \SEEN are \Seen), a keyword as given.
// Flags compare without regard to case (RFC 9051 section 2.3.2).
func canonicalFlag(f imap.Flag) imap.Flag {
	for _, s := range systemFlags {
		if strings.EqualFold(string(f), string(s)) {
			return s
		}
	}
	return f
}

// checkStoreFlags refuses flags a client cannot store: \Recent and
// backslash flags RFC 9051 does not define. The error is a BAD, as
// Dovecot answers, and says which flags exist.
func checkStoreFlags(flags []imap.Flag) error {
	for _, f := range flags {
		if !strings.HasPrefix(string(f), `\`) || isSystem(canonicalFlag(f)) {
			continue
		}
		why := fmt.Sprintf(`%s is not a system flag: the system flags are \Answered \Flagged \Deleted \Seen \Draft, and keywords (your own flags) are written without a backslash`, f)
		if strings.EqualFold(string(f), `\Recent`) {
			why = `\Recent cannot be stored: the server sets it on messages new to this session`
		}
		return &imap.Error{Type: imap.StatusResponseTypeBad, Text: why}
	}
	return nil
}

func isSystem(f imap.Flag) bool {
	for _, s := range systemFlags {
		if f == s {
			return true
		}
	}
	return false
}

// flagList is a message's flags: system flags in the order of systemFlags,
// then keywords in the order they were first set. It is kept sorted so that
// a FETCH shows the same flags in the same order every time.
type flagList []imap.Flag

// has reports whether l holds f, compared without regard to case.
func (l flagList) has(f imap.Flag) bool {
	for _, g := range l {
		if strings.EqualFold(string(g), string(f)) {
			return true
		}
	}
	return false
}

// add returns l with f added (canonicalized) unless present.
func (l flagList) add(f imap.Flag) flagList {
	f = canonicalFlag(f)
	if l.has(f) {
		return l
	}
	if !isSystem(f) {
		return append(l, f)
	}
	// Insert the system flag at its place: after the system flags that
	// come before it, before every keyword.
	rank := func(g imap.Flag) int {
		for i, s := range systemFlags {
			if g == s {
				return i
			}
		}
		return len(systemFlags)
	}
	i := 0
	for i < len(l) && rank(l[i]) < rank(f) {
		i++
	}
	out := make(flagList, 0, len(l)+1)
	out = append(out, l[:i]...)
	out = append(out, f)
	return append(out, l[i:]...)
}

// remove returns l without f (compared without regard to case).
func (l flagList) remove(f imap.Flag) flagList {
	out := l[:0:0]
	for _, g := range l {
		if !strings.EqualFold(string(g), string(f)) {
			out = append(out, g)
		}
	}
	return out
}

// flagsOf builds a flagList from flags in any case and order.
func flagsOf(flags []imap.Flag) flagList {
	var l flagList
	for _, f := range flags {
		if !strings.EqualFold(string(f), `\Recent`) {
			l = l.add(f)
		}
	}
	return l
}

// slice returns a copy as []imap.Flag, never nil (an empty list is "()").
func (l flagList) slice() []imap.Flag {
	return append([]imap.Flag{}, l...)
}
