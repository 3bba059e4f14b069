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
	// The server's refusal is the helper's failure.
	_, r := runExchange(t, imaptest.ExchangeConfig{}, "uids 1230:1240\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Errorf("uids beyond EXISTS: Run = %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "# error: FETCH 1230:1240 (UID): the server answered BAD")
}
