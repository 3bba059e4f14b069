package repl

import (
	"bytes"
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/wire"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// goldenScripts are script-mode sessions against the demo server whose
// whole output is pinned in testdata/NAME.golden (the port is masked).
var goldenScripts = []struct {
	name, color, script string
}{
	{"demo-tour", "never", `# a comment line is skipped
CAPABILITY
LIST "" "*"
SELECT Poison
FETCH 12:16 (UID FLAGS RFC822.SIZE)
UID FETCH 22 (BODY.PEEK[])
a1 NOOP
EXAMINE "Old Mail"
FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])
SELECT Nowhere
`},
	{"demo-colors", "always", `SELECT INBOX
FETCH 1 (UID)
SELECT Nowhere
FETCH
`},
}

var portRe = regexp.MustCompile(`127\.0\.0\.1:\d+`)

func TestGoldenTranscripts(t *testing.T) {
	for _, g := range goldenScripts {
		t.Run(g.name, func(t *testing.T) {
			srv := startDemo(t)
			host, port, _ := net.SplitHostPort(srv.Addr)
			p, _ := strconv.Atoi(port)
			var out bytes.Buffer
			no := false
			cfg := Config{Host: host, Port: p, Security: wire.Plaintext, Demo: false, User: srv.User,
				Color: g.color, Timeout: 5 * time.Second, Stdin: strings.NewReader(g.script),
				Stdout: &out, Stderr: &out, Interactive: &no,
				Getenv: func(k string) string {
					if k == "IMAPSH_PASSWORD" {
						return srv.Password
					}
					return ""
				}}
			Run(context.Background(), cfg)
			got := portRe.ReplaceAll(out.Bytes(), []byte("127.0.0.1:PORT"))
			path := filepath.Join("testdata", g.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./repl -run Golden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("transcript differs from %s (rerun with -update if the change is intended)\n--- got\n%s\n--- want\n%s", path, got, want)
			}
		})
	}
}
