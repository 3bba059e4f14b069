package repl

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/imapsh/imapsh/internal/imaptest"
)

// scriptedServer is a minimal server: it answers each command with the
// lines answer returns for it (upper-cased, without its tag); a line
// starting "TAG " gets the command's tag. nil answers "TAG OK done".
func scriptedServer(t *testing.T, caps string, answer func(cmd string) []string) *imaptest.Server {
	return imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK [CAPABILITY " + caps + "] scripted server ready")
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, cmd, _ := strings.Cut(line, " ")
			cmd = strings.ToUpper(cmd)
			out := answer(cmd)
			if cmd == "LOGOUT" {
				out = []string{"* BYE bye", "TAG OK LOGOUT done"}
			} else if strings.HasPrefix(cmd, "SELECT") {
				out = []string{"* 10 EXISTS", "* OK [UIDVALIDITY 3] UIDs valid", "TAG OK [READ-WRITE] SELECT done"}
			}
			if out == nil {
				out = []string{"TAG OK done"}
			}
			for _, l := range out {
				if rest, ok := strings.CutPrefix(l, "TAG "); ok {
					l = tag + " " + rest
				}
				c.Send(l)
			}
			if cmd == "LOGOUT" {
				return
			}
		}
	})
}

// noStrays fails if dir holds anything but the named files.
func noStrays(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if !strings.Contains(strings.Join(names, "/"), e.Name()) {
			t.Errorf("%s left behind in %s", e.Name(), dir)
		}
	}
}

func TestSaveExchange(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.eml")
	x, r := runExchange(t, imaptest.ExchangeConfig{}, "save 15544 "+path+"\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	got, err := os.ReadFile(path)
	if want := x.Message("INBOX", 15544); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s = %q, %v; want %q", path, got, err, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
	noStrays(t, dir, "m.eml")
	wantOut(t, r.Out, "C: a005 UID FETCH 15544 (UID)", "C: a006 UID FETCH 15544 (RFC822.SIZE)", "C: a007 UID FETCH 15544 (BODY.PEEK[])",
		fmt.Sprintf("# [%d of %d octets of BODY[] received by save, not shown]", len(got), len(got)),
		fmt.Sprintf("# saved %d octets to %s: UID 15544, sequence number 1046 of INBOX (UIDVALIDITY 14), exactly as BODY.PEEK[] delivered it", len(got), path),
		"# its size matches RFC822.SIZE")
	if strings.Contains(r.Out, "Line 1 of message 15544") {
		t.Errorf("save printed the message:\n%s", r.Out)
	}
}

// TestSavePoisonExchange: nothing of the poison can be had, so there is
// no file, and the report says what was tried.
func TestSavePoisonExchange(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "poison.eml")
	_, r := runExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonSeed}, "save 15541 "+path+"\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	noStrays(t, dir)
	wantOut(t, r.Out,
		"C: a005 UID FETCH 15541 (UID)", "C: a006 UID FETCH 15541 (RFC822.SIZE)",
		"C: a007 UID FETCH 15541 (BODY.PEEK[])", "C: a008 UID FETCH 15541 (BODY.PEEK[HEADER])",
		"C: a009 UID FETCH 15541 (BODY.PEEK[TEXT])", "C: a010 UID FETCH 15541 (BODY.PEEK[]<0.4096>)",
		"# error: save: nothing of UID 15541 could be had, so no file was written:",
		"#   BODY[]: withheld: the server said OK but sent no BODY[]",
		"#   BODY[HEADER]: withheld: the server said OK but sent no BODY[HEADER]",
		"#   BODY[TEXT]: withheld: the server said OK but sent no BODY[TEXT]",
		"#   BODY[]<0>: withheld: the server said OK but sent no BODY[]<0>",
		"# run `probe 15541` to see what the server does deliver")
}

// TestSaveSubstituteExchange: what the server delivers is its notice, kept
// for what it is, and the report says the message is missing.
func TestSaveSubstituteExchange(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "poison.eml")
	_, r := runExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonSubstituteBody}, "save 15541 "+path+"\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(got, []byte("Retrieval using the IMAP4 protocol failed")) {
		t.Fatalf("%s = %q, %v", path, got, err)
	}
	wantOut(t, r.Out,
		fmt.Sprintf("# saved %d octets to %s: UID 15541, sequence number 1045", len(got), path),
		"which looks like a server-made substitute, not the message",
		fmt.Sprintf("# about %d of the %d octets RFC822.SIZE announces are missing", imaptest.PoisonSize-len(got), imaptest.PoisonSize))
	noStrays(t, dir, "poison.eml")
}

// TestSaveHeaderOnly: a server that delivers the header but refuses the
// text; the file holds the header and the report names what is missing.
func TestSaveHeaderOnly(t *testing.T) {
	hdr := "Subject: x\r\n\r\n"
	srv := scriptedServer(t, "IMAP4rev1", func(cmd string) []string {
		switch cmd {
		case "UID FETCH 7 (UID)":
			return []string{"* 5 FETCH (UID 7)", "TAG OK done"}
		case "UID FETCH 7 (RFC822.SIZE)":
			return []string{"* 5 FETCH (UID 7 RFC822.SIZE 40)", "TAG OK done"}
		case "UID FETCH 7 (BODY.PEEK[HEADER])":
			return []string{fmt.Sprintf("* 5 FETCH (UID 7 BODY[HEADER] {%d}\r\n%s)", len(hdr), hdr), "TAG OK done"}
		case "UID FETCH 7 (BODY.PEEK[TEXT])":
			return []string{"TAG NO [UNAVAILABLE] cannot convert the message"}
		}
		return nil
	})
	dir := t.TempDir()
	path := filepath.Join(dir, "h.eml")
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nsave 7 "+path+"\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != hdr {
		t.Fatalf("%s = %q, %v; want the header %q", path, got, err, hdr)
	}
	noStrays(t, dir, "h.eml")
	wantOut(t, r.Out,
		fmt.Sprintf("# saved %d octets to %s: UID 7, sequence number 5 of INBOX (UIDVALIDITY 3)", len(hdr), path),
		"# error: incomplete: "+path+" holds only what could be had; missing:",
		"#   BODY[]: withheld: the server said OK but sent no BODY[]",
		"#   BODY[TEXT]: refused: NO [UNAVAILABLE] cannot convert the message",
		fmt.Sprintf("# about %d of the 40 octets RFC822.SIZE announces are missing", 40-len(hdr)))
}

// TestSaveHeaderAndText: BODY[] does not come but HEADER and TEXT do;
// together they are the message.
func TestSaveHeaderAndText(t *testing.T) {
	hdr, text := "Subject: x\r\n\r\n", "hello\r\n"
	srv := scriptedServer(t, "IMAP4rev1", func(cmd string) []string {
		switch cmd {
		case "UID FETCH 7 (UID)":
			return []string{"* 5 FETCH (UID 7)", "TAG OK done"}
		case "UID FETCH 7 (RFC822.SIZE)":
			return []string{fmt.Sprintf("* 5 FETCH (UID 7 RFC822.SIZE %d)", len(hdr+text)), "TAG OK done"}
		case "UID FETCH 7 (BODY.PEEK[HEADER])":
			return []string{fmt.Sprintf("* 5 FETCH (UID 7 BODY[HEADER] {%d}\r\n%s)", len(hdr), hdr), "TAG OK done"}
		case "UID FETCH 7 (BODY.PEEK[TEXT])":
			return []string{fmt.Sprintf("* 5 FETCH (BODY[TEXT] {%d}\r\n%s UID 7)", len(text), text), "TAG OK done"}
		}
		return nil
	})
	path := filepath.Join(t.TempDir(), "ht.eml")
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nsave 7 "+path+"\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != hdr+text {
		t.Fatalf("%s = %q, %v; want %q", path, got, err, hdr+text)
	}
	wantOut(t, r.Out, "the file is BODY[HEADER] followed by BODY[TEXT], which is the whole message", "its size matches RFC822.SIZE")
}

func TestSaveRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.eml")
	os.WriteFile(path, []byte("keep me"), 0o644)
	x, r := runExchange(t, imaptest.ExchangeConfig{}, "save 15544 "+path+"\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "# error: save: "+path+" exists: pass --force to overwrite it")
	if got, _ := os.ReadFile(path); string(got) != "keep me" {
		t.Errorf("the file was changed to %q", got)
	}
	if got := sentAfterSelect(x); len(got) != 1 {
		t.Errorf("sent %q, want only LOGOUT", got)
	}
	x, r = runExchange(t, imaptest.ExchangeConfig{}, "save --force 15544 "+path+"\n")
	if r.Err != nil {
		t.Fatalf("--force: %v\n%s", r.Err, r.Out)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, x.Message("INBOX", 15544)) {
		t.Errorf("--force did not overwrite: %q", got)
	}
	noStrays(t, dir, "m.eml")

	x, r = runExchange(t, imaptest.ExchangeConfig{}, "save 15544 "+filepath.Join(dir, "no/such/dir/m.eml")+"\n")
	if !errors.Is(r.Err, ErrFailed) || len(sentAfterSelect(x)) != 1 {
		t.Errorf("save into a missing directory: Run = %v, sent %q\n%s", r.Err, sentAfterSelect(x), r.Out)
	}
	wantOut(t, r.Out, "# error: save: cannot write next to "+filepath.Join(dir, "no/such/dir/m.eml"))
}

// TestSaveDemo compares the file with BODY.PEEK[] as another client,
// go-imap's, receives it.
func TestSaveDemo(t *testing.T) {
	srv := startDemo(t)
	path := filepath.Join(t.TempDir(), "spaced name.eml")
	r := runScript(t, srv.Addr, srv.User, srv.Password, "SELECT Poison\nsave #15 \""+path+"\"\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := imapclient.DialInsecure(srv.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(srv.User, srv.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("Poison", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(23), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("FETCH: %v, %d messages", err, len(msgs))
	}
	if want := msgs[0].FindBodySection(section); len(want) == 0 || !bytes.Equal(got, want) {
		t.Errorf("saved %q\nwant %q", got, want)
	}
	wantOut(t, r.Out, "# sequence number 15 is UID 23; save goes on by UID 23", "exactly as BODY.PEEK[] delivered it")
}
