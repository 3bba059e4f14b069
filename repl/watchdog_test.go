package repl

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

const seed001Script = "SELECT Trash\nFETCH 147 (UID)\nUID STORE 3170 +FLAGS (\\Deleted \\Seen)\nNOOP\nFETCH 147 (UID)\ncheck\n"

// The seed 001 story in the shell: the violation is printed as imapsh's
// own line right after the response that breaks the rule, check prints the
// report, and the run succeeds (without --strict).
func TestWatchdogSeed001InTheShell(t *testing.T) {
	srv := imaptest.OutlookNOOP(t)
	r := runScript(t, srv.Addr, "outlook", "s3cret", seed001Script)
	if r.Err != nil {
		t.Fatalf("run: %v\n%s", r.Err, r.Out)
	}
	out := r.Out
	const fetched = "\nS: * 147 FETCH (UID 3193)\n"
	second := strings.LastIndex(out, fetched)
	if second < 0 || strings.Index(out, fetched) == second {
		t.Fatalf("the session did not run as the seed:\n%s", out)
	}
	after := out[second+len(fetched):]
	if !strings.HasPrefix(after, "# violation: [count-mismatch] message 147") {
		t.Errorf("the violation does not follow the response that shows it:\n%s", out)
	}
	if !strings.Contains(after, "#   earlier: S: * 141 EXPUNGE\n") {
		t.Errorf("the earlier evidence is not shown:\n%s", after)
	}
	if n := strings.Count(out, "# violation:"); n != 1 {
		t.Errorf("%d violation lines, want 1:\n%s", n, out)
	}
	for _, want := range []string{
		"# protocol watchdog: 1 violation(s) of the IMAP rules by the server in this session",
		"# 1. violation [count-mismatch] RFC 3501 sections 7.3.1, 7.4.1, 2.3.1.1; RFC 9051 sections 7.4.1, 7.5.1, 2.3.1.1",
		"#      S: * 147 EXISTS",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the check report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "C: a009 check") || strings.Contains(out, "C: a009 CHECK") {
		t.Errorf("check was sent to the server:\n%s", out)
	}
}

// The violation and the check report go to the --log transcript too.
func TestWatchdogInTranscript(t *testing.T) {
	srv := imaptest.OutlookNOOP(t)
	log := filepath.Join(t.TempDir(), "session.log")
	r := runScript(t, srv.Addr, "outlook", "s3cret", seed001Script, func(c *Config) { c.LogFile = log })
	if r.Err != nil {
		t.Fatalf("run: %v\n%s", r.Err, r.Out)
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	tr := string(b)
	fetch := strings.LastIndex(tr, "S : * 147 FETCH (UID 3193)\n")
	violation := strings.Index(tr, "watchdog violation: [count-mismatch] message 147")
	if fetch < 0 || violation < fetch || !strings.Contains(tr, "earlier: S: * 141 EXPUNGE") || !strings.Contains(tr, "1. violation [count-mismatch]") {
		t.Errorf("the transcript lacks the violation after its response, or the report:\n%s", tr)
	}
}

// --strict turns a violation into exit status 1, with the report; a clean
// session stays 0.
func TestWatchdogStrict(t *testing.T) {
	srv := imaptest.OutlookNOOP(t)
	r := runStrict(t, srv.Addr, "outlook", "s3cret", strings.TrimSuffix(seed001Script, "check\n"))
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("--strict with a violation: %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	if !strings.Contains(r.Out, "warning: --strict: the server broke the rules of IMAP 1 time(s)") || !strings.Contains(r.Out, "1. violation [count-mismatch]") {
		t.Errorf("--strict does not say why it fails:\n%s", r.Out)
	}
	demo := startDemo(t)
	r = runStrict(t, demo.Addr, demo.User, demo.Password, "SELECT INBOX\nFETCH 1:* (UID FLAGS)\nNOOP\n")
	if r.Err != nil || strings.Contains(r.Out, "violation") {
		t.Errorf("--strict on a correct server: %v\n%s", r.Err, r.Out)
	}
}

// check is the helper only in lower case: CHECK is IMAP's command.
func TestWatchdogCheckIsNotCHECK(t *testing.T) {
	demo := startDemo(t)
	r := runScript(t, demo.Addr, demo.User, demo.Password, "SELECT INBOX\nCHECK\ncheck\n")
	if !strings.Contains(r.Out, "\nC: a003 CHECK\nS: a003 OK CHECK completed\n") || strings.Contains(r.Out, " check\n") {
		t.Errorf("CHECK did not go to the server, or check did:\n%s", r.Out)
	}
	if !strings.Contains(r.Out, "# protocol watchdog: no violation seen in this session") {
		t.Errorf("check printed no report:\n%s", r.Out)
	}
}

func runStrict(t *testing.T, addr, user, pass, script string) scriptRun {
	t.Helper()
	return runScript(t, addr, user, pass, script, func(c *Config) { c.Strict = true })
}
