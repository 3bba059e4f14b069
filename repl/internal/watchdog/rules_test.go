package watchdog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/repl/internal/watchdog"
)

func join(parts ...[]string) []string { return slices.Concat(parts...) }

var (
	login = []string{
		"S: * OK [CAPABILITY IMAP4rev1 LITERAL+ ENABLE IDLE] ready",
		"C: a0 LOGIN alice s3cret",
		"S: a0 OK [CAPABILITY IMAP4rev1 LITERAL+ ENABLE IDLE UIDPLUS ESEARCH CONDSTORE QRESYNC] logged in",
	}
	// sel5 selects INBOX: 5 messages, UIDs 10, 20, 30, 40, 50 (told
	// below when needed), UIDNEXT 60.
	sel5 = join(login, []string{
		"C: a1 SELECT INBOX",
		`S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)`,
		"S: * 5 EXISTS",
		"S: * 0 RECENT",
		"S: * OK [UIDVALIDITY 7] UIDs valid",
		"S: * OK [UIDNEXT 60] Predicted next UID",
		"S: a1 OK [READ-WRITE] Select completed",
	})
	uids5 = []string{
		"C: a2 FETCH 1:5 (UID)",
		"S: * 1 FETCH (UID 10)", "S: * 2 FETCH (UID 20)", "S: * 3 FETCH (UID 30)",
		"S: * 4 FETCH (UID 40)", "S: * 5 FETCH (UID 50)",
		"S: a2 OK Fetch completed",
	}
)

// seed001 is the NOOP story of ../shared/seeds/outlook-uid-error-noop.txt,
// with the UIDNEXT a SELECT must announce (RFC 3501 section 6.3.1).
func seed001(noop []string) []string {
	return join(login, []string{
		`C: 1kaf SELECT "Trash"`,
		`S: * FLAGS (\Draft \Answered \Flagged \Deleted \Seen \Recent)`,
		`S: * OK [PERMANENTFLAGS (\Draft \Answered \Flagged \Deleted \Seen)] Limited`,
		"S: * 147 EXISTS",
		"S: * 5 RECENT",
		"S: * OK [UIDVALIDITY 1377145668] Ok",
		"S: * OK [UIDNEXT 3194] Ok",
		"S: 1kaf OK [READ-WRITE] Ok",
		"C: b3dq FETCH 147 (UID)",
		"S: * 147 FETCH (UID 3193)",
		"S: b3dq OK FETCH completed.",
		`C: zuvi UID STORE 3170 +FLAGS (\Deleted \Seen)`,
		`S: * 141 FETCH (FLAGS (\Deleted \Seen) UID 3170)`,
		"S: * 141 EXPUNGE",
		"S: * 146 EXISTS",
		"S: zuvi OK STORE completed.",
		"C: l1md NOOP",
	}, noop)
}

type ruleCase struct {
	name   string
	script []string
	want   []string // rules reported, in order; notes as "note:<rule>"
}

var ruleCases = []ruleCase{
	// EXISTS may not go down without EXPUNGE.
	{"exists-shrink", join(sel5, []string{"C: a2 NOOP", "S: * 3 EXISTS", "S: a2 OK"}), []string{watchdog.RuleExistsShrink}},
	{"legal exists-shrink: EXISTS after EXPUNGEs", join(sel5, []string{"C: a2 EXPUNGE", "S: * 4 EXPUNGE", "S: * 4 EXPUNGE", "S: * 3 EXISTS", "S: a2 OK"}), nil},
	{"legal exists-shrink: EXISTS grows with new mail", join(sel5, []string{"C: a2 NOOP", "S: * 7 EXISTS", "S: * 2 RECENT", "S: a2 OK"}), nil},

	// Sequence numbers run from 1 to the count.
	{"seq-range: EXPUNGE beyond the count", join(sel5, []string{"C: a2 EXPUNGE", "S: * 5 EXPUNGE", "S: * 5 EXPUNGE", "S: a2 OK"}), []string{watchdog.RuleSeqRange}},
	{"seq-range: FETCH beyond the count", join(sel5, []string{"C: a2 NOOP", `S: * 6 FETCH (FLAGS (\Seen))`, "S: a2 OK"}), []string{watchdog.RuleSeqRange}},
	{"legal seq-range: lower-to-higher and higher-to-lower EXPUNGEs", join(sel5, []string{"C: a2 EXPUNGE", "S: * 2 EXPUNGE", "S: * 2 EXPUNGE", "S: * 3 EXPUNGE", "S: * 2 EXPUNGE", "S: * 1 EXPUNGE", "S: a2 OK"}), nil},
	{"legal seq-range: FETCH of a message EXISTS just announced", join(sel5, []string{"C: a2 NOOP", "S: * 6 EXISTS", `S: * 6 FETCH (FLAGS (\Recent))`, "S: a2 OK"}), nil},

	// Seed 001: the count does not add up after EXPUNGE.
	{"count-mismatch: seed 001", seed001([]string{
		"S: * 147 EXISTS", "S: * 5 RECENT", `S: * 141 FETCH (FLAGS (\Seen))`, "S: l1md OK NOOP completed",
		"C: bgl4 FETCH 147 (UID)", "S: * 147 FETCH (UID 3193)", "S: bgl4 OK FETCH completed.",
	}), []string{watchdog.RuleCountMismatch}},
	{"count-mismatch: an expunged message counted again", join(sel5, uids5, []string{
		"C: a3 EXPUNGE", "S: * 5 EXPUNGE", "S: a3 OK",
		"C: a4 NOOP", "S: * 5 EXISTS", "S: a4 OK",
		"C: a5 FETCH 5 (UID)", "S: * 5 FETCH (UID 50)", "S: a5 OK",
	}), []string{watchdog.RuleCountMismatch}},
	{"legal count-mismatch: seed 001 as a correct server answers", seed001([]string{
		"S: * 5 RECENT", `S: * 141 FETCH (FLAGS (\Seen))`, "S: l1md OK NOOP completed",
		"C: bgl4 FETCH 146 (UID)", "S: * 146 FETCH (UID 3193)", "S: bgl4 OK FETCH completed.",
	}), nil},
	{"legal count-mismatch: seed 001 with a message really new", seed001([]string{
		"S: * 147 EXISTS", "S: * 1 RECENT", "S: l1md OK NOOP completed",
		"C: bgl4 FETCH 146:147 (UID)", "S: * 146 FETCH (UID 3193)", "S: * 147 FETCH (UID 3194)", "S: bgl4 OK FETCH completed.",
	}), nil},

	// A message's UID does not change.
	{"uid-changed", join(sel5, uids5, []string{"C: a3 FETCH 2 (UID)", "S: * 2 FETCH (UID 21)", "S: a3 OK"}), []string{watchdog.RuleUIDChanged}},
	{"legal uid-changed: a new UID for a sequence number after EXPUNGE", join(sel5, uids5, []string{"C: a3 NOOP", "S: * 2 EXPUNGE", "S: a3 OK", "C: a4 FETCH 2 (UID)", "S: * 2 FETCH (UID 30)", "S: a4 OK"}), nil},

	// UIDNEXT: below it before, at or above it after.
	{"uid-uidnext: an old message at UIDNEXT", join(sel5, []string{"C: a2 FETCH 5 (UID)", "S: * 5 FETCH (UID 60)", "S: a2 OK"}), []string{watchdog.RuleUIDNext}},
	{"uid-uidnext: a new message below UIDNEXT", join(sel5, []string{"C: a2 NOOP", "S: * 6 EXISTS", "S: a2 OK", "C: a3 FETCH 6 (UID)", "S: * 6 FETCH (UID 55)", "S: a3 OK"}), []string{watchdog.RuleUIDNext}},
	{"uid-uidnext: UIDNEXT goes down", join(sel5, []string{"C: a2 NOOP", "S: * OK [UIDNEXT 58] next", "S: a2 OK"}), []string{watchdog.RuleUIDNext}},
	{"legal uid-uidnext: new mail at and above UIDNEXT, UIDNEXT grows", join(sel5, []string{
		"C: a2 NOOP", "S: * 7 EXISTS", "S: * OK [UIDNEXT 75] next", "S: a2 OK",
		"C: a3 FETCH 5:7 (UID)", "S: * 5 FETCH (UID 50)", "S: * 6 FETCH (UID 60)", "S: * 7 FETCH (UID 74)", "S: a3 OK",
	}), nil},

	// UIDs ascend with sequence numbers.
	{"uid-order", join(sel5, []string{"C: a2 FETCH 1:3 (UID)", "S: * 1 FETCH (UID 10)", "S: * 2 FETCH (UID 30)", "S: * 3 FETCH (UID 20)", "S: a2 OK"}), []string{watchdog.RuleUIDOrder}},
	{"legal uid-order: UIDs with gaps", join(sel5, []string{"C: a2 FETCH 1:5 (UID)", "S: * 1 FETCH (UID 1)", "S: * 2 FETCH (UID 2)", "S: * 3 FETCH (UID 17)", "S: * 4 FETCH (UID 18)", "S: * 5 FETCH (UID 59)", "S: a2 OK"}), nil},

	// An expunged UID is never reused.
	{"uid-expunged", join(sel5, []string{"C: a2 FETCH 3 (UID)", "S: * 3 FETCH (UID 30)", "S: a2 OK", "C: a3 EXPUNGE", "S: * 3 EXPUNGE", "S: a3 OK", "C: a4 FETCH 2 (UID)", "S: * 2 FETCH (UID 30)", "S: a4 OK"}), []string{watchdog.RuleUIDExpunged}},
	{"legal uid-expunged: the message before an expunged one", join(sel5, []string{"C: a2 FETCH 3 (UID)", "S: * 3 FETCH (UID 30)", "S: a2 OK", "C: a3 EXPUNGE", "S: * 3 EXPUNGE", "S: a3 OK", "C: a4 FETCH 2:3 (UID)", "S: * 2 FETCH (UID 20)", "S: * 3 FETCH (UID 40)", "S: a4 OK"}), nil},

	// UIDVALIDITY changes only with a new selection.
	{"uidvalidity-change", join(sel5, []string{"C: a2 NOOP", "S: * OK [UIDVALIDITY 8] new", "S: a2 OK"}), []string{watchdog.RuleUIDValidity}},
	{"legal uidvalidity-change: a new UIDVALIDITY at a new SELECT", join(sel5, []string{"C: a2 SELECT INBOX", "S: * 2 EXISTS", "S: * OK [UIDVALIDITY 8] new", "S: * OK [UIDNEXT 3] n", "S: a2 OK", "C: a3 NOOP", "S: * OK [UIDVALIDITY 8] same", "S: a3 OK"}), nil},

	// When EXPUNGE may come.
	{"expunge-timing: during FETCH", join(sel5, []string{"C: a2 FETCH 1 (FLAGS)", `S: * 1 FETCH (FLAGS (\Seen))`, "S: * 2 EXPUNGE", "S: a2 OK"}), []string{watchdog.RuleExpungeTiming}},
	{"expunge-timing: during STORE", join(sel5, []string{`C: a2 STORE 1 +FLAGS (\Seen)`, "S: * 2 EXPUNGE", "S: a2 OK"}), []string{watchdog.RuleExpungeTiming}},
	{"expunge-timing: during SEARCH", join(sel5, []string{`C: a2 SEARCH ALL`, "S: * 2 EXPUNGE", "S: * SEARCH 1 2 3 4", "S: a2 OK"}), []string{watchdog.RuleExpungeTiming}},
	{"expunge-timing: no command in progress", join(sel5, []string{"S: * 2 EXPUNGE"}), []string{watchdog.RuleExpungeTiming}},
	{"expunge-timing: while a literal waits for +", join(sel5, []string{"C: a2 APPEND INBOX {5}", "S: * 2 EXPUNGE", "S: + go ahead", "L(a2) 5", "C(a2) ", "S: a2 OK"}), []string{watchdog.RuleExpungeTiming}},
	{"legal expunge-timing: EXPUNGE during UID FETCH, UID STORE, NOOP, IDLE", join(sel5, []string{
		"C: a2 UID FETCH 1:* (FLAGS)", "S: * 5 EXPUNGE", "S: a2 OK",
		`C: a3 UID STORE 10 +FLAGS (\Seen)`, "S: * 4 EXPUNGE", "S: a3 OK",
		"C: a4 NOOP", "S: * 3 EXPUNGE", "S: a4 OK",
		"C: a5 IDLE", "S: + idling", "S: * 2 EXPUNGE", "C(a5) DONE", "S: a5 OK",
	}), nil},
	{"legal expunge-timing: EXPUNGE with no command after NOTIFY SET", join(sel5, []string{
		"C: a2 NOTIFY SET (SELECTED MessageNew MessageExpunge)", "S: a2 OK", "S: * 5 EXPUNGE",
	}), nil},

	// Message data needs a selected mailbox.
	{"no-mailbox", join(login, []string{"C: a1 NOOP", `S: * 1 FETCH (FLAGS (\Seen))`, "S: a1 OK"}), []string{watchdog.RuleNoMailbox}},
	{"no-mailbox: after CLOSE", join(sel5, []string{"C: a2 CLOSE", "S: a2 OK", "C: a3 NOOP", "S: * 1 EXPUNGE", "S: a3 OK"}), []string{watchdog.RuleNoMailbox}},
	{"legal no-mailbox: the old mailbox's news while SELECT switches", join(sel5, []string{"C: a2 SELECT Archive", "S: * 5 EXPUNGE", "S: * 2 EXISTS", "S: * 0 RECENT", "S: a2 OK"}), nil},

	// Responses of extensions the client did not enable.
	{"extension-not-enabled: ESEARCH to a plain SEARCH", join(sel5, []string{"C: a2 SEARCH ALL", `S: * ESEARCH (TAG "a2") ALL 1:5`, "S: a2 OK"}), []string{watchdog.RuleExtension}},
	{"extension-not-enabled: VANISHED without QRESYNC", join(sel5, []string{"C: a2 EXPUNGE", "S: * VANISHED 10", "S: a2 OK"}), []string{watchdog.RuleExtension}},
	{"extension-not-enabled: MODSEQ without CONDSTORE", join(sel5, []string{"C: a2 FETCH 1 (FLAGS)", `S: * 1 FETCH (FLAGS () MODSEQ (12))`, "S: a2 OK"}), []string{watchdog.RuleExtension}},
	{"legal extension-not-enabled: ESEARCH to SEARCH RETURN, and to SEARCH after ENABLE IMAP4rev2", join(sel5, []string{
		"C: a2 SEARCH RETURN (MIN MAX) ALL", `S: * ESEARCH (TAG "a2") MIN 1 MAX 5`, "S: a2 OK",
		"C: a3 ENABLE IMAP4rev2", "S: * ENABLED IMAP4rev2", "S: a3 OK",
		"C: a4 SEARCH ALL", `S: * ESEARCH (TAG "a4") ALL 1:5`, "S: a4 OK",
	}), nil},
	{"legal extension-not-enabled: VANISHED after ENABLE QRESYNC, MODSEQ after asking for it", join(login, []string{
		"C: a1 ENABLE QRESYNC", "S: * ENABLED QRESYNC", "S: a1 OK",
		"C: a2 SELECT INBOX", "S: * 5 EXISTS", "S: * OK [UIDVALIDITY 7] v", "S: * OK [UIDNEXT 60] n", "S: a2 OK",
		"C: a3 UID FETCH 1:* (UID)", "S: * 1 FETCH (UID 10)", "S: * 2 FETCH (UID 20)", "S: * 3 FETCH (UID 30)", "S: * 4 FETCH (UID 40)", "S: * 5 FETCH (UID 50)", "S: a3 OK",
		"C: a4 UID EXPUNGE 20:30", "S: * VANISHED 20:30", "S: a4 OK",
		"C: a5 FETCH 3 (UID MODSEQ)", "S: * 3 FETCH (UID 50 MODSEQ (9))", "S: a5 OK",
	}), nil},

	// Tags and continuations.
	{"unknown-tag", join(login, []string{"C: a1 NOOP", "S: a1 OK", "S: a1 OK again"}), []string{watchdog.RuleUnknownTag}},
	{"legal unknown-tag: tagged answers to pipelined commands in any order", join(login, []string{"C: a1 NOOP", "C: a2 CAPABILITY", "S: * CAPABILITY IMAP4rev1 IDLE", "S: a2 OK", "S: a1 OK"}), nil},
	{"unsolicited-continuation", join(login, []string{"C: a1 NOOP", "S: + more please", "S: a1 OK"}), []string{watchdog.RuleUnsolicitedPlus}},
	{"unsolicited-continuation: a second + for one literal", join(login, []string{"C: a1 APPEND INBOX {5}", "S: + go", "S: + go again", "L(a1) 5", "C(a1) ", "S: a1 OK"}), []string{watchdog.RuleUnsolicitedPlus}},
	{"legal unsolicited-continuation: + for literals, IDLE and an AUTHENTICATE exchange", []string{
		"S: * OK [CAPABILITY IMAP4rev1 AUTH=CRAM-MD5 IDLE] ready",
		"C: a0 AUTHENTICATE CRAM-MD5", "S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+", "C(a0) dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTY=", "S: a0 OK",
		"C: a1 APPEND INBOX (\\Seen) {5}", "S: + Ready", "L(a1) 5", "C(a1)  {3}", "S: + Ready", "L(a1) 3", "C(a1) ", "S: a1 OK",
		"C: a2 IDLE", "S: + idling", "C(a2) DONE", "S: a2 OK",
	}, nil},

	// Literals whose size does not match what follows.
	{"literal-size: too small, the rest on the same line", join(sel5, []string{"C: a2 FETCH 1 (BODY[])", "S: * 1 FETCH (BODY[] {5}\r\nHello world)", "S: a2 OK"}), []string{watchdog.RuleLiteralSize}},
	{"literal-size: too small, the rest on the next line", join(sel5, []string{"C: a2 FETCH 1 (BODY[])", "S: * 1 FETCH (BODY[] {5}\r\nHello\r\nworld)", "S: a2 OK"}), []string{watchdog.RuleLiteralSize, watchdog.RuleUnknownTag}},
	{"legal literal-size: literals of the right size", join(sel5, []string{"C: a2 FETCH 1:2 (UID BODY[])", "S: * 1 FETCH (UID 10 BODY[] {12}\r\nHello\r\nworld)", "S: * 2 FETCH (BODY[HEADER.FIELDS (FROM)] {0}\r\n UID 20)", "S: a2 OK"}), nil},

	// Lines end in CRLF.
	{"bare-lf", join(login, []string{"C: a1 NOOP", "S| * OK still here", "S: a1 OK"}), []string{watchdog.RuleBareLF}},
	{"legal bare-lf: CRLF", join(login, []string{"C: a1 NOOP", "S: * OK still here", "S: a1 OK"}), nil},

	// UIDs are 32-bit nz-numbers.
	{"uid-range: over 4294967295", join(sel5, []string{"C: a2 FETCH 3 (UID FLAGS)", "S: * 3 FETCH (UID 4294967296 FLAGS ())", "S: a2 OK"}), []string{watchdog.RuleUIDRange}},
	{"uid-range: 0", join(sel5, []string{"C: a2 FETCH 3 (UID FLAGS)", "S: * 3 FETCH (UID 0 FLAGS ())", "S: a2 OK"}), []string{watchdog.RuleUIDRange}},
	{"uid-range: 0, with a literal", join(sel5, []string{"C: a2 FETCH 3 (UID BODY[])", "S: * 3 FETCH (UID 0 BODY[] {2}\r\nhi)", "S: a2 OK"}), []string{watchdog.RuleUIDRange}},
	{"legal uid-range: 1 to 4294967295", join(sel5, []string{"C: a2 FETCH 3 (UID FLAGS)", "S: * 3 FETCH (UID 1 FLAGS ())", "S: a2 OK"}), nil},

	// Teaching notes: legal look-alikes.
	{"note: APPENDUID without UIDPLUS (seed 002)", []string{
		"S: * OK [CAPABILITY IMAP4rev1 IDLE] ready", "C: a1 LOGIN alice s3cret", "S: a1 OK logged in",
		"C: a2 APPEND INBOX {5+}", "L(a2) 5", "C(a2) ", "S: a2 OK [APPENDUID 38505 3955] APPEND completed",
	}, []string{"note:" + watchdog.NoteUIDPlusCodes}},
	{"no note: APPENDUID with UIDPLUS", join(login, []string{"C: a2 APPEND INBOX {5+}", "L(a2) 5", "C(a2) ", "S: a2 OK [APPENDUID 38505 3955] APPEND completed"}), nil},
	{"note: a new CAPABILITY at login (seed 002)", []string{
		"S: * OK [CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN] ready", "C: a1 LOGIN alice s3cret",
		"S: * CAPABILITY IMAP4rev1 IDLE UIDPLUS", "S: a1 OK logged in",
	}, []string{"note:" + watchdog.NoteCapsAtLogin}},
	{"no note: capabilities asked for", join(login, []string{"C: a1 CAPABILITY", "S: * CAPABILITY IMAP4rev1 IDLE", "S: a1 OK"}), nil},
}

func TestRules(t *testing.T) {
	for _, tc := range ruleCases {
		t.Run(tc.name, func(t *testing.T) {
			got, w := run(t, tc.script)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("findings %q, want %q\n%s", got, tc.want, w.Summary())
			}
			violations := 0
			for _, r := range tc.want {
				if !strings.HasPrefix(r, "note:") {
					violations++
				}
			}
			if w.Violations() != violations {
				t.Errorf("Violations() = %d, want %d", w.Violations(), violations)
			}
		})
	}
}

// Every rule has a violating sequence and a legal look-alike.
func TestRulesCovered(t *testing.T) {
	for _, rule := range watchdog.Rules() {
		var bad, legal bool
		for _, tc := range ruleCases {
			bad = bad || (strings.HasPrefix(tc.name, rule) && slices.Contains(tc.want, rule))
			legal = legal || (strings.HasPrefix(tc.name, "legal "+rule+":") && len(tc.want) == 0)
		}
		if !bad {
			t.Errorf("rule %s has no violating case", rule)
		}
		if !legal {
			t.Errorf("rule %s has no legal look-alike", rule)
		}
	}
}

// A server that ends every line in LF is told once, and counted each time.
func TestBareLFSaidOnce(t *testing.T) {
	got, w := run(t, join(login, []string{"C: a1 NOOP", "S| * OK one", "S| * OK two", "S| a1 OK", "X", "S| * OK again"}))
	want := []string{watchdog.RuleBareLF, watchdog.RuleBareLF} // once per connection
	if !slices.Equal(got, want) || w.Violations() != 4 {
		t.Errorf("findings %q (want %q), %d violations (want 4)\n%s", got, want, w.Violations(), w.Summary())
	}
	if s := w.Summary(); !strings.Contains(s, "2 more of [bare-lf]") {
		t.Errorf("the summary does not count the lines not listed:\n%s", s)
	}
}

// Commands quoted as evidence never show a credential.
func TestEvidenceHidesCredentials(t *testing.T) {
	got, w := run(t, []string{
		"S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready",
		"C: a1 LOGIN alice s3cretpw", "S: + what now",
		"S: a1 OK",
		"C: a2 AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldHB3", "S: * 3 EXPUNGE", "S: a2 OK",
	})
	want := []string{watchdog.RuleUnsolicitedPlus, watchdog.RuleNoMailbox}
	if !slices.Equal(got, want) {
		t.Fatalf("findings %q, want %q", got, want)
	}
	sum := w.Summary()
	if strings.Contains(sum, "s3cretpw") || strings.Contains(sum, "AGFsaWNlAHMzY3JldHB3") || !strings.Contains(sum, "C: a1 LOGIN alice [hidden]") {
		t.Errorf("the report shows a credential, or not the command:\n%s", sum)
	}
}
