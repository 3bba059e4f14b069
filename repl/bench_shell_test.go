package repl

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/wire"
)

// The benchmarks in this file measure the receive path as a user runs it:
// the whole shell (Run) in script mode, with every observer it puts on the
// hub (the terminal printer with its sanitizer, the protocol watchdog, the
// explainer, the capability record), printing to /dev/null. Each
// iteration is one FETCH command of the script; the connection, login and
// LOGOUT are shared by all iterations of a run.

// benchServer is a plaintext IMAP server for benchmarks: LOGIN, SELECT
// (with EXISTS and UIDVALIDITY) and LOGOUT as a server answers them, and
// every FETCH answered by fetch(w, tag).
func benchServer(b *testing.B, fetch func(w *bufio.Writer)) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveBench(c, fetch)
		}
	}()
	return ln.Addr().String()
}

func serveBench(c net.Conn, fetch func(w *bufio.Writer)) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriterSize(c, 64<<10)
	w.WriteString("* OK [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] bench ready\r\n")
	w.Flush()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		tag, rest, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		name, _, _ := strings.Cut(strings.ToUpper(rest), " ")
		switch name {
		case "LOGOUT":
			fmt.Fprintf(w, "* BYE bye\r\n%s OK LOGOUT completed\r\n", tag)
			w.Flush()
			return
		case "SELECT":
			fmt.Fprintf(w, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 100000 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1700000000] UIDs valid\r\n* OK [UIDNEXT 100001] Predicted next UID\r\n%s OK [READ-WRITE] SELECT completed\r\n", tag)
		case "FETCH":
			fetch(w)
			fmt.Fprintf(w, "%s OK FETCH completed\r\n", tag)
		default:
			fmt.Fprintf(w, "%s OK %s completed\r\n", tag, name)
		}
		if err := w.Flush(); err != nil {
			return
		}
	}
}

// repeatReader yields head, then line n times, then EOF.
type repeatReader struct {
	head, line string
	n          int
	buf        []byte
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		switch {
		case r.head != "":
			r.buf, r.head = []byte(r.head), ""
		case r.n > 0:
			r.buf = []byte(r.line)
			r.n--
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// runBench runs the shell over b.N lines of command against addr, each
// answered with bytes octets, and returns the heap allocations made meanwhile (by the whole process: the
// benchmark's server included).
func runBench(b *testing.B, addr, command, color string, bytes int64) uint64 {
	b.Helper()
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	// Output goes to /dev/null through a file, as the shell's does when a
	// user redirects it: each Write is a system call.
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer null.Close()
	interactive := false
	cfg := Config{
		Host: host, Port: p, Security: wire.Plaintext, User: "bench",
		Color: color, Timeout: 10 * time.Second,
		Stdin:  &repeatReader{head: "SELECT INBOX\n", line: command + "\n", n: b.N},
		Stdout: null, Stderr: null,
		Interactive: &interactive, HistoryFile: "-",
		Getenv: func(k string) string {
			if k == "IMAPSH_PASSWORD" {
				return "pw"
			}
			return ""
		},
	}
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu := cpuTime()
	b.ResetTimer()
	if err := Run(context.Background(), cfg); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	reportCPU(b, cpu, bytes)
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs
}

// BenchmarkShellLiteral: each FETCH brings one message of size octets of
// mail-like text as a literal, printed whole (script mode).
func BenchmarkShellLiteral(b *testing.B) {
	for _, size := range []int{1 << 20, 16 << 20} {
		for _, color := range []string{"never", "always"} {
			b.Run(fmt.Sprintf("%dMiB/color=%s", size>>20, color), func(b *testing.B) {
				body := mailText(size)
				addr := benchServer(b, func(w *bufio.Writer) {
					fmt.Fprintf(w, "* 1 FETCH (UID 1 BODY[] {%d}\r\n", len(body))
					w.Write(body)
					w.WriteString(")\r\n")
				})
				b.SetBytes(int64(size))
				runBench(b, addr, "FETCH 1 (BODY.PEEK[])", color, int64(size))
			})
		}
	}
}

// fetchLines is how many "* N FETCH (UID N FLAGS (...))" lines answer one
// FETCH in BenchmarkShellLines: allocs/op divided by it is the
// allocations per line.
const fetchLines = 1000

// BenchmarkShellLines: each FETCH brings fetchLines short untagged FETCH
// responses, as "FETCH 1:* (UID FLAGS)" does.
func BenchmarkShellLines(b *testing.B) {
	var resp bytes.Buffer
	for i := 1; i <= fetchLines; i++ {
		// The lines of wire's BenchmarkReaderLines.
		fmt.Fprintf(&resp, "* %d FETCH (UID %d FLAGS (\\Seen $Forwarded))\r\n", i, 4000+i)
	}
	for _, color := range []string{"never", "always"} {
		b.Run("color="+color, func(b *testing.B) {
			addr := benchServer(b, func(w *bufio.Writer) { w.Write(resp.Bytes()) })
			b.SetBytes(int64(resp.Len()))
			mallocs := runBench(b, addr, "FETCH 1:* (UID FLAGS)", color, int64(resp.Len()))
			b.ReportMetric(float64(mallocs)/float64(b.N*fetchLines), "allocs/line")
		})
	}
}

// mailText returns n octets of mail-like text: header lines, then body
// lines of printable ASCII, a few with UTF-8, all ending in CRLF.
func mailText(n int) []byte {
	var b bytes.Buffer
	b.WriteString("From: Alice Example <alice@example.org>\r\nTo: bob@example.org\r\nSubject: benchmark message\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	for i := 0; b.Len() < n; i++ {
		if i%10 == 9 {
			fmt.Fprintf(&b, "Zeile %06d: Grüße aus Köln, naïve café déjà vu.\r\n", i)
			continue
		}
		fmt.Fprintf(&b, "Line %06d of a long message, with some text to print and sanitize.\r\n", i)
	}
	return b.Bytes()[:n]
}
