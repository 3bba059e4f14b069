package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/imapsh/imapsh/demo"
)

// The interop matrix: the integration suite (TestInterop*) runs the built
// binary in script mode against every IMAP server that is up, one subtest
// per server:
//
//	dovecot  Dovecot 2.3, started by .ci/dovecot-up (IMAPSH_DOVECOT_*)
//	cyrus    Cyrus IMAP 3.6, started by .ci/cyrus-up (IMAPSH_CYRUS_*)
//	courier  Courier IMAP 5.0, started by .ci/courier-up (IMAPSH_COURIER_*)
//	demo     the demo server (package demo), in this process, always up
//
// A server whose variables are not set is skipped with a message saying
// how to start it, unless IMAPSH_INTEROP_REQUIRE names it (.ci/run sets
// it): then its absence fails the test.
//
// Where the servers differ, the table below says how (quirks), the tests
// assert each server's own behaviour, and imapsh must cope with all of
// them. The protocol watchdog is on in every run and must raise no
// violation against any of these servers.

// quirks are the ways a server differs from the others that the tests
// notice. TestInteropQuirks checks that each one still holds.
type quirks struct {
	// appendNeedsNOOP: an APPEND to the selected mailbox is not announced
	// (no EXISTS) until the next NOOP (Courier).
	appendNeedsNOOP bool
	// silentStoreFetch: a +FLAGS.SILENT STORE is answered with a FETCH
	// of the new flags anyway (Cyrus; RFC 3501 6.4.6 allows it, as the
	// flags may have been changed by another session too).
	silentStoreFetch bool
	// uidStarEmpty: UID SEARCH UID n:* with n above every UID returns
	// nothing, where RFC 3501 6.4.8 and 9051 6.4.9 take n:* to include the
	// highest UID (Courier).
	uidStarEmpty bool
	// noUIDNext: SELECT gives no [UIDNEXT n] (Courier), so whereis cannot
	// tell a UID that may have just arrived from one that never will.
	noUIDNext bool
	// emptyAppendRefused: APPEND of a 0-octet message is refused (NO).
	// Cyrus also takes the CRLF that ends that APPEND line for an empty
	// command and answers it "* BAD Invalid tag"; the session stays in step.
	emptyAppendRefused bool
	// emptyAsCRLF: an empty message is taken, then fetched as BODY[] {2}
	// (a CRLF): Courier, with RFC822.SIZE 2; the demo, with RFC822.SIZE 0
	// (its BODY[] comes from go-imap's imapserver.ExtractBodySection, which
	// puts the blank line after an empty header).
	emptyAsCRLF bool
	// loginDisabledAfterLogin: the capabilities after a login over TLS
	// still list LOGINDISABLED (Cyrus; harmless, and imapsh ignores it).
	loginDisabledAfterLogin bool
	// loginDisabledInClear: the STARTTLS port says LOGINDISABLED before
	// STARTTLS (with no AUTH=PLAIN), so imapsh must not send the password
	// in clear. Dovecot does so only on its strict address (see
	// .ci/dovecot-up), since it trusts 127.0.0.1 talking to 127.0.0.1.
	loginDisabledInClear bool
	// authRefusedInClear: before STARTTLS the server offers AUTH=CRAM-MD5
	// (with LOGINDISABLED) but refuses it: "NO STARTTLS required" (Courier
	// with IMAP_TLS_REQUIRED=1). imapsh reports that answer and stops.
	authRefusedInClear bool
	// idleContinuation is the text of the server's "+" answer to IDLE.
	idleContinuation string
}

// server is one IMAP server of the matrix and the account the tests use.
type server struct {
	name       string
	tls        string // implicit TLS address, "" if none
	starttls   string // STARTTLS address, "" if none
	strict     string // a STARTTLS address that says LOGINDISABLED in clear, "" if none
	clear      string // plaintext address (the demo), "" if none
	ca         string // PEM file of the certificate's issuer
	user, pass string
	prefix     string // personal namespace prefix: "INBOX." on Courier
	sep        string // hierarchy separator
	q          quirks
}

// servers are the matrix's rows, in order.
var servers = []string{"dovecot", "cyrus", "courier", "demo"}

// envServer reads a server's address and account from the variables that
// its .ci/NAME-up script writes to its env file. The matrix logs in as the
// second user (USER2, bob) where there is one, so that other tests, which
// use the first on the shared Dovecot, do not create and delete mailboxes
// in the same account at the same time: Dovecot 2.3 then now and then
// answers a CREATE of a new name with [ALREADYEXISTS].
func envServer(name string) *server {
	v := func(k string) string { return os.Getenv("IMAPSH_" + strings.ToUpper(name) + "_" + k) }
	if v("TLS") == "" {
		return nil
	}
	s := &server{name: name, tls: v("TLS"), starttls: v("STARTTLS"), strict: v("STARTTLS_STRICT"),
		ca: v("CA"), user: v("USER"), pass: v("PASSWORD")}
	if v("USER2") != "" {
		s.user, s.pass = v("USER2"), v("PASSWORD2")
	}
	return s
}

// startServer returns the named server of the matrix, or skips t (fails it
// when IMAPSH_INTEROP_REQUIRE names the server) when it is not up.
func startServer(t *testing.T, name string) *server {
	t.Helper()
	var s *server
	switch name {
	case "demo":
		d, err := demo.StartWith(demo.Options{SCRAM: true}) // every mechanism it has
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		s = &server{clear: d.Addr, user: d.User, pass: d.Password, sep: "/",
			q: quirks{emptyAsCRLF: true, idleContinuation: "idling"}}
	case "dovecot":
		if s = envServer(name); s != nil {
			s.sep = "/"
			s.q = quirks{emptyAppendRefused: true, idleContinuation: "idling"}
			if s.strict != "" {
				s.q.loginDisabledInClear = true
			}
		}
	case "cyrus":
		if s = envServer(name); s != nil {
			s.strict = s.starttls
			s.sep = "/"
			s.q = quirks{silentStoreFetch: true, emptyAppendRefused: true, loginDisabledInClear: true, loginDisabledAfterLogin: true,
				idleContinuation: "idling"}
		}
	case "courier":
		if s = envServer(name); s != nil {
			s.strict = s.starttls
			s.prefix, s.sep = "INBOX.", "."
			s.q = quirks{appendNeedsNOOP: true, uidStarEmpty: true, noUIDNext: true, emptyAsCRLF: true,
				loginDisabledInClear: true, authRefusedInClear: true, idleContinuation: "entering ENHANCED idle mode"}
		}
	default:
		t.Fatalf("no server %q in the matrix", name)
	}
	if s == nil {
		msg := fmt.Sprintf("%s is not up: run .ci/%s-up as root and source the env file it names (.ci/run does)", name, name)
		for _, r := range strings.Fields(os.Getenv("IMAPSH_INTEROP_REQUIRE")) {
			if r == name {
				t.Fatal(msg + "; IMAPSH_INTEROP_REQUIRE requires it")
			}
		}
		t.Skip(msg)
	}
	s.name = name
	return s
}

// matrix runs test against every server of the matrix that is up, in
// parallel subtests named after the servers.
func matrix(t *testing.T, test func(t *testing.T, s *server)) {
	for _, name := range servers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, startServer(t, name))
		})
	}
}

// addr is where imapsh connects by default: implicit TLS, or plaintext on
// the demo.
func (s *server) addr() string {
	if s.tls != "" {
		return s.tls
	}
	return s.clear
}

// connArgs are the flags and the address that connect imapsh to s, with
// the certificate trusted, without logging in.
func (s *server) connArgs() []string {
	if s.tls != "" {
		return []string{"--ca", s.ca, s.tls}
	}
	return []string{"--plaintext", s.clear}
}

// loginArgs are connArgs with -u: imapsh logs in on its own.
func (s *server) loginArgs() []string {
	a := s.connArgs()
	return append(append(a[:len(a)-1:len(a)-1], "-u", s.user), a[len(a)-1])
}

func (s *server) env() []string { return []string{"IMAPSH_PASSWORD=" + s.pass} }

// mailbox returns a fresh mailbox for one test, in the personal
// namespace, created by the second client, and deletes it when the test
// ends.
func (s *server) mailbox(t *testing.T) string {
	t.Helper()
	box := s.mailboxName(t)
	defer s.lockCreate()()
	c := s.client(t)
	err := c.Create(box, nil).Wait()
	if err != nil && strings.Contains(err.Error(), "ALREADYEXISTS") {
		// Dovecot 2.3 (maildir) says so now and then of a name nobody
		// used, when other sessions of the account create mailboxes at the
		// same time; the mailbox is there all the same.
		t.Logf("%s: CREATE %s: %v", s.name, box, err)
		_, err = c.Select(box, nil).Wait()
	}
	if err != nil {
		t.Fatalf("%s: second client: CREATE %s: %v", s.name, box, err)
	}
	return box
}

// mailboxName returns a fresh mailbox name for one test, in the personal
// namespace, and deletes that mailbox when the test ends: in the
// background, as Courier's DELETE sleeps 2 seconds; TestMain waits for
// pendingDeletes before the test binary exits.
func (s *server) mailboxName(t *testing.T) string {
	t.Helper()
	name := strings.ToLower(t.Name())
	name = strings.TrimPrefix(name, "testinterop")
	name = strings.TrimPrefix(name, "testdovecot")
	name = regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(name, "-")
	box := fmt.Sprintf("%simapsh-%s-%d", s.prefix, strings.Trim(name, "-"), time.Now().UnixNano())
	t.Cleanup(func() {
		pendingDeletes.Add(1)
		go func() {
			defer pendingDeletes.Done()
			if c, err := s.dialErr(); err == nil {
				if c.Login(s.user, s.pass).Wait() == nil {
					c.Delete(box).Wait()
				}
				c.Close()
			}
		}()
	})
	return box
}

// createLocks serializes the matrix's CREATEs on each server (see
// mailbox); lockCreate takes the server's lock and returns its release.
var createLocks sync.Map // server name -> *sync.Mutex

func (s *server) lockCreate() func() {
	m, _ := createLocks.LoadOrStore(s.name, new(sync.Mutex))
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// pendingDeletes counts the test mailboxes being deleted in the background.
var pendingDeletes sync.WaitGroup

// violationRe matches the line the protocol watchdog prints when a server
// breaks a rule of IMAP.
var violationRe = regexp.MustCompile(`(?m)^.*watchdog violation: .*$`)

// run runs imapsh against s in script mode with args (after the ones that
// connect: pass loginArgs or connArgs yourself when the test needs other
// ones) and returns the exit status, stdout and stderr. Whatever the test,
// the watchdog must not raise a violation: these servers are correct.
func (s *server) run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	code, out, stderr := imapsh(t, s.env(), stdin, args...)
	if v := violationRe.FindAllString(out+stderr, -1); v != nil {
		t.Errorf("%s: the watchdog raised a false alarm against a correct server:\n%s\n\nthe session:\n%s", s.name, strings.Join(v, "\n"), out)
	}
	// (The demo's password is its user name: it shows in every prompt.)
	if s.pass != "" && !strings.Contains(s.user, s.pass) && strings.Contains(out+stderr, s.pass) {
		t.Errorf("%s: the password was printed:\n%s\n%s", s.name, out, stderr)
	}
	return code, out, stderr
}

// session is run with loginArgs: a script after imapsh logged in.
func (s *server) session(t *testing.T, stdin string, extra ...string) (int, string, string) {
	t.Helper()
	return s.run(t, stdin, append(extra, s.loginArgs()...)...)
}

// dial connects an independent client (go-imap) to s, not logged in.
func (s *server) dial(t *testing.T) *imapclient.Client {
	t.Helper()
	c, err := s.dialErr()
	if err != nil {
		t.Fatalf("%s: second client: %v", s.name, err)
	}
	return c
}

func (s *server) dialErr() (*imapclient.Client, error) {
	if s.tls == "" {
		return imapclient.DialInsecure(s.clear, nil)
	}
	pem, err := os.ReadFile(s.ca)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	host, _, _ := strings.Cut(s.tls, ":")
	return imapclient.DialTLS(s.tls, &imapclient.Options{TLSConfig: &tls.Config{RootCAs: pool, ServerName: host}})
}

// client is dial, logged in; it is closed when the test ends.
func (s *server) client(t *testing.T) *imapclient.Client {
	t.Helper()
	c := s.dial(t)
	t.Cleanup(func() { c.Close() })
	if err := c.Login(s.user, s.pass).Wait(); err != nil {
		t.Fatalf("%s: second client: login: %v", s.name, err)
	}
	return c
}

// fetchBodies reads back BODY[] of the given UIDs of box with the second
// client.
func (s *server) fetchBodies(t *testing.T, box string, uids ...imap.UID) map[imap.UID][]byte {
	t.Helper()
	c := s.client(t)
	if _, err := c.Select(box, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	sec := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{sec}}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	got := map[imap.UID][]byte{}
	for _, m := range msgs {
		got[m.UID] = m.FindBodySection(sec)
	}
	return got
}

// appendOther appends a message to box with the second client c.
func appendOther(t *testing.T, c *imapclient.Client, box, subject string) {
	t.Helper()
	msg := "Subject: " + subject + "\r\n\r\nfrom the second connection\r\n"
	cmd := c.Append(box, int64(len(msg)), nil)
	cmd.Write([]byte(msg))
	cmd.Close()
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
}

var appendUIDRe = regexp.MustCompile(`\[APPENDUID \d+ (\d+)\]`)

// appendedUIDs are the UIDs of the APPENDUID codes in a transcript.
func appendedUIDs(out string) []int {
	var uids []int
	for _, m := range appendUIDRe.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[1])
		uids = append(uids, n)
	}
	return uids
}

func normalizeCRLF(b []byte) []byte {
	var out bytes.Buffer
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			out.WriteByte('\r')
		}
		out.WriteByte(c)
	}
	return out.Bytes()
}

// uidList extracts the numbers of the "* SEARCH" response that follows the
// command line cmd in a transcript.
func uidList(t *testing.T, out, cmd string) []int {
	t.Helper()
	i := strings.Index(out, cmd)
	if i < 0 {
		t.Fatalf("transcript lacks %q:\n%s", cmd, out)
	}
	m := regexp.MustCompile(`S: \* SEARCH([ 0-9]*)`).FindStringSubmatch(out[i:])
	if m == nil {
		t.Fatalf("no SEARCH response after %q:\n%s", cmd, out)
	}
	var uids []int
	for _, f := range strings.Fields(m[1]) {
		n, _ := strconv.Atoi(f)
		uids = append(uids, n)
	}
	return uids
}

// wantAll reports each string of want that out lacks.
func wantAll(t *testing.T, s *server, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s: output lacks %q:\n%s", s.name, w, out)
		}
	}
}

// The helpers of dovecot_test.go, which this file replaces, for tests
// written against them: the Dovecot row of the matrix and its client.

type dovecot = server

func needDovecot(t *testing.T) *dovecot {
	d := startServer(t, "dovecot")
	d.user, d.pass = os.Getenv("IMAPSH_DOVECOT_USER"), os.Getenv("IMAPSH_DOVECOT_PASSWORD")
	return d
}

func dovecotClient(t *testing.T, d *dovecot) *imapclient.Client { return d.client(t) }
