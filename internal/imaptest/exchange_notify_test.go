package imaptest

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// step is one command and the exact lines it must get.
type step struct {
	cmd  string
	want []string
}

// run sends each step with tag t<i> and compares; "%s" in want stands for
// the tag.
func run(t *testing.T, c *client, prefix string, steps []step) {
	t.Helper()
	for i, st := range steps {
		tag := fmt.Sprintf("%s%d", prefix, i)
		want := make([]string, len(st.want))
		for j, w := range st.want {
			want[j] = strings.ReplaceAll(w, "%s", tag)
		}
		equalLines(t, st.cmd, c.cmd(tag, st.cmd), want)
	}
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestExchangeNotifyDovecot(t *testing.T) {
	x, c := selected(t, ExchangeConfig{Notify: NotifyDovecot, DeletedUIDs: []uint32{}, Poison: PoisonWithholdBody}, "INBOX")
	seen := flagList(x.Flags("INBOX", 15523))
	mustNil(t, x.ExpungeByOther("INBOX", 15523)) // sequence number 1044
	if slices.Contains(x.UIDs("INBOX"), 15523) {
		t.Fatal("15523 still in INBOX")
	}
	run(t, c, "a", []step{
		{"FETCH 1044:1045 (UID FLAGS RFC822.SIZE)", []string{"* 1044 FETCH (UID 15523 FLAGS " + seen + " RFC822.SIZE 0)",
			"* 1045 FETCH (UID 15541 FLAGS () RFC822.SIZE 4821)", "%s OK [EXPUNGEISSUED] Some messages were already expunged"}},
		{"FETCH 1044 (INTERNALDATE ENVELOPE BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY[])", []string{
			`* 1044 FETCH (INTERNALDATE "01-Jan-1970 00:00:00 +0000" ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ` +
				"BODY[HEADER.FIELDS (SUBJECT)] NIL BODY[] NIL)", "%s OK [EXPUNGEISSUED] Some messages were already expunged"}},
		{`STORE 1044 +FLAGS (\Flagged)`, []string{`* 1044 FETCH (FLAGS (\Seen \Flagged))`, "%s OK STORE completed."}},
		{"SEARCH UID 15523", []string{"* SEARCH 1044", "%s OK SEARCH completed."}},
		{"UID SEARCH UID 15523:15541", []string{"* SEARCH 15523 15541", "%s OK SEARCH completed."}},
		{"UID FETCH 15541 (UID)", []string{"* 1045 FETCH (UID 15541)", "* 1044 EXPUNGE", "%s OK FETCH completed."}},
		{"FETCH 1044 (UID)", []string{"* 1044 FETCH (UID 15541)", "%s OK FETCH completed."}},
	})

	// Flags changed by another come after any command, FETCH included.
	mustNil(t, x.StoreByOther("INBOX", PoisonUID, "+FLAGS", `\Deleted`))
	run(t, c, "b", []step{
		{"FETCH 1 (UID)", []string{"* 1 FETCH (UID 15)", `* 1044 FETCH (FLAGS (\Deleted))`, "%s OK FETCH completed."}},
		{"NOOP", []string{"%s OK NOOP completed."}},
	})

	// New mail is announced after any command.
	uid, err := x.AppendByOther("INBOX", []byte("Subject: new\r\n\r\nnew\r\n"), `\Flagged`)
	if err != nil || uid != InboxUIDNext {
		t.Fatalf("AppendByOther = %d, %v", uid, err)
	}
	run(t, c, "c", []step{
		// Not yet announced, so not yet found.
		{"SEARCH FLAGGED UNSEEN", []string{"* SEARCH", "* 1234 EXISTS", "%s OK SEARCH completed."}},
		{"SEARCH FLAGGED UNSEEN", []string{"* SEARCH 1234", "%s OK SEARCH completed."}},
		{"FETCH * (UID FLAGS)", []string{`* 1234 FETCH (UID 16124 FLAGS (\Flagged))`, "%s OK FETCH completed."}},
	})

	// UID STORE, UID SEARCH without a set, NOOP, CHECK and COPY report.
	for i, st := range []step{
		{`UID STORE 15545 +FLAGS (\Seen)`, []string{`* 1046 FETCH (FLAGS (\Seen) UID 15545)`, "* 1101 EXPUNGE", "%s OK STORE completed."}},
		{"UID SEARCH DELETED", []string{"* SEARCH 15541", "* 1101 EXPUNGE", "%s OK SEARCH completed."}},
		{"NOOP", []string{"* 1101 EXPUNGE", "%s OK NOOP completed."}},
		{"CHECK", []string{"* 1101 EXPUNGE", "%s OK CHECK completed."}},
		{`COPY 1 "Deleted Items"`, []string{"* 1101 EXPUNGE", "%s OK COPY completed."}},
	} {
		uids := x.UIDs("INBOX")
		mustNil(t, x.ExpungeByOther("INBOX", uids[1100]))
		run(t, c, fmt.Sprintf("d%d.", i), []step{st})
	}

	// An own EXPUNGE reports another's expunge in the same descending run.
	uids := x.UIDs("INBOX")
	mustNil(t, x.ExpungeByOther("INBOX", uids[1099]))
	run(t, c, "e", []step{
		{`STORE 1044,1200 +FLAGS.SILENT (\Deleted)`, []string{"%s OK STORE completed."}},
		{"EXPUNGE", []string{"* 1200 EXPUNGE", "* 1100 EXPUNGE", "* 1044 EXPUNGE", "* 1226 EXISTS", "%s OK EXPUNGE completed."}},
	})

	// IDLE reports right after its "+".
	mustNil(t, x.ExpungeByOther("INBOX", x.UIDs("INBOX")[0]))
	c.send("f1 IDLE")
	equalLines(t, "idle", []string{c.line(), c.line()}, []string{"+ IDLE accepted, awaiting DONE command.", "* 1 EXPUNGE"})
	c.send("DONE")
	equalLines(t, "done", c.until("f1"), []string{"f1 OK IDLE completed."})
	if n := len(x.UIDs("INBOX")); n != 1225 {
		t.Errorf("INBOX has %d messages, want 1225", n)
	}
}

// TestExchangeNotifyDovecotSessions: another real session's STORE and
// EXPUNGE reach the first as Dovecot reports them.
func TestExchangeNotifyDovecotSessions(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{Notify: NotifyDovecot, DeletedUIDs: []uint32{}})
	a, b := exchangeSession(t, x), exchangeSession(t, x)
	a.cmd("s", "SELECT INBOX")
	b.cmd("s", "SELECT INBOX")
	run(t, b, "b", []step{
		{`UID STORE 15523 +FLAGS.SILENT (\Deleted)`, []string{"%s OK STORE completed."}},
		{"EXPUNGE", []string{"* 1044 EXPUNGE", "* 1233 EXISTS", "%s OK EXPUNGE completed."}},
	})
	run(t, a, "a", []step{
		{"FETCH 1044 (UID)", []string{"* 1044 FETCH (UID 15523)", `* 1044 FETCH (FLAGS (\Seen \Deleted))`,
			"%s OK [EXPUNGEISSUED] Some messages were already expunged"}},
		{"NOOP", []string{"* 1044 EXPUNGE", "%s OK NOOP completed."}},
	})
	// b appends; a hears EXISTS, b hears it in its APPEND response.
	msg := "Subject: x\r\n\r\nx\r\n"
	b.send(fmt.Sprintf("b2 APPEND INBOX {%d+}", len(msg)))
	b.nc.Write([]byte(msg + "\r\n"))
	equalLines(t, "own append", b.until("b2"), []string{"* 1234 EXISTS", "b2 OK APPEND completed."})
	run(t, a, "c", []step{
		{"UID FETCH 16124 (FLAGS)", []string{"* 1234 EXISTS", "%s OK FETCH completed."}},
		{"UID FETCH 16124 (FLAGS)", []string{"* 1234 FETCH (FLAGS () UID 16124)", "%s OK FETCH completed."}},
	})
}

// TestExchangeNotifySilent: by default another client's changes reach the
// session without a word, as before NotifyMode existed.
func TestExchangeNotifySilent(t *testing.T) {
	x, c := selected(t, ExchangeConfig{}, "INBOX")
	mustNil(t, x.ExpungeByOther("INBOX", 15523))
	mustNil(t, x.StoreByOther("INBOX", PoisonUID, "FLAGS", `\Flagged`))
	if _, err := x.AppendByOther("INBOX", []byte("Subject: y\r\n\r\ny\r\n")); err != nil {
		t.Fatal(err)
	}
	run(t, c, "a", []step{
		{"UID FETCH 15523:15541 (UID FLAGS)", []string{`* 1044 FETCH (UID 15541 FLAGS (\Flagged))`, "%s OK FETCH completed."}},
		{"NOOP", []string{"%s OK NOOP completed."}},
		{"FETCH * (UID)", []string{"* 1234 FETCH (UID 16124)", "%s OK FETCH completed."}},
	})
	// Two real sessions: the other's expunge shifts the numbers silently.
	b := exchangeSession(t, x)
	b.cmd("s", "SELECT INBOX")
	run(t, b, "b", []step{
		{`STORE 1 +FLAGS.SILENT (\Deleted)`, []string{"%s OK STORE completed."}},
		{"EXPUNGE", []string{"* 1099 EXPUNGE", "* 1047 EXPUNGE", "* 1040 EXPUNGE", "* 1 EXPUNGE", "* 1230 EXISTS", "%s OK EXPUNGE completed."}},
	})
	run(t, c, "c", []step{{"FETCH 1 (UID)", []string{"* 1 FETCH (UID 30)", "%s OK FETCH completed."}}})
}

func TestExchangeNotifyCourier(t *testing.T) {
	msg := "Subject: c\r\n\r\nc\r\n"
	appendMsg := func(c *client, tag string) []string {
		c.send(fmt.Sprintf("%s APPEND INBOX {%d+}", tag, len(msg)))
		c.nc.Write([]byte(msg + "\r\n"))
		return c.until(tag)
	}
	x, c := selected(t, ExchangeConfig{Notify: NotifyCourier, Capabilities: ExchangeCapabilities + " UIDPLUS"}, "INBOX")
	equalLines(t, "append", appendMsg(c, "a1"), []string{"a1 OK [APPENDUID 14 16124] APPEND completed."})
	run(t, c, "b", []step{
		{"UID FETCH 16124 (UID)", []string{"%s OK FETCH completed."}},
		{"UID SEARCH UID 16124", []string{"* SEARCH", "%s OK SEARCH completed."}},
		{"FETCH * (UID)", []string{"* 1234 FETCH (UID 15952)", "%s OK FETCH completed."}},
		{`UID STORE 16124 +FLAGS (\Deleted)`, []string{"%s OK STORE completed."}},
		{"UID EXPUNGE 16124", []string{"%s OK EXPUNGE completed."}},
		{"CHECK", []string{"%s OK CHECK completed."}},
		{"NOOP", []string{"* 1235 EXISTS", "%s OK NOOP completed."}},
		{"UID FETCH 16124 (UID FLAGS)", []string{"* 1235 FETCH (UID 16124 FLAGS ())", "%s OK FETCH completed."}},
	})
	// Another's expunge waits for NOOP or IDLE too.
	mustNil(t, x.ExpungeByOther("INBOX", 15523))
	equalLines(t, "append 2", appendMsg(c, "c1"), []string{"c1 OK [APPENDUID 14 16125] APPEND completed."})
	run(t, c, "d", []step{
		{"UID FETCH 15523 (UID)", []string{"* 1044 FETCH (UID 15523)", "%s OK [EXPUNGEISSUED] Some messages were already expunged"}},
		{"UID SEARCH UID 15523", []string{"* SEARCH 15523", "%s OK SEARCH completed."}},
	})
	c.send("e1 IDLE")
	equalLines(t, "idle", []string{c.line(), c.line(), c.line()}, []string{"+ IDLE accepted, awaiting DONE command.", "* 1044 EXPUNGE", "* 1235 EXISTS"})
	c.send("DONE")
	equalLines(t, "done", c.until("e1"), []string{"e1 OK IDLE completed."})

	// SELECT announces; without UIDPLUS there is no APPENDUID.
	_, c = selected(t, ExchangeConfig{Notify: NotifyCourier}, "INBOX")
	equalLines(t, "append 3", appendMsg(c, "f1"), []string{"f1 OK APPEND completed."})
	got := c.cmd("f2", "SELECT INBOX")
	if got[0] != "* 1235 EXISTS" {
		t.Errorf("SELECT after APPEND: %q", got)
	}
}

func TestExchangeSearchUIDStarStrict(t *testing.T) {
	for _, strict := range []bool{false, true} {
		x, c := selected(t, ExchangeConfig{SearchUIDStarStrict: strict}, "INBOX")
		from := "* SEARCH"
		for _, u := range x.UIDs("INBOX") {
			if u >= 15940 {
				from += fmt.Sprint(" ", u)
			}
		}
		above := "* SEARCH 15952"
		if strict {
			above = "* SEARCH"
		}
		run(t, c, "a", []step{
			{"UID SEARCH UID 20000:*", []string{above, "%s OK SEARCH completed."}},
			{"UID SEARCH UID *:20000", []string{above, "%s OK SEARCH completed."}},
			{"SEARCH UID 20000:*", []string{strings.Replace(above, "15952", "1234", 1), "%s OK SEARCH completed."}},
			{"UID SEARCH UID 15952:*", []string{"* SEARCH 15952", "%s OK SEARCH completed."}},
			{"UID SEARCH UID 15940:*", []string{from, "%s OK SEARCH completed."}},
			{"UID FETCH 20000:* (UID)", []string{"* 1234 FETCH (UID 15952)", "%s OK FETCH completed."}},
		})
	}
}

func TestExchangeIgnoreStoreDeleted(t *testing.T) {
	x, c := selected(t, ExchangeConfig{IgnoreStoreDeleted: true}, "INBOX")
	run(t, c, "a", []step{
		{`STORE 1045 +FLAGS (\Deleted)`, []string{"* 1045 FETCH (FLAGS ())", "%s OK STORE completed."}},
		{`UID STORE 15541 +FLAGS.SILENT (\Deleted \Seen)`, []string{"%s OK STORE completed."}},
		{`STORE 1040 FLAGS (\Answered)`, []string{`* 1040 FETCH (FLAGS (\Answered \Deleted))`, "%s OK STORE completed."}},
		{`STORE 1040 -FLAGS (\Deleted)`, []string{`* 1040 FETCH (FLAGS (\Answered \Deleted))`, "%s OK STORE completed."}},
		{"EXPUNGE", []string{"* 1100 EXPUNGE", "* 1048 EXPUNGE", "* 1040 EXPUNGE", "* 1231 EXISTS", "%s OK EXPUNGE completed."}},
	})
	if f := x.Flags("INBOX", PoisonUID); !slices.Equal(f, []string{`\Seen`}) {
		t.Errorf("poison flags %q, want only \\Seen", f)
	}
}

// TestExchangeBeforeCommand: the hook sees each command, can inject an
// unsolicited line at a chosen one, and can act as another client.
func TestExchangeBeforeCommand(t *testing.T) {
	var mu sync.Mutex
	var seen []Command
	stores := 0
	cfg := ExchangeConfig{Notify: NotifyDovecot, DeletedUIDs: []uint32{}}
	cfg.BeforeCommand = func(x *Exchange, c Command) []string {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, c)
		switch c.Name {
		case "UID STORE":
			stores++
			if stores == 2 {
				if err := x.SetUIDValidity("INBOX", 99); err != nil {
					t.Error(err)
				}
				return []string{"* OK [UIDVALIDITY 99] UIDVALIDITY changed"}
			}
		case "UID FETCH":
			// Another client expunges the message before 15541.
			if err := x.ExpungeByOther("INBOX", 15523); err != nil {
				t.Error(err)
			}
		}
		return nil
	}
	_, c := selected(t, cfg, "INBOX")
	run(t, c, "k", []step{
		{`UID STORE 15541 +FLAGS.SILENT (\Deleted)`, []string{"%s OK STORE completed."}},
		{`UID STORE 15541 +FLAGS.SILENT (\Deleted)`, []string{"* OK [UIDVALIDITY 99] UIDVALIDITY changed", "%s OK STORE completed."}},
		{"UID FETCH 15541 (UID FLAGS)", []string{`* 1045 FETCH (UID 15541 FLAGS (\Deleted))`, "* 1044 EXPUNGE", "%s OK FETCH completed."}},
		{"STATUS INBOX (UIDVALIDITY MESSAGES)", []string{"* STATUS INBOX (UIDVALIDITY 99 MESSAGES 1233)", "%s OK STATUS completed."}},
	})
	mu.Lock()
	defer mu.Unlock()
	want := Command{Session: 1, Index: 4, Tag: "k1", Name: "UID STORE", Args: `15541 +FLAGS.SILENT (\Deleted)`,
		Text: `k1 UID STORE 15541 +FLAGS.SILENT (\Deleted)`}
	if len(seen) != 6 || seen[3] != want || seen[0].Name != "LOGIN" || seen[1].Name != "SELECT" {
		t.Errorf("hook saw %+v", seen)
	}
}

func TestExchangeOtherClientErrors(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{})
	if err := x.ExpungeByOther("INBOX", 15541, 1); err == nil || !slices.Contains(x.UIDs("INBOX"), 15541) {
		t.Errorf("ExpungeByOther of a missing UID: %v, and 15541 must stay", err)
	}
	if err := x.ExpungeByOther("Nope", 1); err == nil {
		t.Error("ExpungeByOther of a missing mailbox")
	}
	if err := x.StoreByOther("INBOX", 15541, "FLAGS.SILENT", `\Seen`); err == nil {
		t.Error("StoreByOther with a bad item")
	}
	if _, err := x.AppendByOther("Nope", nil); err == nil {
		t.Error("AppendByOther to a missing mailbox")
	}
	if err := x.SetUIDValidity("Nope", 3); err == nil {
		t.Error("SetUIDValidity of a missing mailbox")
	}
}

// TestExchangeNotifyGhosts: UID STORE skips a message another expunged,
// COPY refuses it; under NotifyCourier an own COPY into the selected
// mailbox waits for NOOP like an APPEND.
func TestExchangeNotifyGhosts(t *testing.T) {
	x, c := selected(t, ExchangeConfig{Notify: NotifyDovecot, DeletedUIDs: []uint32{}}, "INBOX")
	mustNil(t, x.ExpungeByOther("INBOX", 15523))
	run(t, c, "a", []step{
		{`UID STORE 15523:15541 +FLAGS (\Flagged)`, []string{`* 1045 FETCH (FLAGS (\Flagged) UID 15541)`, "* 1044 EXPUNGE", "%s OK STORE completed."}},
	})
	mustNil(t, x.ExpungeByOther("INBOX", 15544))
	run(t, c, "b", []step{
		{`COPY 1044:1045 "Deleted Items"`, []string{"* 1045 EXPUNGE", "%s NO [EXPUNGEISSUED] Some of the requested messages no longer exist"}},
	})
	// COPY copied what was there: the poison, not the ghosts.
	if got := x.UIDs("Deleted Items"); len(got) != 3 || !bytes.Equal(x.Message("Deleted Items", got[2]), x.Message("INBOX", PoisonUID)) {
		t.Errorf("Deleted Items: %v", got)
	}

	x, c = selected(t, ExchangeConfig{Notify: NotifyCourier, Capabilities: ExchangeCapabilities + " UIDPLUS"}, "INBOX")
	run(t, c, "c", []step{
		{"COPY 1 INBOX", []string{"%s OK [COPYUID 14 15 16124] COPY completed."}},
		{"FETCH * UID", []string{"* 1234 FETCH (UID 15952)", "%s OK FETCH completed."}},
		{"NOOP", []string{"* 1235 EXISTS", "%s OK NOOP completed."}},
	})
	if n := len(x.UIDs("INBOX")); n != 1235 {
		t.Errorf("INBOX has %d messages", n)
	}
}
