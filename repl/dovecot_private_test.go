package repl

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// privateDovecot is a Dovecot of one test's own: its own directory, port,
// users and processes, so that the test may stop and start it without
// touching the Dovecot that other tests share. It speaks plaintext IMAP and
// implicit TLS (with the shared Dovecot's certificate) on 127.0.0.1 and
// offers COMPRESS=DEFLATE (imap_zlib). It needs root, the dovecot package, and
// the mail user that .ci/dovecot-up creates.
type privateDovecot struct {
	t       *testing.T
	dir     string
	conf    string
	Addr    string // plaintext IMAP
	TLSAddr string // implicit TLS, with the shared Dovecot's certificate
	CA      string // that certificate
	User    string
	Pass    string
}

func startPrivateDovecot(t *testing.T) *privateDovecot {
	t.Helper()
	if os.Getenv("IMAPSH_DOVECOT_TLS") == "" {
		t.Skip("no Dovecot: run .ci/dovecot-up and source its env file (.ci/run does)")
	}
	if os.Getuid() != 0 {
		t.Skip("a private Dovecot needs root")
	}
	if _, err := exec.LookPath("dovecot"); err != nil {
		t.Skip("no dovecot binary")
	}
	mail, err := user.Lookup("imapsh-mail")
	if err != nil {
		t.Skip("no imapsh-mail user (.ci/dovecot-up creates it)")
	}
	uid, _ := strconv.Atoi(mail.Uid)
	gid, _ := strconv.Atoi(mail.Gid)
	dir, err := os.MkdirTemp("/tmp", "imapsh-longrun-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	for _, sub := range []string{"run", "state", "mail", "home"} {
		os.Mkdir(filepath.Join(dir, sub), 0o755)
	}
	os.Chown(filepath.Join(dir, "mail"), uid, gid)
	os.Chown(filepath.Join(dir, "home"), uid, gid)
	port, tlsPort := freePort(t), freePort(t)
	ca := os.Getenv("IMAPSH_DOVECOT_CA")
	key := filepath.Join(filepath.Dir(ca), "key.pem")
	d := &privateDovecot{t: t, dir: dir, conf: filepath.Join(dir, "dovecot.conf"), Addr: fmt.Sprintf("127.0.0.1:%d", port),
		TLSAddr: fmt.Sprintf("127.0.0.1:%d", tlsPort), CA: ca, User: "carol", Pass: "longrun-pw"}
	os.WriteFile(filepath.Join(dir, "passwd"), []byte(d.User+":{PLAIN}"+d.Pass+"::::::\n"), 0o644)
	conf := fmt.Sprintf(`protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = imapsh-longrun-%[2]d
log_path = %[1]s/dovecot.log
ssl = yes
ssl_cert = <%[5]s
ssl_key = <%[6]s
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = dovecot
default_login_user = dovenull
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = static
  args = uid=%[3]d gid=%[4]d home=%[1]s/home/%%u
}
mail_uid = %[3]d
mail_gid = %[4]d
first_valid_uid = %[3]d
last_valid_uid = %[3]d
mail_location = maildir:%[1]s/mail/%%u
namespace inbox {
  inbox = yes
  separator = /
}
protocol imap {
  mail_plugins = $mail_plugins imap_zlib
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[7]d
    ssl = yes
  }
}
`, dir, port, uid, gid, ca, key, tlsPort)
	if err := os.WriteFile(d.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.Stop()
		os.RemoveAll(dir)
	})
	d.Start()
	return d
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Start starts the server and waits until it greets.
func (d *privateDovecot) Start() {
	d.t.Helper()
	// The daemon keeps the stdio it was started with: give it a file, or
	// waiting for its output would wait until it exits.
	stdio, err := os.Create(filepath.Join(d.dir, "dovecot.stdio"))
	if err != nil {
		d.t.Fatal(err)
	}
	defer stdio.Close()
	cmd := exec.Command("dovecot", "-c", d.conf)
	cmd.Stdout, cmd.Stderr = stdio, stdio
	if err := cmd.Run(); err != nil {
		out, _ := os.ReadFile(stdio.Name())
		log, _ := os.ReadFile(filepath.Join(d.dir, "dovecot.log"))
		d.t.Fatalf("starting the private Dovecot: %v\n%s\n%s", err, out, log)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", d.Addr, time.Second)
		if err == nil {
			c.SetReadDeadline(time.Now().Add(3 * time.Second))
			buf := make([]byte, 256)
			n, _ := c.Read(buf)
			c.Close()
			if strings.HasPrefix(string(buf[:n]), "* OK [") {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	d.t.Fatalf("the private Dovecot on %s did not greet within 20s", d.Addr)
}

// Stop stops the server (its connections are closed with a BYE) and waits
// until its port is closed.
func (d *privateDovecot) Stop() {
	cmd := exec.Command("doveadm", "-c", d.conf, "stop")
	cmd.Stdout, cmd.Stderr = nil, nil
	cmd.Run()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", d.Addr, time.Second)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(100 * time.Millisecond)
	}
	d.t.Errorf("the private Dovecot on %s still accepts connections 20s after stop", d.Addr)
}

// LogLines returns the lines of the server's log that contain any of words.
func (d *privateDovecot) LogLines(words ...string) []string {
	b, _ := os.ReadFile(filepath.Join(d.dir, "dovecot.log"))
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		for _, w := range words {
			if strings.Contains(l, w) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// ForgetUIDs deletes the index and UID list of a mailbox while the server
// is stopped: on the next start Dovecot numbers its messages afresh under
// a new UIDVALIDITY, as after a rebuilt index or a restored backup.
func (d *privateDovecot) ForgetUIDs(mailbox string) {
	d.t.Helper()
	box := filepath.Join(d.dir, "mail", d.User, "."+strings.ReplaceAll(mailbox, "/", "."))
	files, _ := filepath.Glob(filepath.Join(box, "dovecot*"))
	if len(files) == 0 {
		d.t.Fatalf("no index files in %s", box)
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			d.t.Fatal(err)
		}
	}
	// UIDVALIDITY is the time in seconds: make sure a new one differs.
	time.Sleep(1100 * time.Millisecond)
}

// TestDovecotRestartReconnect: the server is stopped under a selected
// mailbox: the shell says so at once and the prompt changes; a reconnect
// while it is down fails and says to try again; once it is back, one
// reconnect logs in and selects the mailbox again (same UIDVALIDITY); the
// next restart loses the mailbox's index, and the reconnect warns that the
// UIDVALIDITY changed.
func TestDovecotRestartReconnect(t *testing.T) {
	d := startPrivateDovecot(t)
	tm := startTermWith(t, d.Addr, d.User, d.Pass, nil)
	tm.waitFor("carol@127.0.0.1 (no mailbox)> ")
	tm.typeKeys("CREATE Watched\r")
	tm.typeKeys("APPEND Watched <<EOF\rSubject: one\r\rbody\rEOF\r")
	tm.typeKeys("SELECT Watched\r")
	tm.waitFor("carol@127.0.0.1 Watched rw 1> ")
	var before uint32
	fmt.Sscanf(tm.screenSince("[UIDVALIDITY "), "[UIDVALIDITY %d]", &before)

	start := time.Now()
	stopped := make(chan time.Duration, 1)
	go func() { d.Stop(); stopped <- time.Since(start) }()
	// Dovecot 2.3's imap process says BYE when it notices its master is
	// gone, some 10 seconds after doveadm stop.
	tm.waitLong("S: * BYE ", 40*time.Second)
	bye := time.Since(start)
	tm.waitFor("warning: the server closed the connection")
	tm.waitFor("carol@127.0.0.1 Watched rw 1 (disconnected: type reconnect)> ")
	t.Logf("doveadm stop: the BYE showed after %v, the disconnected prompt after %v, the port closed after %v", bye, time.Since(start), <-stopped)
	tm.typeKeys("# down\r")
	tm.typeKeys("reconnect\r")
	tm.waitAfter("# down", "reconnect failed: connect to "+d.Addr)
	tm.waitAfter("# down", "type reconnect to try again")

	d.Start()
	tm.typeKeys("# up\r")
	tm.typeKeys("reconnect\r")
	tm.waitAfter("# up", fmt.Sprintf("Watched selected again: UIDVALIDITY %d unchanged", before))
	tm.waitAfter("# up", "carol@127.0.0.1 Watched rw 1> ")

	d.Stop()
	tm.waitCountLong("warning: the server closed the connection", 2, 40*time.Second)
	d.ForgetUIDs("Watched")
	d.Start()
	tm.typeKeys("# rebuilt\r")
	tm.typeKeys("reconnect\r")
	tm.waitAfter("# rebuilt", fmt.Sprintf("warning: the UIDVALIDITY of Watched changed from %d to ", before))
	tm.waitAfter("# rebuilt", "every UID noted before the reconnect means nothing now")
	tm.waitAfter("# rebuilt", "carol@127.0.0.1 Watched rw 1> ")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil && !errors.Is(err, ErrFailed) {
		t.Fatalf("Run: %v\n%s", err, tm.out.String())
	}
}

// TestDovecotCompress: --compress turns on COMPRESS=DEFLATE after login;
// a message with long lines, 8-bit text and blank lines is appended and
// saved back byte for byte through the compressed stream, and stats show
// the compressed octets below the IMAP ones.
func TestDovecotCompress(t *testing.T) {
	d := startPrivateDovecot(t)
	var msg strings.Builder
	msg.WriteString("From: Grüße <g@example.org>\r\nSubject: =?utf-8?q?Entw=C3=BCrfe?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	for i := range 300 {
		fmt.Fprintf(&msg, "Zeile %03d: Falsches Üben von Xylophonmusik quält jeden größeren Zwerg. %s\r\n", i, strings.Repeat("-", i%70))
		if i%50 == 0 {
			msg.WriteString("\r\n   \r\n")
		}
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.eml"), filepath.Join(dir, "out.eml")
	os.WriteFile(in, []byte(msg.String()), 0o600)
	script := "CREATE Packed\nAPPEND Packed <" + in + "\nSELECT Packed\nFETCH 1 BODY.PEEK[]\nsave 1 " + out + "\nstats\n"
	r := runScript(t, d.Addr, d.User, d.Pass, script, func(c *Config) { c.Compress = true })
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Out)
	}
	if !regexp.MustCompile(`C: a\d+ COMPRESS DEFLATE\n`).MatchString(r.Out) || !strings.Contains(r.Out, "COMPRESS=DEFLATE is on") {
		t.Fatalf("compression not started:\n%s", r.Out)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != msg.String() {
		t.Errorf("saved %d octets, appended %d: not the same", len(got), msg.Len())
	}
	if !strings.Contains(r.Out, fmt.Sprintf("S: * 1 FETCH (BODY[] {%d}", msg.Len())) || !strings.Contains(r.Out, "S: Zeile 299: Falsches Üben") {
		t.Errorf("the FETCH is not shown whole:\n%s", r.Out)
	}
	m := regexp.MustCompile(`# IMAP \(uncompressed\) +(\d+) +(\d+)\n# compressed \(DEFLATE\) +(\d+) +(\d+)`).FindStringSubmatch(r.Out)
	if m == nil {
		t.Fatalf("stats lack compressed octets:\n%s", r.Out)
	}
	var imapOut, imapIn, zOut, zIn int
	fmt.Sscan(m[1], &imapOut)
	fmt.Sscan(m[2], &imapIn)
	fmt.Sscan(m[3], &zOut)
	fmt.Sscan(m[4], &zIn)
	t.Logf("IMAP octets sent %d, received %d; compressed sent %d, received %d", imapOut, imapIn, zOut, zIn)
	if zIn == 0 || zOut == 0 || zIn*3 > imapIn || zOut*2 > imapOut {
		t.Errorf("compressed %d/%d for IMAP %d/%d: not compressed?", zOut, zIn, imapOut, imapIn)
	}
}
