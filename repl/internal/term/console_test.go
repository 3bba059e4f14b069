package term

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// screen collects what the console draws; safe for concurrent use.
type screen struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *screen) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

// vt is a console on an in-process terminal: keys in through a pipe, the
// screen collected.
type vt struct {
	t    *testing.T
	con  Console
	keys *io.PipeWriter
	scr  *screen
}

func newVT(t testing.TB, cfg Config) *vt {
	pr, pw := io.Pipe()
	scr := &screen{}
	cfg.Stdin, cfg.Stdout, cfg.Stderr, cfg.Virtual = pr, scr, scr, true
	if cfg.Width == nil {
		cfg.Width = func() int { return 80 }
	}
	con, err := NewReadline(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pw.Close()
		done := make(chan struct{})
		go func() { con.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Errorf("Close did not return")
		}
	})
	v := &vt{con: con, keys: pw, scr: scr}
	if tt, ok := t.(*testing.T); ok {
		v.t = tt
	}
	return v
}

// readLine runs ReadLine in the background.
func (v *vt) readLine(prompt string) <-chan result {
	ch := make(chan result, 1)
	go func() {
		line, err := v.con.ReadLine(prompt)
		ch <- result{line, err}
	}()
	return ch
}

type result struct {
	line string
	err  error
}

func (v *vt) typeKeys(s string) {
	v.t.Helper()
	if _, err := v.keys.Write([]byte(s)); err != nil {
		v.t.Fatalf("typing %q: %v", s, err)
	}
}

func (v *vt) waitFor(want string) {
	v.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(v.scr.String(), want) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	v.t.Fatalf("screen never showed %q; screen:\n%q", want, v.scr.String())
}

func (v *vt) get(ch <-chan result) result {
	v.t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		v.t.Fatalf("ReadLine did not return; screen:\n%q", v.scr.String())
	}
	return result{}
}

func TestReadLine(t *testing.T) {
	v := newVT(t, Config{})
	ch := v.readLine("> ")
	v.typeKeys("NOOP\r")
	if r := v.get(ch); r.line != "NOOP" || r.err != nil {
		t.Errorf("ReadLine = %q, %v", r.line, r.err)
	}
	ch = v.readLine("> ")
	v.typeKeys("DELETE Important\x03")
	if r := v.get(ch); !errors.Is(r.err, ErrInterrupt) {
		t.Errorf("Ctrl-C: ReadLine = %q, %v", r.line, r.err)
	}
	ch = v.readLine("> ")
	v.typeKeys("\x04")
	if r := v.get(ch); !errors.Is(r.err, io.EOF) {
		t.Errorf("Ctrl-D: ReadLine = %q, %v", r.line, r.err)
	}
}

func TestWakeLeavesTheConsoleUsable(t *testing.T) {
	v := newVT(t, Config{})
	ch := v.readLine("> ")
	v.typeKeys("CREATE half")
	v.waitFor("> CREATE half")
	v.con.Wake()
	if r := v.get(ch); !errors.Is(r.err, ErrWoken) || r.line != "" {
		t.Fatalf("after Wake: ReadLine = %q, %v", r.line, r.err)
	}
	// The console goes on, and the half line is gone.
	ch = v.readLine("> ")
	v.typeKeys("NOOP\r")
	if r := v.get(ch); r.line != "NOOP" || r.err != nil {
		t.Errorf("after a wake: ReadLine = %q, %v", r.line, r.err)
	}
	// A wake while no line is read ends the next read, once.
	v.con.Wake()
	v.con.Wake()
	if r := v.get(v.readLine("> ")); !errors.Is(r.err, ErrWoken) {
		t.Errorf("wake before the read: ReadLine = %q, %v", r.line, r.err)
	}
	ch = v.readLine("> ")
	v.typeKeys("CAPABILITY\r")
	if r := v.get(ch); r.line != "CAPABILITY" || r.err != nil {
		t.Errorf("after two wakes: ReadLine = %q, %v", r.line, r.err)
	}
	// A wake during a password prompt.
	pw := make(chan result, 1)
	go func() {
		p, err := v.con.ReadPassword("password: ")
		pw <- result{p, err}
	}()
	v.waitFor("password: ")
	v.typeKeys("secr")
	time.Sleep(20 * time.Millisecond)
	v.con.Wake()
	if r := v.get(pw); !errors.Is(r.err, ErrWoken) || r.line != "" {
		t.Errorf("wake in ReadPassword = %q, %v", r.line, r.err)
	}
	ch = v.readLine("> ")
	v.typeKeys("LOGOUT\r")
	if r := v.get(ch); r.line != "LOGOUT" || r.err != nil {
		t.Errorf("after a woken password prompt: ReadLine = %q, %v", r.line, r.err)
	}
}

func TestEndOfInputDropsTheHalfLine(t *testing.T) {
	v := newVT(t, Config{})
	ch := v.readLine("> ")
	v.typeKeys("NOOP\rCREATE never-entered")
	if r := v.get(ch); r.line != "NOOP" {
		t.Fatalf("ReadLine = %q, %v", r.line, r.err)
	}
	ch = v.readLine("> ")
	v.waitFor("CREATE never-entered")
	v.keys.Close()
	if r := v.get(ch); !errors.Is(r.err, io.EOF) || r.line != "" {
		t.Errorf("at the end of input: ReadLine = %q, %v", r.line, r.err)
	}
	if r := v.get(v.readLine("> ")); !errors.Is(r.err, io.EOF) {
		t.Errorf("after the end of input: ReadLine = %q, %v", r.line, r.err)
	}
}

func TestPasteIsOneInsertion(t *testing.T) {
	v := newVT(t, Config{})
	line := "APPEND INBOX {5}" + strings.Repeat("0123456789", 1000)
	ch := v.readLine("> ")
	v.typeKeys(line + "\r")
	r := v.get(ch)
	if r.line != line || r.err != nil {
		t.Fatalf("ReadLine = %d octets, %v; want %d", len(r.line), r.err, len(line))
	}
	// Drawn once or twice, not once per character (which drew 55 MB for
	// these 10 KB).
	if n := v.scr.Len(); n > 4*len(line) {
		t.Errorf("the paste drew %d octets for a line of %d", n, len(line))
	}

	// Into the middle of a line, and several lines at once.
	ch = v.readLine("> ")
	v.typeKeys("ab\x1b[D")
	v.waitFor("> ab")
	mid := strings.Repeat("x", 100)
	v.typeKeys(mid + "\r" + mid + "y\r")
	if r := v.get(ch); r.line != "a"+mid+"b" {
		t.Errorf("paste in the middle: %q", r.line)
	}
	if r := v.get(v.readLine("> ")); r.line != mid+"y" {
		t.Errorf("second pasted line: %q", r.line)
	}
}

func TestPasteWithCompletionListOpen(t *testing.T) {
	v := newVT(t, Config{Completer: fixedCompleter{"alpha", "beta", "gamma"}})
	ch := v.readLine("> ")
	v.typeKeys("SELECT \t")
	v.waitFor("gamma")
	paste := strings.Repeat("z", 50)
	v.typeKeys(paste + "\r")
	if r := v.get(ch); r.line != "SELECT "+paste {
		t.Errorf("ReadLine = %q", r.line)
	}
}

func TestCtrlCClosesCompletionListAndDropsTheLine(t *testing.T) {
	v := newVT(t, Config{Completer: fixedCompleter{"alpha", "beta", "gamma"}})
	ch := v.readLine("> ")
	v.typeKeys("SELECT \t")
	v.waitFor("gamma")
	v.typeKeys("\x03")
	if r := v.get(ch); !errors.Is(r.err, ErrInterrupt) {
		t.Fatalf("Ctrl-C with the list open: ReadLine = %q, %v", r.line, r.err)
	}
	// The same with the list entered (Tab twice: select mode), and in a
	// history search.
	ch = v.readLine("> ")
	v.typeKeys("SELECT \t\t\t")
	time.Sleep(20 * time.Millisecond)
	v.typeKeys("\x03")
	if r := v.get(ch); !errors.Is(r.err, ErrInterrupt) {
		t.Fatalf("Ctrl-C in select mode: ReadLine = %q, %v", r.line, r.err)
	}
	ch = v.readLine("> ")
	v.typeKeys("LIST\x12SEL")
	time.Sleep(20 * time.Millisecond)
	v.typeKeys("\x03")
	if r := v.get(ch); !errors.Is(r.err, ErrInterrupt) {
		t.Fatalf("Ctrl-C in a search: ReadLine = %q, %v", r.line, r.err)
	}
	ch = v.readLine("> ")
	v.typeKeys("NOOP\r")
	if r := v.get(ch); r.line != "NOOP" {
		t.Errorf("the next line = %q, want NOOP alone", r.line)
	}
}

func TestNULIsDropped(t *testing.T) {
	v := newVT(t, Config{})
	ch := v.readLine("> ")
	v.typeKeys("\x00")
	v.typeKeys("NO\x00OP\r")
	if r := v.get(ch); r.line != "NOOP" || r.err != nil {
		t.Errorf("ReadLine = %q, %v", r.line, r.err)
	}
}

func TestPasswordPrompt(t *testing.T) {
	v := newVT(t, Config{})
	pw := make(chan result, 1)
	go func() {
		p, err := v.con.ReadPassword("password: ")
		pw <- result{p, err}
	}()
	v.waitFor("password: ")
	secret := "correct horse battery staple, pasted from a manager" // a paste
	v.typeKeys(secret + "\r")
	r := v.get(pw)
	if r.line != secret || r.err != nil {
		t.Fatalf("ReadPassword = %q, %v", r.line, r.err)
	}
	scr := v.scr.String()
	if strings.Contains(scr, "horse") {
		t.Errorf("the password reached the screen: %q", scr)
	}
	if !strings.HasSuffix(scr, "\n") {
		t.Errorf("the prompt's line was not ended: %q", scr)
	}
	// The next prompt starts on a line of its own.
	ch := v.readLine("> ")
	v.typeKeys("NOOP\r")
	v.get(ch)
	rest := v.scr.String()[strings.LastIndex(scr, "password: "):]
	if nl, pr := strings.Index(rest, "\n"), strings.Index(rest, "> "); nl < 0 || pr < nl {
		t.Errorf("the next prompt is on the password's line: %q", rest)
	}
}

// fixedCompleter completes the last word from a fixed list.
type fixedCompleter []string

func (f fixedCompleter) Do(line []rune, pos int) ([][]rune, int) {
	s := string(line[:pos])
	cur := s[strings.LastIndex(s, " ")+1:]
	var out [][]rune
	for _, c := range f {
		if strings.HasPrefix(c, cur) {
			out = append(out, []rune(c[len(cur):]+" "))
		}
	}
	return out, len([]rune(cur))
}

// manyCompleter offers n names, all for any word.
type manyCompleter struct {
	prefix string
	n      int
}

func (m manyCompleter) Do(line []rune, pos int) ([][]rune, int) {
	out := make([][]rune, m.n)
	for i := range out {
		out[i] = []rune(fmt.Sprintf("%s%05d ", m.prefix, i))
	}
	return out, 0
}

func TestTabOverManyCandidatesAsksFirst(t *testing.T) {
	v := newVT(t, Config{Completer: manyCompleter{"box", 50000}})
	ch := v.readLine("> ")
	// They share "box": the first Tab inserts it, as bash does.
	v.typeKeys("SELECT \t")
	v.waitFor("> SELECT box")
	v.con.Close()
	v.get(ch)

	v = newVT(t, Config{Completer: manyCompleter{"", 50000}})
	ch = v.readLine("> ")
	v.typeKeys("SELECT \t")
	v.waitFor("# 50000 possibilities: press Tab again to list them all")
	if strings.Contains(v.scr.String(), "49999") {
		t.Fatalf("the first Tab listed the candidates")
	}
	v.typeKeys("\t")
	v.waitFor("49999")
	v.typeKeys("\x03")
	if r := v.get(ch); !errors.Is(r.err, ErrInterrupt) {
		t.Errorf("ReadLine = %q, %v", r.line, r.err)
	}
	// The limit is set by CompletionQuery.
	v = newVT(t, Config{Completer: fixedCompleter{"alpha", "beta", "gamma"}, CompletionQuery: 2})
	ch = v.readLine("> ")
	v.typeKeys("\t")
	v.waitFor("# 3 possibilities")
	v.typeKeys("\x03")
	v.get(ch)
}
