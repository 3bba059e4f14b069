package repl

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// listed returns a Shell whose State holds the n mailboxes a LIST of
// imaptest.ManyMailboxes gave (Folder/00001 ...), as after LIST "" "*".
func listed(b testing.TB, n int) *Shell {
	srv := imaptest.ManyMailboxes(b, n)
	conn, err := wire.Dial(context.Background(), wire.DialConfig{Addr: srv.Addr, Security: wire.Plaintext})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	st := session.NewState("h")
	s := session.New(conn, session.NewHub(render.NewTerminal(io.Discard, render.Options{})), st, session.Options{CaptureLimit: 1 << 20})
	if _, err := s.Greeting(); err != nil {
		b.Fatal(err)
	}
	s.Run()
	o, err := s.Start(&Command{Text: `LIST "" "*"`})
	if err != nil {
		b.Fatal(err)
	}
	if kind, _ := o.Wait(nil, false); kind != session.WaitDone {
		b.Fatal("LIST did not complete")
	}
	if got := len(st.Mailboxes()); got != n {
		b.Fatalf("%d mailboxes known, want %d", got, n)
	}
	return &Shell{st: st}
}

// BenchmarkCompleteMailboxes measures Tab after "SELECT " with 50,000
// mailboxes known: every name offered, one prefix's 1,000, and one name.
func BenchmarkCompleteMailboxes(b *testing.B) {
	sh := listed(b, 50000)
	for _, c := range []struct{ cur, name string }{{"", "all"}, {"Folder/1", "prefix"}, {"Folder/4999", "few"}} {
		b.Run(c.name, func(b *testing.B) {
			var n int
			b.ReportAllocs()
			for b.Loop() {
				n = len(candidates(sh, []string{"SELECT"}, c.cur))
			}
			b.ReportMetric(float64(n), "candidates")
		})
	}
}

// With 50,000 mailboxes, completion offers exactly the names that fit.
func TestCompleteManyMailboxes(t *testing.T) {
	sh := listed(t, 50000)
	for cur, want := range map[string]int{"": 50001, "Folder/1": 10000, "Folder/4999": 10, "Folder/50000": 1, "Nope": 0} {
		if got := len(candidates(sh, []string{"SELECT"}, cur)); got != want {
			t.Errorf("SELECT %s<Tab>: %d candidates, want %d", cur, got, want)
		}
	}
	if got := fmt.Sprint(string(candidates(sh, []string{"SELECT"}, "Folder/0000")[0])); got != "1 " {
		t.Errorf("first candidate %q", got)
	}
}
