package repl

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// probeBody are probe's FETCHes after the existence question and
// whereis's items.
var probeBody = []string{
	"UID FETCH %d (BODYSTRUCTURE)",
	"UID FETCH %d (BODY)",
	"UID FETCH %d (BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])",
	"UID FETCH %d (BODY.PEEK[HEADER])",
	"UID FETCH %d (BODY.PEEK[TEXT])",
	"UID FETCH %d (BODY.PEEK[])",
	"UID FETCH %d (BODY.PEEK[]<0.4096>)",
}

func probeCommands(uid uint32, metaAlone ...string) []string {
	want := []string{fmt.Sprintf("UID FETCH %d (UID)", uid), fmt.Sprintf("UID FETCH %d (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)", uid)}
	for _, m := range metaAlone {
		want = append(want, fmt.Sprintf("UID FETCH %d (%s)", uid, m))
	}
	for _, c := range probeBody {
		want = append(want, fmt.Sprintf(c, uid))
	}
	return want
}

// TestProbePoisonKinder: the kinder Exchange gives everything but the
// content.
func TestProbePoisonKinder(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonWithholdBody}, "probe 15541\n")
	if r.Err != nil {
		t.Fatalf("Run = %v; probing a poison message is a success\n%s", r.Err, r.Out)
	}
	if got, want := sentAfterSelect(x), probeCommands(15541); !slices.Equal(got[:len(got)-1], want) {
		t.Errorf("sent\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantOut(t, r.Out,
		"# probe of UID 15541 in INBOX (UIDVALIDITY 14), sequence number 1045:",
		"UID FETCH 15541 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)  delivered\n",
		"UID FETCH 15541 (BODYSTRUCTURE)                                delivered\n",
		"UID FETCH 15541 (BODY.PEEK[])                                  withheld: the server said OK but sent no BODY[]\n",
		"UID FETCH 15541 (BODY.PEEK[]<0.4096>)                          withheld: the server said OK but sent no BODY[]<0>\n",
		"# verdict: a poison message: the server lists UID 15541 (message 1045) but does not deliver it (BODY[]: withheld: the server said OK but sent no BODY[]).",
		"# It gives FLAGS, RFC822.SIZE, INTERNALDATE, ENVELOPE, BODYSTRUCTURE and BODY; it withholds BODY[HEADER.FIELDS (FROM SUBJECT)], BODY[HEADER], BODY[TEXT], BODY[] and BODY[]<0>.",
		"# What to do next: `save 15541 FILE` keeps what can be had; `kill 15541` deletes this message alone, nothing else.")
}

// TestProbeSeed: the seed's server drops the whole response for the
// combined request, answers BODY (structure, not content), and answers the
// header fields with its own notice.
func TestProbeSeed(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonSeed}, "probe 15541\n")
	if r.Err != nil {
		t.Fatalf("Run = %v; probing a poison message is a success\n%s", r.Err, r.Out)
	}
	if got, want := sentAfterSelect(x), probeCommands(15541, "FLAGS", "RFC822.SIZE", "INTERNALDATE", "ENVELOPE"); !slices.Equal(got[:len(got)-1], want) {
		t.Errorf("sent\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantOut(t, r.Out,
		"UID FETCH 15541 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)  withheld: the server said OK but sent nothing for the message\n",
		"UID FETCH 15541 (FLAGS)                                        delivered\n",
		"UID FETCH 15541 (RFC822.SIZE)                                  withheld: the server said OK but sent no RFC822.SIZE\n",
		"UID FETCH 15541 (ENVELOPE)                                     withheld: the server said OK but sent no ENVELOPE\n",
		"UID FETCH 15541 (BODY)                                         delivered; the structure only: BODY without a section is not the content\n",
		`UID FETCH 15541 (BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])      server-made substitute (127 octets): it contains "retrieval using the imap4 protocol failed"; its From, "Microsoft Exchange Server 2010", is no mail address but the server's own name`,
		"# verdict: a poison message: the server lists UID 15541 (message 1045) but does not deliver it (BODY[]: withheld: the server said OK but sent no BODY[]).",
		"# It gives FLAGS, INTERNALDATE, BODYSTRUCTURE and BODY; it withholds RFC822.SIZE, ENVELOPE, BODY[HEADER], BODY[TEXT], BODY[] and BODY[]<0>.",
		"# For BODY[HEADER.FIELDS (FROM SUBJECT)] it sends content of its own making instead of the message's.",
		"# Asked for several items at once, it sends nothing for the message at all, not even its UID.")
	if strings.Contains(r.Out, "Retrieval using") {
		t.Errorf("probe printed the notice:\n%s", r.Out)
	}
}

func TestProbeSubstituteExchange(t *testing.T) {
	_, r := runExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonSubstituteBody}, "probe 15541\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out,
		`(BODY.PEEK[])                                  server-made substitute (`,
		`it contains "retrieval using the imap4 protocol failed"`,
		"where RFC822.SIZE says 4821",
		"# verdict: a poison message: the server lists UID 15541 (message 1045) but does not deliver it (BODY[]: server-made substitute")
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
		fmt.Sprintf("UID FETCH 15544 (BODY.PEEK[])                                  delivered (%d octets)", size),
		fmt.Sprintf("# [%d of %d octets of BODY[] counted by probe, not shown]", size, size),
		fmt.Sprintf("# verdict: delivered: BODY[] came whole (%d octets), the size RFC822.SIZE announces.", size))
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
		"# verdict: a poison message: the server lists UID 22 (message 14) but does not deliver it",
		"# sequence number 15 is UID 23; probe goes on by UID 23",
		"# verdict: delivered: BODY[] came whole (")
}
