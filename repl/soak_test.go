package repl

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/imapsh/imapsh/wire"
)

// TestDovecotSoak is issue 18's long session, run on demand: set
// IMAPSH_SOAK to a duration (IMAPSH_SOAK=30m go test ./repl -run Soak -v
// -timeout 2h). The shell talks TLS to a private Dovecot through a SOCKS5
// proxy (the name resolved by the proxy), works in a mailbox created as
// Entwürfe, and idles with renewals while another connection appends
// mail at intervals; halfway the server is stopped and started again, and
// one reconnect brings the session back. Every step is logged with its
// time.
func TestDovecotSoak(t *testing.T) {
	dur, err := time.ParseDuration(os.Getenv("IMAPSH_SOAK"))
	if err != nil || dur <= 0 {
		t.Skip("set IMAPSH_SOAK=30m (a duration) to run the long session")
	}
	d := startPrivateDovecot(t)
	px := newSOCKS5(t, "", "")
	start := time.Now()
	logf := func(format string, args ...any) {
		t.Logf("%9s  %s", time.Since(start).Round(time.Millisecond), fmt.Sprintf(format, args...))
	}
	_, port, _ := net.SplitHostPort(d.TLSAddr)
	record := t.TempDir() + "/soak.log"
	tm := startTermWith(t, "localhost:"+port, d.User, d.Pass, func(c *Config) {
		c.Security, c.CAFile, c.Timeout = wire.ImplicitTLS, d.CA, 15*time.Second
		c.Proxy = "socks5h://" + px.Addr
		c.Keepalive = ptr(time.Minute)
		c.LogFile = record
	})
	tm.waitFor("carol@localhost (no mailbox)> ")
	logf("connected through the SOCKS5 proxy to %v", px.destinations())
	tm.typeKeys("CREATE Entwürfe\r")
	tm.waitFor("OK Create completed")
	tm.typeKeys("SELECT Entwürfe\r")
	tm.waitFor("carol@localhost Entwürfe [Entw&APw-rfe] rw 0> ")
	var uidValidity uint32
	fmt.Sscanf(tm.screenSince("[UIDVALIDITY "), "[UIDVALIDITY %d]", &uidValidity)
	logf("selected Entwürfe (sent as Entw&APw-rfe), UIDVALIDITY %d", uidValidity)

	pem, err := os.ReadFile(d.CA)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	other := wire.DialConfig{Addr: d.TLSAddr, Security: wire.ImplicitTLS, TLS: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}}

	renew := max(dur/6, 5*time.Second)
	every := max(dur/12, 2*time.Second)
	idle := func() {
		tm.typeKeys(fmt.Sprintf("idle --renew %v\r", renew))
		tm.waitCountLong("S: + idling", strings.Count(tm.out.String(), "S: + idling")+1, time.Minute)
		logf("idling, renewed every %v", renew)
	}
	idle()
	n := 0
	restarted := false
	for time.Since(start) < dur {
		time.Sleep(every)
		if !restarted && time.Since(start) > dur/2 {
			restarted = true
			closed := strings.Count(tm.out.String(), "warning: the server closed the connection")
			stop := time.Now()
			d.Stop()
			logf("doveadm stop returned after %v", time.Since(stop).Round(time.Millisecond))
			tm.waitCountLong("warning: the server closed the connection", closed+1, time.Minute)
			logf("the shell showed the loss %v after the stop began", time.Since(stop).Round(time.Millisecond))
			tm.waitLong("carol@localhost Entwürfe [Entw&APw-rfe] rw "+fmt.Sprint(n)+" (disconnected: type reconnect)> ", time.Minute)
			d.Start()
			logf("Dovecot started again")
			tm.typeKeys("reconnect\r")
			tm.waitLong(fmt.Sprintf("Entwürfe [Entw&APw-rfe] selected again: UIDVALIDITY %d unchanged", uidValidity), time.Minute)
			logf("one reconnect: logged in and Entwürfe selected again, UIDVALIDITY unchanged")
			idle()
			continue
		}
		appended := time.Now()
		appendOther(t, other, d.User, d.Pass, "Entw&APw-rfe", otherMsg)
		n++
		tm.waitLong(fmt.Sprintf("S: * %d EXISTS", n), time.Minute)
		logf("message %d appended by another connection; EXISTS shown %v after its APPEND began", n, time.Since(appended).Round(time.Millisecond))
	}
	tm.typeKeys("\r")
	tm.waitLong(fmt.Sprintf("carol@localhost Entwürfe [Entw&APw-rfe] rw %d> ", n), time.Minute)
	tm.typeKeys("stats\r")
	tm.waitFor("round trips")
	time.Sleep(200 * time.Millisecond)
	stats := tm.screenSince("# session:")
	stats = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`).ReplaceAllString(stats, "")
	logf("stats:\n%s", stats)
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	rec, _ := os.ReadFile(record)
	logf("%d IDLE renewals; the transcript holds %d IDLE, %d DONE and %d NOOP lines; the proxy carried %v",
		strings.Count(tm.out.String(), "renewing the IDLE"), strings.Count(string(rec), " IDLE\n"), strings.Count(string(rec), " DONE\n"),
		strings.Count(string(rec), " NOOP\n"), px.destinations())
	logf("Dovecot's log on the stop:\n%s", strings.Join(d.LogLines("Killed with signal", "Disconnected: Server shutting down", "starting up"), "\n"))
}
