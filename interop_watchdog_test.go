package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// TestInteropWatchdogLongSession: the protocol watchdog raises no false
// alarm in a long session against each server (--strict, so a violation
// would also fail the exit status): select, fetch, store, search,
// expunge, copy, and where the server offers them ESEARCH, MOVE, CONDSTORE
// and QRESYNC, with IDLE while a second connection appends, flags and
// expunges.
//
// COPY and MOVE go to a second mailbox, so that the first one's numbers
// change only by what the session and the second connection do.
func TestInteropWatchdogLongSession(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		box, box2 := s.mailbox(t), s.mailbox(t)
		code, out, stderr := s.session(t, fill(box, 8)+"CAPABILITY\n", "--strict")
		if code != 0 {
			t.Fatalf("setup: exit %d, stderr %q\n%s", code, stderr, out)
		}
		caps := out[strings.LastIndex(out, "S: * CAPABILITY"):]
		has := func(c string) bool { return regexp.MustCompile(` ` + c + `( |\n)`).MatchString(caps) }
		esearch, move, qresync := has("ESEARCH"), has("MOVE"), has("QRESYNC")

		other := s.client(t)
		if _, err := other.Select(box, nil).Wait(); err != nil {
			t.Fatal(err)
		}
		// The second connection asks NOOP before it names a message by
		// sequence number: imapsh's own EXPUNGEs change the numbers, and
		// Courier tells another session of them only then.
		flag := func(seq uint32, f imap.Flag) {
			t.Helper()
			if err := other.Noop().Wait(); err != nil {
				t.Fatal(err)
			}
			if err := other.Store(imap.SeqSetNum(seq), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{f}}, nil).Close(); err != nil {
				t.Fatal(err)
			}
		}
		expunge := func() {
			t.Helper()
			if err := other.Expunge().Close(); err != nil {
				t.Fatal(err)
			}
		}

		r := startLive(t, s.env(), append([]string{"--strict"}, s.loginArgs()...)...)
		r.send("SELECT "+box, "FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE)", `STORE 2:3 +FLAGS (\Deleted)`,
			"SEARCH DELETED", "UID SEARCH ALL")
		if esearch {
			r.send("SEARCH RETURN (MIN MAX COUNT) ALL")
		}
		r.send("EXPUNGE", "FETCH 1:* (UID FLAGS)", "IDLE")
		r.wait(`S: \+ ` + regexp.QuoteMeta(s.q.idleContinuation))
		// While imapsh idles: two messages arrive, one gets a flag, one goes.
		appendOther(t, other, box, "arrived during IDLE 1")
		r.wait(`S: \* 7 EXISTS`)
		appendOther(t, other, box, "arrived during IDLE 2")
		r.wait(`S: \* 8 EXISTS`)
		flag(1, imap.FlagFlagged)
		r.wait(`(?i)S: \* 1 FETCH \([^\n]*\\Flagged`)
		flag(2, imap.FlagDeleted)
		expunge()
		r.wait(`S: \* 2 EXPUNGE`)
		r.send("DONE", "FETCH 1:* (UID FLAGS)", "NOOP")
		r.wait(`C: a\d+ NOOP\n(?:S: \* [^\n]*\n)*S: a\d+ OK`)
		// A message arrives between commands; NOOP and a FETCH see it.
		appendOther(t, other, box, "arrived between commands")
		r.send("NOOP", "FETCH 1:* (UID)", `UID STORE 1:* +FLAGS (\Seen)`, "UID SEARCH UNSEEN",
			`UID STORE 1:2 +FLAGS (\Deleted)`, "UID EXPUNGE 1:2", "COPY 1:2 "+box2, "FETCH 1:* (UID)")
		if move {
			r.send("MOVE 1 "+box2, "FETCH 1:* (UID)")
		}
		if qresync {
			// Removals come as VANISHED.
			r.send("ENABLE QRESYNC", "SELECT "+box+" (CONDSTORE)", "FETCH 1:* (UID MODSEQ)", "IDLE")
			r.wait(`(?s)ENABLE QRESYNC.*S: \+ ` + regexp.QuoteMeta(s.q.idleContinuation))
			appendOther(t, other, box, "arrived during IDLE 3")
			r.wait(`EXISTS`)
			flag(1, imap.FlagDeleted)
			expunge()
			r.wait(`S: \* VANISHED`)
			r.send("DONE")
		}
		r.send(`UID STORE 7:9 +FLAGS (\Deleted)`, "EXPUNGE", "FETCH 1:* (UID)", "EXAMINE "+box, "CLOSE", "check")
		code, out = r.finish()
		if v := violationRe.FindAllString(out, -1); code != 0 || v != nil || !strings.Contains(out, "# protocol watchdog: no violation seen in this session") {
			t.Fatalf("%s: exit %d (want 0, no violation) %q\n%s", s.name, code, v, out)
		}
		want := []string{"EXPUNGE", "[COPYUID"}
		if esearch {
			want = append(want, "S: * ESEARCH")
		}
		if qresync {
			want = append(want, "S: * VANISHED")
		}
		wantAll(t, s, out, want...)
		t.Logf("%s: %d lines, ESEARCH %v, MOVE %v, QRESYNC %v, no violation", s.name, strings.Count(out, "\n"), esearch, move, qresync)
	})
}
