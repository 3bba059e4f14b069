package repl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

func TestRedactSecretLines(t *testing.T) {
	cases := map[string]string{
		"LOGIN alice\twonderland":                    "LOGIN alice [hidden]",
		"LOGIN\talice\t\twonderland":                 "LOGIN alice [hidden]",
		"  login  alice   wonderland  ":              "LOGIN alice [hidden]",
		"a1\tLOGIN alice wonderland":                 "a1 LOGIN alice [hidden]",
		"a1 login\talice\twonderland":                "a1 LOGIN alice [hidden]",
		"UID LOGIN alice wonderland":                 "UID LOGIN [hidden] [hidden]",
		"a1 uid login alice wonderland":              "a1 UID LOGIN [hidden] [hidden]",
		`LOGIN <user.txt "s3cretpw"`:                 "LOGIN [hidden] [hidden]",
		`LOGIN alice <s3cretpw`:                      "LOGIN alice [hidden]",
		`LOGIN <s3cretpw`:                            "LOGIN [hidden]",
		`LOGIN "alice s3cretpw`:                      "LOGIN [hidden]",
		`LOGIN "al\"ice" "pw"`:                       `LOGIN "al\"ice" [hidden]`,
		"LOGIN ~{5}":                                 "LOGIN [hidden]",
		"authenticate\tPLAIN\tAGFsaWNlAHNlY3JldA==":  "AUTHENTICATE PLAIN [hidden]",
		"AUTHENTICATE AGFsaWNlAHNlY3JldA==":          "AUTHENTICATE [hidden]",
		"a2 AUTHENTICATE PLAIN <s3cret":              "a2 AUTHENTICATE PLAIN [hidden]",
		"SELECT\tINBOX":                              "SELECT\tINBOX",
		"RENAME LOGIN other":                         "RENAME LOGIN other",
		`APPEND INBOX <"my file.eml"`:                `APPEND INBOX <"my file.eml"`,
		"a1 SEARCH SUBJECT \"LOGIN alice s3cretpw\"": "a1 SEARCH SUBJECT \"LOGIN alice s3cretpw\"",
		"LOGIN":         "LOGIN",
		"a1 LOGIN":      "a1 LOGIN",
		"LOGIN alice":   "LOGIN alice",
		"LOGIN alice\t": "LOGIN alice",
		"LOGIN {5}\t":   "LOGIN [hidden]",
		"login \"alice\"\t\"s3cretpw\" extra \"x y\"": `LOGIN "alice" [hidden]`,
	}
	for in, want := range cases {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLoginArgumentsNeverEchoed sends LOGIN lines whose password would
// have been shown: after a user name from a file, as an unquoted word
// beginning with <, separated by tabs. No password may appear in the
// output, and what is sent must be well-formed.
func TestLoginArgumentsNeverEchoed(t *testing.T) {
	srv := imaptest.NoLiteralPlusServer(t)
	dir := t.TempDir()
	userFile := filepath.Join(dir, "user.txt")
	os.WriteFile(userFile, []byte("alice"), 0o600)
	script := strings.Join([]string{
		`LOGIN <` + userFile + ` "s3cretpw-1"`,
		`LOGIN alice <s3cretpw-2`,
		"LOGIN alice\ts3cretpw-3",
		"a9\tlogin\tbob\t\ts3cretpw-4",
		`LOGIN <` + filepath.Join(dir, "s3cretpw-5") + ` "x"`,
		"LOGIN alice\t{10}",
		"s3cretpw-6",
		`AUTHENTICATE PLAIN <s3cretpw-7`,
		"NOOP",
	}, "\n") + "\n"
	r := runScript(t, srv.Addr, "", "", script)
	for i := 1; i <= 7; i++ {
		secret := "s3cretpw-" + string(rune('0'+i))
		if strings.Contains(r.Out, secret) {
			t.Errorf("%s was shown:\n%s", secret, r.Out)
		}
	}
	log := strings.Join(srv.Log(), "\n")
	for _, want := range []string{
		"a001 LOGIN {5}", ` "s3cretpw-1"`, // the user name from the file, then the password
		"a002 LOGIN alice s3cretpw-3", // tabs sent as spaces
		"a9 login bob s3cretpw-4",     // with the user's own tag, as typed
		"a003 LOGIN alice {10}",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("server did not get %q; it got:\n%s", want, log)
		}
	}
	if strings.Contains(log, "s3cretpw-2") || strings.Contains(log, "s3cretpw-7") || strings.Contains(log, "s3cretpw-5") {
		t.Errorf("a refused line was sent:\n%s", log)
	}
	lits := srv.Literals()
	if len(lits) != 2 || string(lits[0]) != "alice" || string(lits[1]) != "s3cretpw-6" {
		t.Errorf("literals sent = %q, want alice and s3cretpw-6", lits)
	}
	for _, want := range []string{
		"C: a001 LOGIN [hidden]", "[5 octets: the user name, from a file]", "C: [rest of the line hidden]",
		"only the user name may come from a file",
		"C: a002 LOGIN alice [hidden]", "C: a9 login bob [hidden]", // the line as sent, secrets hidden by the engine
		"the file named for the user name in this LOGIN line cannot be used: no such file or directory",
		"an AUTHENTICATE line takes no <FILE",
		"OK NOOP",
	} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
}

// TestLoginLiteralUserIsIMAP checks that "LOGIN {5}" (the user name as a
// literal) and LOGIN "alice" go to the IMAP command, and that the lines
// after them are the literal's octets, not commands; "login alice" stays
// the helper.
func TestLoginLiteralUserIsIMAP(t *testing.T) {
	srv := imaptest.NoLiteralPlusServer(t)
	r := runScript(t, srv.Addr, "", "from-the-environment", "LOGIN {5}\nalice {10}\nwonderland\nlogin \"bob\"\nNOOP\n")
	log := strings.Join(srv.Log(), "\n")
	for _, want := range []string{"a001 LOGIN {5}", `a002 login "bob"`, "a003 NOOP"} {
		if !strings.Contains(log, want) {
			t.Errorf("server did not get %q; it got:\n%s", want, log)
		}
	}
	if lits := srv.Literals(); len(lits) != 2 || string(lits[0]) != "alice" || string(lits[1]) != "wonderland" {
		t.Errorf("literals sent = %q, want alice and wonderland", lits)
	}
	if strings.Contains(log, "AUTHENTICATE") || strings.Contains(r.Out, "from-the-environment") {
		t.Errorf("the login helper ran:\n%s", log)
	}

	srv2 := imaptest.NoLiteralPlusServer(t)
	r = runScript(t, srv2.Addr, "", "from-the-environment", "login alice\nNOOP\n")
	if r.Err != nil || !strings.Contains(strings.Join(srv2.Log(), "\n"), "AUTHENTICATE PLAIN") {
		t.Errorf("login USER no longer runs the helper (%v):\n%s", r.Err, r.Out)
	}
}

// TestInteractiveTypedLiteralPasswordNotEchoed types a LOGIN whose
// password (and, in the second form, user name) is a {N} literal at the
// terminal: the octets reach the server and never the screen.
func TestInteractiveTypedLiteralPasswordNotEchoed(t *testing.T) {
	srv := imaptest.NoLiteralPlusServer(t)
	tm := startTerm(t, srv.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("LOGIN alice {12}\r")
	tm.waitFor("12 of 12 octets left> ")
	tm.typeKeys("pw-typed-1st\r")
	tm.waitFor("OK LOGIN completed")
	tm.typeKeys("a2 LOGIN {5}\r")
	tm.waitFor("5 of 5 octets left> ")
	tm.typeKeys("alice {12}\r")
	tm.waitFor("12 of 12 octets left> ")
	tm.typeKeys("pw-typed-2nd\r")
	tm.waitFor("a2 OK LOGIN completed")
	tm.typeKeys("a3 UID LOGIN alice {12}\r") // no such command, but a password all the same
	tm.waitFor("12 of 12 octets left> ")
	tm.typeKeys("pw-typed-3rd\r")
	tm.waitFor("a3 OK LOGIN completed")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
	lits := srv.Literals()
	if len(lits) != 4 || string(lits[0]) != "pw-typed-1st" || string(lits[1]) != "alice" || string(lits[2]) != "pw-typed-2nd" || string(lits[3]) != "pw-typed-3rd" {
		t.Errorf("literals sent = %q", lits)
	}
	for _, secret := range []string{"pw-typed", "typed-1st", "typed-2nd", "typed-3rd"} {
		if strings.Contains(tm.out.String(), secret) {
			t.Errorf("the typed password reached the screen:\n%s", tm.out.String())
		}
	}
}
