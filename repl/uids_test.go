package repl

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// table returns the rows "seq UID" of a uids table in out.
func table(out string) [][2]uint32 {
	var rows [][2]uint32
	for _, l := range lines(out, "# ") {
		var seq, uid uint32
		var rest string
		if n, _ := fmt.Sscanf(l, "# %d %d%s", &seq, &uid, &rest); n == 2 {
			rows = append(rows, [2]uint32{seq, uid})
		}
	}
	return rows
}

// TestUidsSeed is the seed's "a004 fetch 1040:1050 (uid)".
func TestUidsSeed(t *testing.T) {
	_, r := runExchange(t, imaptest.ExchangeConfig{}, "uids 1040:1050\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "C: a005 FETCH 1040:1050 (UID)", "#      seq  UID", "# 11 messages of INBOX (UIDVALIDITY 14)")
	rows := table(r.Out)
	if len(rows) != len(imaptest.SeedUIDs) {
		t.Fatalf("got %d rows, want %d:\n%s", len(rows), len(imaptest.SeedUIDs), r.Out)
	}
	for i, row := range rows {
		if want := [2]uint32{uint32(1040 + i), imaptest.SeedUIDs[i]}; row != want {
			t.Errorf("row %d = %v, want %v", i, row, want)
		}
	}
}

func TestUidsMisuse(t *testing.T) {
	for _, script := range []string{"uids\n", "uids 5:x\n", "uids 1 2\n", "uids 0\n"} {
		x, r := runExchange(t, imaptest.ExchangeConfig{}, script)
		if !errors.Is(r.Err, ErrFailed) || !strings.Contains(r.Out, "# error: ") {
			t.Errorf("%q: Run = %v, want a line error\n%s", script, r.Err, r.Out)
		}
		if got := sentAfterSelect(x); len(got) != 1 {
			t.Errorf("%q: sent %q, want only LOGOUT", script, got)
		}
	}
}

// TestUidsBeyondCount: a number past the message count is explained before
// anything is sent, instead of passing on the server's BAD; most often it
// is a UID typed where a sequence number belongs.
func TestUidsBeyondCount(t *testing.T) {
	for _, tt := range []struct{ script, want string }{
		{"uids 15541\n", "# error: uids takes sequence numbers, and INBOX has 1234 messages, so there is no message 15541; did you mean `whereis 15541` (the message with UID 15541)?"},
		{"uids 1230:1240\n", "# error: uids takes sequence numbers, and INBOX has 1234 messages: 1240 in 1230:1240 is beyond the last (write * for the last message; `whereis UID` finds a message by UID)"},
		{"uids #1,#15541\n", "1234 messages: 15541 in #1,#15541 is beyond the last"},
	} {
		x, r := runExchange(t, imaptest.ExchangeConfig{}, tt.script)
		if !errors.Is(r.Err, ErrFailed) {
			t.Errorf("%q: Run = %v, want ErrFailed\n%s", tt.script, r.Err, r.Out)
		}
		wantOut(t, r.Out, tt.want)
		if got := sentAfterSelect(x); len(got) != 1 {
			t.Errorf("%q: sent %q, want only LOGOUT", tt.script, got)
		}
	}
}

// TestUidsSeqMarks: #1040:#1050 is the same set, and one row is "1
// message".
func TestUidsSeqMarks(t *testing.T) {
	_, r := runExchange(t, imaptest.ExchangeConfig{}, "uids #1040:#1042\nuids #1045\nuids 1233:*\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "C: a005 FETCH 1040:1042 (UID)", "# 3 messages of INBOX (UIDVALIDITY 14)",
		"C: a006 FETCH 1045 (UID)", "#     1045  15541\n# 1 message of INBOX (UIDVALIDITY 14)",
		"C: a007 FETCH 1233:* (UID)")
}
