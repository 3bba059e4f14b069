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

	"github.com/imapsh/imapsh/internal/imaptest"
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

// exchangeStory is the seed's poison-message story, end to end, against the
// Exchange imitation: pinned whole in testdata/exchange-story.golden.
const exchangeStory = `SELECT INBOX
uids 1040:1050
whereis 15541
probe 15541
kill --yes 15541
kill --yes --force 15541
uids 1044:1046
UID SEARCH DELETED
`

func TestGoldenTranscripts(t *testing.T) {
	demoServer := func(t *testing.T) (addr, user, pass string) {
		srv := startDemo(t)
		return srv.Addr, srv.User, srv.Password
	}
	exchange := func(t *testing.T) (addr, user, pass string) {
		return imaptest.NewExchange(t, imaptest.ExchangeConfig{}).Addr, "tomas", "secret"
	}
	type golden struct {
		name, color, script string
		server              func(*testing.T) (string, string, string)
	}
	var all []golden
	for _, g := range goldenScripts {
		all = append(all, golden{g.name, g.color, g.script, demoServer})
	}
	all = append(all, golden{"exchange-story", "never", exchangeStory, exchange})
	for _, g := range all {
		t.Run(g.name, func(t *testing.T) {
			addr, user, pass := g.server(t)
			host, port, _ := net.SplitHostPort(addr)
			p, _ := strconv.Atoi(port)
			var out bytes.Buffer
			no := false
			cfg := Config{Host: host, Port: p, Security: wire.Plaintext, Demo: false, User: user,
				Color: g.color, Timeout: 5 * time.Second, Stdin: strings.NewReader(g.script),
				Stdout: &out, Stderr: &out, Interactive: &no,
				Getenv: func(k string) string {
					if k == "IMAPSH_PASSWORD" {
						return pass
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
