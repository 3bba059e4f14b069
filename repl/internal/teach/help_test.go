package teach

import (
	"regexp"
	"strings"
	"testing"
)

// The commands the issue names: every IMAP4rev1 and IMAP4rev2 command and
// the common extensions.
var required = []string{
	"CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "AUTHENTICATE", "LOGIN",
	"ENABLE", "SELECT", "EXAMINE", "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "LIST", "LSUB",
	"NAMESPACE", "STATUS", "APPEND", "IDLE", "CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "SEARCH", "FETCH",
	"STORE", "COPY", "MOVE", "UID", "UID FETCH", "UID STORE", "UID SEARCH", "UID COPY", "UID MOVE", "UID EXPUNGE",
	"ID", "GETQUOTA", "GETQUOTAROOT", "SETQUOTA", "SPECIAL-USE", "CONDSTORE", "LITERAL+", "COMPRESS", "UIDPLUS",
}

func TestEveryCommandHasAnEntryWithAnExample(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Commands() {
		if seen[c.Name] {
			t.Errorf("%s has two entries", c.Name)
		}
		seen[c.Name] = true
		if c.Syntax == "" || c.Summary == "" || c.Text == "" || c.Replies == "" || c.RFC == "" {
			t.Errorf("%s: an empty field in %+v", c.Name, c)
		}
		if !regexp.MustCompile(`^RFC \d{4}`).MatchString(c.RFC) {
			t.Errorf("%s: RFC %q does not start with an RFC number", c.Name, c.RFC)
		}
		commands := 0
		for _, s := range c.Example {
			if s.Want != None {
				commands++
			}
		}
		if commands == 0 {
			t.Errorf("%s: the example runs no command", c.Name)
		}
		if !c.Ext && !exampleUses(c) {
			t.Errorf("%s: the example never uses the command", c.Name)
		}
		for _, s := range c.Example {
			if s.Want == NO || s.Want == BAD || s.Want == Refused {
				if c.Demo == "" {
					t.Errorf("%s: the example expects %s for %q but says not why", c.Name, s.Want, s.Line)
				}
			}
		}
	}
	for _, name := range required {
		if !seen[name] {
			t.Errorf("no entry for %s", name)
		}
	}
}

// exampleUses reports whether some step of c's example sends c.
func exampleUses(c Command) bool {
	for _, s := range c.Example {
		if s.Want != None && strings.HasPrefix(strings.ToUpper(s.Line)+" ", c.Name+" ") {
			return true
		}
	}
	return false
}

func TestIndexGroupsByState(t *testing.T) {
	idx := Index([]Helper{{"whereis", "whereis UID", "where a UID is"}, {"help", "help [TOPIC]", "this"}})
	pos := func(s string) int {
		i := strings.Index(idx, s)
		if i < 0 {
			t.Fatalf("index lacks %q:\n%s", s, idx)
		}
		return i
	}
	any, notAuth, auth, sel, ext, helpers := pos("\nAny state:"), pos("\nNot authenticated"), pos("\nAuthenticated"), pos("\nSelected"), pos("\nExtensions"), pos("\nHelpers")
	if !(any < notAuth && notAuth < auth && auth < sel && sel < ext && ext < helpers) {
		t.Fatalf("groups out of order:\n%s", idx)
	}
	for _, c := range Commands() {
		at := pos("\n  " + c.Name + " ")
		var lo, hi int
		switch {
		case c.Ext:
			lo, hi = ext, helpers
		case c.State == AnyState:
			lo, hi = any, notAuth
		case c.State == NotAuthenticated:
			lo, hi = notAuth, auth
		case c.State == Authenticated:
			lo, hi = auth, sel
		default:
			lo, hi = sel, ext
		}
		if at < lo || at > hi {
			t.Errorf("%s is listed outside its group", c.Name)
		}
	}
	if pos("\n  whereis UID") < helpers || pos("\n  help [TOPIC]") > pos("\n  whereis UID") {
		t.Errorf("helpers missing or unsorted:\n%s", idx)
	}
	pos("\n  MOVE (ext) ")
	pos("\n  UID EXPUNGE [UIDPLUS] ")
}

func TestHelpLookup(t *testing.T) {
	cases := []struct {
		topic string
		want  []string
	}{
		{"fetch", []string{"FETCH  (RFC 9051 section 6.4.5; RFC 3501 section 6.4.5)", "Valid in:  selected state", "Example (runs as is in imapsh --demo):", "FETCH 1:3 (FLAGS UID RFC822.SIZE)", "-> OK", "n FETCH (item value ...)"}},
		{"uid   fetch", []string{"UID FETCH  (RFC 9051 section 6.4.9", "uid-set"}},
		{"UID", []string{"UID  (RFC 9051 section 6.4.9", "UID forms: UID FETCH, UID STORE, UID SEARCH, UID COPY, UID MOVE, UID EXPUNGE"}},
		{"store 1 +flags (\\Seen)", []string{"STORE  (RFC 9051 section 6.4.6"}},
		{"uid store 1 +flags (\\Seen)", []string{"UID STORE  (RFC 9051 section 6.4.9"}},
		{"UIDVALIDITY", []string{"[UIDVALIDITY]  (response code; RFC 9051 section 7.1; RFC 3501 section 7.1)", "void"}},
		{"[trycreate]", []string{"[TRYCREATE]", "CREATE it"}},
		{"exists", []string{"EXISTS  (untagged response; RFC 9051 section 7.4.1; RFC 3501 section 7.3.1)", "* n EXISTS"}},
		{"EXPUNGE", []string{"EXPUNGE  (RFC 9051 section 6.4.3", "EXPUNGE  (untagged response; RFC 9051 section 7.5.1", "moves down one"}},
		{"bye", []string{"BYE  (status response; RFC 9051 section 7.1.5"}},
		{"NO", []string{"NO  (status response", "Compare BAD"}},
		{"BAD", []string{"BAD  (status response", "Compare NO"}},
		{"capability", []string{"CAPABILITY  (RFC 9051 section 6.1.1", "untagged response; RFC 9051 section 7.2.2", "[CAPABILITY]  (response code"}},
		{"login", []string{"LOGIN  (RFC 9051 section 6.2.3", "-> BAD", "In the demo: the demo has logged you in already"}},
		{"starttls", []string{"-> not sent by imapsh"}},
		{"move", []string{"Needs:     the MOVE capability, or IMAP4rev2 (which includes it)"}},
		{"getquota", []string{"Needs:     the QUOTA capability\n"}},
		{"condstore", []string{"Extension: mod-sequences", "CHANGEDSINCE", "UNCHANGEDSINCE", "RFC 7162 section 3.1"}},
		{"append", []string{"APPEND INBOX (\\Seen) <<EOF", "\n  (empty line)", "\n  EOF"}},
		{"envelope", []string{"FETCH item"}},
		{"literals", []string{"LITERAL  (concept; RFC 9051 section 4.3", "<<EOF"}},
		{"body[]", []string{"BODY[]  (FETCH item", "BODY.PEEK"}},
		{"\\deleted", []string{"message flag", "EXPUNGE"}},
		{"+", []string{"continuation request", "RFC 9051 section 7.6"}},
		{"AUTH=PLAIN", []string{"AUTH=PLAIN  (capability", "SASL mechanism"}},
		{"sasl-ir", []string{"SASL-IR  (capability; RFC 4959)", "IMAP4rev2 includes it"}},
		{"QUOTA=RES-STORAGE", []string{"Quotas are kept on this resource"}},
		{"APPENDLIMIT=35882577", []string{"largest message APPEND accepts"}},
	}
	for _, c := range cases {
		got, ok := Help(c.topic)
		if !ok {
			t.Errorf("help %s: not found: %s", c.topic, got)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("help %s lacks %q:\n%s", c.topic, w, got)
			}
		}
	}
	for _, unknown := range []string{"frobnicate", "", "X-NOTHING"} {
		if got, ok := Help(unknown); ok {
			t.Errorf("help %q found %q", unknown, got)
		} else if unknown != "" && !strings.Contains(got, "no help for") {
			t.Errorf("help %q says %q", unknown, got)
		}
	}
}

// Every "help X" named in a See list leads somewhere (a command, topic,
// capability or one of the shell's helpers).
func TestSeeAlsoResolves(t *testing.T) {
	shellWords := map[string]bool{"caps": true, "kill": true, "whereis": true, "probe": true, "uids": true, "login": true}
	check := func(from string, see []string) {
		for _, s := range see {
			if shellWords[s] {
				continue
			}
			if _, ok := Help(s); !ok {
				t.Errorf("%s: see also %q finds nothing", from, s)
			}
		}
	}
	for _, c := range Commands() {
		check(c.Name, c.See)
	}
	for _, tp := range Topics() {
		check(tp.Name, tp.See)
	}
}
