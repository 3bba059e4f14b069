package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fill returns a script that appends n messages ("message i") to box.
func fill(box string, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "APPEND %s <<EOF\nFrom: sender%d@example.org\nSubject: message %d\n\nbody %d\nEOF\n", box, i, i, i)
	}
	return b.String()
}

// TestInteropWhereis: whereis finds a message by UID, also one appended to
// the selected mailbox after SELECT (Courier announces it only on NOOP,
// and imapsh asks with a NOOP first when the UID is at or above UIDNEXT),
// and says clearly when a UID is not there, with the nearest ones.
func TestInteropWhereis(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		box := s.mailbox(t)
		script := fill(box, 3) + "SELECT " + box + "\n" +
			"APPEND " + box + " <<EOF\nFrom: late@example.org\nSubject: after SELECT\n\nlate\nEOF\n" +
			"whereis 2\n"
		code, out, stderr := s.session(t, script)
		if code != 0 {
			t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
		}
		uids := appendedUIDs(out)
		if len(uids) != 4 {
			t.Fatalf("%s: %d APPENDUIDs, want 4:\n%s", s.name, len(uids), out)
		}
		wantAll(t, s, out, fmt.Sprintf("# UID %d in %s", uids[1], box), "is sequence number 2", "#   Subject   message 2", "#   From      sender2@example.org")

		// The late message, in a session that selected the mailbox before
		// it came: the server may not have said EXISTS yet.
		late := uids[3]
		script = "SELECT " + box + "\n" +
			"APPEND " + box + " <<EOF\nFrom: later@example.org\nSubject: even later\n\nlater\nEOF\n" +
			"whereis " + strconv.Itoa(late+1) + "\nwhereis 9999\n"
		code, out, stderr = s.session(t, script)
		if code != 1 {
			t.Errorf("%s: whereis 9999 must fail (exit 1): exit %d, stderr %q\n%s", s.name, code, stderr, out)
		}
		wantAll(t, s, out, fmt.Sprintf("# UID %d in %s", late+1, box), "is sequence number 5", "#   Subject   even later",
			"no message with UID 9999")
		if s.q.appendNeedsNOOP {
			// the APPEND's answer had no EXISTS; whereis asked with NOOP
			i := strings.Index(out, "C: a004 APPEND "+box)
			j := strings.Index(out, "[APPENDUID")
			if i < 0 || j < i || strings.Contains(out[i:j], "EXISTS") {
				t.Errorf("%s: the quirk changed: an APPEND to the selected mailbox is announced at once now:\n%s", s.name, out)
			}
		}
		for _, w := range []string{"withheld", "violation"} {
			if strings.Contains(out, w) {
				t.Errorf("%s: a healthy server, yet whereis says %q:\n%s", s.name, w, out)
			}
		}
	})
}

// TestInteropProbe: probe fetches each part of a healthy message and finds
// it all delivered.
func TestInteropProbe(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		box := s.mailbox(t)
		code, out, stderr := s.session(t, fill(box, 2)+"SELECT "+box+"\nprobe 2\n")
		if code != 0 {
			t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
		}
		n := len("From: sender2@example.org\r\nSubject: message 2\r\n\r\nbody 2\r\n")
		wantAll(t, s, out, "# probe of UID 2 in "+box,
			fmt.Sprintf("# verdict: delivered: BODY[] came whole (%d octets), the size RFC822.SIZE announces.", n))
		for _, w := range []string{"withheld", "substitute", "did not come", "incomplete"} {
			if strings.Contains(out, w) {
				t.Errorf("%s: a healthy server, yet probe says %q:\n%s", s.name, w, out)
			}
		}
	})
}

// TestInteropSave: save writes the message byte for byte as another client
// reads it, and refuses to overwrite a file.
func TestInteropSave(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		box := s.mailbox(t)
		dir := t.TempDir()
		src := filepath.Join(dir, "src.eml")
		msg := "From: a@example.org\r\nSubject: save me\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nR\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s\r\n" + strings.Repeat("line\r\n", 20000)
		os.WriteFile(src, []byte(msg), 0o600)
		saved := filepath.Join(dir, "saved.eml")
		script := "APPEND " + box + " <" + src + "\nSELECT " + box + "\nsave 1 " + saved + "\nsave 1 " + saved + "\n"
		code, out, _ := s.session(t, script)
		if code != 1 || !strings.Contains(out, "exists") {
			t.Errorf("%s: the second save must refuse to overwrite (exit 1): exit %d\n%s", s.name, code, out)
		}
		wantAll(t, s, out, fmt.Sprintf("# saved %d octets to %s: UID 1", len(msg), saved), "# its size matches RFC822.SIZE")
		got, err := os.ReadFile(saved)
		if err != nil {
			t.Fatal(err)
		}
		if want := s.fetchBodies(t, box, 1)[1]; !bytes.Equal(got, want) || !bytes.Equal(got, []byte(msg)) {
			t.Errorf("%s: saved %d octets, BODY[] is %d, the message %d", s.name, len(got), len(want), len(msg))
		}
	})
}

// TestInteropKill: kill deletes exactly the message asked for, when it is
// the only one marked \Deleted and when others are marked too (they keep
// the flag and stay), using UID EXPUNGE (UIDPLUS); whereis then finds it
// no more. Cyrus answers kill's +FLAGS.SILENT STORE with a FETCH anyway.
func TestInteropKill(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		t.Run("alone", func(t *testing.T) {
			box := s.mailbox(t)
			code, out, stderr := s.session(t, fill(box, 3)+"SELECT "+box+"\nkill --yes 2\na100 UID SEARCH ALL\n")
			if code != 0 {
				t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
			}
			if got := fmt.Sprint(uidList(t, out, "a100 UID SEARCH ALL")); got != "[1 3]" {
				t.Errorf("%s: after kill 2: UIDs %s, want [1 3]\n%s", s.name, got, out)
			}
			wantAll(t, s, out, "UID EXPUNGE 2", "# killed UID 2 (it was sequence number 2); the server expunged it and nothing else.")
		})
		t.Run("others deleted", func(t *testing.T) {
			box := s.mailbox(t)
			script := fill(box, 6) + "SELECT " + box + "\nUID STORE 2,4,6 +FLAGS (\\Deleted)\n" +
				"UID SEARCH DELETED\nUID SEARCH ALL\nkill --yes 3\na100 UID SEARCH DELETED\na101 UID SEARCH ALL\n"
			code, out, stderr := s.session(t, script)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
			}
			before := [2][]int{uidList(t, out, "UID SEARCH DELETED"), uidList(t, out, "UID SEARCH ALL")}
			after := [2][]int{uidList(t, out, "a100 UID SEARCH DELETED"), uidList(t, out, "a101 UID SEARCH ALL")}
			t.Logf("%s: before kill: DELETED %v ALL %v; after: DELETED %v ALL %v", s.name, before[0], before[1], after[0], after[1])
			if fmt.Sprint(before) != "[[2 4 6] [1 2 3 4 5 6]]" || fmt.Sprint(after) != "[[2 4 6] [1 2 4 5 6]]" {
				t.Errorf("%s: kill did not remove exactly UID 3:\n%s", s.name, out)
			}
			wantAll(t, s, out, "UID EXPUNGE 3", "# killed UID 3 (it was sequence number 3); the server expunged it and nothing else.")
			if s.q.silentStoreFetch && !strings.Contains(out, "UID STORE 3 +FLAGS.SILENT (\\Deleted)\nS: * 3 FETCH (") {
				t.Errorf("%s: the quirk changed: no FETCH after kill's .SILENT STORE:\n%s", s.name, out)
			}
			code, out, _ = s.session(t, "SELECT "+box+"\nwhereis 3\n")
			if code != 1 || !strings.Contains(out, "no message with UID 3") {
				t.Errorf("%s: whereis of the killed UID: exit %d\n%s", s.name, code, out)
			}
		})
	})
}

// TestInteropPoisonToolkit runs the poison story's commands on a healthy
// server: nothing is withheld, and a message whose text reads like
// Exchange's retrieval-failure notice, stored as such, is delivered: probe
// and save agree (one verdict). IMAPSH_TRANSCRIPT=DIR keeps each server's
// session in DIR/SERVER.txt.
func TestInteropPoisonToolkit(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		box := s.mailbox(t)
		dir := t.TempDir()
		notice := "From: Microsoft Exchange Server 2010\r\nSubject: Retrieval using the IMAP4 protocol failed for the following message:\r\n 15541\r\n\r\nThe server couldn't retrieve the following message.\r\n"
		os.WriteFile(filepath.Join(dir, "notice.eml"), []byte(notice), 0o600)
		script := "APPEND " + box + " <<EOF\nFrom: a@example.org\nSubject: one\n\nfirst\nEOF\n" +
			"APPEND " + box + " <" + filepath.Join(dir, "notice.eml") + "\n" +
			"APPEND " + box + " <<EOF\nFrom: b@example.org\nSubject: three\n\nthird\nEOF\n" +
			"SELECT " + box + "\nuids 1:*\nwhereis 2\nprobe 2\nsave 2 " + filepath.Join(dir, "2.eml") + "\nkill --yes 2\nuids 1:*\n"
		code, out, stderr := s.session(t, script)
		if d := os.Getenv("IMAPSH_TRANSCRIPT"); d != "" {
			os.WriteFile(filepath.Join(d, s.name+".txt"), []byte(out), 0o644)
		}
		if code != 0 {
			t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
		}
		wantAll(t, s, out,
			"# UID 2 in "+box,
			"# verdict: delivered: BODY[] came whole ("+strconv.Itoa(len(notice))+" octets), the size RFC822.SIZE announces.",
			"# note: its content reads like a server's retrieval-failure notice",
			"exactly as BODY.PEEK[] delivered it\n# its size matches RFC822.SIZE",
			"# killed UID 2 (it was sequence number 2); the server expunged it and nothing else.",
			"#        1  1\n#        2  3\n# 2 messages of "+box)
		for _, w := range []string{"withheld", "substitute", "poison message", "incomplete", "NOOP"} {
			if strings.Contains(out, w) {
				t.Errorf("%s: a healthy server, yet the output says %q:\n%s", s.name, w, out)
			}
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "2.eml")); string(got) != notice {
			t.Errorf("%s: saved %q, want the message as stored", s.name, got)
		}
	})
}
