package repl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A server may write a literal's size with leading zeros ({05}: the
// grammar's number is 1*DIGIT). save writes the octets, whole.
func TestSaveLeadingZeroLiteral(t *testing.T) {
	body := "Subject: zeros\r\n\r\nhello\r\n"
	srv := scriptedServer(t, "IMAP4rev1", func(cmd string) []string {
		switch cmd {
		case "UID FETCH 7 (UID RFC822.SIZE)":
			return []string{fmt.Sprintf("* 5 FETCH (UID 7 RFC822.SIZE %d)", len(body)), "TAG OK done"}
		case "UID FETCH 7 (BODY.PEEK[])":
			return []string{fmt.Sprintf("* 5 FETCH (UID 7 BODY[] {000%d}\r\n%s)", len(body), body), "TAG OK done"}
		}
		return nil
	})
	path := filepath.Join(t.TempDir(), "z.eml")
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nsave 7 "+path+"\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != body {
		t.Fatalf("%s = %q, %v; want %q", path, got, err, body)
	}
	wantOut(t, r.Out, fmt.Sprintf("# saved %d octets to %s: UID 7, sequence number 5 of INBOX (UIDVALIDITY 3)", len(body), path),
		"# its size matches RFC822.SIZE")
}

// probe reads the parts of a message whose literals have leading zeros,
// and a header-fields section whose name has spaces, as delivered.
func TestProbeLeadingZeroLiterals(t *testing.T) {
	hdr, text := "Subject: zeros\r\n\r\n", "hello\r\n"
	body := hdr + text
	srv := scriptedServer(t, "IMAP4rev1", func(cmd string) []string {
		switch cmd {
		case "UID FETCH 7 (UID RFC822.SIZE)":
			return []string{fmt.Sprintf("* 5 FETCH (UID 7 RFC822.SIZE %d)", len(body)), "TAG OK done"}
		case "UID FETCH 7 (BODYSTRUCTURE)":
			return []string{`* 5 FETCH (UID 7 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 7 1 NIL NIL NIL NIL))`, "TAG OK done"}
		case "UID FETCH 7 (BODY.PEEK[HEADER])":
			return []string{fmt.Sprintf("* 5 FETCH (UID 7 BODY[HEADER] {0%d}\r\n%s)", len(hdr), hdr), "TAG OK done"}
		case "UID FETCH 7 (BODY.PEEK[TEXT])":
			return []string{fmt.Sprintf("* 5 FETCH (UID 7 BODY[TEXT] {00%d}\r\n%s)", len(text), text), "TAG OK done"}
		case "UID FETCH 7 (BODY.PEEK[])":
			return []string{fmt.Sprintf("* 5 FETCH (UID 7 BODY[] {000%d}\r\n%s)", len(body), body), "TAG OK done"}
		case "UID FETCH 7 (BODY.PEEK[]<0.4096>)":
			return []string{fmt.Sprintf("* 5 FETCH (UID 7 BODY[]<0> {0000%d}\r\n%s)", len(body), body), "TAG OK done"}
		}
		return nil
	})
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nprobe 7\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out,
		fmt.Sprintf("UID FETCH 7 (BODY.PEEK[])          delivered (%d octets)", len(body)),
		"# verdict: deliverable: every part came")
	if strings.Contains(r.Out, "no data") {
		t.Errorf("probe missed a part:\n%s", r.Out)
	}
}
