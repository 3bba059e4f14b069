package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// TestInteropListSelect: CREATE, LIST with the server's separator and
// namespace, SELECT (read-write), EXAMINE (read-only), STATUS.
func TestInteropListSelect(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		// imapsh sends the CREATE here, under the lock of mailbox().
		box := s.mailboxName(t)
		script := "CREATE " + box + "\nLIST \"\" \"*\"\nSELECT " + box + "\nEXAMINE " + box +
			"\nSTATUS " + box + " (MESSAGES UIDNEXT)\nCLOSE\n"
		unlock := s.lockCreate()
		code, out, stderr := s.session(t, script)
		unlock()
		if code != 0 {
			t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
		}
		listed := regexp.MustCompile(`S: \* LIST \([^)]*\) "` + regexp.QuoteMeta(s.sep) + `" "?` + regexp.QuoteMeta(box) + `"?\n`)
		if !listed.MatchString(out) {
			t.Errorf("%s: LIST does not show %s with separator %q:\n%s", s.name, box, s.sep, out)
		}
		if !regexp.MustCompile(`S: \* LIST \([^)]*\) "` + regexp.QuoteMeta(s.sep) + `" "?INBOX"?\n`).MatchString(out) {
			t.Errorf("%s: LIST does not show INBOX:\n%s", s.name, out)
		}
		wantAll(t, s, out, "S: * 0 EXISTS", "OK [READ-WRITE]", "OK [READ-ONLY]", "S: * STATUS ")
		if !regexp.MustCompile(`S: \* STATUS "?` + regexp.QuoteMeta(box) + `"? \((MESSAGES 0 UIDNEXT \d+|UIDNEXT \d+ MESSAGES 0)\)`).MatchString(out) {
			t.Errorf("%s: no STATUS of %s with MESSAGES 0 and UIDNEXT:\n%s", s.name, box, out)
		}
	})
}

// TestInteropFetchLiterals: messages appended from a file come back in
// FETCH responses with literals, which imapsh frames and prints whole in
// script mode, line by line.
func TestInteropFetchLiterals(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		box := s.mailbox(t)
		dir := t.TempDir()
		one := "From: a@example.org\nSubject: over TLS\n\nhello\n"
		two := "From: b@example.org\nSubject: second\n\nfirst line\n\nthird line, after an empty one\n" + strings.Repeat("x", 998) + "\n"
		os.WriteFile(filepath.Join(dir, "1.eml"), []byte(one), 0o600)
		os.WriteFile(filepath.Join(dir, "2.eml"), []byte(two), 0o600)
		script := "APPEND " + box + " <" + filepath.Join(dir, "1.eml") + "\nAPPEND " + box + " <" + filepath.Join(dir, "2.eml") +
			"\nSELECT " + box + "\nFETCH 1 (UID BODY.PEEK[])\nFETCH 1:2 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])\nUID FETCH 1:* (RFC822.SIZE BODY.PEEK[TEXT])\n"
		code, out, stderr := s.session(t, script)
		if code != 0 {
			t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
		}
		n1, n2 := len(normalizeCRLF([]byte(one))), len(normalizeCRLF([]byte(two)))
		wantAll(t, s, out,
			fmt.Sprintf("BODY[] {%d}\nS: From: a@example.org\nS: Subject: over TLS\nS: \nS: hello\nS: )", n1),
			"S: Subject: over TLS\nS: \nS: )", "S: Subject: second\nS: \nS: )",
			fmt.Sprintf("RFC822.SIZE %d", n1), fmt.Sprintf("RFC822.SIZE %d", n2),
			"S: first line\nS: \nS: third line, after an empty one\nS: "+strings.Repeat("x", 998)+"\nS: )")
		if !regexp.MustCompile(`BODY\[HEADER\.FIELDS \("?SUBJECT"?\)\] \{\d+\}`).MatchString(out) {
			t.Errorf("%s: no HEADER.FIELDS literal:\n%s", s.name, out)
		}
	})
}

// TestInteropAppendFromFile: APPEND <FILE sends files of every kind (LF
// or CRLF line ends, 8-bit, 5 MB, empty) with the right literal size;
// another client reads them back byte for byte.
func TestInteropAppendFromFile(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		box := s.mailbox(t)
		dir := t.TempDir()
		var lf bytes.Buffer
		lf.WriteString("From: a@example.org\nSubject: LF\n\n")
		for lf.Len() < 2048 {
			fmt.Fprintf(&lf, "line %d\n", lf.Len())
		}
		var big bytes.Buffer
		big.WriteString("From: a@example.org\nSubject: big\nMIME-Version: 1.0\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n")
		for big.Len() < 5<<20 {
			big.WriteString("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n")
		}
		files := []struct {
			name    string
			content []byte
		}{
			{"lf.eml", lf.Bytes()},
			{"crlf.eml", normalizeCRLF(bytes.Replace(lf.Bytes(), []byte("LF"), []byte("CRLF"), 1))},
			{"8bit.eml", []byte("Subject: 8bit\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nH\xe4lsningar\r\n")},
			{"big.eml", big.Bytes()},
			{"empty.eml", nil},
		}
		script := ""
		for _, f := range files {
			path := filepath.Join(dir, f.name)
			os.WriteFile(path, f.content, 0o600)
			script += "APPEND " + box + " <" + path + "\n"
		}
		code, out, stderr := s.session(t, script)
		// The empty message: refused (NO, exit 1) by servers that take no
		// 0-octet message; either way the session stays in step and every
		// other APPEND succeeds.
		want := 0
		if s.q.emptyAppendRefused {
			want = 1
		}
		if code != want || !strings.Contains(out, "{0") {
			t.Errorf("%s: exit %d (want %d: empty message refused %v), stderr %q\n%s", s.name, code, want, s.q.emptyAppendRefused, stderr, out)
		}
		if m := logoutOK.FindStringSubmatch(out); m == nil || m[1] != m[2] {
			t.Errorf("%s: the session did not end with a clean LOGOUT:\n%s", s.name, out)
		}
		uids := appendedUIDs(out)
		if len(uids) != len(files)-want {
			t.Fatalf("%s: %d APPENDUIDs for %d files:\n%s", s.name, len(uids), len(files)-want, out)
		}
		var set []imap.UID
		for _, u := range uids {
			set = append(set, imap.UID(u))
		}
		bodies := s.fetchBodies(t, box, set...)
		for i, f := range files[:len(uids)] {
			body, want := bodies[imap.UID(uids[i])], normalizeCRLF(f.content)
			if len(want) == 0 && s.q.emptyAsCRLF {
				want = []byte("\r\n")
			}
			if !bytes.Equal(body, want) {
				t.Errorf("%s: %s (UID %d) was not read back byte for byte: %d octets, want %d", s.name, f.name, uids[i], len(body), len(want))
			}
		}
	})
}

// logoutOK matches a LOGOUT and its tagged OK.
var logoutOK = regexp.MustCompile(`C: (a\d+) LOGOUT\n(?:S: \* .*\n)*S: (a\d+) OK`)

// TestInteropMultiappendAndBinary: several messages in one APPEND where the
// server offers MULTIAPPEND, a message with a NUL octet as a binary literal
// where it offers BINARY, and a clear refusal, before anything is sent,
// where it does not.
func TestInteropMultiappendAndBinary(t *testing.T) {
	matrix(t, func(t *testing.T, s *server) {
		box := s.mailbox(t)
		dir := t.TempDir()
		a, b, nul := filepath.Join(dir, "a.eml"), filepath.Join(dir, "b.eml"), filepath.Join(dir, "nul.eml")
		os.WriteFile(a, []byte("Subject: a\n\nA\n"), 0o600)
		os.WriteFile(b, []byte("Subject: b\n\nB\n"), 0o600)
		os.WriteFile(nul, []byte("Subject: nul\r\n\r\nx\x00y\r\n"), 0o600)
		code, out, _ := s.session(t, "CAPABILITY\n")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, out)
		}
		caps := out[strings.LastIndex(out, "S: * CAPABILITY"):]
		multi := strings.Contains(caps, " MULTIAPPEND")
		// (imapsh sends a literal8 only where BINARY is advertised, not on
		// the strength of IMAP4rev2, which it has not ENABLEd.)
		binary := strings.Contains(caps, " BINARY")

		script := ""
		if multi {
			script += "APPEND " + box + " (\\Seen) <" + a + " (\\Flagged) <" + b + "\n"
		}
		script += "APPEND " + box + " <" + nul + "\nSELECT " + box + "\nFETCH 1:* (FLAGS BODY.PEEK[TEXT])\n"
		if binary {
			script += "FETCH 1:* (BINARY.PEEK[])\n"
		}
		code, out, stderr := s.session(t, script)
		switch {
		case multi:
			wantAll(t, s, out, "C: [17 octets: from "+a+", line ends sent as CRLF]\nC:  (\\Flagged) {17", " 1:2]", "S: A\n", "S: B\n")
		default:
			t.Logf("%s offers no MULTIAPPEND: one message per APPEND", s.name)
		}
		if binary {
			if code != 0 {
				t.Errorf("%s: exit %d, stderr %q\n%s", s.name, code, stderr, out)
			}
			wantAll(t, s, out, "APPEND "+box+" ~{21", "BINARY[] ~{21}\nS: Subject: nul\nS: \nS: x\\x00y\nS: )")
		} else {
			// No BINARY: imapsh refuses the NUL octet itself (exit 1) and
			// sends nothing of that APPEND.
			if code != 1 || !strings.Contains(out, "BINARY") || strings.Contains(out, "APPEND "+box+" {21") {
				t.Errorf("%s: NUL octet without BINARY: exit %d, stderr %q\n%s", s.name, code, stderr, out)
			}
		}
	})
}
