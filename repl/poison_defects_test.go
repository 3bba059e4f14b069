package repl

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// onceAt returns a BeforeCommand hook that runs f at the n-th command
// named name (1-based).
func onceAt(name string, n int, f func(x *imaptest.Exchange, c imaptest.Command) []string) func(*imaptest.Exchange, imaptest.Command) []string {
	seen := 0
	return func(x *imaptest.Exchange, c imaptest.Command) []string {
		if c.Name != name {
			return nil
		}
		if seen++; seen == n {
			return f(x, c)
		}
		return nil
	}
}

// TestSaveFollowsExpunge: another client's expunge, reported (as Dovecot
// does) at the end of the UID FETCH that told the message's sequence
// number, shifts it by one. save matches the body by UID, so the file
// holds the message and nothing reaches the screen.
func TestSaveFollowsExpunge(t *testing.T) {
	cfg := imaptest.ExchangeConfig{Notify: imaptest.NotifyDovecot}
	cfg.BeforeCommand = onceAt("UID FETCH", 1, func(x *imaptest.Exchange, _ imaptest.Command) []string {
		x.ExpungeByOther("INBOX", 15500) // message 1040, below 15544
		return nil
	})
	x := imaptest.NewExchange(t, cfg)
	want := x.Message("INBOX", 15544)
	path := filepath.Join(t.TempDir(), "m.eml")
	r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nsave 15544 "+path+"\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "S: * 1040 EXPUNGE", "S: * 1045 FETCH (BODY[] {", "UID 15544, sequence number 1045 of INBOX")
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s = %q, %v; want the message", path, got, err)
	}
	if strings.Contains(r.Out, "Line 1 of message 15544") {
		t.Errorf("the body went to the screen:\n%s", r.Out)
	}
}

// TestKillFollowsExpunge: another client's expunge reported at the end of
// kill's UID STORE shifts the target; the UID EXPUNGE's answer names it by
// its new number, which is no "expunged more or other".
func TestKillFollowsExpunge(t *testing.T) {
	cfg := imaptest.ExchangeConfig{Notify: imaptest.NotifyDovecot, Capabilities: imaptest.ExchangeCapabilities + " UIDPLUS"}
	cfg.BeforeCommand = onceAt("UID STORE", 1, func(x *imaptest.Exchange, _ imaptest.Command) []string {
		x.ExpungeByOther("INBOX", 15500)
		return nil
	})
	x := imaptest.NewExchange(t, cfg)
	r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nkill --yes 15541\n")
	if r.Err != nil {
		t.Fatalf("Run = %v, want success\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "S: * 1040 EXPUNGE", "S: * 1044 EXPUNGE",
		"# killed UID 15541 (it was sequence number 1044); the server expunged it and nothing else. INBOX now has 1232 messages.")
	if uids := x.UIDs("INBOX"); slices.Contains(uids, 15541) || !slices.Contains(uids, 15544) || len(uids) != 1232 {
		t.Errorf("INBOX has %d messages; the poison there: %v", len(uids), slices.Contains(uids, 15541))
	}
}

// TestKillIgnoredStore: a server that answers OK to the STORE but ignores
// \Deleted (a user without the right to delete) is no success, and no
// EXPUNGE is sent.
func TestKillIgnoredStore(t *testing.T) {
	for _, caps := range []string{imaptest.ExchangeCapabilities, imaptest.ExchangeCapabilities + " UIDPLUS"} {
		x := imaptest.NewExchange(t, imaptest.ExchangeConfig{IgnoreStoreDeleted: true, Capabilities: caps, DeletedUIDs: []uint32{}})
		r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nkill --yes 15541\n")
		if !errors.Is(r.Err, ErrFailed) {
			t.Errorf("%s: Run = %v, want ErrFailed\n%s", caps, r.Err, r.Out)
		}
		wantOut(t, r.Out, "# error: kill: the server answered OK to the STORE but UID 15541 does not carry \\Deleted: it ignored it")
		for _, c := range sentAfterSelect(x) {
			if strings.Contains(c, "EXPUNGE") {
				t.Errorf("%s: sent %q", caps, c)
			}
		}
		if !slices.Contains(x.UIDs("INBOX"), 15541) {
			t.Errorf("%s: the poison is gone", caps)
		}
	}
}

// TestKillTargetGoneBeforeExpunge: without UIDPLUS, when the last look
// finds the target gone (another client expunged it), kill sends no bare
// EXPUNGE, which would remove whatever else is \Deleted by then.
func TestKillTargetGoneBeforeExpunge(t *testing.T) {
	cfg := imaptest.ExchangeConfig{DeletedUIDs: []uint32{}}
	stored := false
	cfg.BeforeCommand = func(x *imaptest.Exchange, c imaptest.Command) []string {
		switch {
		case c.Name == "UID STORE":
			stored = true
		case c.Name == "UID FETCH" && stored:
			stored = false
			x.ExpungeByOther("INBOX", 15541)
		}
		return nil
	}
	x := imaptest.NewExchange(t, cfg)
	r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nkill --yes 15541\n")
	if r.Err != nil {
		t.Errorf("Run = %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "# warning: UID 15541 is no longer in INBOX: another client expunged it meanwhile. kill sends no EXPUNGE.")
	for _, c := range sentAfterSelect(x) {
		if strings.Contains(c, "EXPUNGE") {
			t.Errorf("sent %q", c)
		}
	}
}

// TestKillUIDValidity: --uidvalidity pins a script's kill to the numbering
// it was written for.
func TestKillUIDValidity(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{DeletedUIDs: []uint32{}}, "kill --yes --uidvalidity 13 15541\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Errorf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "# error: kill: refused: INBOX has UIDVALIDITY 14, not 13: its UIDs have been renumbered since, and UID 15541 may name another message. Nothing was sent.")
	if got := sentAfterSelect(x); len(got) != 1 {
		t.Errorf("sent %q, want only LOGOUT", got)
	}
	for _, arg := range []string{"--uidvalidity 14", "--uidvalidity=14"} {
		x, r = runExchange(t, imaptest.ExchangeConfig{DeletedUIDs: []uint32{}}, "kill --yes "+arg+" 15541\n")
		if r.Err != nil {
			t.Errorf("%s: Run = %v\n%s", arg, r.Err, r.Out)
		}
		if slices.Contains(x.UIDs("INBOX"), 15541) {
			t.Errorf("%s: the poison is still there", arg)
		}
	}
	_, r = runExchange(t, imaptest.ExchangeConfig{}, "kill --yes --uidvalidity x 15541\nkill --yes 15541 --uidvalidity\n")
	wantOut(t, r.Out, `--uidvalidity "x" is not a UIDVALIDITY`, "--uidvalidity needs a value")
}

// TestKillUIDValidityChanges: an unsolicited UIDVALIDITY change during kill
// stops it: its UIDs may name other messages now.
func TestKillUIDValidityChanges(t *testing.T) {
	for _, tt := range []struct {
		caps  string
		force bool
		at    int // the n-th UID STORE
		want  string
	}{
		{imaptest.ExchangeCapabilities + " UIDPLUS", false, 1, "kill sends nothing more; UID 15541 of UIDVALIDITY 14 may carry \\Deleted now."},
		{imaptest.ExchangeCapabilities, true, 1, "kill sends nothing more; nothing was expunged."},
	} {
		cfg := imaptest.ExchangeConfig{Capabilities: tt.caps}
		if !tt.force {
			cfg.DeletedUIDs = []uint32{}
		}
		cfg.BeforeCommand = onceAt("UID STORE", tt.at, func(*imaptest.Exchange, imaptest.Command) []string {
			return []string{"* OK [UIDVALIDITY 99] UIDVALIDITY changed"}
		})
		x := imaptest.NewExchange(t, cfg)
		script := "SELECT INBOX\nkill --yes 15541\n"
		if tt.force {
			script = "SELECT INBOX\nkill --yes --force 15541\n"
		}
		r := runScript(t, x.Addr, "tomas", "secret", script)
		if !errors.Is(r.Err, ErrFailed) {
			t.Errorf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
		}
		wantOut(t, r.Out, "# error: kill: refused: the server announced UIDVALIDITY 99 for INBOX during kill (it was 14)", tt.want)
		if tt.force {
			// The others lost \Deleted, and restoring by UID is no longer safe:
			// the exact command goes to stderr.
			wantOut(t, r.Out, "imapsh: kill: UIDs 15500,15553,15683 of INBOX (UIDVALIDITY 14) may have lost their \\Deleted flag.",
				"imapsh:   UID STORE 15500,15553,15683 +FLAGS (\\Deleted)")
		}
		for _, c := range sentAfterSelect(x) {
			if strings.Contains(c, "EXPUNGE") {
				t.Errorf("sent %q", c)
			}
		}
		if !slices.Contains(x.UIDs("INBOX"), 15541) {
			t.Error("the poison is gone")
		}
	}
}

// TestKillForceSignals: a signal while kill --force has taken \Deleted off
// the others does not end imapsh before it is back.
func TestKillForceSignals(t *testing.T) {
	type result struct {
		x      *imaptest.Exchange
		r      scriptRun
		raised []os.Signal
	}
	run := func(t *testing.T, hook func(sigs chan os.Signal) func(*imaptest.Exchange, imaptest.Command) []string) result {
		sigs := make(chan os.Signal, 4)
		cfg := imaptest.ExchangeConfig{BeforeCommand: hook(sigs)}
		x := imaptest.NewExchange(t, cfg)
		var raised []os.Signal
		r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nkill --yes --force 15541\nUID SEARCH DELETED\n", func(c *Config) {
			c.testSignals = sigs
			c.testRaise = func(s os.Signal) { raised = append(raised, s) }
		})
		return result{x, r, raised}
	}
	deleted := func(t *testing.T, x *imaptest.Exchange) {
		t.Helper()
		for _, u := range imaptest.DefaultDeletedUIDs {
			if !slices.Contains(x.Flags("INBOX", u), `\Deleted`) {
				t.Errorf("UID %d lost \\Deleted", u)
			}
		}
	}
	t.Run("before the EXPUNGE", func(t *testing.T) {
		res := run(t, func(sigs chan os.Signal) func(*imaptest.Exchange, imaptest.Command) []string {
			return onceAt("UID STORE", 2, func(*imaptest.Exchange, imaptest.Command) []string {
				sigs <- syscall.SIGTERM
				time.Sleep(50 * time.Millisecond) // the shield takes it before the STORE completes
				return nil
			})
		})
		wantOut(t, res.r.Out, "# warning: SIGTERM: imapsh first puts back what it changed",
			"# error: kill stopped by a signal before the EXPUNGE: nothing was expunged, and every flag it changed is back as it was")
		for _, c := range sentAfterSelect(res.x) {
			if strings.Contains(c, "EXPUNGE") {
				t.Errorf("sent %q", c)
			}
		}
		deleted(t, res.x)
		if f := res.x.Flags("INBOX", 15541); slices.Contains(f, `\Deleted`) {
			t.Errorf("the target keeps the \\Deleted kill gave it: %q", f)
		}
		if !slices.Equal(res.raised, []os.Signal{syscall.SIGTERM}) {
			t.Errorf("raised %v, want SIGTERM once everything was back", res.raised)
		}
	})
	t.Run("during the EXPUNGE", func(t *testing.T) {
		res := run(t, func(sigs chan os.Signal) func(*imaptest.Exchange, imaptest.Command) []string {
			return onceAt("EXPUNGE", 1, func(*imaptest.Exchange, imaptest.Command) []string {
				sigs <- os.Interrupt
				time.Sleep(100 * time.Millisecond) // the EXPUNGE is slow: kill waits for it
				return nil
			})
		})
		cmds := sentAfterSelect(res.x)
		i, j := slices.Index(cmds, "EXPUNGE"), slices.Index(cmds, `UID STORE 15500,15553,15683 +FLAGS.SILENT (\Deleted)`)
		if i < 0 || j < i {
			t.Errorf("sent %q: want the EXPUNGE, then the restoring STORE", cmds)
		}
		wantOut(t, res.r.Out, "# warning: Ctrl-C: imapsh first puts back what it changed",
			"# \\Deleted is back on UIDs 15500, 15553 and 15683",
			"# killed UID 15541 (it was sequence number 1045)")
		if strings.Contains(res.r.Out, "stopped waiting") {
			t.Errorf("the first signal stopped the wait:\n%s", res.r.Out)
		}
		deleted(t, res.x)
		if slices.Contains(res.x.UIDs("INBOX"), 15541) {
			t.Error("the poison is still there")
		}
		// Ctrl-C in a script ends it, once everything is back.
		if !slices.Equal(res.raised, []os.Signal{os.Interrupt}) {
			t.Errorf("raised %v, want Ctrl-C", res.raised)
		}
	})
	t.Run("twice during the EXPUNGE", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		res := run(t, func(sigs chan os.Signal) func(*imaptest.Exchange, imaptest.Command) []string {
			return onceAt("EXPUNGE", 1, func(*imaptest.Exchange, imaptest.Command) []string {
				sigs <- syscall.SIGHUP
				time.Sleep(50 * time.Millisecond)
				sigs <- syscall.SIGHUP
				select { // the server is stuck
				case <-release:
				case <-time.After(3 * time.Second):
				}
				return nil
			})
		})
		wantOut(t, res.r.Out, "kill: stopped before a",
			"imapsh: kill: UIDs 15500,15553,15683 of INBOX (UIDVALIDITY 14) may have lost their \\Deleted flag. Once connected again, and if the UIDVALIDITY is the same, restore it with:",
			"imapsh:   UID STORE 15500,15553,15683 +FLAGS (\\Deleted)")
		// Nothing is sent behind the pending EXPUNGE.
		cmds := sentAfterSelect(res.x)
		if i := slices.Index(cmds, "EXPUNGE"); i < 0 || slices.ContainsFunc(cmds[i+1:], func(c string) bool { return strings.HasPrefix(c, "UID STORE") }) {
			t.Errorf("sent %q", cmds)
		}
		if !slices.Equal(res.raised, []os.Signal{syscall.SIGHUP}) {
			t.Errorf("raised %v, want SIGHUP", res.raised)
		}
	})
}

// TestSaveChecksTargetFirst: an empty name or a directory is refused before
// anything is fetched.
func TestSaveChecksTargetFirst(t *testing.T) {
	dir := t.TempDir()
	// Something that is not a regular file, made here: never a device
	// such as /dev/null, which a save without this check would replace.
	sock := filepath.Join(t.TempDir(), "sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, tt := range []struct{ script, want string }{
		{`save 15544 ""` + "\n", "# error: save: the file name is empty: give one, as in save 15541 poison.eml"},
		{"save 15544 " + dir + " --force\n", "# error: save: " + dir + " is a directory: give a file name, as in save 15541 " + filepath.Join(dir, "message.eml")},
		{"save 15544 " + dir + "/\n", "names a directory"},
		{"save 15544 " + sock + " --force\n", "# error: save: " + sock + " exists and is not a regular file: give another name"},
	} {
		x, r := runExchange(t, imaptest.ExchangeConfig{}, tt.script)
		if !errors.Is(r.Err, ErrFailed) {
			t.Errorf("%q: Run = %v, want ErrFailed\n%s", tt.script, r.Err, r.Out)
		}
		wantOut(t, r.Out, tt.want)
		if got := sentAfterSelect(x); len(got) != 1 {
			t.Errorf("%q: sent %q, want only LOGOUT", tt.script, got)
		}
	}
	noStrays(t, dir)
}

// TestSavePartialName: the file a save writes before it is complete is
// named after the target, so a person who finds it after a kill -9 knows
// what it is; and a save points out what earlier ones left.
func TestSavePartialName(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".big.eml.imapsh-partial-4242"), make([]byte, 1500), 0o600)
	os.WriteFile(filepath.Join(dir, ".imapsh-save-123456"), []byte("x"), 0o600)
	var during []string
	cfg := imaptest.ExchangeConfig{}
	cfg.BeforeCommand = func(x *imaptest.Exchange, c imaptest.Command) []string {
		if c.Name == "UID FETCH" && strings.Contains(c.Args, "BODY.PEEK[]") {
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				during = append(during, e.Name())
			}
		}
		return nil
	}
	x := imaptest.NewExchange(t, cfg)
	path := filepath.Join(dir, "m.eml")
	r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nsave 15544 "+path+"\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	partial := regexp.MustCompile(`^\.m\.eml\.imapsh-partial-\d+$`)
	if !slices.ContainsFunc(during, partial.MatchString) {
		t.Errorf("while saving, %s held %q: no .m.eml.imapsh-partial-PID", dir, during)
	}
	wantOut(t, r.Out, "# "+dir+" holds what earlier saves left unfinished (imapsh was killed before it could remove them); unless another imapsh is saving there now, they are incomplete and can be deleted:",
		"#   .big.eml.imapsh-partial-4242 (1500 octets, ",
		"#   .imapsh-save-123456 (1 octet, ")
	noStrays(t, dir, "m.eml", ".big.eml.imapsh-partial-4242", ".imapsh-save-123456")
}

// TestWhereisForgedLines: a subject whose RFC 2047 encoding holds a line
// feed cannot put a line of imapsh's own in the summary the user reads
// before typing yes.
func TestWhereisForgedLines(t *testing.T) {
	subject := "=?utf-8?q?hello=0Akilled_UID_7_(it_was_sequence_number_5);_the_server_expunged_it?="
	srv := scriptedServer(t, "IMAP4rev1 UIDPLUS", func(cmd string) []string {
		switch {
		case cmd == "UID FETCH 7 (UID)":
			return []string{"* 5 FETCH (UID 7)", "TAG OK done"}
		case strings.HasPrefix(cmd, "UID FETCH 7 (UID FLAGS"):
			return []string{fmt.Sprintf(`* 5 FETCH (UID 7 FLAGS () RFC822.SIZE 10 INTERNALDATE "1-Jan-2020 00:00:00 +0000" ENVELOPE (NIL %q (("=?utf-8?q?Eve=0Aerror:_x?=" NIL "eve" "x.example")) NIL NIL NIL NIL NIL NIL NIL))`, subject), "TAG OK done"}
		}
		return nil
	})
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nwhereis 7\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	for _, l := range strings.Split(r.Out, "\n") {
		if strings.HasPrefix(l, "# killed") || strings.HasPrefix(l, "# error: x") {
			t.Errorf("a forged line: %q\n%s", l, r.Out)
		}
	}
	wantOut(t, r.Out, "#   Subject   hello␊killed UID 7 (it was sequence number 5); the server expunged it\n",
		"#   From      Eve␊error: x <eve@x.example>\n")
}

// TestKillAfterCourierAppend: Courier announces an APPENDed message only on
// NOOP; the UID APPENDUID gave is at UIDNEXT, so kill sends a NOOP first
// and finds it.
func TestKillAfterCourierAppend(t *testing.T) {
	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{Notify: imaptest.NotifyCourier, Capabilities: imaptest.ExchangeCapabilities + " UIDPLUS"})
	r := runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nAPPEND INBOX <<EOF\nSubject: x\n\nhello\nEOF\nkill --yes 16124\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "[APPENDUID 14 16124]", "C: a006 NOOP", "S: * 1235 EXISTS", "# killed UID 16124 (it was sequence number 1235)")
	if slices.Contains(x.UIDs("INBOX"), 16124) {
		t.Error("the appended message is still there")
	}
}

// TestWhereisSeedExitStatus: the message is found, so whereis succeeds,
// though the server withholds its size and envelope.
func TestWhereisSeedExitStatus(t *testing.T) {
	x, r := runExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonSeed}, "whereis 15541\n")
	if r.Err != nil {
		t.Fatalf("Run = %v, want success\n%s", r.Err, r.Out)
	}
	want := []string{"UID FETCH 15541 (UID)", "UID FETCH 15541 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)",
		"UID FETCH 15541 (FLAGS)", "UID FETCH 15541 (RFC822.SIZE)", "UID FETCH 15541 (INTERNALDATE)", "UID FETCH 15541 (ENVELOPE)", "LOGOUT"}
	if got := sentAfterSelect(x); !slices.Equal(got, want) {
		t.Errorf("sent %q, want %q", got, want)
	}
	wantOut(t, r.Out, "# UID 15541 is message 1045, but the server withholds its size and envelope: a message the server lists but cannot deliver (a poison message). `probe 15541` shows which parts fail.")
}

// TestOneVerdict: a message whose BODY[] comes whole, matching RFC822.SIZE,
// is delivered, though it reads like a retrieval-failure notice: probe and
// save agree.
func TestOneVerdict(t *testing.T) {
	items := imaptest.PoisonItems{Size: imaptest.ItemSubstitute, Envelope: imaptest.ItemSubstitute, HeaderFields: imaptest.ItemSubstitute,
		Header: imaptest.ItemSubstitute, Text: imaptest.ItemSubstitute, Full: imaptest.ItemSubstitute}
	path := filepath.Join(t.TempDir(), "n.eml")
	_, r := runExchange(t, imaptest.ExchangeConfig{Poison: imaptest.PoisonCustom, PoisonItems: items}, "probe 15541\nsave 15541 "+path+"\n")
	if r.Err != nil {
		t.Fatalf("Run = %v: probe and save both succeed\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, "# verdict: delivered: BODY[] came whole (795 octets), the size RFC822.SIZE announces.",
		"# note: its content reads like a server's retrieval-failure notice",
		"# saved 795 octets to "+path+": UID 15541, sequence number 1045 of INBOX (UIDVALIDITY 14), exactly as BODY.PEEK[] delivered it",
		"# its size matches RFC822.SIZE",
		"# BODY[]: its content reads like a server's retrieval-failure notice")
	if strings.Contains(r.Out, "substitute") || strings.Contains(r.Out, "poison") || strings.Contains(r.Out, "incomplete") {
		t.Errorf("a delivered message called otherwise:\n%s", r.Out)
	}
}

// TestSaveInterrupted: Ctrl-C while save receives a big message stops the
// save; the transfer goes on (IMAP cannot cancel a FETCH), but no note
// claims a file, none is left behind, and the summary says what happened.
func TestSaveInterrupted(t *testing.T) {
	const size = 300 << 10
	release := make(chan struct{})
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		switch rest := strings.ToUpper(line[len(tag)+1:]); {
		case name == "SELECT":
			c.Send("* 10 EXISTS")
			c.Send("* OK [UIDVALIDITY 3] UIDs valid")
			c.Send(tag + " OK [READ-WRITE] SELECT done")
		case rest == "UID FETCH 7 (UID)":
			c.Send("* 5 FETCH (UID 7)")
			c.Send(tag + " OK done")
		case rest == "UID FETCH 7 (RFC822.SIZE)", rest == "UID FETCH 7 (UID RFC822.SIZE)":
			c.Send(fmt.Sprintf("* 5 FETCH (UID 7 RFC822.SIZE %d)", size))
			c.Send(tag + " OK done")
		case rest == "UID FETCH 7 (BODY.PEEK[])":
			c.SendRaw([]byte(fmt.Sprintf("* 5 FETCH (UID 7 BODY[] {%d}\r\n", size)))
			c.SendRaw(bytes.Repeat([]byte("x"), size/2))
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
			c.SendRaw(bytes.Repeat([]byte("x"), size-size/2))
			c.Send(")")
			c.Send(tag + " OK done")
		default:
			c.Send(tag + " OK done")
		}
		return true
	})
	dir := t.TempDir()
	path := filepath.Join(dir, "big.eml")
	tm := startTerm(t, srv.Addr, "alice", "pw", "-")
	tm.waitFor("(no mailbox)> ")
	tm.typeKeys("select INBOX\r")
	tm.waitFor("INBOX rw 10> ")
	tm.typeKeys("save 7 " + path + "\r")
	tm.waitFor(" UID FETCH 7 (BODY.PEEK[])")
	deadline := time.Now().Add(5 * time.Second)
	for {
		ents, _ := os.ReadDir(dir)
		if len(ents) == 1 {
			if fi, _ := ents[0].Info(); fi != nil && fi.Size() > 0 {
				break // the transfer is under way
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the save never started writing; screen:\n%s", tm.out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.intr <- struct{}{}
	tm.waitFor("# error: save stopped before the message came: " + path + " was not written, and what had come of it is deleted.")
	close(release)
	tm.waitFor(", which you stopped waiting for, has now completed: OK")
	tm.typeKeys("\x04")
	tm.wait()
	screen := tm.out.String()
	if strings.Contains(screen, "written to") || strings.Contains(screen, "octets of BODY[] "+path) {
		t.Errorf("a note claims a file:\n%s", screen)
	}
	wantOut(t, screen, fmt.Sprintf("# [%d of %d octets of BODY[] received by save, not shown]", size, size))
	noStrays(t, dir)
}
