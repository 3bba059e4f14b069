package repl

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func outHas(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func lacks(t *testing.T, out string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(out, w) {
			t.Errorf("output has %q:\n%s", w, out)
		}
	}
}

// sentLines returns what the shell sent: the text of each "C: " line.
func sentLines(out string) []string {
	var sent []string
	for _, l := range strings.Split(out, "\n") {
		if s, ok := strings.CutPrefix(l, "C: "); ok {
			sent = append(sent, s)
		}
	}
	return sent
}

// noServerLineSent fails when a line the shell sent is one only a server
// sends: after its tag, a "*", "+", ")", a status word or a transcript
// prefix.
func noServerLineSent(t *testing.T, out string) {
	t.Helper()
	for _, s := range sentLines(out) {
		if strings.HasPrefix(s, "[") { // a literal's octets
			continue
		}
		_, rest, _ := strings.Cut(s, " ")
		first, _, _ := strings.Cut(rest, " ")
		switch strings.ToUpper(first) {
		case "*", "+", ")", "OK", "NO", "BAD", "BYE", "PREAUTH", "S:", "SERVER:", "C:", "CLIENT:":
			t.Errorf("a server line (or a prefix) was sent: C: %s", s)
		}
	}
}

// seedConcepts is Example 3-1 of imap-session-concepts.txt as printed: a
// tcpflow trace with Client:/Server: prefixes, continuation lines indented,
// long lines wrapped with " \", a literal on a wrapped line.
const seedConcepts = `Server: * OK Server Cyrus IMAP4 v1.5.19 server ready

Client: 00000000 CAPABILITY007
Server: * CAPABILITY IMAP4 IMAP4rev1 ACL QUOTA LITERAL+ NAMESPACE UIDPLUS \
        X-NON-HIERARCHICAL-RENAME NO_ATOMIC_RENAME UNSELECT
        00000000 OK Completed

Client: 00000001 LOGIN dianna "xxxxxxxx"
Server: 00000001 OK User logged in

Client: 00000002 SELECT INBOX
Server: * FLAGS (\Answered \Flagged \Draft \Deleted \Seen)
        * OK [PERMANENTFLAGS (\Answered \Flagged \Draft \Deleted \Seen \*)]
        * 1 EXISTS
        * 0 RECENT
        * OK [UNSEEN 1]
        * OK [UIDVALIDITY 929804083]
        00000002 OK Completed

Client: 00000003 NOOP
Server: 00000003 OK Completed

Client: 00000004 FETCH 1 FLAGS
Server: * 1 FETCH (FLAGS ())
        00000004 OK Completed

Client: 00000005 FETCH 1 UID
Server: * 1 FETCH (UID 26888)
        00000005 OK Completed

Client: 00000006 FETCH 1 (ENVELOPE BODY.PEEK[HEADER.FIELDS \
        (Path Message-ID Newsgroups Followup-To References)] INTERNALDATE \
        RFC822.SIZE FLAGS)
Server: * 1 FETCH (FLAGS () INTERNALDATE "5-Mar-2000 10:58:50 -0600" \
        RFC822.SIZE 853 ENVELOPE ("Sun, 5 Mar 2000 11:00:52 -0600 (CST)" \
        "Testing" ((NIL NIL "drm" "nec.unt.edu")) \
        ((NIL NIL "drm" "nec.unt.edu")) ((NIL NIL "drm" "nec.unt.edu")) \
        ((NIL NIL "dianna" "europa.acs.unt.edu")) NIL NIL NIL \
        "<Pine.GS4.4.10.10003051100260.3034-100000@nec.unt.edu>") \
        BODY[HEADER.FIELDS (Path Message-ID Newsgroups Followup-To References)] \
        {70} Message-ID: Pine.GS4.4.10.10003051100260.3034-100000@nec.unt.edu

        )
        00000006 OK Completed

Client: 00000007 FETCH 1 (BODYSTRUCTURE FLAGS)
Server: * 1 FETCH (FLAGS () BODYSTRUCTURE ("TEXT" "PLAIN" \
        ("CHARSET" "US-ASCII") NIL NIL "7BIT" 29 2 NIL NIL NIL))
        00000007 OK Completed

Client: 00000008 FETCH 1 BODY.PEEK[HEADER.FIELDS (Resent-Date Resent-From \
        Resent-To Resent-cc Resent-Subject)]
Server: * 1 FETCH (BODY[HEADER.FIELDS (Resent-Date Resent-From Resent-To \
        Resent-cc Resent-Subject)] {2}

        )
        00000008 OK Completed

Client: 00000009 FETCH 1 BODY[1]
Server: * 1 FETCH (FLAGS (\Seen) BODY[1] {29}
        This is the message body.

        )
        00000009 OK Completed

Client: 0000000a STORE 1 +Flags (\DELETED)
Server: * 1 FETCH (FLAGS (\Deleted \Seen))
        0000000a OK Completed

Client: 0000000b NOOP
Server: 0000000b OK Completed

Client: 0000000c EXPUNGE
Server: * 1 EXPUNGE
        * 0 EXISTS
        * 0 RECENT
        0000000c OK Completed

Client: 0000000d NOOP
Server: 0000000d OK Completed

Client: 0000000e LOGOUT
Server: * BYE LOGOUT received
        0000000e OK Completed
`

func TestPasteSeedSessionConcepts(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, seedConcepts)
	var ce *ConnError
	if errors.As(r.Err, &ce) {
		t.Fatalf("the session broke: %v\n%s", r.Err, r.Out)
	}
	noServerLineSent(t, r.Out)
	outHas(t, r.Out,
		"C: 00000002 SELECT INBOX",
		"C: 00000006 FETCH 1 (ENVELOPE BODY.PEEK[HEADER.FIELDS (Path Message-ID Newsgroups Followup-To References)] INTERNALDATE RFC822.SIZE FLAGS)",
		"C: 00000008 FETCH 1 BODY.PEEK[HEADER.FIELDS (Resent-Date Resent-From Resent-To Resent-cc Resent-Subject)]",
		"C: 0000000a STORE 1 +Flags (\\DELETED)",
		"S: 0000000e OK",
		"# skipped a pasted server line (never sent): * OK Server Cyrus IMAP4 v1.5.19 server ready",
		"# skipped a pasted server line (never sent): * CAPABILITY IMAP4 IMAP4rev1 ACL QUOTA LITERAL+ NAMESPACE UIDPLUS \\ (and 1 wrapped line(s))",
		"# skipped a pasted server line (never sent): * 1 FETCH (FLAGS (\\Seen) BODY[1] {29} (and the 29 octets of its literal)",
	)
	// Every client line went, with its own tag, and nothing else did.
	var tags []string
	for _, s := range sentLines(r.Out) {
		tag, _, _ := strings.Cut(s, " ")
		tags = append(tags, tag)
	}
	// The book's own typo, CAPABILITY007, is no command: it goes with
	// imapsh's tag, as any unknown command does.
	outHas(t, r.Out, "C: a002 00000000 CAPABILITY007")
	want := "a001 a002 00000001 00000002 00000003 00000004 00000005 00000006 00000007 00000008 00000009 0000000a 0000000b 0000000c 0000000d 0000000e"
	if got := strings.Join(tags, " "); got != want {
		t.Errorf("sent tags:\n got %s\nwant %s\n%s", got, want, r.Out)
	}
}

// seedAdvanced is a block of advanced-imap-commands.txt as a reader copies
// it from the page: indented, the server's lines with the client's, the
// page's own text between, literals on both sides.
const seedAdvanced = `    f FETCH 1:10 FLAGS
    * 1 FETCH (FLAGS ())
    * 2 FETCH (FLAGS ())
    * 10 FETCH (FLAGS ())
    f OK Fetch completed (0.001 + 0.000 secs).
  2. OK, so no flags stored at all. Let’s store a flag on message 2:
    g STORE 2 +FLAGS (some-flag)
    * FLAGS (\Answered \Flagged \Deleted \Seen \Draft some-flag)
    * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft some-flag \*)] Flags permitted.
    * 2 FETCH (FLAGS (some-flag))
    f fetch 1:5 UID` + "\u00a0" + `
    * 1 FETCH (UID 8)
    * 5 FETCH (UID 12)
    f OK Fetch completed (0.001 + 0.000 secs).
    w UID STORE 10 +FLAGS (a-funny-flag)
    * 3 FETCH (UID 10 FLAGS (a-funny-flag))
    w OK Store completed (0.004 + 0.000 + 0.003 secs).
    u UID FETCH 71 BODY[HEADER.FIELDS (SUBJECT)]
    * 64 FETCH (UID 71 BODY[HEADER.FIELDS (SUBJECT)] {18}
    Subject: crash
    
    )
    o OK Fetch completed (0.001 + 0.000 secs).
    s2 SEARCH UNSEEN HEADER SUBJECT "crash"
    * SEARCH 14 15 16 17 18 19 20
    s2 OK Search completed (0.001 + 0.000 secs).
c3 CREATE "work.due today"
c3 OK Create completed (0.003 + 0.000 + 0.002 secs).
    c1 COPY 10 "work.due today"
    c1 OK [COPYUID 1548379804 17 1] Copy completed (0.007 + 0.000 + 0.006 secs).
  3. Append the message to the inbox like so. I have added an extra byte to the literal count to account for the final carriage return I need to manually enter:
    a1 APPEND "work.due today" {89}
    + OK
    Subject: Send the weekly report
    
    Remember to send the weekly report to THE BOSS TODAY!!
    a1 OK [APPENDUID 1548379804 2] Append completed (0.007 + 4.391 + 0.005 secs).
    s3 select "work.due today"
    * OK [CLOSED] Previous mailbox closed.
    * 2 EXISTS
    s3 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).
    f fetch 2 rfc822
    * 2 FETCH (FLAGS (\Seen \Recent) RFC822 {89}
    Subject: Send the weekly report
    
    Remember to send the weekly report to THE BOSS TODAY!)
    f OK Fetch completed (0.003 + 0.000 + 0.002 secs).
`

func TestPasteSeedAdvanced(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "SELECT INBOX\n"+seedAdvanced)
	noServerLineSent(t, r.Out)
	outHas(t, r.Out,
		"C: g STORE 2 +FLAGS (some-flag)",
		"C: f fetch 1:5 UID",
		"S: * 5 FETCH (UID 9)",
		`C: u UID FETCH 71 BODY[HEADER.FIELDS (SUBJECT)]`,
		"(and the 18 octets of its literal)",
		`C: a1 APPEND "work.due today" {89}`,
		"C: [89 octets: typed]",
		"S: a1 OK [APPENDUID 9 2]",
		"S: * 2 FETCH (FLAGS (\\Seen) RFC822 {89}",
		"S: Remember to send the weekly report to THE BOSS TODAY!!)",
		"(and the 89 octets of its literal)",
		"# skipped a pasted server line (never sent): + OK",
		"# not sent: \"2. OK, so no flags stored at all. Let’...\" starts with neither",
		"# not sent: \"3. Append the message to the inbox",
	)
	// The page's text, the literal's lines and the server's never went.
	for _, s := range sentLines(r.Out) {
		if strings.Contains(s, "Subject:") || strings.Contains(s, "Remember") || strings.Contains(s, "Append the message") {
			t.Errorf("sent a line that is not a command: C: %s", s)
		}
	}
}

// TestOneOctetShortInScript: the atmail tutorial's count, one short: the
// line is refused with the count it needs, nothing is sent, and the
// message's lines do not run as commands.
func TestOneOctetShortInScript(t *testing.T) {
	srv := startDemo(t)
	script := "a1 APPEND Sent {88}\nSubject: Send the weekly report\n\nRemember to send the weekly report to THE BOSS TODAY!!\nNOOP\n"
	r := runScript(t, srv.Addr, srv.User, srv.Password, script)
	if !errors.Is(r.Err, ErrFailed) {
		t.Errorf("Run = %v, want ErrFailed (a refused line)", r.Err)
	}
	outHas(t, r.Out,
		`# error: your literal is 1 octet short: the text needs {89}. {88} ends before "!", which is left over as the rest of the command, and after a message only CRLF (or another message) may follow: nothing was sent`,
		"C: a002 NOOP")
	lacks(t, r.Out, "C: a1 APPEND", "Subject: Send", "Remember")
	// Counted right, the same lines go.
	script = strings.Replace(script, "{88}", "{89}", 1)
	r = runScript(t, srv.Addr, srv.User, srv.Password, script)
	outHas(t, r.Out, "C: a1 APPEND Sent {89}", "C: [89 octets: typed]", "S: a1 OK [APPENDUID 3 4]")
}

func TestOneOctetShortAtTheTerminal(t *testing.T) {
	srv := startDemo(t)
	tm := startTerm(t, srv.Addr, srv.User, srv.Password, "-")
	tm.waitFor("(no mailbox)> ")
	lines := "Subject: Send the weekly report\r\r" + "Remember to send the weekly report to THE BOSS TODAY!!\r"
	tm.typeKeys("APPEND Sent {88}\r")
	tm.waitFor("88 of 88 octets left> ")
	tm.typeKeys(lines)
	tm.waitFor("your literal is 1 octet short: the text needs {89}")
	tm.waitFor("send it as {89}? type y to send, Enter to drop it: ")
	if strings.Contains(tm.out.String(), "C: a002") {
		t.Fatalf("something was sent before the count was checked:\n%s", tm.out.String())
	}
	tm.typeKeys("\r")
	tm.waitFor("# nothing was sent")
	tm.typeKeys("APPEND Sent {88}\r")
	tm.waitFor("88 of 88 octets left> ")
	tm.typeKeys(lines)
	tm.waitFor("send it as {89}? ")
	if strings.Contains(tm.out.String(), "C: a002") {
		t.Fatalf("the dropped APPEND was sent:\n%s", tm.out.String())
	}
	tm.typeKeys("y\r")
	tm.waitFor("OK [APPENDUID 3 4]")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	out := tm.out.String()
	outHas(t, out, "C: a002 APPEND Sent {89}", "C: [89 octets: typed]")
	for _, l := range sentLines(out) {
		if strings.Contains(l, "{88}") {
			t.Errorf("{88} was sent: C: %s", l)
		}
	}
}

// TestExpungeGuard: at the terminal a bare EXPUNGE that would remove
// messages the user did not mark shows their UIDs and asks first.
func TestExpungeGuard(t *testing.T) {
	srv := startDemo(t)
	tm := startTerm(t, srv.Addr, srv.User, srv.Password, "-")
	tm.waitFor("(no mailbox)> ")
	tm.typeKeys("SELECT INBOX\r")
	tm.waitFor("INBOX rw 12> ")
	tm.typeKeys(`STORE 2 +FLAGS (\Deleted)` + "\r")
	tm.waitFor("a003 OK STORE")
	tm.typeKeys("EXPUNGE\r")
	tm.waitFor("C: a004 UID SEARCH DELETED")
	tm.waitFor("EXPUNGE removes every message marked \\Deleted in INBOX, for good: UIDs 5, 12 and 13 (you marked 1 of them since the mailbox was selected")
	tm.waitFor("remove these 3 messages with EXPUNGE? type yes to go on (confirm off stops asking): ")
	tm.typeKeys("no\r")
	tm.waitFor("# EXPUNGE was not sent; nothing was removed.")
	if strings.Contains(tm.out.String(), "C: a005 EXPUNGE") {
		t.Fatalf("EXPUNGE sent after no:\n%s", tm.out.String())
	}
	tm.typeKeys("EXPUNGE\r")
	tm.waitFor("remove these 3 messages with EXPUNGE? ")
	tm.typeKeys("yes\r")
	tm.waitFor("S: * 7 EXPUNGE")
	tm.waitFor("INBOX rw 9> ")

	// Only what the user marked: no question.
	tm.typeKeys(`STORE 1 +FLAGS (\Deleted)` + "\r")
	tm.waitFor("OK STORE")
	tm.typeKeys("EXPUNGE\r")
	tm.waitFor("INBOX rw 8> ")
	if n := strings.Count(tm.out.String(), "# warning: EXPUNGE removes every message"); n != 2 {
		t.Errorf("asked %d times, want 2 (not when only the user's marks go)", n)
	}
	// confirm off: no search, no question.
	tm.typeKeys("SELECT Poison\r")
	tm.waitFor("Poison rw 21> ")
	tm.typeKeys("confirm off\r")
	tm.waitFor("confirm is off")
	tm.typeKeys("CLOSE\r")
	tm.waitFor("(no mailbox)> ")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	out := tm.out.String()
	if strings.Count(out, "UID SEARCH DELETED") != 3 {
		t.Errorf("UID SEARCH DELETED sent %d times, want 3 (twice asked, once all the user's own):\n%s", strings.Count(out, "UID SEARCH DELETED"), out)
	}
}

// TestExpungeNeverAsksInScript: in a script EXPUNGE goes as typed.
func TestExpungeNeverAsksInScript(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "SELECT INBOX\nEXPUNGE\n")
	lacks(t, r.Out, "UID SEARCH DELETED", "type yes")
	outHas(t, r.Out, "S: * 7 EXPUNGE", "S: * 6 EXPUNGE")
}

func TestStateNote(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nLOGIN demo demo\nFETCH 1 FLAGS\nLOGIN demo demo\n")
	outHas(t, r.Out,
		"# SELECT is valid only after login, and you are not logged in: LOGIN (or AUTHENTICATE) first. Sent anyway, so you see how the server answers.",
		"C: a001 SELECT INBOX",
		"# FETCH works on the messages of a selected mailbox, and none is selected: SELECT (or EXAMINE) one first. Sent anyway",
		"C: a003 FETCH 1 FLAGS",
		"# LOGIN is valid only before login, and you are logged in. Sent anyway")
	if strings.Count(r.Out, "Sent anyway") != 3 {
		t.Errorf("%d notes, want 3:\n%s", strings.Count(r.Out, "Sent anyway"), r.Out)
	}
}

func TestFileLiteralAfterBlank(t *testing.T) {
	srv := startDemo(t)
	path := filepath.Join(t.TempDir(), "my msg.eml")
	if err := os.WriteFile(path, []byte("Subject: spaced\n\nhello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runScript(t, srv.Addr, srv.User, srv.Password, "APPEND INBOX < \""+path+"\"\nAPPEND INBOX <   \""+path+"\"\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	outHas(t, r.Out, "S: a002 OK [APPENDUID 1 23]", "S: a003 OK [APPENDUID 1 24]")
	lacks(t, r.Out, "C: a002 APPEND INBOX <")
}

func TestPasteLines(t *testing.T) {
	for line, server := range map[string]bool{
		"* 1 FETCH (UID 8)": true, "+ OK": true, "+": true, "a1 OK done": true, "00000002 NO no": true,
		"s BAD x": true, ")": true, "a1 NOOP": false, "NOOP": false, "*": false, "a1 NOOPS": false,
		"OK": false, "FETCH 1 (FLAGS)": false,
	} {
		if got := isServerLine(line); got != server {
			t.Errorf("isServerLine(%q) = %v, want %v", line, got, server)
		}
	}
	for line, prose := range map[string]bool{
		"3. Let's store a flag": true, "Subject: crash": true, "tcpflow[3000]: listening": true,
		"a1 NOOP": false, "whereis 22": false, "CAPABILITY007": false, "1. FETCH 1 FLAGS": true,
		"The client asks the server": true, "Tag 00000001": true, "Select INBOX": false, "Xyzzy": true,
		"XYZZY 1": false, "xyzzy 1": false, "a1 Fetch 1 FLAGS": false, `a1 SEARCH SUBJECT "it’s"`: false,
		"the client logs in the user “dianna” with": true, "A1 NOOP": false,
	} {
		if got := looksLikeProse(line); got != prose {
			t.Errorf("looksLikeProse(%q) = %v, want %v", line, got, prose)
		}
	}
	for in, want := range map[string]string{"C: a1 NOOP": "a1 NOOP", "client:  NOOP": "NOOP", "C:NOOP": "C:NOOP", "Cx: NOOP": "Cx: NOOP"} {
		if got, _ := cutPrefix(in, clientPrefixes); got != want {
			t.Errorf("cutPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

// runDemoScript runs script as imapsh --demo does: Demo set, the demo's
// credentials known, logged in unless yourself.
func runDemoScript(t *testing.T, yourself bool, script string) scriptRun {
	t.Helper()
	srv := startDemo(t)
	return runScript(t, srv.Addr, "", "", script, func(c *Config) {
		c.Demo, c.DemoUser, c.DemoPassword = true, srv.User, srv.Password
		if !yourself {
			c.User, c.Password = srv.User, srv.Password
		}
	})
}

// TestTourInScript runs the whole tour, not logged in as --login-yourself
// starts: every step runs and every command completes OK.
func TestTourInScript(t *testing.T) {
	r := runDemoScript(t, true, "tour\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	for i := range tourSteps {
		outHas(t, r.Out, "── tour "+strconv.Itoa(i+1)+" of "+strconv.Itoa(len(tourSteps))+": "+tourSteps[i].title+" ──")
	}
	outHas(t, r.Out,
		"You are not logged in (--login-yourself). The sandbox's user is demo, its password demo",
		"C: a002 LOGIN demo [hidden]",
		"# The tour works out the answer to <1.",
		"CRAM-MD5 authentication successful",
		`# "Entw&APw-rfe" is Entwürfe`,
		"# * 12 EXISTS: INBOX holds 12 messages",
		"number 3 is UID 7",
		"{130} is a literal",
		"S: + Ready for literal data",
		"# [APPENDUID 1 23]: the new message's UID is 23",
		"# [COPYUID 2 7 4]: in Archive (UIDVALIDITY 2), the copy of UID 7 is UID 4.",
		"# * 7 EXPUNGE, * 6 EXPUNGE, * 3 EXPUNGE: 3 messages went.",
		"# Sequence number 3 is UID 8 now (before, it was UID 7)",
		"C: a017 UID FETCH 22 (BODY.PEEK[])",
		"# verdict: ",
		" UID EXPUNGE 22\nS: * 14 EXPUNGE",
		"# UIDs 24, 27 and 31: still here, still marked.",
		"── the end of the tour ──")
	lacks(t, r.Out, "warning:", "error:")
	noServerLineSent(t, r.Out)
	for _, l := range strings.Split(r.Out, "\n") {
		if f := strings.Fields(l); len(f) > 2 && f[0] == "S:" && f[1] != "*" && (f[2] == "NO" || f[2] == "BAD") {
			t.Errorf("a step failed: %s", l)
		}
	}
}

// TestTourResumes: tour N first brings the session where step N starts,
// showing what it runs; outside --demo the tour is refused.
func TestTourResumes(t *testing.T) {
	r := runDemoScript(t, false, "tour 14\ntour 99\n")
	outHas(t, r.Out,
		"# this step works in INBOX: the tour sends SELECT INBOX first",
		"── tour 14 of 21: EXPUNGE",
		"C: a003 EXPUNGE",
		"── tour 21 of 21",
		"tour takes a step number from 1 to 21")
	lacks(t, r.Out, "── tour 13 of")
	r = runDemoScript(t, false, "tour 2\n")
	outHas(t, r.Out, "# this step starts before login, and you are logged in; UNAUTHENTICATE (RFC 8437, which the sandbox offers) goes back: the tour sends UNAUTHENTICATE first", "C: a002 UNAUTHENTICATE", "C: a003 LOGIN demo [hidden]")

	srv := startDemo(t)
	r = runScript(t, srv.Addr, srv.User, srv.Password, "tour\n")
	outHas(t, r.Out, "tour walks through the sandbox's sample mail: start imapsh --demo")
}

// TestTourAtTheTerminal walks steps as a learner does: Enter runs a step,
// a command of one's own runs and the step waits, the step's command typed
// by hand counts, stop leaves and tour goes on where it stopped.
func TestTourAtTheTerminal(t *testing.T) {
	srv := startDemo(t)
	tm := startTerm(t, srv.Addr, "", "", "-", func(c *Config) {
		c.Demo, c.DemoUser, c.DemoPassword = true, srv.User, srv.Password
	})
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("tour\r")
	tm.waitFor("tour 1/21 (Enter runs it; skip, stop)> ")
	tm.typeKeys("\r")
	tm.waitFor("AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5: the ways this server lets you log in")
	tm.waitFor("tour 2/21 (Enter runs it; skip, stop)> ")
	tm.typeKeys("NOOP\r")
	tm.waitFor("that was not this step's command; Enter runs LOGIN demo demo")
	tm.typeKeys("a1 login demo demo\r")
	tm.waitFor("OK: you are in the authenticated state")
	tm.waitFor("tour 3/21 (Enter runs it; skip, stop)> ")
	tm.typeKeys("skip\r")
	tm.waitFor("tour 4/21 (Enter runs it; skip, stop)> ")
	tm.typeKeys("stop\r")
	tm.waitFor("the tour stopped at step 4: tour 4 (or tour alone) goes on from there.")
	tm.typeKeys("tour\r")
	tm.waitFor("the tour goes on at step 4")
	// Step 4 starts before login: the tour goes back first.
	tm.waitFor("C: a003 UNAUTHENTICATE")
	tm.waitFor("tour 4/21 (Enter runs it; skip, stop)> ")
	tm.typeKeys("AUTHENTICATE CRAM-MD5\r") // typed: the tour still works out the answer
	tm.waitFor("Enter sends the tour's line (or type your own)> ")
	tm.typeKeys("\r")
	tm.waitFor("OK: logged in again")
	tm.waitFor("tour 5/21")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	out := tm.out.String()
	if strings.Contains(out, "C: a004 UNAUTHENTICATE") {
		t.Errorf("step 3 was skipped, yet UNAUTHENTICATE went twice:\n%s", out)
	}
	outHas(t, out, "C: a1 login demo [hidden]", "C: [hidden: answer to an authentication challenge]")
	// The tour answers the challenge itself: no offer to compute it on Enter.
	lacks(t, out, "imapsh asks for your password without echo and computes the answer")
}

// TestPastedLiteralIndent: a block pasted with its indentation loses it
// in an APPEND's lines as in its command; a single leading blank is kept.
func TestPastedLiteralIndent(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "    APPEND Sent {7}\n    + Ready\n    hello\n\n APPEND Sent {8}\n hello\n\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	outHas(t, r.Out, "C: [7 octets: typed]", "S: a002 OK [APPENDUID 3 4]", "C: [8 octets: typed]", "S: a003 OK [APPENDUID 3 5]",
		"# skipped a pasted server line (never sent): + Ready")
}
