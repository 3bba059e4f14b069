package session_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// dial opens a session on srv with the given observers and starts it.
func dial(t *testing.T, srv *imaptest.Server, obs ...session.Observer) *session.Session {
	t.Helper()
	c, err := wire.Dial(context.Background(), wire.DialConfig{Addr: srv.Addr, Security: wire.Plaintext, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s := session.New(c, session.NewHub(obs...), session.NewState("h"), session.Options{CaptureLimit: 1 << 20})
	if _, err := s.Greeting(); err != nil {
		t.Fatal(err)
	}
	s.Run()
	t.Cleanup(func() { s.Close() })
	return s
}

// recorder keeps the kinds of the events it sees.
type recorder struct {
	mu    sync.Mutex
	kinds []session.EventKind
	text  bytes.Buffer
}

func (r *recorder) Observe(e *session.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.kinds = append(r.kinds, e.Kind)
	switch e.Kind {
	case session.Sent:
		r.text.WriteString("C: " + session.Redact(e.Line, e.Secrets) + "\n")
	case session.Text, session.LiteralData:
		r.text.Write(e.Data)
	case session.End:
		r.text.WriteString("\n")
	}
}

func run(t *testing.T, s *session.Session, c *session.Command) *session.Op {
	t.Helper()
	o, err := s.Start(c)
	if err != nil {
		t.Fatal(err)
	}
	if kind, _ := o.Wait(nil, false); kind != session.WaitDone {
		t.Fatalf("%s: wait ended with %v", c.Text, kind)
	}
	return o
}

// Two observers and a third added later see the same session: the terminal
// printer and the plain record show the same server lines, and neither
// shows the password.
func TestObserversSeeTheSameEvents(t *testing.T) {
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK ready")
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, _, _ := strings.Cut(line, " ")
			switch {
			case strings.Contains(line, "LOGIN"):
				c.Send(tag + " OK logged in")
			case strings.Contains(line, "FETCH"):
				c.Send("* 1 FETCH (UID 7 BODY[] {12}")
				c.SendRaw([]byte("Hi\r\nthere\r\n)\r\n"))
				c.Send(tag + " OK done")
			default:
				c.Send(tag + " OK")
			}
		}
	})
	var termOut, plainOut bytes.Buffer
	term := render.NewTerminal(&termOut, render.Options{})
	plain := render.NewPlain(&plainOut)
	rec := &recorder{}
	s := dial(t, srv, term, plain)
	s.Hub().Add(rec)
	run(t, s, &session.Command{Text: "LOGIN alice s3cretpw"})
	o := run(t, s, &session.Command{Text: "FETCH 1 (UID BODY[])", Collect: true})
	s.Close()
	if err := plain.Flush(); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"terminal": termOut.String(), "plain": plainOut.String(), "recorder": rec.text.String()} {
		if strings.Contains(out, "s3cretpw") {
			t.Errorf("%s shows the password:\n%s", name, out)
		}
		for _, want := range []string{"a001 LOGIN alice [hidden]", "* 1 FETCH (UID 7 BODY[] {12}", "there", "a002 OK done"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, out)
			}
		}
	}
	norm := strings.ReplaceAll(plainOut.String(), "\r\n", "\n")
	if norm != strings.ReplaceAll(termOut.String(), "\r\n", "\n") {
		t.Errorf("plain record and terminal differ:\n%s\n---\n%s", plainOut.String(), termOut.String())
	}
	if d := o.Result().Data; len(d) != 1 || !bytes.Contains(d[0].Raw, []byte("Hi\r\nthere")) {
		t.Errorf("collected data: %+v", d)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var lits int
	for _, k := range rec.kinds {
		if k == session.Literal {
			lits++
		}
	}
	if lits != 1 {
		t.Errorf("recorder saw %d literal starts, want 1: %v", lits, rec.kinds)
	}
}

// A continuation request belongs to a command: the late "+" of an IDLE the
// user stopped waiting for ends that IDLE (DONE) and never releases the
// literal of the command typed next.
func TestAbandonedIdleLatePlusDoesNotReleaseLiteral(t *testing.T) {
	got := make(chan []string, 1)
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK [CAPABILITY IMAP4rev1 IDLE] ready")
		var lines []string
		defer func() { got <- lines }()
		idle, _ := c.ReadLine() // a001 IDLE
		lines = append(lines, idle)
		time.Sleep(150 * time.Millisecond) // the client gives up waiting
		c.Send("+ idling")
		done, _ := c.ReadLine()
		lines = append(lines, done)
		c.Send("a001 OK IDLE terminated")
		app, _ := c.ReadLine()
		lines = append(lines, app)
		c.Send("+ go ahead")
		data, _ := c.ReadN(5)
		lines = append(lines, string(data))
		rest, _ := c.ReadLine()
		lines = append(lines, rest)
		c.Send("a002 OK APPEND completed")
	})
	s := dial(t, srv)
	idle, err := s.Start(&session.Command{Text: "IDLE"})
	if err != nil {
		t.Fatal(err)
	}
	intr := make(chan struct{})
	close(intr)
	if kind, _ := idle.Wait(intr, true); kind != session.WaitInterrupted {
		t.Fatalf("IDLE wait: %v", kind)
	}
	idle.Abandon()
	app, err := s.Start(&session.Command{Text: "APPEND INBOX {5}"})
	if err != nil {
		t.Fatal(err)
	}
	kind, h := app.Wait(nil, true)
	if kind != session.WaitContinue || h.Text != "go ahead" {
		t.Fatalf("APPEND wait = %v %q, want its own continuation", kind, h.Text)
	}
	if err := s.SendLiteral(app, strings.NewReader("hello"), 5, "typed", false); err != nil {
		t.Fatal(err)
	}
	s.SendLine(app, "", "")
	if kind, h := app.Wait(nil, false); kind != session.WaitDone || h.Name != "OK" {
		t.Fatalf("APPEND = %v %v", kind, h)
	}
	want := []string{"a001 IDLE", "DONE", "a002 APPEND INBOX {5}", "hello", ""}
	if lines := <-got; strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("server read %q, want %q", lines, want)
	}
}

// After Ctrl-C a helper's command goes on; its collected data and sink are
// the engine's until it completes, so nothing races (run with -race).
func TestAbandonStopsTheSink(t *testing.T) {
	release := make(chan struct{})
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK ready")
		line, _ := c.ReadLine()
		tag, _, _ := strings.Cut(line, " ")
		c.Send("* 1 FETCH (BODY[] {10}")
		c.SendRaw([]byte("01234"))
		<-release
		c.SendRaw([]byte("56789)\r\n"))
		c.Send(tag + " OK done")
		c.ReadLine()
	})
	var mu sync.Mutex
	var sunk bytes.Buffer
	sink := writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return sunk.Write(p)
	})
	s := dial(t, srv)
	o, err := s.Start(&session.Command{Text: "FETCH 1 BODY[]", Collect: true,
		Sink: func(h wire.Head, item string, size int64) (io.Writer, string) {
			return sink, "to a test buffer"
		}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := sunk.Len()
		mu.Unlock()
		if n == 5 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	o.Abandon()
	close(release)
	<-o.Done()
	if o.Status().Name != "OK" {
		t.Errorf("status %v", o.Status())
	}
	mu.Lock()
	defer mu.Unlock()
	if sunk.String() != "01234" {
		t.Errorf("the sink got %q after Abandon, want only what came before", sunk.String())
	}
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// The capture limit holds per response: one FETCH with many large literals
// keeps at most the limit, and every size is still reported.
func TestCaptureLimitPerResponse(t *testing.T) {
	const lit = 600 << 10
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK ready")
		line, _ := c.ReadLine()
		tag, _, _ := strings.Cut(line, " ")
		body := bytes.Repeat([]byte("x"), lit)
		c.Send("* 1 FETCH (BODY[1] {614400}")
		c.SendRaw(body)
		c.Send(" BODY[2] {614400}")
		c.SendRaw(body)
		c.Send(" BODY[3] {0614400}")
		c.SendRaw(body)
		c.Send(")")
		c.Send(tag + " OK done")
		c.ReadLine()
	})
	s := dial(t, srv)
	o := run(t, s, &session.Command{Text: "FETCH 1 (BODY[1] BODY[2] BODY[3])", Collect: true})
	d := o.Result().Data
	if len(d) != 1 {
		t.Fatalf("data: %d responses", len(d))
	}
	if n := len(d[0].Raw); n > 1<<20+200 {
		t.Errorf("kept %d octets of one response, over the 1 MiB limit", n)
	}
	if got := d[0].Sizes; len(got) != 3 || got[0] != lit || got[2] != lit {
		t.Errorf("sizes %v", got)
	}
	if !bytes.Contains(d[0].Raw, []byte("BODY[2] {0}\r\n")) || !bytes.Contains(d[0].Raw, []byte("BODY[3] {0}\r\n")) {
		t.Errorf("the literals past the limit are not elided: %q", d[0].Raw[len(d[0].Raw)-60:])
	}
	if _, err := wire.Parse(d[0].Raw); err != nil {
		t.Errorf("the kept response does not parse: %v", err)
	}
}
