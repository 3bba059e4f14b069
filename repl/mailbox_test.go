package repl

import (
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/repl/internal/session"
)

func TestEncodeMailboxArgs(t *testing.T) {
	for _, c := range []struct {
		in, want7, want8 string
	}{
		{"SELECT Entwürfe", "SELECT Entw&APw-rfe", `SELECT "Entwürfe"`},
		{`select "Entwürfe"`, "select Entw&APw-rfe", `select "Entwürfe"`},
		{`EXAMINE "Tom & Jerry / Überblick"`, `EXAMINE "Tom &- Jerry / &ANw-berblick"`, `EXAMINE "Tom & Jerry / Überblick"`},
		{"CREATE Entwürfe/台北", "CREATE Entw&APw-rfe/&U,BTFw-", `CREATE "Entwürfe/台北"`},
		{"RENAME Alt Entwürfe", "RENAME Alt Entw&APw-rfe", `RENAME Alt "Entwürfe"`},
		{"RENAME Ä Ö", "RENAME &AMQ- &ANY-", `RENAME "Ä" "Ö"`},
		{"STATUS Entwürfe (MESSAGES UIDNEXT)", "STATUS Entw&APw-rfe (MESSAGES UIDNEXT)", `STATUS "Entwürfe" (MESSAGES UIDNEXT)`},
		{"APPEND Entwürfe (\\Seen) <m.eml", "APPEND Entw&APw-rfe (\\Seen) <m.eml", `APPEND "Entwürfe" (\Seen) <m.eml`},
		{"COPY 1:3 Entwürfe", "COPY 1:3 Entw&APw-rfe", `COPY 1:3 "Entwürfe"`},
		{"uid move 5 Entwürfe", "uid move 5 Entw&APw-rfe", `uid move 5 "Entwürfe"`},
		{`LIST "" Entw*`, `LIST "" Entw*`, `LIST "" Entw*`},
		{`LIST "" Entwü*`, `LIST "" Entw&APw-*`, `LIST "" "Entwü*"`},
		{`LIST (SUBSCRIBED) "" ("Entwü%" INBOX)`, `LIST (SUBSCRIBED) "" ("Entw&APw-%" INBOX)`, `LIST (SUBSCRIBED) "" ("Entwü%" INBOX)`},
		{`LIST "" (Entwü% INBOX)`, `LIST "" (Entw&APw-% INBOX)`, `LIST "" ("Entwü%" INBOX)`},
		{"SUBSCRIBE Entwürfe", "SUBSCRIBE Entw&APw-rfe", `SUBSCRIBE "Entwürfe"`},
		{"SELECT Entw&APw-rfe", "SELECT Entw&APw-rfe", "SELECT Entw&APw-rfe"}, // typed raw: as is
		{"SEARCH SUBJECT Überblick", "SEARCH SUBJECT Überblick", "SEARCH SUBJECT Überblick"},
		{"FETCH 1 BODY[]", "FETCH 1 BODY[]", "FETCH 1 BODY[]"},
		{"SELECT {9}", "SELECT {9}", "SELECT {9}"},
	} {
		for _, utf8 := range []bool{false, true} {
			want := c.want7
			if utf8 {
				want = c.want8
			}
			got, notes, err := encodeMailboxArgs(c.in, utf8, nil)
			if err != nil || got != want {
				t.Errorf("encodeMailboxArgs(%q, utf8 %v) = %q, %v; want %q", c.in, utf8, got, err, want)
			}
			if (got != c.in) != (len(notes) > 0) {
				t.Errorf("%q: notes %q do not match the rewrite", c.in, notes)
			}
		}
	}
	// A name the server listed in 8-bit is sent as it spells it.
	listed := func(n string) bool { return n == "Straße" }
	for in, want := range map[string]string{`SELECT "Straße"`: `SELECT "Straße"`, "SELECT Straße": `SELECT "Straße"`, "SELECT Gäste": "SELECT G&AOQ-ste"} {
		if got, notes, err := encodeMailboxArgs(in, false, listed); got != want || err != nil || len(notes) != 1 {
			t.Errorf("listed 8-bit names: %q = %q, %q, %v; want %q", in, got, notes, err, want)
		}
	}
	for _, bad := range []string{`SELECT "Entwürfe`, `LIST "" ("Entwü%"`, "SELECT Entw\xffrfe"} {
		if _, _, err := encodeMailboxArgs(bad, false, nil); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestMailboxNamesDecoded: a LIST with names in modified UTF-7 (one
// invalid) shows each line as sent and a note with the decoded name; a
// name typed in Unicode is sent encoded; the prompt shows the decoded name
// beside the raw one; completion offers the decoded names; STATUS is noted
// too; after ENABLE UTF8=ACCEPT names go as UTF-8.
func TestMailboxNamesDecoded(t *testing.T) {
	utf8 := false
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		switch name {
		case "LIST":
			c.Send(`* LIST (\HasNoChildren) "/" INBOX`)
			c.Send(`* LIST (\HasNoChildren) "/" Entw&APw-rfe`)
			c.Send(`* LIST (\HasNoChildren) "/" "&Jjo!"`)
			c.Send(`* LIST (\HasNoChildren) "/" "~peter/mail/&U,BTFw-/&ZeVnLIqe-"`)
			c.Send(tag + " OK LIST completed")
		case "STATUS":
			c.Send(`* STATUS Entw&APw-rfe (MESSAGES 2)`)
			c.Send(tag + " OK STATUS completed")
		case "ENABLE":
			utf8 = true
			c.Send("* ENABLED UTF8=ACCEPT")
			c.Send(tag + " OK ENABLE completed")
		case "SELECT":
			if !utf8 && !strings.HasSuffix(line, " Entw&APw-rfe") || utf8 && !strings.HasSuffix(line, ` "Entwürfe"`) {
				c.Send(tag + " NO no such mailbox")
				break
			}
			c.Send("* 2 EXISTS")
			c.Send(tag + " OK [READ-WRITE] SELECT completed")
		default:
			c.Send(tag + " OK " + name + " completed")
		}
		return true
	})
	tm := startTermWith(t, srv.Addr, "", "", nil)
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys(`LIST "" "*"` + "\r")
	tm.waitFor("OK LIST completed")
	out := tm.out.String()
	for _, want := range []string{
		`S: * LIST (\HasNoChildren) "/" Entw&APw-rfe` + "\n" + `# mailbox name "Entw&APw-rfe" is "Entwürfe" (modified UTF-7)`,
		`S: * LIST (\HasNoChildren) "/" "&Jjo!"` + "\n" + `# mailbox name "&Jjo!" is not valid modified UTF-7 (the section at 1 has no closing "-"): shown as the server sent it`,
		`# mailbox name "~peter/mail/&U,BTFw-/&ZeVnLIqe-" is "~peter/mail/台北/日本語" (modified UTF-7)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `mailbox name "INBOX"`) {
		t.Errorf("a note on a plain name:\n%s", out)
	}
	tm.typeKeys("SELECT Entw\t")
	tm.waitFor("SELECT Entwürfe")
	tm.typeKeys("\r")
	tm.waitFor(`# "Entwürfe" is sent as Entw&APw-rfe (modified UTF-7, RFC 3501 section 5.1.3)`)
	tm.waitFor("C: a002 SELECT Entw&APw-rfe")
	tm.waitFor("127.0.0.1 Entwürfe [Entw&APw-rfe] rw 2> ")
	tm.typeKeys("STATUS Entwürfe (MESSAGES)\r")
	tm.waitFor("S: * STATUS Entw&APw-rfe (MESSAGES 2)\n# mailbox name \"Entw&APw-rfe\" is \"Entwürfe\" (modified UTF-7)")
	tm.typeKeys("ENABLE UTF8=ACCEPT\r")
	tm.waitFor("OK ENABLE completed")
	tm.typeKeys("SELECT Entwürfe\r")
	tm.waitFor(`C: a005 SELECT "Entwürfe"`)
	tm.waitFor(`127.0.0.1 Entwürfe rw 2> `)
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
}

func TestCompletionDecodesMailboxes(t *testing.T) {
	sh := &Shell{st: session.NewState("h")}
	sh.st.SetMailboxes("INBOX", "Entw&APw-rfe", "&Jjo!", "Archiv/2024")
	got := candidates(sh, []string{"SELECT"}, "")
	var s []string
	for _, r := range got {
		s = append(s, string(r))
	}
	want := `&Jjo! |Archiv/2024 |Entwürfe |INBOX `
	if strings.Join(s, "|") != want {
		t.Errorf("candidates = %q, want %q", strings.Join(s, "|"), want)
	}
	got = candidates(sh, []string{"SELECT"}, "Entw")
	if len(got) != 1 || string(got[0]) != "ürfe " {
		t.Errorf("completing Entw: %q", got)
	}
}

func TestPromptDecodesMailbox(t *testing.T) {
	for _, c := range []struct {
		s    Snapshot
		want string
	}{
		{Snapshot{Host: "h", Conn: Selected, Mailbox: "Entw&APw-rfe", Exists: 3}, "h Entwürfe [Entw&APw-rfe] rw 3> "},
		{Snapshot{Host: "h", Conn: Selected, Mailbox: "&Jjo!", Exists: 1}, `h &Jjo! rw 1> `},
		{Snapshot{Host: "h", Conn: Selected, Mailbox: "Entwürfe", UTF8: true}, `h Entwürfe rw 0> `},
		{Snapshot{Host: "h", Conn: Selected, Mailbox: "Ent w&APw-rfe"}, `h "Ent würfe" ["Ent w&APw-rfe"] rw 0> `},
		{Snapshot{Host: "h", Conn: Selected, Mailbox: "Entw&APw-rfe", UTF8: true}, `h Entw&APw-rfe rw 0> `},
		{Snapshot{Host: "h", Conn: Selected, Mailbox: "&IC4-", Exists: 1}, `h "\u202e" [&IC4-] rw 1> `},
	} {
		if got := promptFor(c.s); got != c.want {
			t.Errorf("promptFor(%q) = %q, want %q", c.s.Mailbox, got, c.want)
		}
	}
}

// UTF8=ACCEPT against a real server's code (the demo runs go-imap's
// imapserver): before ENABLE a name typed in Unicode goes as modified
// UTF-7; after it, as UTF-8 in quotes, and the server lists, selects and
// answers STATUS with the name in UTF-8.
func TestUTF8AcceptDemo(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password,
		"STATUS Entwürfe (MESSAGES)\nENABLE UTF8=ACCEPT\nLIST \"\" \"Entw*\"\nSELECT Entwürfe\nSTATUS Entwürfe (MESSAGES)\n")
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	for _, want := range []string{
		"C: a002 STATUS Entw&APw-rfe (MESSAGES)\nS: * STATUS \"Entw&APw-rfe\" (MESSAGES 1)",
		"S: * ENABLED UTF8=ACCEPT",
		"S: * LIST (\\HasNoChildren \\Drafts) \"/\" \"Entwürfe\"",
		"C: a005 SELECT \"Entwürfe\"",
		"S: a005 OK [READ-WRITE] SELECT completed",
		"C: a006 STATUS \"Entwürfe\" (MESSAGES)\nS: * STATUS \"Entwürfe\" (MESSAGES 1)",
	} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
}
