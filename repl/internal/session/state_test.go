package session

import (
	"strings"
	"testing"

	"github.com/imapsh/imapsh/wire"
)

func untagged(st *State, line string) {
	st.apply(wire.ParseHead([]byte(line)), []byte(line))
}

func tagged(st *State, name, args, line string) {
	st.complete(name, args, wire.ParseHead([]byte(line)))
}

func selectBox(t *testing.T, st *State, box string, exists string) {
	t.Helper()
	st.begin("SELECT", box)
	untagged(st, "* "+exists+" EXISTS")
	untagged(st, "* OK [UIDVALIDITY 42] ok")
	tagged(st, "SELECT", box, "a1 OK [READ-WRITE] done")
	if s := st.Snapshot(); s.Conn != Selected || s.Mailbox != box {
		t.Fatalf("after SELECT %s: %+v", box, s)
	}
}

// A SELECT answered BAD was not carried out: the mailbox selected before
// stays selected, with its count. NO deselects (RFC 9051 6.3.2).
func TestSelectBadKeepsMailbox(t *testing.T) {
	st := NewState("h")
	selectBox(t, st, "INBOX", "7")
	st.begin("SELECT", "Entwürfe")
	tagged(st, "SELECT", "Entwürfe", "a2 BAD 8bit data in atom")
	if s := st.Snapshot(); s.Conn != Selected || s.Mailbox != "INBOX" || s.Exists != 7 || s.UIDValidity != 42 {
		t.Errorf("after SELECT BAD: %+v, want INBOX still selected with 7 messages", s)
	}
	st.begin("SELECT", "Nowhere")
	tagged(st, "SELECT", "Nowhere", "a3 NO no such mailbox")
	if s := st.Snapshot(); s.Conn != Authenticated || s.Mailbox != "" {
		t.Errorf("after SELECT NO: %+v, want no mailbox", s)
	}
}

// VANISHED (QRESYNC) lowers the count as EXPUNGE does; VANISHED (EARLIER)
// does not.
func TestVanishedCounts(t *testing.T) {
	st := NewState("h")
	selectBox(t, st, "INBOX", "10")
	untagged(st, "* VANISHED 3:5,9")
	if got := st.Snapshot().Exists; got != 6 {
		t.Errorf("after VANISHED 3:5,9: %d messages, want 6", got)
	}
	untagged(st, "* VANISHED (EARLIER) 1:2")
	if got := st.Snapshot().Exists; got != 6 {
		t.Errorf("after VANISHED (EARLIER): %d messages, want 6", got)
	}
	untagged(st, "* VANISHED 1:100")
	if got := st.Snapshot().Exists; got != 0 {
		t.Errorf("VANISHED of more than there are: %d, want 0", got)
	}
}

// A UIDVALIDITY beyond 32 bits is reported, never truncated to 4294967295.
func TestUIDValidityOutOfRange(t *testing.T) {
	st := NewState("h")
	selectBox(t, st, "INBOX", "1")
	untagged(st, "* OK [UIDVALIDITY 4294967296] too big")
	if got := st.Snapshot().UIDValidity; got != 42 {
		t.Errorf("UIDVALIDITY = %d, want the 42 from before kept", got)
	}
	if a := st.takeAnomalies(); len(a) != 1 {
		t.Errorf("anomalies %q, want one", a)
	}
}

// A number over 4294967295 in EXISTS, UIDVALIDITY or UIDNEXT is a protocol
// violation: the state ignores it, never keeps it truncated to
// 4294967295, and keeps the error.
func TestStateIgnoresNumbersOutOfRange(t *testing.T) {
	st := NewState("h")
	st.begin("SELECT", "INBOX")
	for _, line := range []string{
		"* 3 EXISTS", "* OK [UIDVALIDITY 17] x", "* OK [UIDNEXT 9] x",
		"* 4294967296 EXISTS", "* 18446744073709551619 EXPUNGE", "* OK [UIDVALIDITY 4294967296] x",
	} {
		st.apply(wire.ParseHead([]byte(line)), []byte(line))
	}
	if a := strings.Join(st.takeAnomalies(), "\n"); !strings.Contains(a, "4294967296") || !strings.Contains(a, "18446744073709551619") {
		t.Fatalf("anomalies %q, want both numbers named", a)
	}
	st.complete("SELECT", "INBOX", wire.ParseHead([]byte("a1 OK [UIDNEXT 99999999999] done")))
	snap := st.Snapshot()
	if snap.Exists != 3 || snap.UIDValidity != 17 || snap.UIDNext != 9 || snap.Conn != Selected {
		t.Fatalf("snapshot %+v, want 3 messages, UIDVALIDITY 17, UIDNEXT 9, selected", snap)
	}
	if a := strings.Join(st.takeAnomalies(), "\n"); !strings.Contains(a, "99999999999") {
		t.Fatalf("anomalies %q, want 99999999999 named", a)
	}
}
