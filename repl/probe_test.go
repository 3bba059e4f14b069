package repl

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

var probeCommands = []string{
	"UID FETCH %d (UID RFC822.SIZE)",
	"UID FETCH %d (BODYSTRUCTURE)",
	"UID FETCH %d (BODY.PEEK[HEADER])",
	"UID FETCH %d (BODY.PEEK[TEXT])",
	"UID FETCH %d (BODY.PEEK[])",
	"UID FETCH %d (BODY.PEEK[]<0.4096>)",
}

func TestProbePoisonExchange(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{}, "probe 15541\n")
	if r.Err != nil {
		t.Fatalf("Run = %v; probing a poison message is a success\n%s", r.Err, r.Out)
	}
	var want []string
	for _, c := range probeCommands {
		want = append(want, fmt.Sprintf(c, 15541))
	}
	if got := sentAfterSelect(x); !slices.Equal(got[:len(got)-1], want) {
		t.Errorf("sent %q, want %q", got, want)
	}
	wantOut(t, r.Out,
		"# probe of UID 15541 in INBOX (UIDVALIDITY 14), sequence number 1045:",
		"UID FETCH 15541 (UID RFC822.SIZE)      delivered: RFC822.SIZE 4821",
		"UID FETCH 15541 (BODYSTRUCTURE)        delivered",
		"UID FETCH 15541 (BODY.PEEK[])          no data: the server said OK but sent no BODY[]",
		"UID FETCH 15541 (BODY.PEEK[]<0.4096>)  no data: the server said OK but sent no BODY[]<0>",
		"# verdict: listed but not deliverable: this is a poison message",
		"`save 15541 FILE` keeps what can be had; `kill 15541` deletes this message alone")
}

func TestProbeSubstituteExchange(t *testing.T) {
	_, r := runExchange(t, imaptest.ExchangeConfig{PoisonSubstitute: true}, "probe 15541\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out,
		`(BODY.PEEK[])          server-made substitute (`,
		`it contains "retrieval using the imap4 protocol failed"`,
		"# verdict: listed but not deliverable: this is a poison message (BODY[]: server-made substitute")
	// Counted, not shown.
	if strings.Contains(r.Out, "Outlook Web App") {
		t.Errorf("probe printed the body:\n%s", r.Out)
	}
}

func TestProbeDeliverableExchange(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{}, "probe 15544\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	size := len(x.Message("INBOX", 15544))
	wantOut(t, r.Out,
		fmt.Sprintf("UID FETCH 15544 (BODY.PEEK[])          delivered (%d octets)", size),
		fmt.Sprintf("# [%d of %d octets of BODY[] counted by probe, not shown]", size, size),
		"# verdict: deliverable: every part came")
	if strings.Contains(r.Out, "Line 1 of message 15544") {
		t.Errorf("probe printed the body:\n%s", r.Out)
	}
}

func TestProbeMissing(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{}, "probe 1045\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "# error: no message with UID 1045 in INBOX", "# verdict: not in this mailbox")
	for _, c := range sentAfterSelect(x) {
		if strings.Contains(c, "BODY") {
			t.Errorf("probe of a missing UID went on with %q", c)
		}
	}
}

func TestProbeDemo(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "SELECT Poison\nprobe 22\nprobe #15\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out,
		"# probe of UID 22 in Poison (UIDVALIDITY 7), sequence number 14:",
		"# verdict: listed but not deliverable: this is a poison message",
		"# sequence number 15 is UID 23; probe goes on by UID 23",
		"# verdict: deliverable: every part came")
}
