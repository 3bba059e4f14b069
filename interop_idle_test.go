package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// TestInteropIdle: imapsh idles while a second client appends, flags and
// expunges; each change is shown as it comes, and the watchdog (with
// --strict) finds nothing wrong in the session.
func TestInteropIdle(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		box := s.mailbox(t)
		if code, out, stderr := s.session(t, fill(box, 2)); code != 0 {
			t.Fatalf("setup: exit %d, stderr %q\n%s", code, stderr, out)
		}
		other := s.client(t)
		if _, err := other.Select(box, nil).Wait(); err != nil {
			t.Fatal(err)
		}

		r := startLive(t, s.env(), append([]string{"--strict"}, s.loginArgs()...)...)
		r.send("SELECT "+box, "FETCH 1:* (UID FLAGS)", "IDLE")
		r.wait(`S: \+ ` + regexp.QuoteMeta(s.q.idleContinuation))
		appendOther(t, other, box, "arrived during IDLE 1")
		r.wait(`S: \* 3 EXISTS`)
		appendOther(t, other, box, "arrived during IDLE 2")
		r.wait(`S: \* 4 EXISTS`)
		if err := other.Noop().Wait(); err != nil { // (see TestInteropWatchdogLongSession)
			t.Fatal(err)
		}
		if err := other.Store(imap.SeqSetNum(1), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagFlagged}}, nil).Close(); err != nil {
			t.Fatal(err)
		}
		r.wait(`(?i)S: \* 1 FETCH \([^\n]*\\Flagged`) // (flags are not case-sensitive)
		if err := other.Store(imap.SeqSetNum(2), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
			t.Fatal(err)
		}
		if err := other.Expunge().Close(); err != nil {
			t.Fatal(err)
		}
		r.wait(`S: \* 2 EXPUNGE`)
		r.send("DONE", "FETCH 1:* (UID FLAGS)", "NOOP")
		r.wait(`C: a\d+ NOOP\n(?:S: \* [^\n]*\n)*S: a\d+ OK`)
		// Between commands, a message arrives; the next NOOP shows it.
		appendOther(t, other, box, "arrived between commands")
		r.send("NOOP", "FETCH 1:* (UID)", "check")
		code, out := r.finish()
		if code != 0 || violationRe.MatchString(out) || !strings.Contains(out, "# protocol watchdog: no violation seen in this session") {
			t.Fatalf("%s: exit %d (want 0, no violation)\n%s", s.name, code, out)
		}
		if !regexp.MustCompile(`(?s)arrived between commands.*S: \* 4 EXISTS|S: \* 4 EXISTS`).MatchString(out[strings.LastIndex(out, "DONE"):]) {
			t.Errorf("%s: the message that came between commands was not announced:\n%s", s.name, out)
		}
		if !regexp.MustCompile(`S: \* 4 FETCH \(UID \d+\)`).MatchString(out) {
			t.Errorf("%s: the last FETCH does not show 4 messages:\n%s", s.name, out)
		}
		t.Logf("%s: %d lines, no violation", s.name, strings.Count(out, "\n"))
	})
}

// TestInteropQuirks checks that the differences the matrix's table
// records still hold, so that what the table documents stays true.
func TestInteropQuirks(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		box := s.mailbox(t)
		script := "SELECT " + box + "\n" +
			"APPEND " + box + " <<EOF\nSubject: one\n\n1\nEOF\n" +
			"NOOP\n" +
			"UID STORE 1 +FLAGS.SILENT (\\Seen)\n" +
			"a100 UID SEARCH UID 100:*\n"
		code, out, stderr := s.session(t, script)
		if code != 0 {
			t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
		}
		block := func(cmd string) string {
			i := strings.Index(out, "C: "+cmd)
			if i < 0 {
				t.Fatalf("transcript lacks %q:\n%s", cmd, out)
			}
			tag := strings.Fields(cmd)[0]
			j := strings.Index(out[i:], "\nS: "+tag+" ")
			if j < 0 {
				t.Fatalf("no completion of %q:\n%s", cmd, out)
			}
			return out[i : i+j]
		}
		tagOf := func(cmd string) string {
			m := regexp.MustCompile(`C: (a\d+) ` + regexp.QuoteMeta(cmd)).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("transcript lacks %q:\n%s", cmd, out)
			}
			return m[1] + " " + cmd
		}
		afterLogin := out[:strings.Index(out, "C: "+tagOf("SELECT "+box))]
		if ld := strings.Contains(afterLogin[strings.Index(afterLogin, "AUTHENTICATE"):], "LOGINDISABLED"); ld != s.q.loginDisabledAfterLogin {
			t.Errorf("%s: LOGINDISABLED in the capabilities after login: %v; the table says %v\n%s", s.name, ld, s.q.loginDisabledAfterLogin, out)
		}
		uidNext := strings.Contains(block(tagOf("SELECT "+box)), "[UIDNEXT ")
		if uidNext == s.q.noUIDNext {
			t.Errorf("%s: SELECT gives UIDNEXT: %v; the table says it gives none: %v\n%s", s.name, uidNext, s.q.noUIDNext, out)
		}
		appendAnnounced := strings.Contains(block(tagOf("APPEND "+box)), "S: * 1 EXISTS")
		if appendAnnounced == s.q.appendNeedsNOOP {
			t.Errorf("%s: APPEND to the selected mailbox announced at once: %v; the table says it needs a NOOP: %v\n%s", s.name, appendAnnounced, s.q.appendNeedsNOOP, out)
		}
		if !appendAnnounced && !strings.Contains(block(tagOf("NOOP")), "S: * 1 EXISTS") {
			t.Errorf("%s: the appended message is not announced by NOOP either:\n%s", s.name, out)
		}
		silentFetch := strings.Contains(block(tagOf(`UID STORE 1 +FLAGS.SILENT (\Seen)`)), "S: * 1 FETCH")
		if silentFetch != s.q.silentStoreFetch {
			t.Errorf("%s: .SILENT STORE answered with FETCH: %v; the table says %v\n%s", s.name, silentFetch, s.q.silentStoreFetch, out)
		}
		got := fmt.Sprint(uidList(t, out, "a100 UID SEARCH UID 100:*"))
		want := "[1]"
		if s.q.uidStarEmpty {
			want = "[]"
		}
		if got != want {
			t.Errorf("%s: UID SEARCH UID 100:* with UID 1 the highest: %s, the table says %s\n%s", s.name, got, want, out)
		}
		t.Logf("%s: UIDNEXT on SELECT %v, APPEND announced at once %v, .SILENT STORE answered with FETCH %v, UID SEARCH UID 100:* = %s",
			s.name, uidNext, appendAnnounced, silentFetch, got)
	})
}
