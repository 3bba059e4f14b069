package repl

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// literalServer answers every command with one FETCH response carrying a
// literal of size octets of mail-like text, then a tagged OK.
func literalServer(b *testing.B, size int64) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	var chunk bytes.Buffer
	for chunk.Len() < 1<<20 {
		fmt.Fprintf(&chunk, "Line %06d of a long message, with some text to print and sanitize.\r\n", chunk.Len())
	}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write([]byte("* OK ready\r\n"))
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			tag, _, _ := strings.Cut(line, " ")
			fmt.Fprintf(c, "* 1 FETCH (BODY[] {%d}\r\n", size)
			for left := size; left > 0; {
				n := min(left, int64(chunk.Len()))
				c.Write(chunk.Bytes()[:n])
				left -= n
			}
			fmt.Fprintf(c, ")\r\n%s OK FETCH completed\r\n", tag)
		}
	}()
	return ln.Addr().String()
}

// BenchmarkSessionLiteral measures the whole receive path (framing, the
// literal streamed through the printer and its sanitizer) for one FETCH
// with a large literal. B/op staying flat as the size grows shows that a
// literal is never held whole.
func BenchmarkSessionLiteral(b *testing.B) {
	for _, size := range []int64{1 << 20, 64 << 20} {
		for _, mode := range []string{"script", "terminal"} {
			b.Run(fmt.Sprintf("%dMiB/%s", size>>20, mode), func(b *testing.B) {
				addr := literalServer(b, size)
				// As the shell makes it: script mode batches its output.
				benchSession(b, dialBench(b, addr, nil), render.Options{Summarize: mode == "terminal", LiteralLimit: 64 << 10, Batch: mode == "script"},
					"FETCH 1 BODY[]", size, 0)
			})
		}
	}
}

// linesServer answers every command with lines untagged FETCH responses
// of the kind "FETCH 1:* (UID FLAGS)" brings, then a tagged OK. It
// returns its address and the octets of one answer's untagged lines.
func linesServer(b *testing.B, lines int) (string, int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	var resp bytes.Buffer
	for i := 1; i <= lines; i++ {
		// The lines of wire's BenchmarkReaderLines.
		fmt.Fprintf(&resp, "* %d FETCH (UID %d FLAGS (\\Seen $Forwarded))\r\n", i, 4000+i)
	}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write([]byte("* OK ready\r\n"))
		r := bufio.NewReader(c)
		w := bufio.NewWriterSize(c, 64<<10)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			tag, _, _ := strings.Cut(line, " ")
			w.Write(resp.Bytes())
			fmt.Fprintf(w, "%s OK FETCH completed\r\n", tag)
			if w.Flush() != nil {
				return
			}
		}
	}()
	return ln.Addr().String(), resp.Len()
}

// BenchmarkSessionLines measures the same path (script mode) for short
// untagged responses: 1000 "* N FETCH (UID n FLAGS (...))" lines per
// command.
// allocs/line is what one such line costs.
func BenchmarkSessionLines(b *testing.B) {
	const lines = 1000
	for _, color := range []bool{false, true} {
		b.Run(fmt.Sprintf("color=%v", color), func(b *testing.B) {
			addr, size := linesServer(b, lines)
			benchSession(b, dialBench(b, addr, nil), render.Options{Color: color, Batch: true}, // script mode
				"FETCH 1:* (UID FLAGS)", int64(size), lines)
		})
	}
}

// dialBench connects to addr, through dial when it is not nil.
func dialBench(b *testing.B, addr string, dial func(context.Context, string, string) (net.Conn, error)) *wire.Conn {
	conn, err := wire.Dial(context.Background(), wire.DialConfig{Addr: addr, Security: wire.Plaintext, Dial: dial})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	return conn
}

// benchSession runs command b.N times on conn through the engine and a
// printer made with opt, and reports the throughput for octets of answer
// per command, the process's CPU time, and, when lines is above 0, the
// allocations per line of the answer.
func benchSession(b *testing.B, conn *wire.Conn, opt render.Options, command string, octets int64, lines int) {
	term := render.NewTerminal(io.Discard, opt)
	s := session.New(conn, session.NewHub(term), session.NewState("h"), session.Options{CaptureLimit: 1 << 20})
	if _, err := s.Greeting(); err != nil {
		b.Fatal(err)
	}
	s.Run()
	b.SetBytes(octets)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o, err := s.Start(&Command{Text: command})
		if err != nil {
			b.Fatal(err)
		}
		if kind, _ := o.Wait(nil, false); kind != session.WaitDone {
			b.Fatal("connection lost")
		}
	}
	b.StopTimer()
	reportCPU(b, cpu, octets)
	if lines > 0 {
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*lines), "allocs/line")
	}
}

// reportCPU reports the CPU time of the process since cpu per operation
// (the test server's included) and the throughput it gives: on a shared
// machine the wall time varies with the others' load far more.
func reportCPU(b *testing.B, cpu time.Duration, bytes int64) {
	used := cpuTime() - cpu
	if used <= 0 {
		return
	}
	b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(bytes)*float64(b.N)/used.Seconds()/1e6, "cpu-MB/s")
}
