package imaptest

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestServerScript(t *testing.T) {
	got := make(chan []string, 1)
	s := NewServer(t, func(c *Conn) {
		c.Send("* OK scripted")
		m := c.Expect(`(\w+) login (\S+) \{(\d+)\}`)
		if m == nil {
			return
		}
		c.Send("+ ok")
		lit, err := c.ReadN(6)
		if err != nil || string(lit) != "secret" {
			t.Errorf("literal = %q, %v", lit, err)
		}
		if l, _ := c.ReadLine(); l != "" {
			t.Errorf("rest of line = %q", l)
		}
		c.SendRaw([]byte(m[1] + " OK user " + m[2] + "\r\n"))
		c.Expect(`\w+ LOGOUT`)
		got <- c.Log()
	})
	c := dial(t, s.Addr)
	if l := c.line(); l != "* OK scripted" {
		t.Fatalf("greeting %q", l)
	}
	c.send("A1 LOGIN tomas {6}")
	if l := c.line(); l != "+ ok" {
		t.Fatalf("continuation %q", l)
	}
	c.send("secret")
	if l := c.line(); l != "A1 OK user tomas" {
		t.Fatalf("tagged %q", l)
	}
	c.send("a2 logout")
	log := <-got
	equalLines(t, "Log", log, []string{"A1 LOGIN tomas {6}", "", "a2 logout"})
	c.eof()
	if s.Accepted() != 1 || len(s.Log()) != 3 {
		t.Errorf("Accepted %d, Log %q", s.Accepted(), s.Log())
	}
}

func TestExpectMismatchRecordsErrorAndCloses(t *testing.T) {
	rt := &recTB{TB: t}
	s := NewServer(rt, func(c *Conn) {
		if m := c.Expect(`a1 NOOP`); m != nil {
			t.Errorf("Expect matched a wrong line: %q", m)
		}
	})
	c := dial(t, s.Addr)
	c.send("a1 CAPABILITY")
	c.eof()
	s.Close()
	if rt.errors() != 1 {
		t.Errorf("want 1 recorded error, got %q", rt.errs)
	}
}

func TestCloseEndsBlockedHandler(t *testing.T) {
	ended := make(chan error, 1)
	s := NewServer(t, func(c *Conn) {
		_, err := c.ReadLine() // blocks until Close
		ended <- err
	})
	dial(t, s.Addr)
	for s.Accepted() == 0 {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	s.Close()
	if err := <-ended; err == nil || time.Since(start) > 2*time.Second {
		t.Errorf("ReadLine returned %v after %v", err, time.Since(start))
	}
	s.Close() // idempotent
}

func TestCloseReportsStuckHandler(t *testing.T) {
	old := closeWait
	closeWait = 50 * time.Millisecond
	defer func() { closeWait = old }()
	rt := &recTB{TB: t}
	release := make(chan struct{})
	started := make(chan struct{})
	s := NewServer(rt, func(c *Conn) { close(started); <-release })
	dial(t, s.Addr)
	<-started
	s.Close()
	close(release)
	if rt.errors() != 1 {
		t.Errorf("want a stuck-handler error, got %q", rt.errs)
	}
}

func TestReadLineLimits(t *testing.T) {
	res := make(chan error, 1)
	s := NewServer(t, func(c *Conn) {
		c.SetTimeout(200 * time.Millisecond)
		_, err := c.ReadLine()
		res <- err
	})
	c := dial(t, s.Addr)
	c.nc.Write([]byte(strings.Repeat("x", 100)))
	if err := <-res; err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("want a timeout, got %v", err)
	}
}

// TestCloseLeavesNoGoroutines starts every server, connects to each and
// closes it; the goroutine count must return to where it was.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	var closers []func()
	addrs := []string{}
	x := NewExchange(t, ExchangeConfig{})
	closers, addrs = append(closers, x.Close), append(addrs, x.Addr)
	for _, s := range []*Server{EscapeServer(t), LongLineServer(t, 10), HugeLiteralServer(t),
		ByeMidCommand(t), NoLiteralPlusServer(t).Server, RefuseLiteralServer(t, false)} {
		closers, addrs = append(closers, s.Close), append(addrs, s.Addr)
	}
	for _, a := range addrs {
		c := dial(t, a)
		c.line()
		c.send("a1 NOOP")
		c.line()
	}
	for _, f := range closers {
		f()
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines before, %d after Close", before, n)
	}
}
