package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// loginServer accepts any LOGIN (it offers no AUTH=PLAIN, so imapsh sends
// LOGIN) and answers everything else OK.
func loginServer(t *testing.T) *imaptest.Server {
	return imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK [CAPABILITY IMAP4rev1] ready")
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, rest, _ := strings.Cut(line, " ")
			name, _, _ := strings.Cut(strings.ToUpper(rest), " ")
			if name == "LOGOUT" {
				c.Send("* BYE bye")
				c.Send(tag + " OK LOGOUT completed")
				return
			}
			c.Send(tag + " OK " + name + " completed")
		}
	})
}

func TestCLIURLUserPercentDecoded(t *testing.T) {
	srv := loginServer(t)
	code, out, stderr := imapsh(t, []string{"IMAPSH_PASSWORD=pw"}, "NOOP\n", "--plaintext", "imap://alice%40example.com;AUTH=*@"+srv.Addr)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	if log := strings.Join(srv.Log(), "\n"); !strings.Contains(log, "a001 LOGIN alice@example.com pw") {
		t.Errorf("the server did not get the decoded user name:\n%s", log)
	}
}

// TestReplDoesNotImportTheDemo: main starts the demo, so the shell does
// not carry the demo server's libraries.
func TestReplDoesNotImportTheDemo(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	out, err := exec.Command(gobin, "list", "-deps", "./repl").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "go-imap") || strings.HasSuffix(dep, "/imapsh/demo") {
			t.Errorf("repl depends on %s", dep)
		}
	}
}

func TestCLIDemoStartedByMain(t *testing.T) {
	code, out, stderr := imapsh(t, nil, "NOOP\n", "--demo")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	if !regexp.MustCompile(`# imapsh demo: a sandbox IMAP server inside this process on 127\.0\.0\.1:\d+, with sample mail\.`).MatchString(out) {
		t.Errorf("no welcome note with the address:\n%s", out)
	}
	if strings.Contains(out, "plaintext") || !strings.Contains(out, "C: a001 AUTHENTICATE PLAIN [credentials hidden]") {
		t.Errorf("the demo did not log in quietly in plaintext:\n%s", out)
	}
}
