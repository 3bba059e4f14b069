package repl

import (
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
)

func TestScratch(t *testing.T) {
	srv := startDemo(t)
	r := runScript(t, srv.Addr, srv.User, srv.Password, "CAPABILITY\nSELECT Poison\nUID SEARCH DELETED\nUID SEARCH UID 1:21\nUID SEARCH UID 23:*\nSEARCH ALL\nUID FETCH 22 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)\nUID FETCH 22 (BODY.PEEK[])\nUID FETCH 21 (BODY.PEEK[])\nUID FETCH 999 (UID)\nFETCH 99 (UID)\nUID FETCH 21 (BODY.PEEK[]<0.4096>)\n")
	t.Log(r.Out, r.Err)
	x := imaptest.NewExchange(t, imaptest.ExchangeConfig{})
	r = runScript(t, x.Addr, "tomas", "secret", "SELECT INBOX\nUID SEARCH DELETED\nUID FETCH 15541 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)\nUID FETCH 15541 (BODY.PEEK[])\nFETCH 9999 (UID)\nUID SEARCH UID 99999:*\n")
	t.Log(r.Out, r.Err)
}
