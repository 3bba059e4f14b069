package demo

import (
	"fmt"
	"strings"
	"testing"
)

// startWith starts a sandbox with opts that is closed when the test ends.
func startWith(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := StartWith(opts)
	if err != nil {
		t.Fatalf("StartWith(%+v): %v", opts, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// equalResponses compares the exact bytes of responses.
func equalResponses(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "") != strings.Join(want, "") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// TestPoisonAsSeedReplay replays the seed's lines, with the demo's numbers
// (sequence number 14, UID 22), and compares the exact bytes.
func TestPoisonAsSeedReplay(t *testing.T) {
	s := startWith(t, Options{Poison: PoisonAsSeed})
	rc := dialRaw(t, s)
	rc.login("Poison")
	structure := `("text" "plain" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 438 11)`
	notice := "From: \"Microsoft Exchange Server 2010\"\r\n <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@university.example>\r\n" +
		"Subject: Retrieval using the IMAP4 protocol failed for the following message:\r\n 22\r\n\r\n"
	steps := []struct {
		tag, cmd string
		want     []string
	}{
		{"a02", "fetch 14 (uid rfc822.size flags body.peek[header.fields (date to cc from subject x-priority content-type)])",
			[]string{"a02 OK FETCH completed\r\n"}},
		{"a03", "fetch 14 (body)", []string{"* 14 FETCH (BODY " + structure + ")\r\n", "a03 OK FETCH completed\r\n"}},
		{"a04", "fetch 14 (body.peek[header.fields (from subject)])", []string{
			fmt.Sprintf("* 14 FETCH (BODY[HEADER.FIELDS (\"from\" \"subject\")] {%d}\r\n%s)\r\n", len(notice), notice),
			"a04 OK FETCH completed\r\n"}},
		// The killing session.
		{"b03", "fetch 14 (uid)", []string{"* 14 FETCH (UID 22)\r\n", "b03 OK FETCH completed\r\n"}},
		{"b04", "uid fetch 22 (uid flags)", []string{"* 14 FETCH (UID 22 FLAGS ())\r\n", "b04 OK UID FETCH completed\r\n"}},
		{"b05", `store 14 +flags (\Deleted)`, []string{"* 14 FETCH (FLAGS (\\Deleted))\r\n", "b05 OK STORE completed\r\n"}},
		{"b06", "fetch 14 (uid)", []string{"* 14 FETCH (UID 22)\r\n", "b06 OK FETCH completed\r\n"}},
		{"b07", "expunge", []string{"* 20 EXPUNGE\r\n", "* 18 EXPUNGE\r\n", "* 16 EXPUNGE\r\n", "* 14 EXPUNGE\r\n", "b07 OK EXPUNGE completed\r\n"}},
	}
	for _, st := range steps {
		equalResponses(t, st.tag+" "+st.cmd, rc.do(st.tag, st.cmd), st.want)
	}
}

func TestPoisonAsSeedItems(t *testing.T) {
	s := startWith(t, Options{Poison: PoisonAsSeed})
	rc := dialRaw(t, s)
	rc.login("Poison")
	dropped := []string{"RFC822.SIZE", "ENVELOPE", "BODY[]", "BODY.PEEK[]", "BODY[TEXT]", "BODY.PEEK[TEXT]", "BODY[HEADER]",
		"BODY.PEEK[HEADER]", "BODY.PEEK[HEADER.FIELDS.NOT (Subject)]", "BODY[1]", "BODY.PEEK[1.MIME]", "BODY.PEEK[]<0.100>",
		"BODY[TEXT]<10.20>", "RFC822", "RFC822.TEXT", "RFC822.HEADER", "BINARY[1]", "BINARY.PEEK[1]", "BINARY.PEEK[]",
		"BINARY.SIZE[1]"}
	for i, item := range dropped {
		for j, cmd := range []string{
			fmt.Sprintf("FETCH %d %s", poisonSeq, item),
			fmt.Sprintf("FETCH %d (UID FLAGS INTERNALDATE BODY %s)", poisonSeq, item),
			fmt.Sprintf("UID FETCH %d (BODY.PEEK[HEADER.FIELDS (FROM)] %s)", poisonUID, item),
		} {
			tag := fmt.Sprintf("d%d.%d", i, j)
			want := tag + " OK FETCH completed\r\n"
			if j == 2 {
				want = tag + " OK UID FETCH completed\r\n"
			}
			equalResponses(t, cmd, rc.do(tag, cmd), []string{want})
		}
	}
	for i, macro := range []string{"ALL", "FAST", "FULL"} {
		tag := fmt.Sprintf("m%d", i)
		equalResponses(t, macro, rc.do(tag, fmt.Sprintf("FETCH %d %s", poisonSeq, macro)), []string{tag + " OK FETCH completed\r\n"})
	}
	// Nothing above set \Seen.
	equalResponses(t, "flags", rc.do("f1", fmt.Sprintf("FETCH %d FLAGS", poisonSeq)),
		[]string{"* 14 FETCH (FLAGS ())\r\n", "f1 OK FETCH completed\r\n"})

	answered := []struct{ cmd, want string }{
		{"FETCH 14 (UID FLAGS INTERNALDATE)", `* 14 FETCH (UID 22 FLAGS () INTERNALDATE "16-Feb-2026 09:02:13 +0100")`},
		{"FETCH 14 BODYSTRUCTURE", `* 14 FETCH (BODYSTRUCTURE ("text" "plain" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 438 11 NIL NIL NIL NIL))`},
		{"FETCH 14 BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]<0.20>", "* 14 FETCH (BODY[HEADER.FIELDS (\"FROM\" \"SUBJECT\")]<0> {20}\r\nFrom: \"Microsoft Exc)"},
	}
	for i, tc := range answered {
		tag := fmt.Sprintf("a%d", i)
		equalResponses(t, tc.cmd, rc.do(tag, tc.cmd), []string{tc.want + "\r\n", tag + " OK FETCH completed\r\n"})
	}

	// A range around the poison answers the others.
	got := rc.do("r1", "FETCH 13:15 (UID RFC822.SIZE)")
	if len(got) != 3 || !strings.HasPrefix(got[0], "* 13 FETCH (UID 20 RFC822.SIZE ") ||
		!strings.HasPrefix(got[1], "* 15 FETCH (UID 23 RFC822.SIZE ") || got[2] != "r1 OK FETCH completed\r\n" {
		t.Errorf("FETCH 13:15: %q", got)
	}
}

// TestPoisonModes: Start and PoisonDefault behave as PoisonAsSeed (the
// demo rehearses the real thing); PoisonWithholdContent is the kinder
// rehearsal; an unknown mode is refused.
func TestPoisonModes(t *testing.T) {
	const header = "FETCH 14 (UID BODY.PEEK[HEADER.FIELDS (FROM)])"
	const size = "FETCH 14 (UID RFC822.SIZE)"
	for _, s := range []*Server{start(t), startWith(t, Options{}), startWith(t, Options{Poison: PoisonAsSeed})} {
		rc := dialRaw(t, s)
		rc.login("Poison")
		got := rc.do("h", header)
		if len(got) != 2 || !strings.HasPrefix(got[0], `* 14 FETCH (UID 22 BODY[HEADER.FIELDS ("FROM")] {`) || got[1] != "h OK FETCH completed\r\n" {
			t.Errorf("%s: %q", header, got)
		}
		equalResponses(t, size, rc.do("s", size), []string{"s OK FETCH completed\r\n"})
	}
	rc := dialRaw(t, startWith(t, Options{Poison: PoisonWithholdContent}))
	rc.login("Poison")
	equalResponses(t, header, rc.do("h", header), []string{"h OK FETCH completed\r\n"})
	equalResponses(t, size, rc.do("s", size), []string{"* 14 FETCH (UID 22 RFC822.SIZE 924)\r\n", "s OK FETCH completed\r\n"})
	if _, err := StartWith(Options{Poison: PoisonAsSeed + 1}); err == nil || !strings.Contains(err.Error(), "PoisonMode(3)") {
		t.Errorf("StartWith(unknown mode) = %v", err)
	}
	if PoisonDefault.String() != "PoisonDefault" || PoisonAsSeed.String() != "PoisonAsSeed" {
		t.Error("PoisonMode.String")
	}
}
