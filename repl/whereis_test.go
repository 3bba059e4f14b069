package repl

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// runExchange runs script in script mode against a new Exchange fake,
// after SELECT INBOX.
func runExchange(t *testing.T, cfg imaptest.ExchangeConfig, script string) (*imaptest.Exchange, scriptRun) {
	t.Helper()
	x := imaptest.NewExchange(t, cfg)
	return x, runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\n"+script)
}

// wantOut fails the test unless out contains every one of wants.
func wantOut(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// sentNames returns the commands the Exchange fake received after SELECT,
// without tags.
func sentAfterSelect(x *imaptest.Exchange) []string {
	var out []string
	seen := false
	for _, c := range x.Commands() {
		_, text, _ := strings.Cut(c, " ")
		if seen {
			out = append(out, text)
		}
		seen = seen || strings.HasPrefix(strings.ToUpper(text), "SELECT")
	}
	return out
}

// TestWhereisExchange: the kinder Exchange gives every item whereis asks.
func TestWhereisExchange(t *testing.T) {
	_, r := runExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonWithholdBody}, "whereis 15541\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out,
		"C: a005 UID FETCH 15541 (UID)",
		"C: a006 UID FETCH 15541 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)",
		"# UID 15541 in INBOX (UIDVALIDITY 14) is sequence number 1045",
		"#   flags     (none)",
		"#   size      4821 octets (RFC822.SIZE)",
		"#   arrived   19-Jan-2016 14:02:19 +0100 (INTERNALDATE)",
		"#   From      Kursexpedition <kursexp@kth.example>",
		"#   Subject   Schemaändring vecka 4",
		"#   Date      Tue, 19 Jan 2016 14:02:11 +0100")
}

// nearest returns the UIDs either side of uid in uids (0 for none).
func nearest(uids []uint32, uid uint32) (below, above uint32) {
	for _, u := range uids {
		if u < uid {
			below = max(below, u)
		}
		if u > uid && (above == 0 || u < above) {
			above = u
		}
	}
	return below, above
}

// TestWhereisMissingUID is the seed's confusion: 1045 is a sequence
// number, not a UID.
func TestWhereisMissingUID(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{}, "whereis 1045\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	uids := x.UIDs("INBOX")
	if slices.Contains(uids, 1045) {
		t.Fatal("the fake has a UID 1045; the test needs another number")
	}
	below, above := nearest(uids, 1045)
	wantOut(t, r.Out,
		fmt.Sprintf("# error: no message with UID 1045 in INBOX (UIDVALIDITY 14). The nearest UIDs are %d below and %d above.", below, above),
		"# Sequence number 1045 is UID 15541: write #1045 to mean it.")
	for _, c := range sentAfterSelect(x) {
		if strings.Contains(c, "STORE") || strings.Contains(c, "EXPUNGE") {
			t.Errorf("whereis sent %q", c)
		}
	}
}

func TestWhereisBeyondLastUID(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{}, "whereis 99999\nNOOP\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	uids := x.UIDs("INBOX")
	wantOut(t, r.Out,
		fmt.Sprintf("no message with UID 99999 in INBOX (UIDVALIDITY 14). The nearest UID is %d, below; there is none above.", uids[len(uids)-1]),
		"S: a009 OK NOOP") // the session goes on
	// Above UIDNEXT: a NOOP first, then the cheapest questions; and not a
	// listing of the whole mailbox: the largest UID is "*".
	want := []string{"NOOP", "UID FETCH 99999 (UID)", "UID SEARCH UID 99999", "UID SEARCH UID *", "NOOP", "LOGOUT"}
	if got := sentAfterSelect(x); !slices.Equal(got, want) {
		t.Errorf("sent %q, want %q", got, want)
	}
}

func TestWhereisSequenceNumber(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonWithholdBody}, "whereis #1045\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "C: a005 FETCH 1045 (UID)",
		"# sequence number 1045 is UID 15541; whereis goes on by UID 15541",
		"C: a007 UID FETCH 15541 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)",
		"# UID 15541 in INBOX (UIDVALIDITY 14) is sequence number 1045")
	if got := sentAfterSelect(x); len(got) != 4 {
		t.Errorf("sent %q, want FETCH, UID FETCH (UID), UID FETCH, LOGOUT", got)
	}
}

func TestWhereisSequenceNumberBeyondExists(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{}, "whereis #5000\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "there is no sequence number 5000: INBOX has 1234 messages")
	if got := sentAfterSelect(x); len(got) != 1 {
		t.Errorf("sent %q, want only LOGOUT", got)
	}
}

func TestWhereisMisuse(t *testing.T) {
	for _, script := range []string{"whereis\n", "whereis 1040:1050\n", "whereis abc\n", "whereis 1 2\n"} {
		x, r := runExchange(t, imaptest.ExchangeConfig{}, script)
		if !errors.Is(r.Err, ErrFailed) || !strings.Contains(r.Out, "# error: ") {
			t.Errorf("%q: Run = %v, want a line error\n%s", script, r.Err, r.Out)
		}
		if got := sentAfterSelect(x); len(got) != 1 {
			t.Errorf("%q: sent %q, want only LOGOUT", script, got)
		}
	}
	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{})
	r := runScript(t, x.Addr, "tomas", "secret", "whereis 15541\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Errorf("whereis without a mailbox: Run = %v", r.Err)
	}
	wantOut(t, r.Out, "whereis works on the selected mailbox, and none is selected: SELECT one first")
}

// TestWhereisDemoMissing runs against an IMAP4rev2 server, which answers
// the nearest-UID searches with ESEARCH.
func TestWhereisDemoMissing(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "SELECT Poison\nwhereis 21\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed (exit status 1)\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out,
		"C: a003 UID FETCH 21 (UID)",
		"C: a004 UID SEARCH UID 21",
		"C: a005 NOOP",
		"C: a006 UID FETCH 21 (UID)",
		"C: a008 UID SEARCH RETURN (MAX) UID 1:20",
		"S: * ESEARCH (TAG \"a008\") UID MAX 20",
		"# error: no message with UID 21 in Poison (UIDVALIDITY 7). The nearest UIDs are 20 below and 22 above.",
		"# Sequence number 21 is UID 32: write #21 to mean it.")
	r = runScript(t, srv.Addr, srv.User, srv.Password, "SELECT Poison\nwhereis 22\n")
	if r.Err != nil {
		t.Fatalf("whereis 22: %v\n%s", r.Err, r.Out)
	}
	// The demo's Poison mailbox behaves as the seed's server: the size and
	// envelope of its poison message are withheld, whereis says so.
	wantOut(t, r.Out, "# UID 22 in Poison (UIDVALIDITY 7) is sequence number 14",
		"#   envelope  withheld: the server said OK but sent no ENVELOPE",
		"# UID 22 is message 14, but the server withholds its size and envelope: a message the server lists but cannot deliver (a poison message). `probe 22` shows which parts fail.")
}
