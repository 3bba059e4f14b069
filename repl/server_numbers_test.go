package repl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// zeroServer answers UID FETCHes of message 5 (UID 7) item by item, and
// writes every literal's size with leading zeros ({05}: the grammar's
// number is 1*DIGIT).
func zeroServer(t *testing.T, hdr, text string) *imaptest.Server {
	body := hdr + text
	lit := func(name, s string) string { return fmt.Sprintf("%s {000%d}\r\n%s", name, len(s), s) }
	items := map[string]string{
		"UID":                     "UID 7",
		"FLAGS":                   "FLAGS (\\Seen)",
		"RFC822.SIZE":             fmt.Sprintf("RFC822.SIZE %d", len(body)),
		"INTERNALDATE":            `INTERNALDATE "01-Dec-2026 10:00:00 +0000"`,
		"ENVELOPE":                `ENVELOPE (NIL "zeros" (("A" NIL "a" "example.org")) NIL NIL NIL NIL NIL NIL NIL)`,
		"BODYSTRUCTURE":           fmt.Sprintf(`BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" %d 1 NIL NIL NIL NIL)`, len(text)),
		"BODY":                    fmt.Sprintf(`BODY ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" %d 1)`, len(text)),
		"BODY.PEEK[HEADER]":       lit("BODY[HEADER]", hdr),
		"BODY.PEEK[TEXT]":         lit("BODY[TEXT]", text),
		"BODY.PEEK[]":             lit("BODY[]", body),
		"BODY.PEEK[]<0.4096>":     lit("BODY[]<0>", body),
		"BODY.PEEK[HEADER.FIELDS": lit("BODY[HEADER.FIELDS (FROM SUBJECT)]", "Subject: zeros\r\n\r\n"),
	}
	return scriptedServer(t, "IMAP4rev1", func(cmd string) []string {
		switch {
		case strings.HasPrefix(cmd, "UID SEARCH UID 7"):
			return []string{"* SEARCH 7", "TAG OK done"}
		case strings.HasPrefix(cmd, "UID FETCH 7 ("):
			list := strings.TrimSuffix(strings.TrimPrefix(cmd, "UID FETCH 7 ("), ")")
			var out []string
			for _, it := range strings.Fields(list) {
				if strings.HasPrefix(it, "BODY.PEEK[HEADER.FIELDS") {
					it = "BODY.PEEK[HEADER.FIELDS"
				}
				if v, ok := items[it]; ok {
					out = append(out, v)
				}
			}
			if len(out) == 0 {
				return []string{"TAG OK done"}
			}
			return []string{"* 5 FETCH (" + strings.Join(out, " ") + ")", "TAG OK done"}
		}
		return nil
	})
}

// A server may write a literal's size with leading zeros. save writes the
// octets, whole.
func TestSaveLeadingZeroLiteral(t *testing.T) {
	hdr, text := "Subject: zeros\r\n\r\n", "hello\r\n"
	body := hdr + text
	srv := zeroServer(t, hdr, text)
	path := filepath.Join(t.TempDir(), "z.eml")
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nsave 7 "+path+"\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != body {
		t.Fatalf("%s = %q, %v; want %q\n%s", path, got, err, body, r.Out)
	}
	wantOut(t, r.Out, fmt.Sprintf("# saved %d octets to %s: UID 7", len(body), path), "its size matches RFC822.SIZE")
}

// probe reads the parts of a message whose literals have leading zeros,
// and a header-fields section whose name has spaces, as delivered.
func TestProbeLeadingZeroLiterals(t *testing.T) {
	hdr, text := "Subject: zeros\r\n\r\n", "hello\r\n"
	srv := zeroServer(t, hdr, text)
	r := runScript(t, srv.Addr, "", "", "SELECT INBOX\nprobe 7\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	wantOut(t, r.Out, fmt.Sprintf("(BODY.PEEK[])                                  delivered (%d octets)", len(hdr+text)), "# verdict: delivered")
	for _, bad := range []string{"withheld", "substitute", "short"} {
		if strings.Contains(r.Out, bad) {
			t.Errorf("probe calls a part %s:\n%s", bad, r.Out)
		}
	}
}
