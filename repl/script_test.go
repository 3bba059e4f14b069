package repl

import (
	"errors"
	"strings"
	"testing"
)

func TestScriptAgainstDemo(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "SELECT INBOX\nFETCH 1 (UID)\n")
	if r.Err != nil {
		t.Fatalf("Run: %v\n%s", r.Err, r.Out)
	}
	for _, want := range []string{"C: a001 AUTHENTICATE PLAIN [credentials hidden]", "C: a002 SELECT INBOX", "S: a002 OK", "C: a003 FETCH 1 (UID)", "S: * 1 FETCH (UID 4)", "C: a004 LOGOUT", "S: * BYE"} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
	if strings.Contains(r.Out, srv.Password) && strings.Contains(r.Out, "AHNlY3JldA") {
		t.Errorf("credentials leaked")
	}
}

func TestScriptExitStatusOnNO(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "SELECT NoSuchBox\nNOOP\n")
	if !errors.Is(r.Err, ErrFailed) {
		t.Fatalf("Run = %v, want ErrFailed\n%s", r.Err, r.Out)
	}
	if !strings.Contains(r.Out, "S: a003 OK") {
		t.Errorf("the script did not go on after the NO:\n%s", r.Out)
	}
}
