package repl

import (
	"sort"
	"strings"
	"unicode"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// completer offers Tab completion: command names and helpers first, then by
// context UID sub-commands, FETCH items, flags after STORE, and mailbox
// names from the last LIST (quoted when they need it).
type completer struct{ sh *Shell }

// mailboxArgs says which argument of a command is a mailbox (1-based).
var mailboxArgs = map[string]int{
	"SELECT": 1, "EXAMINE": 1, "CREATE": 1, "DELETE": 1, "RENAME": 1, "SUBSCRIBE": 1,
	"UNSUBSCRIBE": 1, "STATUS": 1, "APPEND": 1, "GETQUOTAROOT": 1, "MYRIGHTS": 1,
	"GETACL": 1, "COPY": 2, "MOVE": 2, "UID COPY": 2, "UID MOVE": 2,
}

// Do implements readline.AutoCompleter.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	text := string(line[:pos])
	words := strings.Fields(text)
	if len(words) == 0 || unicode.IsSpace(rune(text[len(text)-1])) {
		words = append(words, "")
	}
	cur := words[len(words)-1]
	prev := words[:len(words)-1]
	// A line that carries its own tag: complete as if it were not there.
	if len(prev) > 0 && !wire.IsCommand(prev[0]) && !isHelper(prev[0]) {
		if tag, _ := tagger.Split(strings.Join(words, " ")+" x", wire.IsCommand); tag != "" || len(prev) == 1 {
			prev = prev[1:]
		}
	}
	return candidates(c.sh, prev, cur), len([]rune(cur))
}

func candidates(sh *Shell, prev []string, cur string) [][]rune {
	var pool []string
	// Mailbox names other than INBOX are case-sensitive: they complete
	// only from what was typed in their own case.
	var mailboxes []string
	// Inside a parenthesized list (FETCH items, STORE flags) a space would
	// stand before the closing parenthesis: leave it to the user.
	sep := " "
	switch {
	case len(prev) == 0:
		pool = wire.Commands()
		for _, h := range helperTable {
			pool = append(pool, h.Name)
		}
	case len(prev) == 1 && strings.EqualFold(prev[0], "UID"):
		pool = wire.UIDCommands()
	default:
		name := strings.ToUpper(prev[0])
		argIdx := len(prev)
		if name == "UID" && len(prev) > 1 {
			name = "UID " + strings.ToUpper(prev[1])
			argIdx--
		}
		switch {
		case mailboxArgs[name] == argIdx && sh != nil:
			// INBOX always exists (RFC 9051 section 5.1); the others come
			// from the last LIST.
			pool = append(pool, "INBOX")
			utf8 := sh.st.UTF8()
			for _, m := range sh.st.Mailboxes() {
				// Names in modified UTF-7 are offered decoded: typed so,
				// they are encoded again when sent (mailbox.go).
				// A name the server sends in 8-bit (against RFC 3501) is
				// offered in quotes, as it is sent.
				typable := quoteMailbox
				name := m
				if d := session.DecodeMailbox(m, utf8); d.Err == nil {
					name, typable = d.Decoded, typableMailbox
				}
				if q, ok := typable(name); ok && !strings.EqualFold(m, "INBOX") {
					mailboxes = append(mailboxes, q)
				}
			}
		case (name == "FETCH" || name == "UID FETCH") && argIdx >= 2:
			pool = wire.FetchItems()
			cur = strings.TrimLeft(cur, "(")
			sep = ""
		case (name == "STORE" || name == "UID STORE") && argIdx == 2:
			pool = []string{"+FLAGS", "-FLAGS", "FLAGS", "+FLAGS.SILENT", "-FLAGS.SILENT", "FLAGS.SILENT"}
		case (name == "STORE" || name == "UID STORE") && argIdx >= 3:
			pool = wire.Flags()
			cur = strings.TrimLeft(cur, "(")
			sep = ""
		case name == "SEARCH" || name == "UID SEARCH":
			pool = []string{"ALL", "ANSWERED", "BCC", "BEFORE", "BODY", "CC", "DELETED", "DRAFT", "FLAGGED",
				"FROM", "HEADER", "KEYWORD", "LARGER", "NOT", "ON", "OR", "SEEN", "SENTBEFORE", "SENTON",
				"SENTSINCE", "SINCE", "SMALLER", "SUBJECT", "TEXT", "TO", "UID", "UNANSWERED", "UNDELETED",
				"UNDRAFT", "UNFLAGGED", "UNKEYWORD", "UNSEEN"}
		}
	}
	upper := cur != "" && cur == strings.ToUpper(cur) && strings.ToUpper(cur) != strings.ToLower(cur)
	var out []string
	for _, p := range pool {
		// A name that needs quotes completes once its quote is typed.
		if !hasPrefixFold(p, cur) {
			continue
		}
		cand := p
		if !isHelperName(p) && !upper && cur != "" && isWordy(p) && cur == strings.ToLower(cur) {
			cand = strings.ToLower(p)
		}
		out = append(out, cand[len(cur):]+sep)
	}
	for _, m := range mailboxes {
		if strings.HasPrefix(m, cur) {
			out = append(out, m[len(cur):]+sep)
		}
	}
	sort.Strings(out)
	res := make([][]rune, len(out))
	for i, s := range out {
		res[i] = []rune(s)
	}
	return res
}

// isHelper reports whether word names a helper, in any case.
func isHelper(word string) bool {
	_, ok := helperNamed(word)
	return ok
}

// isHelperName reports whether name is a helper's name as written.
func isHelperName(name string) bool {
	for _, h := range helperTable {
		if h.Name == name {
			return true
		}
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isWordy reports names that follow the user's case (commands, items),
// not mailbox names or flags, which keep their own.
func isWordy(s string) bool {
	return s == strings.ToUpper(s) && !strings.HasPrefix(s, `\`) && !strings.HasPrefix(s, "$")
}
