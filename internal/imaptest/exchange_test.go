package imaptest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

var seedSelect = []string{
	"* 1234 EXISTS",
	"* 0 RECENT",
	`* FLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent)`,
	`* OK [PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent)] Permanent flags`,
	"* OK [UNSEEN 1045] Is the first unseen message",
	"* OK [UIDVALIDITY 14] UIDVALIDITY value",
	"* OK [UIDNEXT 16124] The next unique identifier value",
}

// exchangeSession dials x, checks the greeting and logs in.
func exchangeSession(t *testing.T, x *Exchange) *client {
	t.Helper()
	c := dial(t, x.Addr)
	if l := c.line(); l != ExchangeGreeting {
		t.Fatalf("greeting %q", l)
	}
	equalLines(t, "login", c.cmd("a001", "login tomas secret"), []string{"a001 OK LOGIN completed."})
	return c
}

func TestExchangeSeedSession(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{})
	c := exchangeSession(t, x)
	equalLines(t, "select", c.cmd("a002", "select INBOX"), append(slices.Clone(seedSelect), "a002 OK [READ-WRITE] SELECT completed."))
	want := []string{}
	for i, u := range SeedUIDs {
		want = append(want, fmt.Sprintf("* %d FETCH (UID %d)", 1040+i, u))
	}
	equalLines(t, "a004", c.cmd("a004", "fetch 1040:1050 (uid)"), append(want, "a004 OK FETCH completed."))
	equalLines(t, "logout", c.cmd("a005", "logout"), []string{
		"* BYE Microsoft Exchange Server 2013 IMAP4 server signing off.", "a005 OK LOGOUT completed."})
	c.eof()
	equalLines(t, "Commands", x.Commands(), []string{"a001 login tomas secret", "a002 select INBOX", "a004 fetch 1040:1050 (uid)", "a005 logout"})
}

// TestExchangeKillSession replays the seed's killing session.
func TestExchangeKillSession(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{DeletedUIDs: []uint32{}})
	c := exchangeSession(t, x)
	c.cmd("a02", "select INBOX")
	steps := []struct {
		cmd  string
		want []string
	}{
		{"fetch 1045 (uid)", []string{"* 1045 FETCH (UID 15541)"}},
		{"uid fetch 15541 (uid flags)", []string{"* 1045 FETCH (UID 15541 FLAGS ())"}},
		{`store 1045 +flags (\Deleted)`, []string{`* 1045 FETCH (FLAGS (\Deleted))`}},
		{"fetch 1045 (uid)", []string{"* 1045 FETCH (UID 15541)"}},
		{"expunge", []string{"* 1045 EXPUNGE", "* 1233 EXISTS"}},
	}
	names := []string{"FETCH", "FETCH", "STORE", "FETCH", "EXPUNGE"}
	for i, s := range steps {
		tag := fmt.Sprintf("a%02d", i+3)
		equalLines(t, s.cmd, c.cmd(tag, s.cmd), append(s.want, tag+" OK "+names[i]+" completed."))
	}
	uids := append(slices.Clone(SeedUIDs[:5]), SeedUIDs[6:]...)
	uids = append(uids, 15585)
	var want []string
	for i, u := range uids {
		want = append(want, fmt.Sprintf("* %d FETCH (UID %d)", 1040+i, u))
	}
	equalLines(t, "a08", c.cmd("a08", "fetch 1040:1050 (uid)"), append(want, "a08 OK FETCH completed."))
	if got := x.UIDs("INBOX"); len(got) != 1233 || slices.Contains(got, PoisonUID) {
		t.Errorf("INBOX has %d messages, poison present: %v", len(got), slices.Contains(got, PoisonUID))
	}
}

func TestExchangeExpungeRemovesAllDeleted(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{})
	c := exchangeSession(t, x)
	c.cmd("a1", "SELECT inbox")
	equalLines(t, "search", c.cmd("a2", "UID SEARCH DELETED"), []string{"* SEARCH 15500 15553 15683", "a2 OK SEARCH completed."})
	c.cmd("a3", `STORE 1045 +FLAGS.SILENT (\Deleted)`)
	equalLines(t, "expunge", c.cmd("a4", "EXPUNGE"), []string{
		"* 1100 EXPUNGE", "* 1048 EXPUNGE", "* 1045 EXPUNGE", "* 1040 EXPUNGE", "* 1230 EXISTS", "a4 OK EXPUNGE completed."})
	equalLines(t, "renumbered", c.cmd("a5", "FETCH 1040:1041,1044:1045,* UID"), []string{
		"* 1040 FETCH (UID 15507)", "* 1041 FETCH (UID 15514)", "* 1044 FETCH (UID 15544)",
		"* 1045 FETCH (UID 15545)", "* 1230 FETCH (UID 15952)", "a5 OK FETCH completed."})
	equalLines(t, "none left", c.cmd("a6", "SEARCH DELETED"), []string{"* SEARCH", "a6 OK SEARCH completed."})
	uids := x.UIDs("INBOX")
	for _, u := range []uint32{15500, 15553, 15683, PoisonUID} {
		if slices.Contains(uids, u) {
			t.Errorf("UID %d survived EXPUNGE", u)
		}
	}
	if len(uids) != 1230 || !slices.IsSorted(uids) {
		t.Errorf("UIDs: %d, sorted %v", len(uids), slices.IsSorted(uids))
	}
	equalLines(t, "expunge again", c.cmd("a7", "EXPUNGE"), []string{"a7 OK EXPUNGE completed."})
}

func TestExchangeInboxNumbering(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{})
	uids := x.UIDs("INBOX")
	if len(uids) != InboxMessages || !slices.IsSorted(uids) || uids[len(uids)-1] >= InboxUIDNext {
		t.Fatalf("%d UIDs, last %d", len(uids), uids[len(uids)-1])
	}
	for i := 1; i < len(uids); i++ {
		if uids[i] <= uids[i-1] {
			t.Fatalf("UID %d at %d not increasing", uids[i], i+1)
		}
	}
	if !slices.Equal(uids[1039:1050], SeedUIDs) || uids[PoisonSeq-1] != PoisonUID {
		t.Errorf("seed UIDs misplaced: %v", uids[1039:1050])
	}
	if f := x.Flags("INBOX", PoisonUID); len(f) != 0 {
		t.Errorf("poison flags %q", f)
	}
	if f := x.Flags("INBOX", 15553); !slices.Equal(f, []string{`\Seen`, `\Deleted`}) {
		t.Errorf("15553 flags %q", f)
	}
	if x.Flags("INBOX", 1) != nil || x.UIDs("Nope") != nil || x.Message("INBOX", 2) != nil {
		t.Error("lookups of missing things should return nil")
	}
}

func TestExchangeStates(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{})
	c := dial(t, x.Addr)
	c.line()
	tests := []struct{ cmd, want string }{
		{"a1 SELECT INBOX", "a1 BAD User is not authenticated."},
		{"a2 FETCH 1 UID", "a2 BAD User is not authenticated."},
		{"a3 FROB", "a3 BAD Command Error. 10"},
		{"a4 NOOP", "a4 OK NOOP completed."},
		{"a5 LOGIN tomas wrong", "a5 NO LOGIN failed."},
		{`a6 LOGIN "tomas" "secret"`, "a6 OK LOGIN completed."},
		{"a7 LOGIN tomas secret", "a7 BAD Command received in Invalid state."},
		{"a8 FETCH 1 UID", "a8 BAD Command received in Invalid state."},
		{"a9 SELECT Nope", "a9 NO The requested item could not be found."},
		{"b1 SELECT INBOX", "b1 OK [READ-WRITE] SELECT completed."},
		{"b2 UID EXPUNGE 15500", "b2 BAD Command Argument Error. 11"},
		{"b3 FETCH 1235 UID", "b3 BAD Command Argument Error. 11"},
		{"b4 FETCH 1 (UID BOGUS)", "b4 BAD Command Argument Error. 11"},
		{"b5 FETCH 1 (UID", "b5 BAD Command Argument Error. 11"},
		{"b6 CHECK", "b6 OK CHECK completed."},
		{"b7 CLOSE", "b7 OK CLOSE completed."},
		{"b8 FETCH 1 UID", "b8 BAD Command received in Invalid state."},
	}
	for _, tc := range tests {
		tag, _, _ := strings.Cut(tc.cmd, " ")
		c.send(tc.cmd)
		got := c.until(tag)
		if got[len(got)-1] != tc.want {
			t.Errorf("%s: got %q, want %q", tc.cmd, got[len(got)-1], tc.want)
		}
	}
	// CLOSE expunged the \Deleted messages silently.
	if n := len(x.UIDs("INBOX")); n != InboxMessages-3 {
		t.Errorf("after CLOSE: %d messages", n)
	}
}

func TestExchangeLoginLiterals(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{})
	c := dial(t, x.Addr)
	c.line()
	c.send("a1 LOGIN {5}")
	if l := c.line(); l != "+ Ready for additional command text." {
		t.Fatalf("continuation %q", l)
	}
	c.send("tomas {6+}")
	c.send("secret")
	equalLines(t, "literal login", c.until("a1"), []string{"a1 OK LOGIN completed."})
	want := "a1 LOGIN {5}\r\ntomas {6+}\r\nsecret"
	if cmds := x.Commands(); len(cmds) != 1 || cmds[0] != want {
		t.Errorf("Commands %q, want %q", cmds, want)
	}
	equalLines(t, "capability", c.cmd("a2", "CAPABILITY"), []string{"* CAPABILITY " + ExchangeCapabilities, "a2 OK CAPABILITY completed."})
}

func TestExchangeAuthenticatePlain(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{User: "u", Password: "p"})
	c := dial(t, x.Addr)
	c.line()
	equalLines(t, "bad", c.cmd("a1", "AUTHENTICATE PLAIN AHUAbm9wZQ=="), []string{"a1 NO AUTHENTICATE failed."})
	equalLines(t, "ntlm", c.cmd("a2", "AUTHENTICATE NTLM"), []string{"a2 NO AUTHENTICATE failed."})
	c.send("a3 AUTHENTICATE PLAIN")
	if l := c.line(); l != "+ " {
		t.Fatalf("challenge %q", l)
	}
	c.send("*")
	equalLines(t, "cancel", c.until("a3"), []string{"a3 BAD Command Argument Error. 11"})
	c.send("a4 AUTHENTICATE PLAIN")
	c.line()
	c.send("AHUAcA==") // \0u\0p
	equalLines(t, "ok", c.until("a4"), []string{"a4 OK AUTHENTICATE completed."})
	c2 := dial(t, x.Addr)
	c2.line()
	equalLines(t, "initial response", c2.cmd("b1", "authenticate plain AHUAcA=="), []string{"b1 OK AUTHENTICATE completed."})
}

func TestExchangeListStatusNamespace(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{})
	c := exchangeSession(t, x)
	equalLines(t, "list *", c.cmd("a1", `LIST "" "*"`), []string{
		`* LIST (\Marked \HasNoChildren) "/" INBOX`,
		`* LIST (\HasChildren) "/" Calendar`,
		`* LIST (\HasNoChildren) "/" Calendar/Birthdays`,
		`* LIST (\HasNoChildren) "/" "Deleted Items"`,
		`* LIST (\HasNoChildren) "/" Drafts`,
		`* LIST (\HasNoChildren) "/" "Junk Email"`,
		`* LIST (\HasNoChildren) "/" "Sent Items"`,
		"a1 OK LIST completed."})
	if got := c.cmd("a2", `list "" %`); len(got) != 7 || slices.Contains(got, `* LIST (\HasNoChildren) "/" Calendar/Birthdays`) {
		t.Errorf("LIST %%: %q", got)
	}
	equalLines(t, "lsub inbox", c.cmd("a3", `LSUB "" inbox`), []string{`* LSUB (\Marked \HasNoChildren) "/" INBOX`, "a3 OK LSUB completed."})
	equalLines(t, "list empty", c.cmd("a4", `LIST "" ""`), []string{`* LIST (\Noselect \HasChildren) "/" ""`, "a4 OK LIST completed."})
	equalLines(t, "status", c.cmd("a5", `STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY)`), []string{
		"* STATUS INBOX (MESSAGES 1234 UIDNEXT 16124 UIDVALIDITY 14)", "a5 OK STATUS completed."})
	equalLines(t, "status sent", c.cmd("a6", `STATUS "Sent Items" (messages unseen)`), []string{
		`* STATUS "Sent Items" (MESSAGES 3 UNSEEN 0)`, "a6 OK STATUS completed."})
	equalLines(t, "namespace", c.cmd("a7", "NAMESPACE"), []string{`* NAMESPACE (("" "/")) NIL NIL`, "a7 OK NAMESPACE completed."})
	c.send("a8 IDLE")
	if l := c.line(); l != "+ IDLE accepted, awaiting DONE command." {
		t.Fatalf("idle %q", l)
	}
	c.send("DONE")
	equalLines(t, "idle", c.until("a8"), []string{"a8 OK IDLE completed."})
}

func TestExchangeBareLF(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{BareLF: true})
	c := dial(t, x.Addr)
	raw := func() string {
		l, err := c.r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if l := raw(); l != ExchangeGreeting+"\n" {
		t.Fatalf("greeting %q", l)
	}
	c.send("a1 LOGIN tomas secret")
	if l := raw(); l != "a1 OK LOGIN completed.\n" {
		t.Fatalf("login %q", l)
	}
	c.send("a2 EXAMINE INBOX")
	for l := raw(); !strings.HasPrefix(l, "a2 "); l = raw() {
		if strings.Contains(l, "\r") {
			t.Errorf("CR in %q", l)
		}
	}
	c.send("a3 FETCH 1 BODY[HEADER.FIELDS (SUBJECT)]")
	if l := raw(); !strings.HasSuffix(l, "}\n") {
		t.Errorf("literal announcement %q", l)
	}
}

func TestExchangeConcurrentSessions(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{})
	a, b := exchangeSession(t, x), exchangeSession(t, x)
	for _, c := range []*client{a, b} {
		c.send("s1 SELECT INBOX")
		c.send(`s2 STORE 1:20 +FLAGS.SILENT (\Flagged)`)
		c.send("s3 FETCH 1:* (UID FLAGS)")
	}
	for _, c := range []*client{a, b} {
		c.until("s1")
		c.until("s2")
		if got := c.until("s3"); len(got) != InboxMessages+1 {
			t.Errorf("FETCH 1:* returned %d lines", len(got))
		}
	}
	if f := x.Flags("INBOX", inboxUID(20)); !slices.Contains(f, `\Flagged`) {
		t.Errorf("flags %q", f)
	}
}
