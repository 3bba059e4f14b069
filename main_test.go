package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// binary is the imapsh binary built once for the tests that drive it as a
// user would, with piped stdin.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "imapsh-bin")
	if err == nil {
		binary = filepath.Join(dir, "imapsh")
		gobin, err := exec.LookPath("go")
		if err != nil {
			gobin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
		}
		cmd := exec.Command(gobin, "build", "-o", binary, ".")
		cmd.Stderr = os.Stderr
		if cmd.Run() != nil {
			binary = ""
		}
	}
	code := m.Run()
	pendingDeletes.Wait() // the interop tests' mailboxes (interop_test.go)
	os.RemoveAll(dir)
	os.Exit(code)
}

// imapsh runs the built binary with args and stdin and returns its exit
// status, stdout and stderr.
func imapsh(t *testing.T, env []string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	if binary == "" {
		t.Fatal("the imapsh binary could not be built")
	}
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func TestCLIDemoScript(t *testing.T) {
	code, out, stderr := imapsh(t, nil, "SELECT Poison\nFETCH 14 (UID FLAGS)\n", "--demo")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	for _, want := range []string{"C: a002 SELECT Poison", "S: * 21 EXISTS", "S: * 14 FETCH (UID 22 FLAGS ())", "S: a004 OK LOGOUT completed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("colors on a pipe with --color auto")
	}
}

func TestCLIExitStatus(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stderr string
	}{
		{"all ok", []string{"--demo"}, "NOOP\n", 0, ""},
		{"a NO", []string{"--demo"}, "SELECT Nowhere\nNOOP\n", 1, ""},
		{"a BAD", []string{"--demo"}, "FETCH\n", 1, ""},
		{"helper failed", []string{"--demo"}, "APPEND INBOX </nonexistent/file.eml\n", 1, ""},
		{"no server", nil, "", 2, "give exactly one server"},
		{"bad flag", []string{"--nope"}, "", 2, "flag provided but not defined"},
		{"bad color", []string{"--color", "pink", "h"}, "", 2, "--color must be"},
		{"bad tag prefix", []string{"--tag-prefix", "a b", "h"}, "", 2, "--tag-prefix"},
		{"bad port", []string{"h:99999"}, "", 2, "bad port"},
		{"ipv6 without brackets", []string{"::1:993"}, "", 2, "put it in brackets"},
		{"connection refused", []string{"--timeout", "2s", "127.0.0.1:1"}, "", 2, "connect to 127.0.0.1:1"},
		{"bad scheme", []string{"pop3://h"}, "", 2, "unsupported scheme"},
		{"starttls with imaps", []string{"--starttls", "imaps://h"}, "", 2, "imaps:// means implicit TLS"},
		{"flag after the server", []string{"h", "-u", "x"}, "", 2, "flags go before the server"},
		{"empty user", []string{"@h"}, "", 2, "empty user name"},
		{"empty -u", []string{"-u", "", "h"}, "", 2, "-u needs a user name"},
		{"demo with -u", []string{"--demo", "-u", "bob"}, "", 2, "drop -u"},
		{"bad duration", []string{"--timeout", "soon", "h"}, "", 2, "invalid value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := imapsh(t, nil, c.stdin, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr %q\n%s", code, c.code, stderr, out)
			}
			if !strings.Contains(stderr, c.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, c.stderr)
			}
			if c.code == 2 && strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("the reason is not one line: %q", stderr)
			}
		})
	}
}

func TestCLIVersionAndHelp(t *testing.T) {
	code, out, _ := imapsh(t, nil, "", "--version")
	if code != 0 || !strings.HasPrefix(out, "imapsh ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	// --help goes to stdout, so it can be paged.
	code, out, stderr := imapsh(t, nil, "", "--help")
	if code != 0 || !strings.Contains(out, "Examples:") || !strings.Contains(out, "-starttls") || stderr != "" {
		t.Errorf("--help: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

func TestCLIColorAlways(t *testing.T) {
	_, out, _ := imapsh(t, nil, "NOOP\nSELECT Nowhere\n", "--demo", "--color", "always")
	if !strings.Contains(out, "\x1b[32m") || !strings.Contains(out, "\x1b[33m") {
		t.Errorf("--color always shows no green OK or yellow NO:\n%q", out)
	}
	_, out, _ = imapsh(t, []string{"NO_COLOR=1"}, "NOOP\n", "--demo")
	if strings.Contains(out, "\x1b[") {
		t.Errorf("NO_COLOR set but colors shown")
	}
}

func TestCLIScriptModeWritesNoHistory(t *testing.T) {
	state := t.TempDir()
	code, _, stderr := imapsh(t, []string{"XDG_STATE_HOME=" + state, "HOME=" + state}, "LOGIN demo demo\nNOOP\n", "--demo")
	if code != 1 { // LOGIN in the authenticated state is a BAD
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	entries, _ := os.ReadDir(state)
	if len(entries) != 0 {
		t.Errorf("script mode wrote to the state directory: %v", entries)
	}
}

// The sandbox offers SCRAM to practise with: its login is still PLAIN (so
// transcripts repeat), and `authenticate scram-sha-256` from a session not
// logged in verifies the sandbox's signature.
func TestCLIDemoSCRAM(t *testing.T) {
	code, out, stderr := imapsh(t, []string{"IMAPSH_PASSWORD=demo"}, "authenticate scram-sha-256 demo\nNOOP\n", "--demo", "--login-yourself")
	if code != 0 || !strings.Contains(out, "AUTH=SCRAM-SHA-256") || !strings.Contains(out, "C: a001 AUTHENTICATE SCRAM-SHA-256") ||
		!strings.Contains(out, "verified: the signature matches") || !strings.Contains(out, "OK NOOP") {
		t.Errorf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	code, out, _ = imapsh(t, nil, "NOOP\n", "--demo")
	if code != 0 || !strings.Contains(out, "AUTHENTICATE PLAIN") {
		t.Errorf("the sandbox's own login: exit %d\n%s", code, out)
	}
}
