package repl

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// TestPoisonSeedStory is the "done when": against a server that
// behaves as the seed's transcript shows, from one shell, whereis finds
// message 1045 and says what is withheld, probe names the poison case,
// save saves what it can (nothing), and kill --yes deletes the message and
// nothing else, with and without UIDPLUS.
func TestPoisonSeedStory(t *testing.T) {
	for _, caps := range []string{imaptest.ExchangeCapabilities, imaptest.ExchangeCapabilities + " UIDPLUS"} {
		x := imaptest.NewExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonSeed, Capabilities: caps, DeletedUIDs: []uint32{}})
		before := x.UIDs("INBOX")
		dir := t.TempDir()
		path := filepath.Join(dir, "poison.eml")
		var outs []string
		for _, script := range []string{"whereis 15541\n", "probe 15541\n", "save 15541 " + path + "\n", "kill --yes 15541\n"} {
			r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\n"+script)
			wantErr := error(nil)
			if strings.HasPrefix(script, "save") {
				wantErr = ErrFailed
			}
			if !errors.Is(r.Err, wantErr) {
				t.Errorf("%s: Run = %v, want %v\n%s", caps, r.Err, wantErr, r.Out)
			}
			outs = append(outs, r.Out)
		}
		wantOut(t, outs[0],
			"# UID 15541 in INBOX (UIDVALIDITY 14) is sequence number 1045",
			"#   flags     (none)",
			"#   size      withheld: the server said OK but sent no RFC822.SIZE",
			"#   envelope  withheld: the server said OK but sent no ENVELOPE",
			"# UID 15541 is message 1045, but the server withholds its size and envelope: a message the server lists but cannot deliver (a poison message). `probe 15541` shows which parts fail.")
		wantOut(t, outs[1], "# verdict: a poison message: the server lists UID 15541 (message 1045) but does not deliver it")
		wantOut(t, outs[2], "# error: save: nothing of UID 15541 could be had, so no file was written:")
		noStrays(t, dir)
		wantOut(t, outs[3], "# killed UID 15541 (it was sequence number 1045); the server expunged it and nothing else. INBOX now has 1233 messages.")
		if got, want := x.UIDs("INBOX"), slices.DeleteFunc(before, func(u uint32) bool { return u == imaptest.PoisonUID }); !slices.Equal(got, want) {
			t.Errorf("%s: INBOX has %d messages, want %d without the poison", caps, len(got), len(want))
		}
	}
}

// poisonBehaviours are the ways a server fails one message, as the
// Exchange imitation's per-item table plays them.
var poisonBehaviours = []struct {
	name  string
	cfg   imaptest.ExchangeConfig
	probe string // what probe says of BODY[]
	save  string // what save says
}{
	{"seed", imaptest.ExchangeConfig{Poison: imaptest.PoisonSeed},
		"(BODY.PEEK[])                                  withheld: the server said OK but sent no BODY[]",
		"# error: save: nothing of UID 15541 could be had, so no file was written:"},
	{"omitted", imaptest.ExchangeConfig{Poison: imaptest.PoisonCustom, PoisonItems: imaptest.PoisonItems{
		Size: imaptest.ItemOmit, Envelope: imaptest.ItemOmit, HeaderFields: imaptest.ItemOmit, Header: imaptest.ItemOmit,
		Text: imaptest.ItemOmit, Full: imaptest.ItemOmit}},
		"(BODY.PEEK[])                                  withheld: the server said OK but sent no BODY[]",
		"# error: save: nothing of UID 15541 could be had, so no file was written:"},
	{"nil", imaptest.ExchangeConfig{Poison: imaptest.PoisonCustom, PoisonItems: imaptest.PoisonItems{
		Envelope: imaptest.ItemNIL, HeaderFields: imaptest.ItemNIL, Header: imaptest.ItemNIL, Text: imaptest.ItemNIL, Full: imaptest.ItemNIL}},
		"(BODY.PEEK[])                                  NIL",
		"#   BODY[]: NIL"},
	{"no", imaptest.ExchangeConfig{Poison: imaptest.PoisonCustom, PoisonItems: imaptest.PoisonItems{
		Size: imaptest.ItemNO, HeaderFields: imaptest.ItemNO, Header: imaptest.ItemNO, Text: imaptest.ItemNO, Full: imaptest.ItemNO}},
		"(BODY.PEEK[])                                  refused: NO Retrieval using the IMAP4 protocol failed for the following message: 15541",
		"#   BODY[]: refused: NO Retrieval using the IMAP4 protocol failed"},
	{"bad", imaptest.ExchangeConfig{Poison: imaptest.PoisonCustom, PoisonItems: imaptest.PoisonItems{
		Header: imaptest.ItemBAD, Text: imaptest.ItemBAD, Full: imaptest.ItemBAD}},
		"(BODY.PEEK[])                                  refused: BAD Command Argument Error. 11",
		"#   BODY[]: refused: BAD Command Argument Error. 11"},
	{"substitute", imaptest.ExchangeConfig{Poison: imaptest.PoisonSubstituteBody},
		"(BODY.PEEK[])                                  server-made substitute (",
		"which looks like a server-made substitute, not the message"},
	{"short", imaptest.ExchangeConfig{Poison: imaptest.PoisonCustom, PoisonItems: imaptest.PoisonItems{
		Header: imaptest.ItemShort, Text: imaptest.ItemShort, Full: imaptest.ItemShort}},
		"(BODY.PEEK[])                                  short: 2410 of the 4821 octets RFC822.SIZE announces",
		"# error: incomplete: DIR/poison.eml holds what the server delivers for BODY[]: short: 2410 of the 4821 octets RFC822.SIZE announces"},
	{"closed", imaptest.ExchangeConfig{Poison: imaptest.PoisonCustom, PoisonItems: imaptest.PoisonItems{Full: imaptest.ItemCloseMidLiteral}},
		"",
		"# error: incomplete: DIR/poison.eml holds what came before the connection ended: BODY[]: connection lost after 2410 of 4821 octets"},
}

// TestPoisonBehaviours runs whereis, probe, save and kill against each
// behaviour, each in a fresh session (the "closed" server hangs up), and
// pins the whole of each session in testdata/poison-NAME.golden.
func TestPoisonBehaviours(t *testing.T) {
	for _, b := range poisonBehaviours {
		t.Run(b.name, func(t *testing.T) {
			cfg := b.cfg
			cfg.DeletedUIDs = []uint32{}
			x := imaptest.NewExchange(t, cfg)
			dir := t.TempDir()
			path := filepath.Join(dir, "poison.eml")
			var all bytes.Buffer
			for _, script := range []string{"whereis 15541\n", "probe 15541\n", "save 15541 " + path + "\n", "kill --yes 15541\n"} {
				r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\n"+script)
				out := strings.ReplaceAll(r.Out, dir, "DIR")
				all.WriteString(portRe.ReplaceAllString(out, "127.0.0.1:PORT"))
				switch helper, _, _ := strings.Cut(script, " "); helper {
				case "whereis":
					if r.Err != nil {
						t.Errorf("whereis: Run = %v: the message was found\n%s", r.Err, out)
					}
				case "probe":
					if b.name == "closed" {
						if !errors.As(r.Err, new(*ConnError)) {
							t.Errorf("probe: Run = %v, want a connection error\n%s", r.Err, out)
						}
						wantOut(t, out, "S: * 1045 FETCH (BODY[] {4821}")
						break
					}
					if r.Err != nil {
						t.Errorf("probe: Run = %v\n%s", r.Err, out)
					}
					wantOut(t, out, b.probe, "# verdict: a poison message")
				case "save":
					if r.Err == nil {
						t.Errorf("save: Run = nil, want a failure\n%s", out)
					}
					wantOut(t, out, b.save)
				case "kill":
					if r.Err != nil {
						t.Errorf("kill: Run = %v\n%s", r.Err, out)
					}
					wantOut(t, out, "# killed UID 15541 (it was sequence number 1045)")
				}
			}
			if slices.Contains(x.UIDs("INBOX"), imaptest.PoisonUID) || len(x.UIDs("INBOX")) != 1233 {
				t.Errorf("after kill INBOX has %d messages, the poison there: %v", len(x.UIDs("INBOX")), slices.Contains(x.UIDs("INBOX"), imaptest.PoisonUID))
			}
			golden(t, "poison-"+b.name, all.Bytes())
		})
	}
}

// golden compares got with testdata/NAME.golden (-update rewrites it).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./repl -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("transcript differs from %s (rerun with -update if the change is intended)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestPoisonUIDWithheld: a server that withholds even the UID of the
// message (the UID FETCH (UID) question brings nothing) still lists it:
// UID SEARCH finds it, SEARCH UID n gives its sequence number, and kill
// deletes it.
func TestPoisonUIDWithheld(t *testing.T) {
	items := imaptest.PoisonSeed.Items()
	items.UID = imaptest.ItemDropFetch
	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonCustom, PoisonItems: items,
		Capabilities: imaptest.ExchangeCapabilities + " UIDPLUS"})
	r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nwhereis 15541\nkill --yes 15541\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "C: a005 UID FETCH 15541 (UID)\nS: a005 OK FETCH completed.\nC: a006 UID SEARCH UID 15541\nS: * SEARCH 15541",
		"C: a007 SEARCH UID 15541\nS: * SEARCH 1045",
		"# the server lists UID 15541 (UID SEARCH finds it), though it sent nothing for UID FETCH 15541 (UID)",
		"# UID 15541 in INBOX (UIDVALIDITY 14) is sequence number 1045",
		"# killed UID 15541 (it was sequence number 1045)")
	if slices.Contains(x.UIDs("INBOX"), 15541) {
		t.Error("the poison is still there")
	}
}
