package repl

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/repl/internal/teach"
)

// exampleEnd is how one command of a script ended, read from the output.
type exampleEnd struct {
	name   string // command name (session.CommandName), or the refused one
	status string // OK, NO, BAD, "refused", or "" when no completion came
}

var (
	sentLine    = regexp.MustCompile(`^C: (a\d{3,}) (.*)$`)
	taggedLine  = regexp.MustCompile(`^S: (a\d{3,}) (OK|NO|BAD)\b`)
	refusedLine = regexp.MustCompile(`^# error: (\S+) is not sent`)
)

// exampleEnds reads the commands a script sent and how each ended, in order,
// leaving out the login (a001) and the LOGOUT imapsh adds at the end.
func exampleEnds(out string) []exampleEnd {
	var res []exampleEnd
	at := map[string]int{}
	for _, l := range strings.Split(out, "\n") {
		if m := sentLine.FindStringSubmatch(l); m != nil {
			if _, seen := at[m[1]]; !seen && m[1] != "a001" {
				name, _ := commandName(m[2])
				at[m[1]] = len(res)
				res = append(res, exampleEnd{name: name})
			}
			continue
		}
		if m := taggedLine.FindStringSubmatch(l); m != nil {
			if i, ok := at[m[1]]; ok {
				res[i].status = m[2]
			}
			continue
		}
		if m := refusedLine.FindStringSubmatch(l); m != nil {
			res = append(res, exampleEnd{name: m[1], status: "refused"})
		}
	}
	return res
}

// Every example of help runs as is against the demo in script mode, and
// each command ends as its entry says.
func TestHelpExamplesRunAgainstDemo(t *testing.T) {
	for _, c := range teach.Commands() {
		t.Run(c.Name, func(t *testing.T) {
			srv := startDemo(t)
			var script strings.Builder
			var want []exampleEnd
			for _, s := range c.Example {
				script.WriteString(s.Line + "\n")
				if s.Want != teach.None {
					name, _ := commandName(s.Line)
					want = append(want, exampleEnd{name: name, status: string(s.Want)})
				}
			}
			r := runScript(t, srv.Addr, srv.User, srv.Password, script.String())
			got := exampleEnds(r.Out)
			if n := len(got); n > len(want) && got[n-1].name == "LOGOUT" && want[len(want)-1].name != "LOGOUT" {
				got = got[:n-1] // the LOGOUT at the end of the script
			}
			if len(got) != len(want) {
				t.Fatalf("the example ran %d commands, want %d: %+v\n%s", len(got), len(want), got, r.Out)
			}
			failures := false
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("command %d: got %+v, want %+v", i+1, got[i], want[i])
				}
				failures = failures || want[i].status != "OK"
			}
			switch {
			case failures && !errors.Is(r.Err, ErrFailed):
				t.Errorf("Run = %v, want ErrFailed (the example expects a NO, BAD or refusal)", r.Err)
			case !failures && r.Err != nil:
				t.Errorf("Run = %v, want nil", r.Err)
			}
			if t.Failed() {
				t.Logf("output:\n%s", r.Out)
			}
		})
	}
}

func TestExplainInScript(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "SELECT INBOX\nexplain on\nFETCH 1 (UID FLAGS)\nCOPY 1 NoSuchBox\nexplain off\nNOOP\nexplain\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed (the COPY fails)", r.Err)
	}
	out := r.Out
	sel := strings.Index(out, "C: a002 SELECT INBOX")
	fetch := strings.Index(out, "C: a003 FETCH 1 (UID FLAGS)")
	if sel < 0 || fetch < 0 {
		t.Fatalf("commands missing:\n%s", out)
	}
	if strings.Contains(out[:fetch], "# explain:") {
		t.Errorf("notes before explain on in a script:\n%s", out)
	}
	// The demo's data may change; the shape of the notes may not.
	if !regexp.MustCompile(`\nS: \* 1 FETCH \([^\n]*\)\n# explain: untagged FETCH: message 1 \(a sequence number\), UID \d+:\n#   UID \d+: its permanent name`).MatchString(out) {
		t.Errorf("no note under the FETCH:\n%s", out)
	}
	for _, want := range []string{
		"S: a004 NO [TRYCREATE]",
		"# explain: tagged: a004 (COPY) failed (NO)",
		"# explain is off",
		"C: a005 NOOP\nS: a005 OK NOOP completed\n# S: a005 OK NOOP completed\n#    tagged: a005 (NOOP) is done and succeeded (OK).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out[strings.Index(out, "# explain is off"):], "# explain: ") {
		t.Errorf("notes after explain off:\n%s", out)
	}
}

func TestExplainNotesInTranscript(t *testing.T) {
	srv := startDemo(t)
	log := filepath.Join(t.TempDir(), "session.log")
	r := runScript(t, srv.Addr, srv.User, srv.Password, "explain on\nSELECT INBOX\n", func(c *Config) { c.LogFile = log })
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "#   explain: untagged EXISTS: INBOX holds") {
		t.Errorf("the transcript lacks the note:\n%s", data)
	}
}

func TestCapsAndHelpHelpers(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "caps\nhelp\nhelp uid fetch\nhelp TRYCREATE\nhelp whereis\nhelp frobnicate\nexplain sideways\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed (an unknown help topic and a bad explain)", r.Err)
	}
	for _, want := range []string{
		"# The server's capabilities after login (",
		"# Before login the server offered (",
		"# Changed after login (compared with before login):",
		"# IMAP commands, by the state in which they are valid",
		"# Selected (after SELECT or EXAMINE):",
		"#   explain [on|off] ",
		"#   caps ",
		"# UID FETCH  (RFC 9051 section 6.4.9; RFC 3501 section 6.4.8)",
		"# [TRYCREATE]  (response code",
		"# whereis UID  (an imapsh helper, not an IMAP command)",
		"# error: no help for \"frobnicate\"",
		"# error: explain takes on, off, or nothing",
	} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
	if !regexp.MustCompile(`\n#   gone: [^\n]*AUTH=PLAIN`).MatchString(r.Out) {
		t.Errorf("caps does not say AUTH=PLAIN went away after login:\n%s", r.Out)
	}
	if strings.Contains(r.Out, "C: a002 CAPABILITY") {
		t.Errorf("caps asked again although the login told the capabilities:\n%s", r.Out)
	}
}

// At the terminal a BAD answer gets a hint even with explain off, and
// explain on writes notes under the responses.
func TestTeachAtTheTerminal(t *testing.T) {
	srv := startDemo(t)
	tm := startTerm(t, srv.Addr, srv.User, srv.Password, "-")
	tm.waitFor("demo@127.0.0.1 (no mailbox)> ")
	tm.typeKeys("fetch 1 flags\r")
	tm.waitFor("# hint: FETCH is valid only with a mailbox selected: SELECT (or EXAMINE) one first. Syntax: FETCH sequence-set")
	tm.typeKeys("explain on\r")
	tm.typeKeys("select INBOX\r")
	tm.waitFor(" EXISTS\n# explain: untagged EXISTS: INBOX holds ")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil && !errors.Is(err, ErrFailed) {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	if strings.Count(tm.out.String(), "# hint:") != 1 {
		t.Errorf("want exactly one hint:\n%s", tm.out.String())
	}
}
