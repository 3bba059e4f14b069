package teach

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// code explains the response code of a status response in context, and
// applies what it says to the model.
func (m *model) code(h wire.Head) string {
	name, arg := h.CodeName(), strings.TrimSpace(h.CodeArg())
	box := m.box()
	switch name {
	case "UIDVALIDITY":
		n, _ := number(arg)
		m.uidValidity = n
		return fmt.Sprintf("[UIDVALIDITY %s]: the UIDs of %s stay valid as long as this number stays %s; if it ever changes, every UID saved for %s is void.", arg, box, arg, box)
	case "UIDNEXT":
		n, _ := number(arg)
		m.uidNext = n
		return fmt.Sprintf("[UIDNEXT %s]: the next message added to %s will get UID %s or higher: a prediction of the next UID, not a count of messages.", arg, box, arg)
	case "UNSEEN":
		n, ok := number(arg)
		if !ok {
			return "[UNSEEN " + arg + "]: should name a sequence number; this one is not a number."
		}
		s := fmt.Sprintf("[UNSEEN %d]: message number %d is the first without \\Seen. %d is a sequence number (a position), not a UID", n, n, n)
		if uid := m.uidOf(n); uid != 0 {
			return s + fmt.Sprintf("; its UID is %d.", uid)
		}
		return s + fmt.Sprintf("; to learn its UID: uids %d (or FETCH %d (UID)).", n, n)
	case "PERMANENTFLAGS":
		flags := codeList(arg)
		switch {
		case len(flags) == 0:
			return "[PERMANENTFLAGS ()]: no flag can be changed for good here; changes last only for this session."
		case contains(flags, `\*`):
			return fmt.Sprintf("[PERMANENTFLAGS]: STORE can change these for good: %s; \\* means new keywords may be created too.", strings.Join(without(flags, `\*`), " "))
		}
		return fmt.Sprintf("[PERMANENTFLAGS]: STORE can change only these for good: %s; no new keywords.", strings.Join(flags, " "))
	case "READ-WRITE":
		m.readOnly = false
		return "[READ-WRITE]: you may change flags and expunge here."
	case "READ-ONLY":
		m.readOnly = true
		return "[READ-ONLY]: nothing can change here: STORE, EXPUNGE and MOVE fail, and reading does not set \\Seen."
	case "APPENDUID":
		f := strings.Fields(arg)
		if len(f) == 2 {
			return fmt.Sprintf("[APPENDUID %s %s]: the new message got UID %s in the target mailbox (whose UIDVALIDITY is %s).", f[0], f[1], f[1], f[0])
		}
	case "COPYUID":
		f := strings.Fields(arg)
		if len(f) == 3 {
			return fmt.Sprintf("[COPYUID %s]: %s (target UIDVALIDITY %s).", arg, copyPairs(f[1], f[2]), f[0])
		}
	case "TRYCREATE":
		return "[TRYCREATE]: the target mailbox does not exist: CREATE it, then repeat the command."
	case "ALERT":
		return "[ALERT]: the server wants a person to read this text now."
	case "CAPABILITY":
		list := strings.Fields(arg)
		m.setCaps(list)
		return fmt.Sprintf("[CAPABILITY ...]: the server lists its %d capabilities without being asked; type caps to see them explained.", len(list))
	case "CLOSED":
		return "[CLOSED]: the mailbox selected before is closed; the responses after this one are about " + box + "."
	case "HIGHESTMODSEQ":
		return fmt.Sprintf("[HIGHESTMODSEQ %s]: the highest mod-sequence in %s (CONDSTORE); FETCH ... (CHANGEDSINCE %s) will return only what changes after now.", arg, box, arg)
	case "MODIFIED":
		return fmt.Sprintf("[MODIFIED %s]: these messages changed since your UNCHANGEDSINCE value, so the STORE left them alone.", arg)
	}
	if ts := topicIndex[name]; len(ts) > 0 {
		for _, t := range ts {
			if t.Kind == kindCode {
				return "[" + name + "]: " + firstSentence(t.Text)
			}
		}
	}
	return "[" + name + "]: a response code imapsh does not know; the text after it is for people."
}

// codeList parses "(\Seen \Deleted)".
func codeList(arg string) []string {
	vals, err := wire.Parse([]byte(arg))
	if err != nil || len(vals) == 0 || vals[0].Kind != wire.List {
		return strings.Fields(strings.Trim(arg, "()"))
	}
	var out []string
	for _, v := range vals[0].List {
		out = append(out, string(v.Bytes))
	}
	return out
}

// copyPairs says which source UID became which target UID.
func copyPairs(from, to string) string {
	src, ok1 := expandSet(from, 10000)
	dst, ok2 := expandSet(to, 10000)
	if !ok1 || !ok2 || len(src) != len(dst) || len(src) == 0 {
		return fmt.Sprintf("the messages with UIDs %s here have UIDs %s in the target mailbox", from, to)
	}
	var pairs []string
	for i := range src {
		if i == 8 {
			pairs = append(pairs, fmt.Sprintf("... (%d in all)", len(src)))
			break
		}
		pairs = append(pairs, fmt.Sprintf("UID %d -> %d", src[i], dst[i]))
	}
	return "copied: " + strings.Join(pairs, ", ") + " in the target mailbox"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func without(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if !strings.EqualFold(x, s) {
			out = append(out, x)
		}
	}
	return out
}

// firstSentence returns text up to its first ". ".
func firstSentence(text string) string {
	if i := strings.Index(text, ". "); i >= 0 {
		return text[:i+1]
	}
	return text
}
