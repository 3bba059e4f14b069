package teach

import (
	"fmt"
	"testing"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// BenchmarkExplainerFetch measures what the explainer costs per FETCH
// response of a large FETCH 1:* (UID FLAGS), with notes off (the default
// in scripts: only the model is kept past the first responses) and on.
func BenchmarkExplainerFetch(b *testing.B) {
	const n = 10000
	resps := make([]session.Event, n)
	for i := range resps {
		raw := []byte(fmt.Sprintf("* %d FETCH (UID %d FLAGS (\\Seen $Work))\r\n", i+1, 3*i+7))
		h := wire.ParseHead(raw[:len(raw)-2])
		resps[i] = session.Event{Kind: session.End, Resp: &session.Response{Head: h, Raw: raw}}
	}
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("on=%v", on), func(b *testing.B) {
			x := NewExplainer(func(string) {})
			x.SetOn(on)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				x.Observe(&session.Event{Kind: session.Sent, Tag: "a1", Line: "a1 FETCH 1:* (UID FLAGS)"})
				for j := range resps {
					x.Observe(&resps[j])
				}
				x.Observe(&session.Event{Kind: session.Closed})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/response")
		})
	}
}
