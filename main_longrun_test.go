package main

import (
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// TestCommandTimeoutExitStatus: a script against a server that never
// completes FETCH ends with exit status 2 within the timeout, naming the
// command on stderr.
func TestCommandTimeoutExitStatus(t *testing.T) {
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK [CAPABILITY IMAP4rev1] ready")
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, rest, _ := strings.Cut(line, " ")
			if strings.HasPrefix(strings.ToUpper(rest), "FETCH") {
				c.SetTimeout(time.Minute)
				c.ReadLine() // never answers
				return
			}
			c.Send(tag + " OK done")
		}
	})
	start := time.Now()
	code, out, stderr := imapsh(t, nil, "NOOP\nFETCH 1 FLAGS\nNOOP\n", "--plaintext", "--command-timeout", "1s", srv.Addr)
	took := time.Since(start)
	if code != 2 || !strings.Contains(stderr, "a002 FETCH did not complete within 1s (--command-timeout)") {
		t.Errorf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	if took > 8*time.Second {
		t.Errorf("took %v with --command-timeout 1s", took)
	}
}

// TestLongRunFlags: the flags are checked before anything is dialed.
func TestLongRunFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--keepalive", "-1s", "h"}, "--keepalive and --command-timeout take a positive duration"},
		{[]string{"--keepalive", "10ms", "h"}, "less than a second"},
		{[]string{"--command-timeout", "-5m", "h"}, "positive duration"},
		{[]string{"--demo", "--proxy", "socks5://127.0.0.1:1080"}, "--proxy does not apply"},
		{[]string{"--proxy", "http://p:3128", "-u", "a", "127.0.0.1:1"}, "http:// proxies are not supported"},
	} {
		code, _, stderr := imapsh(t, []string{"IMAPSH_PASSWORD=x"}, "", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", c.args, code, stderr, c.want)
		}
	}
}
