package repl

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/demo"
	"github.com/imapsh/imapsh/wire"
)

// scriptRun is one script-mode run of the shell.
type scriptRun struct {
	Out string // everything written to stdout
	Err error  // Run's result
}

// runScript runs script in script mode against the plaintext server at
// addr, logging in as user with pass (no login when user is ""); opts
// change the Config first.
func runScript(t *testing.T, addr, user, pass, script string, opts ...func(*Config)) scriptRun {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	var out syncBuffer // (the reader goroutine may still write as a run ends)
	interactive := false
	cfg := Config{
		Host: host, Port: p, Security: wire.Plaintext, User: user,
		Color: "never", Timeout: 5 * time.Second,
		Stdin: strings.NewReader(script), Stdout: &out, Stderr: &out,
		Interactive: &interactive,
		Getenv: func(k string) string {
			if k == "IMAPSH_PASSWORD" {
				return pass
			}
			return ""
		},
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err = Run(ctx, cfg)
	return scriptRun{Out: out.String(), Err: err}
}

// startDemo starts the sandbox server for a test.
func startDemo(t *testing.T) *demo.Server {
	t.Helper()
	srv, err := demo.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// lines returns the output lines that start with prefix.
func lines(out, prefix string) []string {
	var res []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			res = append(res, l)
		}
	}
	return res
}
