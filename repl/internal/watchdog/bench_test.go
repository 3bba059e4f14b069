package watchdog_test

import (
	"fmt"
	"testing"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/repl/internal/watchdog"
	"github.com/imapsh/imapsh/wire"
)

// The cost the watchdog adds to each response of a FETCH 1:* (UID FLAGS)
// over a mailbox of 100,000 messages.
func BenchmarkWatchdogFetchResponse(b *testing.B) {
	const n = 100_000
	w := watchdog.New(nil)
	observe := func(line string) {
		h := wire.ParseHead([]byte(line))
		w.Observe(&session.Event{Kind: session.Begin, Head: &h})
		w.Observe(&session.Event{Kind: session.Text, Data: []byte(line)})
		w.Observe(&session.Event{Kind: session.End, Resp: &session.Response{Head: h, Raw: []byte(line)}})
	}
	sent := func(line string) {
		tag := line[:4]
		w.Observe(&session.Event{Kind: session.Sent, Tag: tag, Line: line})
	}
	observe("* OK [CAPABILITY IMAP4rev1] ready")
	sent("a001 SELECT INBOX")
	observe(fmt.Sprintf("* %d EXISTS", n))
	observe(fmt.Sprintf("* OK [UIDNEXT %d] n", 2*n+1))
	observe("a001 OK done")
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf(`* %d FETCH (UID %d FLAGS (\Seen))`, i+1, 2*i+1)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%n == 0 {
			b.StopTimer()
			sent(fmt.Sprintf("b%03d FETCH 1:* (UID FLAGS)", i/n%1000))
			b.StartTimer()
		}
		observe(lines[i%n])
	}
	b.StopTimer()
	if w.Violations() != 0 {
		b.Fatalf("violations on a correct stream:\n%s", w.Summary())
	}
}
