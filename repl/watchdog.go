package repl

import (
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/repl/internal/watchdog"
)

// The protocol watchdog (package watchdog) is one more observer of the
// session, on by default: it prints each rule the server breaks as a
// violation line of imapsh's own, right after the response that broke it;
// `check` prints its report; --strict makes any violation fail the run.

// startWatchdog adds the watchdog to the hub after the terminal and the
// transcript, so that they have shown a response before it is judged.
func (sh *Shell) startWatchdog() {
	sh.wd = watchdog.New(sh.showFinding)
	sh.hub.Add(sh.wd)
	// The engine's own warnings for the rules the watchdog reports would
	// say the same thing twice on screen.
	rules := map[string]bool{}
	for _, r := range watchdog.Rules() {
		rules[r] = true
	}
	sh.term.SetCovered(func(rule string) bool { return rules[rule] })
}

// showFinding prints a finding to the terminal and the transcript. It runs
// while the hub delivers an event, which the hub does one at a time and
// cannot re-enter: so it hands the lines to those observers itself. The
// terminal marks a violation by its color and "violation:"; the
// transcript, which keeps no levels, gets the words.
func (sh *Shell) showFinding(f watchdog.Finding) {
	head, level := f.Headline(), session.LevelViolation
	word := "watchdog violation: "
	if f.Note {
		head, level, word = "watchdog note: "+head, session.LevelNote, ""
	}
	var earlier []*session.Event
	if n := len(f.Evidence); n > 1 && !f.Note {
		// The last line of the evidence is the response just shown; the
		// earlier ones may be far up.
		for _, e := range f.Evidence[:n-1] {
			earlier = append(earlier, &session.Event{Kind: session.Note, Level: session.LevelNote, Text: "  earlier: " + e})
		}
	}
	sh.term.Observe(&session.Event{Kind: session.Note, Level: level, Text: head})
	for _, e := range earlier {
		sh.term.Observe(e)
	}
	if sh.transcript != nil {
		sh.transcript.Observe(&session.Event{Kind: session.Note, Level: level, Text: word + head})
		for _, e := range earlier {
			sh.transcript.Observe(e)
		}
	}
}

// checkHelper prints the watchdog's report of the session, ready to paste
// into a report to the server's vendor (and into the transcript).
func (sh *Shell) checkHelper(string) error {
	sh.pr.Plain("%s", sh.wd.Summary())
	sh.pr.Note("(check is imapsh's; IMAP's CHECK command is sent when typed in capitals)")
	return nil
}

// strictFailed reports, with --strict, whether the server broke a rule;
// it then prints the report.
func (sh *Shell) strictFailed() bool {
	if !sh.cfg.Strict || sh.wd.Violations() == 0 {
		return false
	}
	sh.pr.Plain("%s", sh.wd.Summary())
	sh.pr.Warn("--strict: the server broke the rules of IMAP %d time(s) in this session: exit status 1", sh.wd.Violations())
	return true
}
