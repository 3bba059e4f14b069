package demo

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// The sandbox is made for lessons: these tests pin what a learner sees.

func TestFlagsCanonicalAndOrdered(t *testing.T) {
	s := start(t)
	rc := dialRaw(t, s)
	rc.login("INBOX")
	sel := strings.Join(rc.ok("s", "SELECT INBOX"), "")
	for _, want := range []string{`* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)`, `[PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)]`} {
		if !strings.Contains(sel, want) {
			t.Errorf("SELECT lacks %s:\n%s", want, sel)
		}
	}
	// Typed in any case, shown canonical, in a fixed order: system flags
	// first (Dovecot's order), then keywords as first set.
	got := rc.ok("a", `STORE 2 +FLAGS (\SEEN zebra \deleted Apple)`)
	want := []string{
		"* 2 FETCH (FLAGS (\\Answered \\Deleted \\Seen zebra Apple))\r\n",
		"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft zebra Apple)\r\n",
		"a OK STORE completed\r\n",
	}
	equalResponses(t, "STORE", got, want)
	// A keyword matches in any case; unknown system flags and \Recent are
	// refused with the flags that exist.
	equalResponses(t, "SEARCH KEYWORD", rc.ok("b", "SEARCH KEYWORD APPLE"), []string{"* SEARCH 2\r\n", "b OK SEARCH completed\r\n"})
	for _, flag := range []string{`\Important`, `\Recent`} {
		got := rc.do("c", "STORE 1 +FLAGS ("+flag+")")
		if len(got) != 1 || !strings.HasPrefix(got[0], "c BAD "+flag) {
			t.Errorf("STORE %s = %q, want a BAD that names it", flag, got)
		}
	}
}

func TestNoDataNobodyAskedFor(t *testing.T) {
	s := start(t)
	rc := dialRaw(t, s)
	rc.login("INBOX")
	steps := []struct{ cmd, want string }{
		{"FETCH 3 FLAGS", "* 3 FETCH (FLAGS (\\Seen))\r\n"},
		{"FETCH 3 (UID)", "* 3 FETCH (UID 7)\r\n"},
		{"UID FETCH 7 FLAGS", "* 3 FETCH (UID 7 FLAGS (\\Seen))\r\n"},
		{`STORE 3 -FLAGS (\Seen)`, "* 3 FETCH (FLAGS ())\r\n"},
		{`UID STORE 7 +FLAGS (\Seen)`, "* 3 FETCH (UID 7 FLAGS (\\Seen))\r\n"},
		{"FETCH 3 RFC822.SIZE", "* 3 FETCH (RFC822.SIZE "},
	}
	for i, st := range steps {
		tag := fmt.Sprintf("t%d", i)
		got := rc.ok(tag, st.cmd)
		if len(got) != 2 || !strings.HasPrefix(got[0], st.want) {
			t.Errorf("%s = %q, want %q first", st.cmd, got, st.want)
		}
	}
	// Reading BODY[] sets \Seen, and the response says so.
	got := rc.ok("u", "FETCH 5 BODY[HEADER.FIELDS (SUBJECT)]")
	if !strings.HasPrefix(got[0], "* 5 FETCH (FLAGS (\\Seen) BODY[HEADER.FIELDS") {
		t.Errorf("FETCH BODY[...] of an unseen message = %q, want FLAGS (\\Seen) first", got[0])
	}
}

func TestInboxSequenceNumbersAreNotUIDs(t *testing.T) {
	s := start(t)
	rc := dialRaw(t, s)
	rc.login("INBOX")
	got := rc.ok("f", "FETCH 1:* (UID)")
	var uids []string
	for _, l := range got[:len(got)-1] {
		var seq, uid int
		if _, err := fmt.Sscanf(l, "* %d FETCH (UID %d)", &seq, &uid); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		uids = append(uids, fmt.Sprint(uid))
	}
	if want := "4 5 7 8 9 12 13 15 16 17 21 22"; strings.Join(uids, " ") != want {
		t.Errorf("INBOX UIDs = %s, want %s", strings.Join(uids, " "), want)
	}
	st := strings.Join(rc.ok("g", "STATUS INBOX (UIDNEXT MESSAGES)"), "")
	if !strings.Contains(st, "UIDNEXT 23") || !strings.Contains(st, "MESSAGES 12") {
		t.Errorf("STATUS INBOX: %q", st)
	}
}

func TestModifiedUTF7Mailbox(t *testing.T) {
	s := start(t)
	rc := dialRaw(t, s)
	rc.login("")
	list := strings.Join(rc.ok("l", `LIST "" "Entw*"`), "")
	if !strings.Contains(list, `* LIST (\HasNoChildren \Drafts) "/" "Entw&APw-rfe"`) {
		t.Errorf("LIST Entw*: %q", list)
	}
	sel := strings.Join(rc.ok("s", `SELECT "Entw&APw-rfe"`), "")
	if !strings.Contains(sel, "* 1 EXISTS") {
		t.Errorf("SELECT Entw&APw-rfe: %q", sel)
	}
	if got := rc.ok("f", "FETCH 1 FLAGS"); got[0] != "* 1 FETCH (FLAGS (\\Draft))\r\n" {
		t.Errorf("FETCH 1 FLAGS in Entwürfe = %q", got[0])
	}
	// The name in UTF-8 is not IMAP4rev1: BAD, with the name to write.
	hint := `an IMAP4rev1 command line is ASCII outside literals, and a mailbox name like Entwürfe is written "Entw&APw-rfe" (modified UTF-7, RFC 3501 section 5.1.3)`
	equalResponses(t, "SELECT Entwürfe", rc.do("b1", "SELECT Entwürfe"), []string{"b1 BAD 8-bit octets in an atom: " + hint + "\r\n"})
	equalResponses(t, `SELECT "Entwürfe"`, rc.do("b2", `SELECT "Entwürfe"`),
		[]string{"b2 BAD 8-bit octets in a quoted string before ENABLE UTF8=ACCEPT (or ENABLE IMAP4rev2): " + hint + "\r\n"})
	// A refused line's {N+} literal is dropped with it.
	rc.send("b3 APPEND Entwürfe {5+}\r\nhello\r\nb4 NOOP\r\n")
	if got := rc.until("b4"); len(got) != 2 || !strings.HasPrefix(got[0], "b3 BAD 8-bit") || got[1] != "b4 OK NOOP completed\r\n" {
		t.Errorf("APPEND Entwürfe {5+}: %q", got)
	}
	// Once UTF-8 is enabled, a quoted UTF-8 name is right.
	rc.ok("u", "ENABLE UTF8=ACCEPT")
	if sel := strings.Join(rc.ok("b5", `SELECT "Entwürfe"`), ""); !strings.Contains(sel, "* 1 EXISTS") {
		t.Errorf(`SELECT "Entwürfe" after ENABLE UTF8=ACCEPT: %q`, sel)
	}
}

func TestEncodeMailbox(t *testing.T) {
	for in, want := range map[string]string{
		"INBOX": "INBOX", "Entwürfe": "Entw&APw-rfe", "A&B": "A&-B", "Old Mail": "Old Mail",
		"日本語": "&ZeVnLIqe-", "Straße/Köln": "Stra&AN8-e/K&APY-ln", "€": "&IKw-", "😀": "&2D3eAA-",
	} {
		if got := encodeMailbox(in); got != want {
			t.Errorf("encodeMailbox(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAppendOneOctetShort replays the seed: a hand-counted {88} for 89
// octets leaves "!" as the rest of the command. The sandbox answers BAD,
// stores nothing and goes on.
func TestAppendOneOctetShort(t *testing.T) {
	s := start(t)
	rc := dialRaw(t, s)
	rc.login("")
	msg := "Subject: Send the weekly report\r\n\r\nRemember to send the weekly report to THE BOSS TODAY!!"
	if len(msg) != 89 {
		t.Fatalf("the seed's message is %d octets, want 89", len(msg))
	}
	rc.send("a1 APPEND Sent {88}\r\n")
	if got := rc.response(); !strings.HasPrefix(got, "+ ") {
		t.Fatalf("APPEND {88}: %q, want a continuation request", got)
	}
	rc.send(msg + "\r\n")
	got := rc.until("a1")
	want := `a1 BAD only CRLF may follow the message literal, and "!" came: nothing was stored (if that octet is the end of the message, the literal is 1 short: the text needs {89})` + "\r\n"
	equalResponses(t, "APPEND {88}", got, []string{want})
	if st := strings.Join(rc.ok("a2", "STATUS Sent (MESSAGES)"), ""); !strings.Contains(st, "MESSAGES 3") {
		t.Errorf("after the refused APPEND: %q, want 3 messages still", st)
	}

	// The counted literal goes through; then a second message on the same
	// line (MULTIAPPEND, not offered) is refused, with its own literal
	// dropped, and the next command is answered.
	rc.send("a3 APPEND Sent {89+}\r\n" + msg + "\r\n")
	if got := rc.until("a3"); !strings.HasPrefix(got[len(got)-1], "a3 OK [APPENDUID 3 4]") {
		t.Errorf("APPEND {89+}: %q", got)
	}
	rc.send("a4 APPEND Sent {2+}\r\nhi (\\Seen) {3+}\r\nabc\r\na5 NOOP\r\n")
	got = rc.until("a5")
	if len(got) != 2 || !strings.HasPrefix(got[0], "a4 BAD APPEND takes one message") || got[1] != "a5 OK NOOP completed\r\n" {
		t.Errorf("MULTIAPPEND: %q", got)
	}
	// RFC 6855's UTF8 (~{N}) form ends in ")".
	rc.send("a6 APPEND Sent UTF8 (~{2+}\r\nhi)\r\n")
	if got := rc.until("a6"); !strings.HasPrefix(got[len(got)-1], "a6 OK [APPENDUID 3 5]") {
		t.Errorf("APPEND UTF8: %q", got)
	}
	// A mailbox name as a literal is not the message.
	rc.send("a7 APPEND {4+}\r\nSent {2+}\r\nhi\r\n")
	if got := rc.until("a7"); !strings.HasPrefix(got[len(got)-1], "a7 OK [APPENDUID 3 6]") {
		t.Errorf("APPEND {4+} mailbox: %q", got)
	}
}

// TestMoveOneExpunge: each moved message is expunged once (go-imap's
// memory store reported two EXPUNGEs for one).
func TestMoveOneExpunge(t *testing.T) {
	s := start(t)
	rc := dialRaw(t, s)
	rc.login("INBOX")
	got := rc.ok("m", "MOVE 2:3 Archive")
	want := []string{"* OK [COPYUID 2 5,7 4:5] COPY completed\r\n", "* 3 EXPUNGE\r\n", "* 2 EXPUNGE\r\n", "m OK MOVE completed\r\n"}
	equalResponses(t, "MOVE 2:3 Archive", got, want)
	if got := rc.ok("f", "FETCH 2 (UID)"); got[0] != "* 2 FETCH (UID 8)\r\n" {
		t.Errorf("after MOVE, FETCH 2 (UID) = %q, want UID 8", got[0])
	}
}

func TestAuthenticateMechanisms(t *testing.T) {
	s := start(t)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	rc := dialRaw(t, s)
	if !strings.Contains(rc.greeting, "AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5") {
		t.Errorf("greeting %q lacks the three mechanisms", rc.greeting)
	}

	// CRAM-MD5: challenge, then "user hex-HMAC".
	rc.send("c1 AUTHENTICATE CRAM-MD5\r\n")
	cont := rc.response()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(strings.TrimPrefix(cont, "+ ")))
	if err != nil || !strings.HasPrefix(string(raw), "<") || !strings.HasSuffix(string(raw), "@demo.imapsh.example>") {
		t.Fatalf("CRAM-MD5 challenge %q (%q, %v)", cont, raw, err)
	}
	rc.send(b64(CRAMResponse("demo", "wrong", string(raw))) + "\r\n")
	if got := rc.until("c1"); !strings.HasPrefix(got[0], "c1 NO [AUTHENTICATIONFAILED]") {
		t.Errorf("CRAM-MD5 with a wrong password: %q", got)
	}
	rc.send("c2 AUTHENTICATE CRAM-MD5\r\n")
	cont = rc.response()
	raw, _ = base64.StdEncoding.DecodeString(strings.TrimSpace(strings.TrimPrefix(cont, "+ ")))
	rc.send(b64(CRAMResponse("demo", "demo", string(raw))) + "\r\n")
	if got := rc.until("c2"); !strings.HasPrefix(got[0], "c2 OK [CAPABILITY ") || !strings.Contains(got[0], "UNAUTHENTICATE") {
		t.Errorf("CRAM-MD5: %q", got)
	}

	// UNAUTHENTICATE, then LOGIN (the SASL mechanism) step by step.
	rc.ok("u", "UNAUTHENTICATE")
	rc.send("l1 AUTHENTICATE LOGIN\r\n")
	if got := rc.response(); got != "+ "+b64("Username:")+"\r\n" {
		t.Errorf("LOGIN step 1: %q", got)
	}
	rc.send(b64("demo") + "\r\n")
	if got := rc.response(); got != "+ "+b64("Password:")+"\r\n" {
		t.Errorf("LOGIN step 2: %q", got)
	}
	rc.send(b64("demo") + "\r\n")
	if got := rc.until("l1"); !strings.HasPrefix(got[0], "l1 OK") {
		t.Errorf("AUTHENTICATE LOGIN: %q", got)
	}

	// PLAIN with an initial response, and the LOGIN command.
	rc.ok("u2", "UNAUTHENTICATE")
	rc.ok("p1", "AUTHENTICATE PLAIN "+b64("\x00demo\x00demo"))
	rc.ok("u3", "UNAUTHENTICATE")
	rc.ok("p2", "LOGIN demo demo")
	if got := rc.do("p3", "AUTHENTICATE SCRAM-SHA-256"); !strings.HasPrefix(got[0], "p3 BAD") && !strings.HasPrefix(got[0], "p3 NO") {
		t.Errorf("AUTHENTICATE SCRAM-SHA-256 after login: %q", got)
	}
}

// TestReadOnly: EXAMINE changes nothing; CLOSE there expunges nothing and
// says nothing.
func TestReadOnly(t *testing.T) {
	s := start(t)
	rc := dialRaw(t, s)
	rc.login("")
	rc.ok("e", "EXAMINE INBOX")
	for i, cmd := range []string{`STORE 1 +FLAGS (\Deleted)`, "EXPUNGE", "MOVE 1 Archive"} {
		tag := fmt.Sprintf("r%d", i)
		if got := rc.do(tag, cmd); len(got) != 1 || !strings.HasPrefix(got[0], tag+" NO the mailbox is open read-only") {
			t.Errorf("%s in EXAMINE: %q", cmd, got)
		}
	}
	equalResponses(t, "CLOSE", rc.do("c", "CLOSE"), []string{"c OK CLOSE completed\r\n"})
	if st := strings.Join(rc.ok("s", "STATUS INBOX (MESSAGES DELETED)"), ""); !strings.Contains(st, "MESSAGES 12 DELETED 2") {
		t.Errorf("after CLOSE of EXAMINE: %q", st)
	}
	// CLOSE after SELECT removes the \Deleted ones silently.
	rc.ok("s2", "SELECT INBOX")
	equalResponses(t, "CLOSE", rc.do("c2", "CLOSE"), []string{"c2 OK CLOSE completed\r\n"})
	if st := strings.Join(rc.ok("s3", "STATUS INBOX (MESSAGES DELETED)"), ""); !strings.Contains(st, "MESSAGES 10 DELETED 0") {
		t.Errorf("after CLOSE: %q", st)
	}
}

// TestOtherSessionSeesChanges: a second session is told of new mail,
// flags and expunges, with the numbers it knows.
func TestOtherSessionSeesChanges(t *testing.T) {
	s := start(t)
	a, b := dialRaw(t, s), dialRaw(t, s)
	a.login("INBOX")
	b.login("INBOX")
	a.ok("a1", `STORE 1 +FLAGS (\Deleted)`)
	a.ok("a2", "EXPUNGE")
	a.send("a3 APPEND INBOX {4+}\r\nhi\r\n\r\n")
	a.until("a3")
	got := strings.Join(b.ok("b1", "NOOP"), "")
	for _, want := range []string{"* 1 FETCH (UID 4 FLAGS (\\Deleted \\Seen))", "* 7 EXPUNGE", "* 6 EXPUNGE", "* 1 EXPUNGE", "* 10 EXISTS"} {
		if !strings.Contains(got, want) {
			t.Errorf("the other session's NOOP lacks %q:\n%s", want, got)
		}
	}
}

// TestFilterEdges: a refusal the server never got to (APPEND before
// login) does not stick to the next APPEND; a line too long to inspect
// passes whole, its tail not taken for a command; every command is
// answered.
func TestFilterEdges(t *testing.T) {
	s := start(t)
	rc := dialRaw(t, s)
	rc.send("a1 APPEND INBOX {5+}\r\nhello!\r\n")
	if got := rc.until("a1"); !strings.HasPrefix(got[len(got)-1], "a1 NO") && !strings.HasPrefix(got[len(got)-1], "a1 BAD") {
		t.Errorf("APPEND before login: %q", got)
	}
	rc.login("")
	rc.send("a2 APPEND Sent {5+}\r\nhello\r\n")
	if got := rc.until("a2"); !strings.HasPrefix(got[len(got)-1], "a2 OK [APPENDUID 3 4]") {
		t.Errorf("APPEND after a refusal the server never saw: %q", got)
	}
	long := "a3 SEARCH SUBJECT \"" + strings.Repeat("x", 70000) + " ü\"\r\n"
	rc.send(long + "a4 NOOP\r\n")
	got := rc.until("a4")
	if last := got[len(got)-1]; last != "a4 OK NOOP completed\r\n" {
		t.Errorf("after a long line: %q", got)
	}
	for _, l := range got {
		if strings.Contains(l, "8-bit") {
			t.Errorf("the tail of a long line was inspected as a command: %q", l)
		}
	}
}
