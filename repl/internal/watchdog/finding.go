package watchdog

import (
	"fmt"
	"strings"
)

// Finding is one rule of the protocol the server broke (or, for a Note, a
// look-alike that is legal, explained).
type Finding struct {
	Rule     string   // the rule's id, such as "count-mismatch"
	RFC      string   // where the rule is written: "RFC 3501 section 7.4.1; RFC 9051 section 7.5.1"
	Text     string   // one line: what happened and why it breaks the rule
	Evidence []string // the lines that show it: "C: a004 NOOP", "S: * 147 EXISTS"
	Note     bool     // a teaching note: legal, not a violation
}

// Headline is the finding in one line: rule, RFC and explanation.
func (f Finding) Headline() string {
	return fmt.Sprintf("[%s] %s (%s)", f.Rule, f.Text, f.RFC)
}

// The rules. Each id is stable: tests, --strict users and vendor reports
// name them. What exactly counts as a violation:
const (
	// RuleExistsShrink: "* N EXISTS" with N below the count the client
	// holds (the last EXISTS minus the EXPUNGEs since). Only EXPUNGE (or
	// VANISHED) may lower it.
	RuleExistsShrink = "exists-shrink"
	// RuleSeqRange: EXPUNGE or FETCH of message 0 or of a number above
	// the count: a new message is announced by EXISTS before anything is
	// said about it.
	RuleSeqRange = "seq-range"
	// RuleCountMismatch: a message that an EXISTS announced as new turns
	// out (by its UID) to be a message already counted, or one expunged:
	// the count did not add up (the seed 001 story).
	RuleCountMismatch = "count-mismatch"
	// RuleUIDChanged: FETCH gives message N a UID other than the one it
	// gave before, when no EXPUNGE since shifted N.
	RuleUIDChanged = "uid-changed"
	// RuleUIDNext: judged against the UIDNEXT of the SELECT or EXAMINE,
	// whose EXISTS and UIDNEXT describe one moment. A message there then
	// has a UID below it; a message announced later by EXISTS has a UID at
	// or above it (it may exceed it by far: UIDNEXT is a floor, and it
	// grows with new mail). A later [UIDNEXT] may not be lower than one
	// before it. A later [UIDNEXT] is not a new floor for messages
	// announced after it: the server may count in it mail it has not
	// announced yet, so judging by it would raise false alarms.
	RuleUIDNext = "uid-uidnext"
	// RuleUIDOrder: two messages whose UIDs do not ascend with their
	// sequence numbers (a repeated UID included).
	RuleUIDOrder = "uid-order"
	// RuleUIDExpunged: a message that was there before gets the UID of a
	// message expunged in this session.
	RuleUIDExpunged = "uid-expunged"
	// RuleUIDValidity: [UIDVALIDITY] changes while the mailbox stays
	// selected (no SELECT or EXAMINE between).
	RuleUIDValidity = "uidvalidity-change"
	// RuleExpungeTiming: EXPUNGE (or VANISHED) while no command is in
	// progress (a command waiting for its "+" is not; IDLE is; NOTIFY
	// lifts this), or while the oldest command in progress is FETCH,
	// STORE or SEARCH (their UID forms may carry it).
	RuleExpungeTiming = "expunge-timing"
	// RuleNoMailbox: EXISTS, RECENT, EXPUNGE, FETCH or VANISHED while no
	// mailbox is selected and no SELECT or EXAMINE is in flight.
	RuleNoMailbox = "no-mailbox"
	// RuleExtension: a response of an extension the client did not turn
	// on: ESEARCH to a search without RETURN (unless IMAP4rev2 is enabled
	// or the only version offered, or a search asked for UPDATE results),
	// VANISHED without ENABLE QRESYNC (or UIDONLY), MODSEQ in FETCH
	// without a CONDSTORE enabling command. Response codes are exempt:
	// clients ignore those they do not know.
	RuleExtension = "extension-not-enabled"
	// RuleUnknownTag: a tagged response whose tag no command in flight
	// has (never sent, or completed already).
	RuleUnknownTag = "unknown-tag"
	// RuleUnsolicitedPlus: a "+" when no command in flight waits for one:
	// a synchronizing literal announced and not yet sent, IDLE before its
	// "+", an AUTHENTICATE exchange after each client line; commands
	// imapsh does not know may take "+" at any time.
	RuleUnsolicitedPlus = "unsolicited-continuation"
	// RuleLiteralSize: a response with a literal that no longer fits the
	// grammar after it (it does not parse, or FETCH data stops coming in
	// item-value pairs): the announced size differs from the octets sent.
	// Only when detectable.
	RuleLiteralSize = "literal-size"
	// RuleBareLF: a line ended in LF without CR. Said once per
	// connection, counted each time.
	RuleBareLF = "bare-lf"
	// RuleUIDRange: a FETCH response whose UID is 0 or over 4294967295:
	// a UID is a 32-bit nz-number. (A sequence number or a response
	// code's number out of range is warned about by the session, which
	// does not apply the response.)
	RuleUIDRange = "uid-range"

	// Teaching notes: legal look-alikes of violations.

	// NoteUIDPlusCodes: APPENDUID or COPYUID from a server whose
	// capabilities lack UIDPLUS: RFC 4315 section 1 asks every server to
	// send them.
	NoteUIDPlusCodes = "uidplus-codes"
	// NoteCapsAtLogin: an unrequested untagged CAPABILITY at login with a
	// list unlike the one before: legal, the newest list counts.
	NoteCapsAtLogin = "capability-after-login"
)

// rfc says where each rule is written, in RFC 3501 (IMAP4rev1, what most
// servers speak) and RFC 9051 (IMAP4rev2).
var rfc = map[string]string{
	RuleExistsShrink:    "RFC 3501 section 5.2; RFC 9051 section 5.2",
	RuleSeqRange:        "RFC 3501 sections 2.3.1.2, 7.4.1, 7.4.2; RFC 9051 sections 2.3.1.2, 7.5.1, 7.5.2",
	RuleCountMismatch:   "RFC 3501 sections 7.3.1, 7.4.1, 2.3.1.1; RFC 9051 sections 7.4.1, 7.5.1, 2.3.1.1",
	RuleUIDChanged:      "RFC 3501 section 2.3.1.1; RFC 9051 section 2.3.1.1",
	RuleUIDNext:         "RFC 3501 section 2.3.1.1; RFC 9051 section 2.3.1.1",
	RuleUIDOrder:        "RFC 3501 sections 2.3.1.1, 2.3.1.2; RFC 9051 sections 2.3.1.1, 2.3.1.2",
	RuleUIDExpunged:     "RFC 3501 section 2.3.1.1; RFC 9051 section 2.3.1.1",
	RuleUIDValidity:     "RFC 3501 section 2.3.1.1; RFC 9051 section 2.3.1.1",
	RuleExpungeTiming:   "RFC 3501 sections 7.4.1, 5.3, 5.5; RFC 9051 sections 7.5.1, 5.3, 5.5",
	RuleNoMailbox:       "RFC 3501 sections 3.3, 2.3.1.2; RFC 9051 sections 3.3, 2.3.1.2",
	RuleUnknownTag:      "RFC 3501 section 2.2.2; RFC 9051 section 2.2.2",
	RuleUnsolicitedPlus: "RFC 3501 sections 7.5, 2.2.1; RFC 9051 sections 7.6, 2.2.1",
	RuleLiteralSize:     "RFC 3501 section 4.3; RFC 9051 section 4.3",
	RuleBareLF:          "RFC 3501 section 2.2; RFC 9051 section 2.2",
	RuleUIDRange:        "RFC 3501 sections 2.3.1.1, 9 (uniqueid); RFC 9051 sections 2.3.1.1, 9 (uniqueid)",
	NoteUIDPlusCodes:    "RFC 4315 section 1",
	NoteCapsAtLogin:     "RFC 3501 sections 7.2.1, 7; RFC 9051 sections 7.2.2, 7",
}

// Rules returns the ids of the violation rules, in the order of the
// summary.
func Rules() []string {
	return []string{RuleExistsShrink, RuleSeqRange, RuleCountMismatch, RuleUIDChanged, RuleUIDNext,
		RuleUIDOrder, RuleUIDExpunged, RuleUIDValidity, RuleExpungeTiming, RuleNoMailbox, RuleExtension,
		RuleUnknownTag, RuleUnsolicitedPlus, RuleLiteralSize, RuleBareLF, RuleUIDRange}
}

// summary writes the report of everything seen, ready to paste into a
// report to the server's vendor.
func summary(b *strings.Builder, s *stats) {
	switch {
	case s.violations == 0 && len(s.kept) == 0:
		b.WriteString("protocol watchdog: no violation seen in this session")
		if s.responses > 0 {
			fmt.Fprintf(b, " (%d server responses checked)", s.responses)
		}
		b.WriteString(".")
		return
	case s.violations == 0:
		fmt.Fprintf(b, "protocol watchdog: no violation seen in this session (%d server responses checked); %d teaching note(s):", s.responses, len(s.kept))
	default:
		fmt.Fprintf(b, "protocol watchdog: %d violation(s) of the IMAP rules by the server in this session (%d server responses checked):", s.violations, s.responses)
	}
	if s.greeting != "" {
		fmt.Fprintf(b, "\nserver greeting: %s", s.greeting)
	}
	for i, f := range s.kept {
		kind := "violation"
		if f.Note {
			kind = "note (legal)"
		}
		fmt.Fprintf(b, "\n\n%d. %s [%s] %s\n   %s", i+1, kind, f.Rule, f.RFC, f.Text)
		if len(f.Evidence) > 0 {
			b.WriteString("\n   evidence:")
			for _, e := range f.Evidence {
				b.WriteString("\n     " + e)
			}
		}
	}
	var more []string
	for _, r := range Rules() {
		if n := s.unshown[r]; n > 0 {
			more = append(more, fmt.Sprintf("%d more of [%s]", n, r))
		}
	}
	if len(more) > 0 {
		fmt.Fprintf(b, "\n\nnot listed one by one: %s.", strings.Join(more, ", "))
	}
}
