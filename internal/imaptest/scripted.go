package imaptest

import (
	"regexp"
	"strings"
	"testing"
)

// Step is one exchange of a Scripted server: the command it expects, as a
// regular expression matched case-insensitively and in full against the
// command's first line after its tag, and the lines it answers with, where
// TAG stands for the command's tag.
type Step struct {
	Expect string
	Reply  []string
}

// Scripted returns a server that sends greeting, then plays steps in order,
// one per command. CAPABILITY is answered with caps wherever it comes and
// takes no step, and LOGOUT ends the session (BYE, then OK). A command that
// does not match the next step is a test error: it is answered BAD and the
// connection closed. A synchronizing literal is accepted ("+ go ahead").
func Scripted(t testing.TB, greeting, caps string, steps []Step) *Server {
	rx := make([]*regexp.Regexp, len(steps))
	for i, s := range steps {
		rx[i] = regexp.MustCompile(`(?is)^(?:` + s.Expect + `)$`)
	}
	var srv *Server
	srv = NewServer(t, func(c *Conn) {
		c.Send(greeting)
		next := 0
		for {
			cmd, _, err := readCommand(c, goAhead(c, "+ go ahead"))
			if err != nil {
				return
			}
			first, _, _ := strings.Cut(string(cmd), "\r\n")
			tag, rest, _ := strings.Cut(first, " ")
			name, _, _ := strings.Cut(strings.ToUpper(rest), " ")
			switch {
			case name == "LOGOUT":
				c.Send("* BYE logging out")
				c.Send(tag + " OK LOGOUT completed")
				return
			case next < len(steps) && rx[next].MatchString(rest):
				for _, l := range steps[next].Reply {
					c.Send(strings.ReplaceAll(l, "TAG", tag))
				}
				next++
			case name == "CAPABILITY":
				c.Send("* CAPABILITY " + caps)
				c.Send(tag + " OK CAPABILITY completed")
			default:
				want := "nothing more"
				if next < len(steps) {
					want = steps[next].Expect
				}
				if !srv.closing() {
					t.Errorf("imaptest: scripted server: got %q, want %s", first, want)
				}
				c.Send(tag + " BAD unexpected command")
				return
			}
		}
	})
	return srv
}

// OutlookNOOP replays the session of ../shared/seeds/outlook-uid-error-noop.txt:
// after a UID STORE that expunges message 141 and says 146 EXISTS, a NOOP
// reports 147 EXISTS again (its message index lagged behind), and FETCH 147
// (UID) answers UID 3193, the UID of the message that is now 146. The SELECT
// also announces UIDNEXT 3194, which the seed's log leaves out and RFC 3501
// section 6.3.1 requires. Commands, in order: LOGIN (any), SELECT Trash,
// FETCH 147 (UID), UID STORE 3170 +FLAGS (\Deleted \Seen), NOOP,
// FETCH 147 (UID).
func OutlookNOOP(t testing.TB) *Server {
	return Scripted(t, "* OK [CAPABILITY IMAP4rev1 IDLE] IMAP server ready", "IMAP4rev1 IDLE", []Step{
		{`LOGIN .*`, []string{"TAG OK LOGIN completed"}},
		{`SELECT "?Trash"?`, []string{
			`* FLAGS (\Draft \Answered \Flagged \Deleted \Seen \Recent)`,
			`* OK [PERMANENTFLAGS (\Draft \Answered \Flagged \Deleted \Seen)] Limited`,
			"* 147 EXISTS",
			"* 5 RECENT",
			"* OK [UIDVALIDITY 1377145668] Ok",
			"* OK [UIDNEXT 3194] Ok",
			"TAG OK [READ-WRITE] Ok",
		}},
		{`FETCH 147 \(UID\)`, []string{"* 147 FETCH (UID 3193)", "TAG OK FETCH completed."}},
		{`UID STORE 3170 \+FLAGS \(\\Deleted \\Seen\)`, []string{
			`* 141 FETCH (FLAGS (\Deleted \Seen) UID 3170)`,
			"* 141 EXPUNGE",
			"* 146 EXISTS",
			"TAG OK STORE completed.",
		}},
		{`NOOP`, []string{"* 147 EXISTS", "* 5 RECENT", `* 141 FETCH (FLAGS (\Seen))`, "TAG OK NOOP completed"}},
		{`FETCH 147 \(UID\)`, []string{"* 147 FETCH (UID 3193)", "TAG OK FETCH completed."}},
	})
}

// GmailAppendUID replays ../shared/seeds/gmail-capability-after-login.txt:
// the capabilities asked before login lack UIDPLUS; LOGIN brings an
// unrequested, different CAPABILITY list (still without UIDPLUS); APPEND
// answers [APPENDUID 648448589 1045] all the same, which RFC 4315 section 1
// recommends; then SELECT INBOX and the OfflineIMAP header search (empty).
// Commands, in order: LOGIN (any), APPEND INBOX with one literal,
// SELECT INBOX, UID SEARCH HEADER X-OfflineIMAP (any); CAPABILITY any time.
func GmailAppendUID(t testing.TB) *Server {
	const before = "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH"
	return Scripted(t, "* OK Gimap ready for requests from 192.0.2.7 k6if6834428icw.34", before, []Step{
		{`LOGIN .*`, []string{
			"* CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 COMPRESS=DEFLATE",
			"TAG OK alice@example.com authenticated (Success)",
		}},
		{`APPEND INBOX .*\{[0-9]+\}`, []string{"TAG OK [APPENDUID 648448589 1045] (Success)"}},
		{`SELECT "?INBOX"?`, []string{
			`* FLAGS (\Answered \Flagged \Draft \Deleted \Seen)`,
			`* OK [PERMANENTFLAGS (\Answered \Flagged \Draft \Deleted \Seen \*)] Flags permitted.`,
			"* OK [UIDVALIDITY 648448589] UIDs valid.",
			"* 1045 EXISTS",
			"* 0 RECENT",
			"* OK [UIDNEXT 1046] Predicted next UID.",
			"TAG OK [READ-WRITE] INBOX selected. (Success)",
		}},
		{`UID SEARCH HEADER X-OfflineIMAP .*`, []string{"* SEARCH", "TAG OK SEARCH completed (Success)"}},
	})
}
