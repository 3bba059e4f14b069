package repl

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// flagsOf returns the flags of every message of INBOX.
func flagsOf(x *imaptest.Exchange) map[uint32]string {
	m := map[uint32]string{}
	for _, u := range x.UIDs("INBOX") {
		m[u] = strings.Join(x.Flags("INBOX", u), " ")
	}
	return m
}

// unchanged fails unless INBOX has the same messages and flags.
func unchanged(t *testing.T, x *imaptest.Exchange, uids []uint32, flags map[uint32]string) {
	t.Helper()
	if got := x.UIDs("INBOX"); !slices.Equal(got, uids) {
		t.Errorf("INBOX changed: %d messages, was %d", len(got), len(uids))
	}
	for u, f := range flagsOf(x) {
		if f != flags[u] {
			t.Errorf("UID %d has flags %q, had %q", u, f, flags[u])
		}
	}
}

func noDestructive(t *testing.T, x *imaptest.Exchange) {
	t.Helper()
	for _, c := range sentAfterSelect(x) {
		if strings.Contains(c, "STORE") || strings.Contains(c, "EXPUNGE") {
			t.Errorf("sent %q", c)
		}
	}
}

func TestKillScriptNeedsYes(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{}, "kill 15541\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "# error: kill deletes a message for good; in a script it asks no question, so it needs --yes (kill --yes UID). Nothing was sent.")
	if got := sentAfterSelect(x); len(got) != 1 {
		t.Errorf("sent %q, want only LOGOUT", got)
	}
	if !slices.Contains(x.UIDs("INBOX"), imaptest.PoisonUID) {
		t.Error("the poison is gone")
	}
}

func TestKillReadOnly(t *testing.T) {
	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{})
	r := runScript(t, x.Addr, "tomas", "secret", "EXAMINE INBOX\nkill --yes 15541\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "# error: kill needs a mailbox selected read-write")
	noDestructive(t, x)
}

// TestKillRefusesOtherDeleted: without UIDPLUS, EXPUNGE would take the
// other \Deleted messages along, so kill refuses and changes nothing.
func TestKillRefusesOtherDeleted(t *testing.T) {
	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonWithholdBody})
	uids, flags := x.UIDs("INBOX"), flagsOf(x)
	r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nkill --yes 15541\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "# UID 15541 in INBOX (UIDVALIDITY 14) is sequence number 1045",
		"C: a007 UID SEARCH DELETED",
		"# error: kill: refused, nothing was changed.",
		"would also remove the 3 other messages already marked \\Deleted: UIDs 15500, 15553 and 15683.",
		"or pass --force")
	noDestructive(t, x)
	unchanged(t, x, uids, flags)
}

// TestKillForceExchange: the --force dance removes exactly the poison and
// leaves the other \Deleted messages marked and in place.
func TestKillForceExchange(t *testing.T) {
	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonWithholdBody})
	uids, flags := x.UIDs("INBOX"), flagsOf(x)
	r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nkill --yes --force 15541\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	want := []string{
		"UID FETCH 15541 (UID)",
		"UID FETCH 15541 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)",
		"UID SEARCH DELETED",
		`UID STORE 15500,15553,15683 -FLAGS.SILENT (\Deleted)`,
		`UID STORE 15541 +FLAGS.SILENT (\Deleted)`,
		"UID SEARCH DELETED",
		"UID FETCH 15541 (UID)",
		"EXPUNGE",
		`UID STORE 15500,15553,15683 +FLAGS.SILENT (\Deleted)`,
		"UID SEARCH DELETED",
		"UID SEARCH UID 15541",
		"LOGOUT",
	}
	if got := sentAfterSelect(x); !slices.Equal(got, want) {
		t.Errorf("sent\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	delete(flags, imaptest.PoisonUID)
	uids = slices.DeleteFunc(uids, func(u uint32) bool { return u == imaptest.PoisonUID })
	unchanged(t, x, uids, flags)
	for _, u := range imaptest.DefaultDeletedUIDs {
		if !slices.Contains(x.Flags("INBOX", u), `\Deleted`) {
			t.Errorf("UID %d lost \\Deleted", u)
		}
	}
	wantOut(t, r.Out,
		"risks: another client could mark a message \\Deleted between the check and the EXPUNGE",
		"S: * 1045 EXPUNGE",
		"# killed UID 15541 (it was sequence number 1045); the server expunged it and nothing else. INBOX now has 1233 messages.",
		"# \\Deleted is back on UIDs 15500, 15553 and 15683")
}

// TestKillExchangeNoOtherDeleted: nothing else is \Deleted, so a bare
// EXPUNGE is safe once the check confirms it.
func TestKillExchangeNoOtherDeleted(t *testing.T) {
	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{DeletedUIDs: []uint32{}, Poison: imaptest.PoisonWithholdBody})
	uids := x.UIDs("INBOX")
	r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nkill --yes #1045\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	want := []string{"FETCH 1045 (UID)", "UID FETCH 15541 (UID)", "UID FETCH 15541 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)", "UID SEARCH DELETED",
		`UID STORE 15541 +FLAGS.SILENT (\Deleted)`, "UID SEARCH DELETED", "UID FETCH 15541 (UID)", "EXPUNGE", "UID SEARCH UID 15541", "LOGOUT"}
	if got := sentAfterSelect(x); !slices.Equal(got, want) {
		t.Errorf("sent %q, want %q", got, want)
	}
	if got := x.UIDs("INBOX"); len(got) != len(uids)-1 || slices.Contains(got, imaptest.PoisonUID) {
		t.Errorf("INBOX has %d messages (was %d), poison there: %v", len(got), len(uids), slices.Contains(got, imaptest.PoisonUID))
	}
}

func TestKillExchangeUIDPlus(t *testing.T) {
	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{Capabilities: imaptest.ExchangeCapabilities + " UIDPLUS", Poison: imaptest.PoisonWithholdBody})
	r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nkill --yes 15541\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	want := []string{"UID FETCH 15541 (UID)", "UID FETCH 15541 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)",
		`UID STORE 15541 +FLAGS.SILENT (\Deleted)`, "UID SEARCH UID 15541 DELETED", "UID FETCH 15541 (UID)", "UID EXPUNGE 15541",
		"UID SEARCH UID 15541", "LOGOUT"}
	if got := sentAfterSelect(x); !slices.Equal(got, want) {
		t.Errorf("sent %q, want %q", got, want)
	}
	for _, u := range imaptest.DefaultDeletedUIDs {
		if x.Flags("INBOX", u) == nil {
			t.Errorf("UID %d is gone", u)
		}
	}
}

// searchResults returns the numbers of each "S: * SEARCH" line of out
// that answers a UID SEARCH DELETED or UID SEARCH ALL typed in the script.
func searchResults(out string) [][]string {
	var res [][]string
	typed := false
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "C: ") {
			typed = strings.HasSuffix(l, " UID SEARCH DELETED") || strings.HasSuffix(l, " UID SEARCH ALL")
		}
		if typed && strings.HasPrefix(l, "S: * SEARCH") {
			res = append(res, strings.Fields(strings.TrimPrefix(l, "S: * SEARCH")))
		}
	}
	return res
}

// TestKillDemo kills the poison of the demo's Poison mailbox, where three
// later messages are \Deleted.
func TestKillDemo(t *testing.T) {
	srv := startDemo(t)
	check := "UID SEARCH DELETED\nUID SEARCH ALL\n"
	r := runScript(t, srv.Addr, srv.User, srv.Password, "SELECT Poison\n"+check+"kill --yes 22\n"+check)
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	res := searchResults(r.Out)
	if len(res) != 4 {
		t.Fatalf("%d SEARCH results, want 4:\n%s", len(res), r.Out)
	}
	if len(res[0]) != 3 || !slices.Equal(res[0], res[2]) {
		t.Errorf("\\Deleted before %v, after %v; want the same 3", res[0], res[2])
	}
	if want := slices.DeleteFunc(slices.Clone(res[1]), func(s string) bool { return s == "22" }); len(want) != 20 || !slices.Equal(res[3], want) {
		t.Errorf("UIDs after = %v, want %v", res[3], want)
	}
	wantOut(t, r.Out, "C: a011 UID STORE 22 +FLAGS.SILENT (\\Deleted)", "C: a014 UID EXPUNGE 22", "S: * 14 EXPUNGE",
		"# killed UID 22 (it was sequence number 14); the server expunged it and nothing else. Poison now has 20 messages.")
}

// TestKillWrongExpunge: a bare EXPUNGE that removes more than the target
// is reported loudly, and kill fails; with UID EXPUNGE, which removes only
// the UID it names (RFC 4315), other EXPUNGEs are another client's; and a
// target still there after the EXPUNGE is a failure, whatever the server
// said.
func TestKillWrongExpunge(t *testing.T) {
	fetch7 := `* 5 FETCH (UID 7 FLAGS () RFC822.SIZE 10 INTERNALDATE "1-Jan-2020 00:00:00 +0000" ENVELOPE (NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL))`
	for _, tt := range []struct {
		caps    string
		expunge []string
		still   bool // UID SEARCH UID 7 still finds it
		fail    bool
		want    string
	}{
		{"IMAP4rev1", []string{"* 5 EXPUNGE", "* 5 EXPUNGE", "* 8 EXISTS"}, false, true,
			"# error: kill: THE EXPUNGE REMOVED MORE THAN UID 7 (sequence number 5): also sequence numbers 6 (as they were before). Either another client marked them \\Deleted after kill's check, or it expunged them at the same moment. INBOX now has 8 messages."},
		{"IMAP4rev1", []string{"* 4 EXPUNGE", "* 4 EXPUNGE", "* 8 EXISTS"}, false, true, "THE EXPUNGE REMOVED MORE THAN UID 7 (sequence number 5): also sequence numbers 4 (as they were before)"},
		{"IMAP4rev1", []string{"* 4 EXPUNGE", "* 5 EXPUNGE", "* 8 EXISTS"}, false, true, "also sequence numbers 4,6 (as they were before)"},
		{"IMAP4rev1 UIDPLUS", []string{"* 5 EXPUNGE", "* 5 EXPUNGE", "* 8 EXISTS"}, false, false,
			"# warning: the server also reported 1 other message expunged: sequence numbers 6 (as they were before). UID EXPUNGE removes only the UID it names (RFC 4315), so another client expunged them meanwhile."},
		{"IMAP4rev1 UIDPLUS", nil, true, true, "# error: kill: UID 7 IS STILL IN INBOX after the EXPUNGE the server answered OK"},
		{"IMAP4rev1 UIDPLUS", nil, false, false, "# warning: the server completed the expunge but did not report expunging UID 7 (sequence number 5): kill checks whether it is gone"},
	} {
		srv := scriptedServer(t, tt.caps, func(cmd string) []string {
			switch {
			case cmd == "UID FETCH 7 (UID)", strings.HasPrefix(cmd, "UID FETCH 7 (UID FLAGS"):
				return []string{fetch7, "TAG OK done"}
			case cmd == "UID SEARCH UID 7 DELETED", cmd == "UID SEARCH DELETED":
				return []string{"* SEARCH 7", "TAG OK done"}
			case cmd == "UID SEARCH UID 7" && tt.still:
				return []string{"* SEARCH 7", "TAG OK done"}
			case cmd == "UID EXPUNGE 7", cmd == "EXPUNGE":
				return append(slices.Clone(tt.expunge), "TAG OK done")
			}
			return nil
		})
		r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nkill --yes 7\n")
		if got := errors.Is(r.Err, ErrFailed); got != tt.fail {
			t.Errorf("Run = %v, want failure %v\n%s", r.Err, tt.fail, r.Out)
		}
		wantOut(t, r.Out, tt.want)
	}
}

// waitCount waits until the screen shows s n times.
func (tm *vterm) waitCount(s string, n int) {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Count(tm.out.String(), s) >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("screen never showed %q %d times; screen:\n%s", s, n, tm.out.String())
}

// sentOnScreen returns the "C: " lines of a terminal screen, where
// readline's redraws may come before them.
func sentOnScreen(screen string) string {
	var b strings.Builder
	for _, l := range strings.Split(screen, "\n") {
		if _, c, ok := strings.Cut(l, "C: "); ok {
			b.WriteString(c + "\n")
		}
	}
	return b.String()
}

// TestKillAsksAtTheTerminal: anything but "yes" sends nothing.
func TestKillAsksAtTheTerminal(t *testing.T) {
	srv := startDemo(t)
	tm := startTerm(t, srv.Addr, srv.User, srv.Password, "-")
	tm.waitFor("(no mailbox)> ")
	tm.typeKeys("select Poison\r")
	tm.waitFor("Poison rw 21> ")
	prompt := "kill UID 22 in Poison? type yes to confirm: "
	tm.typeKeys("kill 22\r")
	tm.waitCount(prompt, 1)
	tm.typeKeys("y\r")
	tm.waitFor("# kill cancelled: nothing was changed")
	if strings.Contains(sentOnScreen(tm.out.String()), "STORE") {
		t.Fatalf("kill sent a STORE before the confirmation:\n%s", tm.out.String())
	}
	tm.typeKeys("kill 22\r")
	tm.waitCount(prompt, 2)
	tm.typeKeys("yes\r")
	tm.waitFor("# killed UID 22 (it was sequence number 14)")
	tm.waitFor("Poison rw 20> ")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	sent := sentOnScreen(tm.out.String())
	for _, c := range []string{`UID STORE 22 +FLAGS.SILENT (\Deleted)`, "UID EXPUNGE 22"} {
		if n := strings.Count(sent, c); n != 1 {
			t.Errorf("%s sent %d times:\n%s", c, n, sent)
		}
	}
}

// TestKillOtherClientMarksMeanwhile: between kill's first look and the
// EXPUNGE another message turns up \Deleted; kill sends no EXPUNGE and
// takes its own mark off again.
func TestKillOtherClientMarksMeanwhile(t *testing.T) {
	var mu sync.Mutex
	var sent []string
	searches := 0
	srv := scriptedServer(t, "IMAP4rev1", func(cmd string) []string {
		mu.Lock()
		defer mu.Unlock()
		sent = append(sent, cmd)
		switch {
		case strings.HasPrefix(cmd, "UID FETCH 7 "):
			return []string{`* 5 FETCH (UID 7 FLAGS () RFC822.SIZE 10 INTERNALDATE "1-Jan-2020 00:00:00 +0000" ENVELOPE (NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL))`, "TAG OK done"}
		case cmd == "UID SEARCH DELETED":
			searches++
			if searches == 1 {
				return []string{"* SEARCH", "TAG OK done"}
			}
			return []string{"* SEARCH 7 9", "TAG OK done"}
		}
		return nil
	})
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nkill --yes 7\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "# error: kill: the \\Deleted messages are now UIDs 7 and 9, not UID 7 alone (another client?): no EXPUNGE sent")
	mu.Lock()
	defer mu.Unlock()
	want := []string{`UID STORE 7 +FLAGS.SILENT (\DELETED)`, "UID SEARCH DELETED", `UID STORE 7 -FLAGS.SILENT (\DELETED)`, "LOGOUT"}
	if got := sent[len(sent)-len(want):]; !slices.Equal(got, want) {
		t.Errorf("sent %q, want it to end %q", sent, want)
	}
	for _, c := range sent {
		if strings.Contains(c, "EXPUNGE") {
			t.Errorf("sent %q", c)
		}
	}
}
