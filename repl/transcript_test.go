package repl

import (
	"bytes"
	"context"
	"encoding/base64"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/wire"
)

// --log writes a 0600 transcript with the whole session and no password in
// any form, and never overwrites a file.
func TestLogFile(t *testing.T) {
	const user, password = "alice", "s3cret-Pw"
	srv := scripted(t, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready", func(c *imaptest.Conn, tag, name, line string) bool {
		switch name {
		case "SELECT":
			c.Send("* 1 EXISTS")
			c.Send(tag + " OK [READ-WRITE] done")
		case "FETCH":
			c.Send("* 1 FETCH (BODY[] {5}")
			c.SendRaw([]byte("hello)\r\n"))
			c.Send(tag + " OK done")
		default:
			c.Send(tag + " OK " + name + " done")
		}
		return true
	})
	dir := t.TempDir()
	log := filepath.Join(dir, "session.log")
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	run := func(script string) (string, error) {
		var out bytes.Buffer
		no := false
		err := Run(context.Background(), Config{
			Host: host, Port: p, Security: wire.Plaintext, Color: "never", Timeout: 5 * time.Second,
			Stdin: strings.NewReader(script), Stdout: &out, Stderr: &out, Interactive: &no,
			Getenv: func(string) string { return "" }, LogFile: log,
		})
		return out.String(), err
	}
	out, err := run("LOGIN " + user + " " + password + "\nSELECT INBOX\nFETCH 1 (BODY.PEEK[])\n")
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	fi, err := os.Stat(log)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(log)
	for _, secret := range []string{password, base64.StdEncoding.EncodeToString([]byte(password))} {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("the transcript holds %q:\n%s", secret, b)
		}
	}
	for _, want := range []string{" C : a001 LOGIN " + user + " [hidden]", " S : * OK", " C : a002 SELECT INBOX", "BODY[] {", "#   capabilities"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the transcript lacks %q:\n%s", want, b)
		}
	}
	if _, err := run("NOOP\n"); err == nil || !strings.Contains(err.Error(), "never overwrites") {
		t.Errorf("a second run over the same file: %v", err)
	}
}
