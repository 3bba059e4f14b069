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
// name them.
const (
	RuleExistsShrink    = "exists-shrink"
	RuleSeqRange        = "seq-range"
	RuleCountMismatch   = "count-mismatch"
	RuleUIDChanged      = "uid-changed"
	RuleUIDNext         = "uid-uidnext"
	RuleUIDOrder        = "uid-order"
	RuleUIDExpunged     = "uid-expunged"
	RuleUIDValidity     = "uidvalidity-change"
	RuleExpungeTiming   = "expunge-timing"
	RuleNoMailbox       = "no-mailbox"
	RuleExtension       = "extension-not-enabled"
	RuleUnknownTag      = "unknown-tag"
	RuleUnsolicitedPlus = "unsolicited-continuation"
	RuleLiteralSize     = "literal-size"
	RuleBareLF          = "bare-lf"

	// Teaching notes: legal look-alikes of violations.
	NoteUIDPlusCodes = "uidplus-codes"
	NoteCapsAtLogin  = "capability-after-login"
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
	NoteUIDPlusCodes:    "RFC 4315 section 1",
	NoteCapsAtLogin:     "RFC 3501 sections 7.2.1, 7; RFC 9051 sections 7.2.2, 7",
}

// Rules returns the ids of the violation rules, in the order of the
// summary.
func Rules() []string {
	return []string{RuleExistsShrink, RuleSeqRange, RuleCountMismatch, RuleUIDChanged, RuleUIDNext,
		RuleUIDOrder, RuleUIDExpunged, RuleUIDValidity, RuleExpungeTiming, RuleNoMailbox, RuleExtension,
		RuleUnknownTag, RuleUnsolicitedPlus, RuleLiteralSize, RuleBareLF}
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
