package demo

import (
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// start starts a sandbox that is closed when the test ends.
func start(t *testing.T) *Server {
	t.Helper()
	s, err := Start()
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// dial connects to s with imapclient and logs in as s.User.
func dial(t *testing.T, s *Server) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", s.Addr, err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatalf("LOGIN %s %s: %v", s.User, s.Password, err)
	}
	// imapclient sends mailbox names as UTF-8 to a server that offers
	// IMAP4rev2, which is only right once the client has enabled it.
	if _, err := c.Enable(imap.CapIMAP4rev2).Wait(); err != nil {
		t.Fatalf("ENABLE IMAP4rev2: %v", err)
	}
	return c
}

func selectMailbox(t *testing.T, c *imapclient.Client, name string) *imap.SelectData {
	t.Helper()
	data, err := c.Select(name, nil).Wait()
	if err != nil {
		t.Fatalf("SELECT %q: %v", name, err)
	}
	return data
}

func fetch(t *testing.T, c *imapclient.Client, set imap.NumSet, options *imap.FetchOptions) []*imapclient.FetchMessageBuffer {
	t.Helper()
	msgs, err := c.Fetch(set, options).Collect()
	if err != nil {
		t.Fatalf("FETCH %v: %v", set, err)
	}
	return msgs
}

// allSeq and allUID are "1:*" as sequence numbers and as UIDs.
var (
	allSeq = imap.SeqSet{{Start: 1, Stop: 0}}
	allUID = imap.UIDSet{{Start: 1, Stop: 0}}
)

func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	return slices.ContainsFunc(flags, func(g imap.Flag) bool { return strings.EqualFold(string(g), string(f)) })
}

func TestStartLoopbackCredentials(t *testing.T) {
	s := start(t)
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil || host != "127.0.0.1" {
		t.Errorf("Addr = %q, want 127.0.0.1:port", s.Addr)
	}
	if s.User != "demo" || s.Password != "demo" {
		t.Errorf("credentials = %q/%q, want demo/demo", s.User, s.Password)
	}

	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("demo", "wrong").Wait(); err == nil {
		t.Error("LOGIN with a wrong password succeeded")
	}
}

func TestCloseTwiceAndRefuse(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, s)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := c.Noop().Wait(); err == nil {
		t.Error("NOOP on a connection open across Close succeeded")
	}
	if conn, err := net.Dial("tcp", s.Addr); err == nil {
		conn.Close()
		t.Errorf("dial %s after Close succeeded", s.Addr)
	}
}

// TestCapabilities checks the literal and UID capabilities clients rely on.
func TestCapabilities(t *testing.T) {
	s := start(t)
	rc := dialRaw(t, s)
	for _, want := range []string{"IMAP4rev1", "IMAP4rev2", "LITERAL-", "AUTH=PLAIN"} {
		if !strings.Contains(rc.greeting, " "+want) {
			t.Errorf("greeting %q lacks %s", rc.greeting, want)
		}
	}
	rc.login("")
	caps := rc.ok("a1", "CAPABILITY")[0]
	t.Logf("%s", strings.TrimSpace(caps))
	for _, want := range []string{"IMAP4rev2", "LITERAL-", "UIDPLUS", "MOVE", "NAMESPACE", "ESEARCH", "SEARCHRES", "IDLE", "UNSELECT"} {
		if !strings.Contains(caps+" ", " "+want+" ") {
			t.Errorf("CAPABILITY after LOGIN lacks %s: %q", want, caps)
		}
	}
}

// mailboxCounts is the sample data at a glance, in LIST order (INBOX
// first, then by name): messages per mailbox, its UIDVALIDITY and UIDNEXT.
var mailboxCounts = []struct {
	name        string
	messages    uint32
	uidValidity uint32
	uidNext     imap.UID
}{
	{"INBOX", 12, 1, 23},
	{"Archive", 3, 2, 4},
	{"Entwürfe", 1, 8, 2},
	{"Old Mail", 3, 6, 4},
	{"Poison", 21, 7, 33},
	{"Sent", 3, 3, 4},
	{"Work", 0, 4, 1},
	{"Work/Projects", 3, 5, 4},
}

func TestListAndStatus(t *testing.T) {
	s := start(t)
	c := dial(t, s)
	list, err := c.List("", "*", nil).Collect()
	if err != nil {
		t.Fatalf("LIST: %v", err)
	}
	var names []string
	for _, data := range list {
		names = append(names, data.Mailbox)
		if data.Delim != '/' {
			t.Errorf("%q: delimiter %q, want '/'", data.Mailbox, data.Delim)
		}
	}
	var want []string
	for _, mb := range mailboxCounts {
		want = append(want, mb.name)
	}
	if !slices.Equal(names, want) {
		t.Fatalf("LIST \"\" \"*\" = %q, want %q", names, want)
	}

	for _, mb := range mailboxCounts {
		st, err := c.Status(mb.name, &imap.StatusOptions{NumMessages: true, UIDValidity: true, UIDNext: true}).Wait()
		if err != nil {
			t.Fatalf("STATUS %q: %v", mb.name, err)
		}
		if *st.NumMessages != mb.messages || st.UIDValidity != mb.uidValidity || st.UIDNext != mb.uidNext {
			t.Errorf("STATUS %q = MESSAGES %d UIDVALIDITY %d UIDNEXT %d, want %d %d %d", mb.name,
				*st.NumMessages, st.UIDValidity, st.UIDNext, mb.messages, mb.uidValidity, mb.uidNext)
		}
	}
}

func TestAppendLiterals(t *testing.T) {
	s := start(t)
	c := dial(t, s)

	// imapclient sends a synchronizing literal above 4096 bytes and a
	// LITERAL- non-synchronizing one below.
	for _, size := range []int{300, 9000} {
		msg := "From: demo@imapsh.example\r\nSubject: append test\r\n\r\n" + strings.Repeat("x", size) + "\r\n"
		cmd := c.Append("Old Mail", int64(len(msg)), nil)
		if _, err := cmd.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		data, err := cmd.Wait()
		if err != nil {
			t.Fatalf("APPEND of %d bytes: %v", len(msg), err)
		}
		if data.UIDValidity != 6 || data.UID == 0 {
			t.Errorf("APPEND of %d bytes: APPENDUID %d %d", len(msg), data.UIDValidity, data.UID)
		}
		selectMailbox(t, c, "Old Mail")
		body := &imap.FetchItemBodySection{Peek: true}
		got := fetch(t, c, imap.UIDSetNum(data.UID), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{body}})
		if len(got) != 1 || string(got[0].FindBodySection(body)) != msg {
			t.Errorf("message of %d bytes not read back intact", len(msg))
		}
	}

	// The same by hand: {N+} goes straight through, {N} waits for "+".
	rc := dialRaw(t, s)
	rc.login("")
	msg := "Subject: raw\r\n\r\nhi\r\n"
	rc.send("b1 APPEND Sent (\\Seen) {" + strconv.Itoa(len(msg)) + "+}\r\n" + msg + "\r\n")
	if got := rc.until("b1"); !strings.HasPrefix(got[0], "b1 OK [APPENDUID 3 4]") {
		t.Errorf("APPEND {N+}: %q", got)
	}
	rc.send("b2 APPEND Sent {" + strconv.Itoa(len(msg)) + "}\r\n")
	if got := rc.response(); !strings.HasPrefix(got, "+ ") {
		t.Fatalf("APPEND {N}: got %q, want a continuation request", got)
	}
	rc.send(msg + "\r\n")
	if got := rc.until("b2"); !strings.HasPrefix(got[0], "b2 OK [APPENDUID 3 5]") {
		t.Errorf("APPEND {N}: %q", got)
	}
}
