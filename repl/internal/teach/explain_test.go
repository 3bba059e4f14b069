package teach

import (
	"fmt"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// step is one recorded line: "C: tag text" is sent, "S: ..." is received
// (literal octets inline); want lists what the note of an S: line says.
type step struct {
	line string
	want []string
	not  []string // what the note must not say
}

// play feeds recorded lines to x as the engine would report them and
// checks each note.
func play(t *testing.T, x *Explainer, notes *[]string, steps []step) {
	t.Helper()
	for _, s := range steps {
		switch {
		case strings.HasPrefix(s.line, "C: "):
			line := s.line[3:]
			tag, _, _ := strings.Cut(line, " ")
			x.Observe(&session.Event{Kind: session.Sent, Tag: tag, Line: line})
			continue
		case strings.HasPrefix(s.line, "S: "):
		default:
			t.Fatalf("bad step %q", s.line)
		}
		raw := []byte(s.line[3:] + "\r\n")
		head := raw
		if i := strings.IndexByte(string(raw), '\n'); i >= 0 {
			head = raw[:i]
		}
		h := wire.ParseHead([]byte(strings.TrimRight(string(head), "\r")))
		before := len(*notes)
		x.Observe(&session.Event{Kind: session.End, Resp: &session.Response{Head: h, Raw: raw}})
		if len(*notes) != before+1 {
			t.Fatalf("%q: %d notes written, want 1", s.line, len(*notes)-before)
		}
		note := (*notes)[len(*notes)-1]
		if !strings.HasPrefix(note, "explain: ") {
			t.Errorf("%q: note %q is not marked as a note", s.line, note)
		}
		for _, w := range s.want {
			if !strings.Contains(note, w) {
				t.Errorf("%q:\nnote %q\nlacks %q", s.line, note, w)
			}
		}
		for _, w := range s.not {
			if strings.Contains(note, w) {
				t.Errorf("%q:\nnote %q\nshould not say %q", s.line, note, w)
			}
		}
	}
}

func newTestExplainer() (*Explainer, *[]string) {
	var notes []string
	x := NewExplainer(func(text string) { notes = append(notes, text) })
	x.SetOn(true)
	return x, &notes
}

// loggedIn is the start of a session: greeting and login.
var loggedIn = []step{
	{line: "S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready", want: []string{"the greeting", "not logged in", "type caps"}},
	{line: "C: a1 LOGIN demo s3cret", want: nil},
	{line: "S: a1 OK [CAPABILITY IMAP4rev1 UIDPLUS IDLE] logged in", want: []string{"tagged: a1 (LOGIN) is done and succeeded", "logged in"}, not: []string{"s3cret"}},
}

// selected is loggedIn followed by a SELECT of INBOX (12 messages) and a
// FETCH that tells the UIDs of messages 1 to 4.
var selected = append(append([]step(nil), loggedIn...),
	step{line: "C: a2 SELECT INBOX"},
	step{line: "S: * 12 EXISTS"},
	step{line: "S: * OK [UIDVALIDITY 7] UIDs valid"},
	step{line: "S: a2 OK [READ-WRITE] SELECT completed"},
	step{line: "C: a3 FETCH 1:4 (UID)"},
	step{line: "S: * 1 FETCH (UID 101)"},
	step{line: "S: * 2 FETCH (UID 102)"},
	step{line: "S: * 3 FETCH (UID 105)"},
	step{line: "S: * 4 FETCH (UID 107)"},
	step{line: "S: a3 OK FETCH completed"},
)

const literalHeader = "Subject: Welcome to the imapsh sandbox\r\n\r\n"

func TestExplainNotes(t *testing.T) {
	cases := []struct {
		name  string
		start []step
		steps []step
	}{
		{"select", loggedIn, []step{
			{line: "C: a2 SELECT INBOX"},
			{line: "S: * 12 EXISTS", want: []string{"untagged EXISTS: INBOX holds 12 messages, sequence numbers 1 to 12"}},
			{line: "S: * 0 RECENT", want: []string{"RECENT", "IMAP4rev1 only"}},
			{line: "S: * OK [UNSEEN 2] First unseen.", want: []string{"[UNSEEN 2]: message number 2 is the first without \\Seen", "sequence number", "uids 2"}},
			{line: "S: * OK [UIDVALIDITY 929804083] UIDs valid", want: []string{"[UIDVALIDITY 929804083]", "UIDs of INBOX", "void"}},
			{line: "S: * OK [UIDNEXT 13] Predicted next UID", want: []string{"next message added to INBOX will get UID 13 or higher"}},
			{line: `S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)`, want: []string{"flags defined in INBOX", `\Draft`, "PERMANENTFLAGS"}},
			{line: `S: * OK [PERMANENTFLAGS (\Answered \Deleted \Seen \*)] Flags permitted.`, want: []string{`\Answered \Deleted \Seen`, "new keywords may be created"}},
			{line: "S: a2 OK [READ-WRITE] SELECT completed", want: []string{"tagged: a2 (SELECT) is done", "INBOX is selected (read-write): 12 messages, sequence numbers 1 to 12, UIDVALIDITY 929804083, next UID 13", "[READ-WRITE]: you may change flags"}},
		}},
		{"examine read-only", loggedIn, []step{
			{line: "C: a2 EXAMINE Archive"},
			{line: `S: * OK [PERMANENTFLAGS ()] No permanent flags permitted`, want: []string{"no flag can be changed for good"}},
			{line: "S: a2 OK [READ-ONLY] EXAMINE completed", want: []string{"Archive is selected (read-only)", "[READ-ONLY]: nothing can change"}},
		}},
		{"unseen names its UID when known", selected, []step{
			{line: "C: a4 NOOP"},
			{line: "S: * OK [UNSEEN 3] First unseen.", want: []string{"message number 3", "its UID is 105"}},
			{line: "S: a4 OK NOOP completed"},
		}},
		{"expunge renumbers", selected, []step{
			{line: "C: a4 EXPUNGE"},
			{line: "S: * 2 EXPUNGE", want: []string{"message 2 (UID 102) is gone for good", "Messages 3 to 12 are now 2 to 11", "INBOX holds 11 now"}},
			{line: "S: * 2 EXPUNGE", want: []string{"message 2 (UID 105)", "Messages 3 to 11 are now 2 to 10", "holds 10 now"}},
			{line: "S: * 10 EXPUNGE", want: []string{"message 10, the last one", "no other message is renumbered", "holds 9 now"}},
			{line: "S: a4 OK EXPUNGE completed", want: []string{"a4 (EXPUNGE) is done"}},
			{line: "C: a5 NOOP"},
			{line: "S: * 1 FETCH (FLAGS (\\Seen))", want: []string{"message 1 (a sequence number), UID 101", "sent unasked"}},
			{line: "S: * 2 FETCH (FLAGS ())", want: []string{"message 2 (a sequence number), UID 107", `none: not even \Seen`}},
		}},
		{"new mail", selected, []step{
			{line: "C: a4 IDLE"},
			{line: "S: + idling", want: []string{"IDLE has begun", "type DONE"}},
			{line: "S: * 14 EXISTS", want: []string{"2 new message(s) arrived in INBOX: numbers 13 to 14 (now 14 in all)"}},
			{line: "S: * 3 EXISTS", want: []string{"fewer than the 14 counted before", "broke the protocol"}},
		}},
		{"fetch envelope and flags", selected, []step{
			{line: "C: a4 FETCH 1 (ENVELOPE BODY.PEEK[HEADER.FIELDS (Path Message-ID)] INTERNALDATE RFC822.SIZE FLAGS)"},
			{line: `S: * 1 FETCH (FLAGS () INTERNALDATE "5-Mar-2000 10:58:50 -0600" RFC822.SIZE 853 ENVELOPE ("Sun, 5 Mar 2000 11:00:52 -0600 (CST)" "Testing" ((NIL NIL "drm" "nec.unt.edu")) ((NIL NIL "drm" "nec.unt.edu")) ((NIL NIL "drm" "nec.unt.edu")) ((NIL NIL "dianna" "europa.acs.unt.edu")) NIL NIL NIL "<Pine.GS4.4.10.10003051100260.3034-100000@nec.unt.edu>"))`,
				want: []string{"message 1 (a sequence number), UID 101:", `FLAGS: none: not even \Seen`, "INTERNALDATE: arrived on the server 5-Mar-2000 10:58:50 -0600",
					"RFC822.SIZE: the whole message is 853 octets", "Date:        Sun, 5 Mar 2000", "Subject:     Testing", "From:        drm@nec.unt.edu",
					"To:          dianna@europa.acs.unt.edu", "Message-ID:  <Pine.GS4"},
				not: []string{"Sender:", "Reply-To:", "Cc:", "sent unasked"}},
			{line: `S: * 2 FETCH (ENVELOPE ("d" "=?utf-8?q?Gr=C3=BC=C3=9Fe?=" (("=?utf-8?q?Ann=C3=A9?=" NIL "ann" "a.example")) (("Bob" NIL "bob" "b.example")) NIL ((NIL NIL "team" NIL)(NIL NIL "x" "c.example")(NIL NIL NIL NIL)) (("Cy" NIL "cy" "c.example")) NIL "<1@a>" "<2@a>"))`,
				want: []string{"Subject:     Grüße", "From:        Anné <ann@a.example>", "Sender:      Bob <bob@b.example>", "To:          group team:, x@c.example", "Cc:          Cy <cy@c.example>", "In-Reply-To: <1@a>"}},
		}},
		{"fetch bodystructure", selected, []step{
			{line: "C: a4 FETCH 1:2 (BODYSTRUCTURE FLAGS)"},
			{line: `S: * 1 FETCH (FLAGS () BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 29 2 NIL NIL NIL))`,
				want: []string{"BODYSTRUCTURE (the MIME parts", "1      text/plain; charset=US-ASCII  7bit, 29 octets, 2 lines"}},
			{line: `S: * 2 FETCH (BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "quoted-printable" 120 4 NIL NIL NIL NIL)(("text" "plain" NIL NIL NIL "7bit" 10 1 NIL NIL NIL NIL)("text" "html" NIL NIL NIL "7bit" 20 1 NIL NIL NIL NIL) "alternative" ("boundary" "b2") NIL NIL NIL)("application" "pdf" ("name" "r.pdf") NIL NIL "base64" 5000 NIL ("attachment" ("filename" "r.pdf")) NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 300 ("date" "subj" NIL NIL NIL NIL NIL NIL NIL NIL) ("text" "plain" NIL NIL NIL "7bit" 50 2 NIL NIL NIL NIL) 12 NIL NIL NIL NIL) "mixed" ("boundary" "b1") NIL NIL NIL))`,
				want: []string{"(whole message) multipart/mixed", "\n      1      text/plain; charset=utf-8  quoted-printable, 120 octets, 4 lines",
					"\n      2      multipart/alternative", "\n        2.1    text/plain  7bit, 10 octets, 1 lines", "\n        2.2    text/html",
					"\n      3      application/pdf; name=r.pdf  base64, 5000 octets, attachment; filename=r.pdf",
					"\n      4      message/rfc822  7bit, 300 octets, 12 lines, an attached message", "\n        4.1    text/plain  7bit, 50 octets, 2 lines"}},
		}},
		{"fetch literal section and an unasked UID", selected, []step{
			{line: "C: a4 FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]"},
			{line: "S: * 1 FETCH (UID 101 BODY[HEADER.FIELDS (\"SUBJECT\")] {42}\r\n" + literalHeader + ")",
				want: []string{`BODY[HEADER.FIELDS ("SUBJECT")]: just those header fields, 42 octets`, "you did not ask for it"}, not: []string{"sets \\Seen"}},
			{line: "C: a5 FETCH 1 BODY[]"},
			{line: "S: * 1 FETCH (FLAGS (\\Seen) BODY[] {42}\r\n" + literalHeader + ")",
				want: []string{"BODY[]: the whole message, 42 octets", "without .PEEK sets \\Seen", `\Seen (read)`}},
		}},
		{"store answers with flags", selected, []step{
			{line: `C: a4 STORE 2 +FLAGS (\Flagged $Work)`},
			{line: `S: * 2 FETCH (FLAGS (\Seen \Flagged $Work))`, want: []string{"its flags after your STORE", `\Flagged (flagged)`, "$Work (a keyword)"}},
			{line: "S: a4 OK STORE completed"},
		}},
		{"search", selected, []step{
			{line: "C: a4 SEARCH UNSEEN"},
			{line: "S: * SEARCH 2 4", want: []string{"2 message(s) matched", "sequence numbers", "Their UIDs: 2=UID 102, 4=UID 107"}},
			{line: "S: a4 OK SEARCH completed"},
			{line: "C: a5 UID SEARCH ALL"},
			{line: "S: * SEARCH 101 102", want: []string{"2 message(s) matched; the numbers are UIDs"}, not: []string{"Their UIDs"}},
			{line: "S: a5 OK done"},
			{line: "C: a6 SEARCH DELETED"},
			{line: "S: * SEARCH", want: []string{"no message matched"}},
			{line: "S: a6 OK done"},
			{line: "C: a7 SEARCH RETURN (COUNT MIN) DELETED"},
			{line: `S: * ESEARCH (TAG "a7") MIN 3 COUNT 2`, want: []string{"answers a7", "COUNT 2 matched", "MIN 3 the lowest", "sequence numbers"}},
		}},
		{"no against bad", selected, []step{
			{line: "C: a4 COPY 1 NoSuch"},
			{line: "S: a4 NO [TRYCREATE] No such mailbox", want: []string{"a4 (COPY) failed (NO)", "not wrong (that would be BAD)", "[TRYCREATE]: the target mailbox does not exist: CREATE it"}},
			{line: "C: a5 FETCH 1 (FLAG)"},
			{line: "S: a5 BAD [CLIENTBUG] Unknown FETCH data item", want: []string{"a5 (FETCH) was rejected (BAD)", "nothing was done", "Syntax: FETCH sequence-set", "[CLIENTBUG]"},
				not: []string{"valid only with a mailbox selected"}},
			{line: "C: a6 FETCH 3 BODY[]"},
			{line: "S: a6 NO Message cannot be read", want: []string{"poison message", "probe UID"}},
		}},
		{"bad in the wrong state", loggedIn, []step{
			{line: "C: a2 FETCH 1 FLAGS"},
			{line: "S: a2 BAD [CLIENTBUG] No mailbox selected", want: []string{"FETCH is valid only with a mailbox selected: SELECT (or EXAMINE) one first"}},
			{line: "C: a3 LOGIN demo demo"},
			{line: "S: a3 BAD [CLIENTBUG] Already authenticated", want: []string{"LOGIN is valid only before login"}},
			{line: "C: a4 MOVE 1 Archive"},
			{line: "S: a4 BAD Unknown command", want: []string{"does not advertise MOVE"}},
			{line: "C: a5 FROBNICATE"},
			{line: "S: a5 BAD Unknown command", want: []string{"imapsh does not know FROBNICATE either"}},
		}},
		{"sequence numbers beyond EXISTS", selected, []step{
			{line: "C: a4 FETCH 12:14 (FLAGS)"},
			{line: "S: a4 BAD Invalid messageset", want: []string{"INBOX holds 12 messages: sequence numbers above 12 do not exist (UID FETCH takes UIDs)"}},
			{line: "C: a5 FETCH 1:12 (FLAGS)"},
			{line: "S: a5 BAD Something else", not: []string{"do not exist"}},
		}},
		{"an empty mailbox", loggedIn, []step{
			{line: "C: a2 SELECT Empty"},
			{line: "S: * 0 EXISTS", want: []string{"Empty is empty"}},
			{line: "S: a2 OK done", want: []string{"Empty is selected (read-write): empty."}},
			{line: "C: a3 FETCH 1 (UID)"},
			{line: "S: a3 BAD Invalid messageset", want: []string{"Empty holds 0 messages"}},
		}},
		{"a failed select leaves none", selected, []step{
			{line: "C: a4 SELECT NoSuch"},
			{line: "S: a4 NO Mailbox does not exist", want: []string{"No mailbox is selected now"}},
			{line: "C: a5 FETCH 1 FLAGS"},
			{line: "S: a5 BAD No mailbox selected", want: []string{"valid only with a mailbox selected"}},
		}},
		{"uidplus codes", selected, []step{
			{line: "C: a4 APPEND Work {5}"},
			{line: "S: + Ready for literal data", want: []string{"ready for the literal that APPEND announced"}},
			{line: "S: a4 OK [APPENDUID 1548379804 2] Append completed", want: []string{"got UID 2 in the target mailbox (whose UIDVALIDITY is 1548379804)"}},
			{line: "C: a5 COPY 10 \"work.due today\""},
			{line: "S: a5 OK [COPYUID 1548379804 17 1] Copy completed", want: []string{"UID 17 -> 1 in the target mailbox", "target UIDVALIDITY 1548379804"}},
			{line: "C: a6 MOVE 2:3 Archive"},
			{line: "S: * OK [COPYUID 2 3,2 7:6] COPY completed", want: []string{"UID 3 -> 7, UID 2 -> 6"}},
		}},
		{"authenticate challenge", []step{{line: "S: * OK [CAPABILITY IMAP4rev1 AUTH=CRAM-MD5] Dovecot ready."}}, []step{
			{line: "C: j AUTHENTICATE CRAM-MD5"},
			{line: "S: + PDE4NTY1MTU5ODI1OTMyOTYuMTU3Nzc0OTgwOUBibHVlZmluLnA+", want: []string{`base64 for "<1856515982593296.1577749809@bluefin.p>"`, "* to cancel"}},
			{line: "S: j NO [AUTHENTICATIONFAILED] Authentication failed.", want: []string{"failed (NO)", "still not logged in", "[AUTHENTICATIONFAILED]: Login failed"}},
		}},
		{"untagged statuses", selected, []step{
			{line: "S: * OK [ALERT] System shutdown in 10 minutes", want: []string{"[ALERT]: the server wants a person to read this text now"}},
			{line: "S: * NO Disk is 98% full", want: []string{"untagged NO: a warning"}},
			{line: "S: * OK Still here", want: []string{"a remark from the server, not the end of any command"}},
			{line: "S: * BYE Autologout; idle for too long", want: []string{"closing the connection on its own", "reconnect"}},
		}},
		{"bye after logout", selected, []step{
			{line: "C: a4 LOGOUT"},
			{line: "S: * BYE Logging out", want: []string{"as LOGOUT asked", "tagged OK comes next"}},
			{line: "S: a4 OK LOGOUT completed", want: []string{"closes the connection now"}},
		}},
		{"mailbox data", loggedIn, []step{
			{line: `C: k LIST "" "*"`},
			{line: `S: * LIST (\HasNoChildren \Trash) "." Trash`, want: []string{`mailbox "Trash"`, `levels separated by "."`, `\HasNoChildren (no children)`, `\Trash (special use: deleted messages)`}},
			{line: `S: * LIST (\Noselect) NIL "#news"`, want: []string{"no hierarchy", "a name only"}},
			{line: "S: k OK done"},
			{line: "C: n NAMESPACE"},
			{line: `S: * NAMESPACE (("" ".")("virtual/" "/")) NIL NIL`, want: []string{`personal: prefix "", delimiter "."; prefix "virtual/", delimiter "/"`, "other users': none; shared: none"}},
			{line: "S: n OK done"},
			{line: "C: s STATUS INBOX (MESSAGES UIDNEXT UNSEEN)"},
			{line: `S: * STATUS INBOX (MESSAGES 12 UIDNEXT 13 UNSEEN 8)`, want: []string{`"INBOX", without selecting it: 12 messages, 13 next UID, 8 without \Seen`}},
			{line: "S: s OK done"},
			{line: "C: e ENABLE CONDSTORE"},
			{line: "S: * ENABLED", want: []string{"nothing was enabled"}},
			{line: "S: e OK done"},
			{line: "C: c CAPABILITY"},
			{line: "S: * CAPABILITY IMAP4rev2 MOVE IDLE", want: []string{"supports 3 things", "type caps"}},
			{line: "S: c OK done"},
			{line: "S: * XYZZY 1 2", want: []string{"a response imapsh does not know"}},
		}},
		{"vanished", selected, []step{
			{line: "S: * VANISHED (EARLIER) 41,43:116", want: []string{"(EARLIER)", "while you were away"}},
			{line: "S: * VANISHED 102", want: []string{"UIDs 102 are gone"}},
			{line: "S: * 2 FETCH (FLAGS ())", want: []string{"UID 105"}},
		}},
		{"close and unselect", selected, []step{
			{line: "C: a4 CLOSE"},
			{line: "S: a4 OK CLOSE completed", want: []string{"No mailbox is selected now", `\Deleted were removed (silently)`}},
			{line: "C: a5 FETCH 1 FLAGS"},
			{line: "S: a5 BAD No mailbox selected", want: []string{"valid only with a mailbox selected"}},
		}},
		{"a completion nobody asked for", loggedIn, []step{
			{line: "S: zz9 OK done", want: []string{"no command in flight has", "broke the protocol"}},
			{line: "S: + more?", want: []string{"no command waits for one"}},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, notes := newTestExplainer()
			play(t, x, notes, c.start)
			play(t, x, notes, c.steps)
		})
	}
}

func TestExplainOffKeepsLast(t *testing.T) {
	var notes []string
	x := NewExplainer(func(text string) { notes = append(notes, text) })
	ev := func(e session.Event) { x.Observe(&e) }
	resp := func(line string) session.Event {
		return session.Event{Kind: session.End, Resp: &session.Response{Head: wire.ParseHead([]byte(line)), Raw: []byte(line + "\r\n")}}
	}
	ev(resp("* OK ready"))
	ev(session.Event{Kind: session.Sent, Tag: "a1", Line: "a1 SELECT INBOX"})
	ev(resp("* 3 EXISTS"))
	ev(resp("a1 OK [READ-WRITE] done"))
	if len(notes) != 0 {
		t.Fatalf("explain is off, but notes were written: %q", notes)
	}
	last, more := x.Last()
	if len(last) != 2 || more != 0 || last[0].Line != "* 3 EXISTS" || !strings.Contains(last[0].Note, "INBOX holds 3 messages") ||
		!strings.Contains(last[1].Note, "INBOX is selected") {
		t.Fatalf("Last = %+v, %d", last, more)
	}
	// A helper's internal command does not replace what Last explains.
	ev(session.Event{Kind: session.Sent, Tag: "a2", Line: "a2 NOOP", Internal: true})
	ev(resp("a2 OK done"))
	if last, _ = x.Last(); len(last) != 3 {
		t.Fatalf("after an internal command Last has %d entries, want 3", len(last))
	}
	// A continuation line of the same command neither.
	ev(session.Event{Kind: session.Sent, Tag: "a3", Line: "a3 IDLE"})
	ev(resp("+ idling"))
	ev(session.Event{Kind: session.Sent, Tag: "a3", Line: "DONE"})
	ev(resp("a3 OK IDLE done"))
	if last, _ = x.Last(); len(last) != 2 || !strings.Contains(last[0].Note, "IDLE has begun") {
		t.Fatalf("Last after IDLE = %+v", last)
	}
	x.SetOn(true)
	ev(session.Event{Kind: session.Sent, Tag: "a4", Line: "a4 FETCH 1:* FLAGS"})
	for i := 0; i < maxLast+5; i++ {
		ev(resp("* 1 FETCH (FLAGS ())"))
	}
	if last, more = x.Last(); len(last) != maxLast || more != 5 {
		t.Fatalf("Last kept %d, more %d; want %d, 5", len(last), more, maxLast)
	}
	if len(notes) != maxLast+5 {
		t.Fatalf("with explain on %d notes were written, want %d", len(notes), maxLast+5)
	}
	// A connection that ends is forgotten: the next greeting is a greeting.
	ev(session.Event{Kind: session.Closed})
	ev(resp("* OK hello again"))
	if n := notes[len(notes)-1]; !strings.Contains(n, "the greeting") {
		t.Fatalf("after Closed the next OK is %q", n)
	}
}

func TestExpandSetKeepsOrder(t *testing.T) {
	got, ok := expandSet("3,1:2,9:7", 100)
	want := []uint32{3, 1, 2, 9, 8, 7}
	if !ok || len(got) != len(want) {
		t.Fatalf("expandSet = %v, %v", got, ok)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("expandSet = %v, want %v", got, want)
		}
	}
	if _, ok := expandSet("1:*", 100); ok {
		t.Error("a set with * was expanded")
	}
	if _, ok := expandSet("1:1000", 10); ok {
		t.Error("a set over the limit was expanded")
	}
}

// With notes off, the responses past those kept for Last still update
// the model, by the quick path as by the parser.
func TestExplainOffTracksUIDs(t *testing.T) {
	var notes []string
	x := NewExplainer(func(text string) { notes = append(notes, text) })
	resp := func(raw string) {
		line, _, _ := strings.Cut(raw, "\r\n")
		x.Observe(&session.Event{Kind: session.End, Resp: &session.Response{Head: wire.ParseHead([]byte(line)), Raw: []byte(raw + "\r\n")}})
	}
	x.Observe(&session.Event{Kind: session.Sent, Tag: "a1", Line: "a1 SELECT INBOX"})
	resp("* 300 EXISTS")
	resp("a1 OK done")
	x.Observe(&session.Event{Kind: session.Sent, Tag: "a2", Line: "a2 FETCH 1:* (UID FLAGS)"})
	for i := 1; i <= 260; i++ {
		resp(fmt.Sprintf("* %d FETCH (FLAGS (\\Seen) UID %d)", i, 1000+i))
	}
	resp("* 261 FETCH (ENVELOPE (NIL \"UID 5\" NIL NIL NIL NIL NIL NIL NIL NIL) UID 7777)")
	resp("* 262 FETCH (BODY[] {5}\r\nUID 9 UID 8888)")
	x.SetOn(true)
	for _, c := range []struct {
		seq  int
		want string
	}{{1, "UID 1001"}, {250, "UID 1250"}, {260, "UID 1260"}, {261, "UID 7777"}, {262, "UID 8888"}} {
		resp(fmt.Sprintf("* OK [UNSEEN %d] first unseen", c.seq))
		if n := notes[len(notes)-1]; !strings.Contains(n, "its UID is "+strings.TrimPrefix(c.want, "UID ")+".") {
			t.Errorf("UNSEEN %d: %q lacks %q", c.seq, n, c.want)
		}
	}
}

// With notes off and hints on (the terminal), a BAD answer to a typed
// command still says which state or syntax it needs; nothing else is
// written, and a helper's BAD is the helper's to report.
func TestHintsWhenOff(t *testing.T) {
	var notes []string
	x := NewExplainer(func(text string) { notes = append(notes, text) })
	x.SetHints(true)
	send := func(line string, internal bool) {
		tag, _, _ := strings.Cut(line, " ")
		x.Observe(&session.Event{Kind: session.Sent, Tag: tag, Line: line, Internal: internal})
	}
	resp := func(line string) {
		x.Observe(&session.Event{Kind: session.End, Resp: &session.Response{Head: wire.ParseHead([]byte(line)), Raw: []byte(line + "\r\n")}})
	}
	resp("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready")
	send("a1 LOGIN u p", false)
	resp("a1 OK done")
	send("a2 FETCH 1 FLAGS", false)
	resp("a2 BAD No mailbox selected")
	send("a3 NOOP", false)
	resp("a3 OK done")
	send("a4 FETCH 1 UID", true)
	resp("a4 BAD No mailbox selected")
	send("a5 SELECT INBOX", false)
	resp("* 2 EXISTS")
	resp("a5 OK done")
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "hint: FETCH is valid only with a mailbox selected") || !strings.Contains(notes[0], "Syntax: FETCH") {
		t.Fatalf("notes = %q, want one hint for a2", notes)
	}
}

// With explain off, the notes of FETCH responses are written only when
// Last asks for them, from what the model knew when each arrived: they
// read exactly as the notes written at once with explain on.
func TestExplainOffFetchNotesLater(t *testing.T) {
	lines := []string{
		"C: a1 SELECT INBOX",
		"S: * 5 EXISTS",
		"S: a1 OK [READ-WRITE] done",
		"C: a2 FETCH 1:3 (UID FLAGS)",
		"S: * 1 FETCH (UID 10 FLAGS (\\Seen))",
		"S: * 2 FETCH (UID 11 FLAGS ())",
		"S: * 3 FETCH (FLAGS (\\Deleted $Forwarded) UID 12)",
		"S: a2 OK done",
		"C: a3 STORE 2 +FLAGS (\\Flagged)",
		// No UID: the note names the one learnt above, and the command
		// in flight then (a STORE), though Last is asked much later.
		"S: * 2 FETCH (FLAGS (\\Flagged))",
		"S: * 4 FETCH (FLAGS (\\Seen) BODY[HEADER.FIELDS (SUBJECT)] {11}\r\nSubject: x\r\n)",
		"S: * 1 FETCH (UID 10 ENVELOPE (\"Mon, 1 Jan 2024 00:00:00 +0000\" \"hi\" ((\"A\" NIL \"a\" \"x.org\")) NIL NIL NIL NIL NIL NIL \"<id>\"))",
		"S: * 9 FETCH (UID",
		"S: a3 OK done",
	}
	feed := func(x *Explainer, upTo int) {
		for _, l := range lines[:upTo] {
			if strings.HasPrefix(l, "C: ") {
				tag, _, _ := strings.Cut(l[3:], " ")
				x.Observe(&session.Event{Kind: session.Sent, Tag: tag, Line: l[3:]})
				continue
			}
			raw := []byte(l[3:] + "\r\n")
			head, _, _ := strings.Cut(l[3:], "\r\n")
			x.Observe(&session.Event{Kind: session.End, Resp: &session.Response{Head: wire.ParseHead([]byte(head)), Raw: raw}})
		}
	}
	on := NewExplainer(func(string) {})
	on.SetOn(true)
	off := NewExplainer(func(string) { t.Fatal("a note written with explain off") })
	feed(on, len(lines))
	feed(off, len(lines))
	// The model goes on after the responses: Last must not read it.
	for _, x := range []*Explainer{on, off} {
		x.Observe(&session.Event{Kind: session.End, Resp: &session.Response{Head: wire.ParseHead([]byte("* 2 EXPUNGE")), Raw: []byte("* 2 EXPUNGE\r\n")}})
	}
	a, _ := on.Last()
	b, _ := off.Last()
	if len(a) != 6 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("explain on:\n%v\nexplain off, then Last:\n%v", a, b)
	}
	if !strings.Contains(b[0].Note, "UID 11") || !strings.Contains(b[0].Note, "after your STORE") {
		t.Errorf("note of the FETCH without UID: %q", b[0].Note)
	}
	if again, _ := off.Last(); fmt.Sprint(again) != fmt.Sprint(b) {
		t.Errorf("a second Last differs")
	}
}
