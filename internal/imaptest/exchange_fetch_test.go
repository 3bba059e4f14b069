package imaptest

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func selected(t *testing.T, cfg ExchangeConfig, box string) (*Exchange, *client) {
	t.Helper()
	x := NewExchange(t, cfg)
	c := exchangeSession(t, x)
	if got := c.cmd("s1", "SELECT "+box); !strings.HasPrefix(got[len(got)-1], "s1 OK") {
		t.Fatalf("select: %q", got)
	}
	return x, c
}

func TestExchangePoisonSilent(t *testing.T) {
	x, c := selected(t, ExchangeConfig{Poison: PoisonWithholdBody}, "INBOX")
	only := func(tag, cmd string) {
		t.Helper()
		equalLines(t, cmd, c.cmd(tag, cmd), []string{tag + " OK FETCH completed."})
	}
	only("a02", "fetch 1045 (uid rfc822.size flags body.peek[header.fields (date to cc from subject x-priority content-type)])")
	for i, item := range []string{"BODY[]", "BODY.PEEK[]", "BODY[TEXT]", "BODY.PEEK[HEADER]", "BODY[1]", "RFC822",
		"RFC822.TEXT", "RFC822.HEADER", "BODY.PEEK[]<0.100>", "(UID BODY[]<0.10>)"} {
		only(fmt.Sprintf("p%d", i), "FETCH 1045 "+item)
	}
	only("u1", "UID FETCH 15541 (BODY.PEEK[])")
	equalLines(t, "a03", c.cmd("a03", "fetch 1045 (body)"), []string{
		`* 1045 FETCH (BODY ("text" "plain" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 1 1) FLAGS ())`,
		"a03 OK FETCH completed."})
	equalLines(t, "meta", c.cmd("a1", "FETCH 1045 (UID RFC822.SIZE FLAGS INTERNALDATE BODYSTRUCTURE)"), []string{
		`* 1045 FETCH (UID 15541 RFC822.SIZE 4821 FLAGS () INTERNALDATE "19-Jan-2016 14:02:19 +0100" BODYSTRUCTURE ` +
			PoisonStructure + ")", "a1 OK FETCH completed."})
	got := c.cmd("a2", "FETCH 1044:1046 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
	if len(got) != 3 || !strings.HasPrefix(got[0], "* 1044 FETCH (UID 15523 BODY[HEADER.FIELDS (SUBJECT)] {") ||
		!strings.HasPrefix(got[1], "* 1046 FETCH (UID 15544 ") {
		t.Errorf("range around the poison: %q", got)
	}
	env := c.cmd("a3", "FETCH 1045 ENVELOPE")
	if !strings.Contains(env[0], `"=?iso-8859-1?q?Schema=E4ndring_vecka_4?=" (("Kursexpedition" NIL "kursexp" "kth.example"))`) {
		t.Errorf("envelope %q", env[0])
	}
	if f := x.Flags("INBOX", PoisonUID); len(f) != 0 {
		t.Errorf("failed fetches changed the poison's flags: %q", f)
	}
}

func TestExchangePoisonSubstitute(t *testing.T) {
	_, c := selected(t, ExchangeConfig{PoisonSubstitute: true}, "INBOX")
	equalLines(t, "a04", c.cmd("a04", "fetch 1045 (body.peek[header.fields (from subject)])"), []string{
		"* 1045 FETCH (BODY[HEADER.FIELDS (from subject)] {127}\r\n" +
			"From: Microsoft Exchange Server 2010\r\n" +
			"Subject: Retrieval using the IMAP4 protocol failed for the following message:\r\n 15541\r\n\r\n)",
		"a04 OK FETCH completed."})
	got := c.cmd("a05", "FETCH 1045 (RFC822.SIZE BODY.PEEK[])")
	m := regexp.MustCompile(`(?s)^\* 1045 FETCH \(RFC822.SIZE 4821 BODY\[\] \{(\d+)\}\r\n(.*)\)$`).FindStringSubmatch(got[0])
	if m == nil {
		t.Fatalf("substitute fetch: %q", got)
	}
	if n, _ := strconv.Atoi(m[1]); n != len(m[2]) || n == PoisonSize ||
		!strings.Contains(m[2], "Subject: Retrieval using the IMAP4 protocol failed for the following message:\r\n 15541\r\n") {
		t.Errorf("substitute body {%s} %q", m[1], m[2])
	}
}

func TestExchangeFetchItems(t *testing.T) {
	x, c := selected(t, ExchangeConfig{}, "INBOX")
	msg := string(x.Message("INBOX", 15))
	hdr, body, _ := strings.Cut(msg, "\r\n\r\n")
	lit := func(s string) string { return fmt.Sprintf("{%d}\r\n%s", len(s), s) }
	date := `"01-Sep-2014 19:45:00 +0100"`
	env := `("Mon, 01 Sep 2014 19:45:00 +0100" "Reading list, part 15" ` +
		`(("Anna Lindqvist" NIL "anna.lindqvist" "kth.example")) (("Anna Lindqvist" NIL "anna.lindqvist" "kth.example")) ` +
		`(("Anna Lindqvist" NIL "anna.lindqvist" "kth.example")) (("Tomas Nordin" NIL "tomas" "kth.example")) NIL NIL NIL ` +
		`"<15.INBOX@imaptest.example>")`
	structure := fmt.Sprintf(`("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" %d 4`, len(body))
	tests := []struct{ cmd, want string }{
		{"FETCH 1 (RFC822.SIZE BODY.PEEK[])", fmt.Sprintf("* 1 FETCH (RFC822.SIZE %d BODY[] %s)", len(msg), lit(msg))},
		{"FETCH 1 FAST", fmt.Sprintf(`* 1 FETCH (FLAGS (\Seen) INTERNALDATE %s RFC822.SIZE %d)`, date, len(msg))},
		{"FETCH 1 ALL", fmt.Sprintf(`* 1 FETCH (FLAGS (\Seen) INTERNALDATE %s RFC822.SIZE %d ENVELOPE %s)`, date, len(msg), env)},
		{"FETCH 1 FULL", fmt.Sprintf(`* 1 FETCH (FLAGS (\Seen) INTERNALDATE %s RFC822.SIZE %d ENVELOPE %s BODY %s))`, date, len(msg), env, structure)},
		{"FETCH 1 BODYSTRUCTURE", "* 1 FETCH (BODYSTRUCTURE " + structure + " NIL NIL NIL NIL))"},
		{"FETCH 1 BODY.PEEK[]<0.10>", "* 1 FETCH (BODY[]<0> {10}\r\nDate: Mon,)"},
		{"FETCH 1 BODY.PEEK[TEXT]<5.1000>", "* 1 FETCH (BODY[TEXT]<5> " + lit(body[5:]) + ")"},
		{"FETCH 1 BODY.PEEK[]<99999.5>", "* 1 FETCH (BODY[]<99999> {0}\r\n)"},
		{"FETCH 1 BODY.PEEK[HEADER]", "* 1 FETCH (BODY[HEADER] " + lit(hdr+"\r\n\r\n") + ")"},
		{"FETCH 1 RFC822.HEADER", "* 1 FETCH (RFC822.HEADER " + lit(hdr+"\r\n\r\n") + ")"},
		{"FETCH 1 (BODY.PEEK[HEADER.FIELDS.NOT (Date From To Message-ID MIME-Version Content-Type)])",
			"* 1 FETCH (BODY[HEADER.FIELDS.NOT (Date From To Message-ID MIME-Version Content-Type)] " +
				lit("Subject: Reading list, part 15\r\nContent-Transfer-Encoding: 7bit\r\n\r\n") + ")"},
		{"UID FETCH 15 FLAGS", `* 1 FETCH (FLAGS (\Seen) UID 15)`},
		{"UID FETCH 16000:* (UID)", "* 1234 FETCH (UID 15952)"},
		{"FETCH * UID", "* 1234 FETCH (UID 15952)"},
		{"FETCH 1049 BODY[TEXT]", "* 1049 FETCH (BODY[TEXT] " + lit(strings.SplitN(string(x.Message("INBOX", 15561)), "\r\n\r\n", 2)[1]) + ` FLAGS (\Seen))`},
		{"FETCH 1049 (FLAGS BODY[TEXT]<0.4>)", `* 1049 FETCH (FLAGS (\Seen) BODY[TEXT]<0> {4}` + "\r\nLine)"},
	}
	for i, tc := range tests {
		tag := fmt.Sprintf("f%d", i)
		equalLines(t, tc.cmd, c.cmd(tag, tc.cmd), []string{tc.want, tag + " OK FETCH completed."})
	}
	if f := x.Flags("INBOX", 15561); !slices.Contains(f, `\Seen`) {
		t.Errorf("BODY[TEXT] did not set \\Seen: %q", f)
	}
	// EXAMINE is read-only: BODY[] does not set \Seen there.
	c.cmd("e1", "EXAMINE INBOX")
	equalLines(t, "examine fetch", c.cmd("e2", "FETCH 1051 BODY[]<0.4>"), []string{"* 1051 FETCH (BODY[]<0> {4}\r\nDate)", "e2 OK FETCH completed."})
	if f := x.Flags("INBOX", 15585); slices.Contains(f, `\Seen`) {
		t.Errorf("read-only fetch set \\Seen: %q", f)
	}
}

func TestExchangeStoreSearch(t *testing.T) {
	x, c := selected(t, ExchangeConfig{}, "INBOX")
	tests := []struct {
		cmd  string
		want []string
	}{
		{`STORE 2 FLAGS.SILENT (\Flagged)`, nil},
		{`STORE 2 -FLAGS (\Flagged)`, []string{`* 2 FETCH (FLAGS ())`}},
		{`STORE 3 FLAGS \Answered \seen`, []string{`* 3 FETCH (FLAGS (\Seen \Answered))`}},
		{`UID STORE 15541 +FLAGS ($MDNSent \Seen)`, []string{`* 1045 FETCH (FLAGS (\Seen $MDNSent) UID 15541)`}},
		{"SEARCH 1040:1050 UNDELETED", []string{"* SEARCH 1041 1042 1043 1044 1045 1046 1047 1049 1050"}},
		{"UID SEARCH UID 15500:15562 DELETED", []string{"* SEARCH 15500 15553"}},
		{"SEARCH OR 1 3 NOT 3", []string{"* SEARCH 1"}},
		{"SEARCH NOT (ALL)", []string{"* SEARCH"}},
		{"SEARCH LARGER 4000", []string{"* SEARCH 1045"}},
		{`UID SEARCH HEADER Message-ID "<15.INBOX@"`, []string{"* SEARCH 15"}},
		{"SEARCH CHARSET UTF-8 KEYWORD $MDNSent", []string{"* SEARCH 1045"}},
		{"SEARCH 1:5 UNSEEN", []string{"* SEARCH 2"}},
		{`SEARCH FROM "microsoft"`, []string{"* SEARCH"}},
		{"SEARCH 1:3 ON 1-Sep-2014", []string{"* SEARCH 1"}},
		{"SEARCH 1:3 SINCE 2-Sep-2014", []string{"* SEARCH 2 3"}},
		{"SEARCH 1:3 BEFORE 2-Sep-2014", []string{"* SEARCH 1"}},
	}
	for i, tc := range tests {
		tag := fmt.Sprintf("s%d", i)
		name := "STORE"
		if strings.Contains(tc.cmd, "SEARCH") {
			name = "SEARCH"
		}
		equalLines(t, tc.cmd, c.cmd(tag, tc.cmd), append(tc.want, tag+" OK "+name+" completed."))
	}
	if got := c.cmd("b1", "SEARCH BOGUS"); got[0] != "b1 BAD Command Argument Error. 11" {
		t.Errorf("bad search key: %q", got)
	}
	if f := x.Flags("INBOX", PoisonUID); !slices.Equal(f, []string{`\Seen`, "$MDNSent"}) {
		t.Errorf("poison flags %q", f)
	}
	c.cmd("e1", "EXAMINE INBOX")
	equalLines(t, "read-only", c.cmd("e2", `STORE 1 +FLAGS (\Deleted)`), []string{"e2 NO Command received in Invalid state."})
}

func TestExchangeAppendCopy(t *testing.T) {
	msg := "From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n"
	for _, uidplus := range []bool{false, true} {
		cfg := ExchangeConfig{}
		if uidplus {
			cfg.Capabilities = ExchangeCapabilities + " UIDPLUS"
		}
		x, c := selected(t, cfg, "Drafts")
		c.send(fmt.Sprintf(`a1 APPEND Drafts (\Draft) " 9-Jan-2016 14:02:19 +0100" {%d+}`, len(msg)))
		c.nc.Write([]byte(msg + "\r\n"))
		want := []string{"* 1 EXISTS", "a1 OK APPEND completed."}
		if uidplus {
			want[1] = "a1 OK [APPENDUID 24 1] APPEND completed."
		}
		equalLines(t, "append", c.until("a1"), want)
		if string(x.Message("Drafts", 1)) != msg || !slices.Equal(x.Flags("Drafts", 1), []string{`\Draft`}) {
			t.Errorf("stored %q %q", x.Message("Drafts", 1), x.Flags("Drafts", 1))
		}
		equalLines(t, "date", c.cmd("a2", "FETCH 1 INTERNALDATE"), []string{`* 1 FETCH (INTERNALDATE "09-Jan-2016 14:02:19 +0100")`, "a2 OK FETCH completed."})
		equalLines(t, "trycreate", c.cmd("a3", "APPEND Nope {1+}\r\nx"), []string{"a3 NO [TRYCREATE] The requested item could not be found."})
		copyWant := "a4 OK COPY completed."
		if uidplus {
			copyWant = "a4 OK [COPYUID 23 1 3] COPY completed."
		}
		equalLines(t, "copy", c.cmd("a4", `COPY 1 "Deleted Items"`), []string{copyWant})
		if got := x.UIDs("Deleted Items"); !slices.Equal(got, []uint32{1, 2, 3}) || string(x.Message("Deleted Items", 3)) != msg {
			t.Errorf("Deleted Items %v", got)
		}
		c.cmd("a5", `STORE 1 +FLAGS.SILENT (\Deleted)`)
		got := c.cmd("a6", "UID EXPUNGE 1")
		if uidplus {
			equalLines(t, "uid expunge", got, []string{"* 1 EXPUNGE", "* 0 EXISTS", "a6 OK EXPUNGE completed."})
		} else {
			equalLines(t, "uid expunge", got, []string{"a6 BAD Command Argument Error. 11"})
		}
	}
}
