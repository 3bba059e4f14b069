package main

import (
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
