package term

import (
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
)

// octets counts what the console draws.
type octets struct{ n atomic.Int64 }

func (o *octets) Write(p []byte) (int, error) { o.n.Add(int64(len(p))); return len(p), nil }

// BenchmarkPaste pastes a line of the given size, in one write, into the
// console at an 80-column terminal and reads it. "typed" turns the paste
// path off, so each character goes through the editor as if typed (the
// editor redraws the whole line per character: quadratic).
//
//	go test -run '^$' -bench Paste -benchtime 3x ./repl/internal/term
func BenchmarkPaste(b *testing.B) {
	for _, c := range []struct {
		mode string
		size int
	}{
		{"typed", 1 << 10}, {"typed", 5 << 10}, {"typed", 10 << 10},
		{"paste", 10 << 10}, {"paste", 100 << 10}, {"paste", 1 << 20},
	} {
		b.Run(fmt.Sprintf("%s/%dKB", c.mode, c.size>>10), func(b *testing.B) {
			pr, pw := io.Pipe()
			out := &octets{}
			con, err := NewReadline(Config{Stdin: pr, Stdout: out, Stderr: out, Virtual: true,
				Width: func() int { return 80 }})
			if err != nil {
				b.Fatal(err)
			}
			defer func() { pw.Close(); con.Close() }()
			con.(*readlineConsole).keys.pasteOn = c.mode == "paste"
			line := strings.Repeat("x", c.size)
			b.SetBytes(int64(c.size))
			b.ResetTimer()
			for range b.N {
				go pw.Write([]byte(line + "\r"))
				got, err := con.ReadLine("> ")
				if err != nil || len(got) != c.size {
					b.Fatalf("ReadLine = %d octets, %v", len(got), err)
				}
			}
			b.ReportMetric(float64(out.n.Load())/float64(b.N), "drawn-octets/op")
		})
	}
}
