package repl

import (
	"errors"
	"github.com/imapsh/imapsh/repl/internal/session"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
)

// pushServer is a scripted server that answers every command OK (LOGIN
// included) and lets the test push untagged responses at any moment. A
// command whose name is in hold gets no answer until release is called.
type pushServer struct {
	*imaptest.Server
	mu      sync.Mutex
	conn    *imaptest.Conn
	ready   chan struct{}
	held    []string // tags held
	holdCmd string
}

func newPushServer(t *testing.T, holdCmd string) *pushServer {
	ps := &pushServer{ready: make(chan struct{}), holdCmd: holdCmd}
	ps.Server = imaptest.NewServer(t, func(c *imaptest.Conn) {
		ps.mu.Lock()
		ps.conn = c
		ps.mu.Unlock()
		close(ps.ready)
		c.SetTimeout(30 * time.Second)
		c.Send("* OK [CAPABILITY IMAP4rev1 LOGIN-REFERRALS] push server ready")
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, rest, _ := strings.Cut(line, " ")
			name, _, _ := strings.Cut(strings.ToUpper(rest), " ")
			switch name {
			case ps.holdCmd:
				ps.mu.Lock()
				ps.held = append(ps.held, tag)
				ps.mu.Unlock()
			case "LOGOUT":
				c.Send("* BYE bye")
				c.Send(tag + " OK LOGOUT completed")
				return
			case "SELECT":
				c.Send("* 3 EXISTS")
				c.Send("* OK [UIDVALIDITY 42] ok")
				c.Send(tag + " OK [READ-WRITE] SELECT completed")
			default:
				c.Send(tag + " OK " + name + " completed")
			}
		}
	})
	return ps
}

func (ps *pushServer) push(line string) {
	<-ps.ready
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.conn.Send(line)
}

func (ps *pushServer) release() {
	// The command to release may still be on its way to the server.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		ps.mu.Lock()
		n := len(ps.held)
		ps.mu.Unlock()
		if n > 0 {
			break
		}
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, tag := range ps.held {
		ps.conn.Send(tag + " OK held command completed")
	}
	ps.held = nil
}

func TestInteractivePushWhileTyping(t *testing.T) {
	ps := newPushServer(t, "")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("LOGIN al")
	tm.waitFor("> LOGIN al")
	ps.push("* OK [ALERT] the server will restart in 5 minutes")
	tm.waitFor("S: * OK [ALERT] the server will restart in 5 minutes")
	tm.typeKeys("ice secret\r")
	tm.waitFor("S: a001 OK LOGIN completed")
	tm.waitFor("127.0.0.1 (no mailbox)> ")
	tm.typeKeys("SELECT INBOX\r")
	tm.waitFor("INBOX rw 3> ")
	ps.push("* 4 EXISTS")
	tm.waitFor("S: * 4 EXISTS")
	ps.push("* 2 EXPUNGE")
	tm.waitFor("S: * 2 EXPUNGE")
	tm.typeKeys("NOOP\r")
	tm.waitFor("INBOX rw 3> ")
	tm.typeKeys("\x04")
	if err := tm.wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	log := strings.Join(ps.Log(), "\n")
	if !strings.Contains(log, "a001 LOGIN alice secret") {
		t.Errorf("the half-typed line did not survive the push; server got:\n%s", log)
	}
	if strings.Contains(tm.out.String(), "C: a001 LOGIN alice secret") {
		t.Errorf("the password was echoed:\n%s", tm.out.String())
	}
}

func TestInteractiveCtrlC(t *testing.T) {
	ps := newPushServer(t, "SEARCH")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	// Ctrl-C discards the line being typed.
	tm.typeKeys("DELETE Important\x03")
	tm.typeKeys("NOOP\r")
	tm.waitFor("S: a001 OK NOOP completed")
	// Ctrl-C while a command runs stops the wait; the session goes on.
	tm.typeKeys("SEARCH ALL\r")
	tm.waitFor("C: a002 SEARCH ALL")
	tm.intr <- struct{}{}
	tm.waitFor("stopped waiting for a002")
	tm.typeKeys("NOOP\r")
	tm.waitFor("S: a003 OK NOOP completed")
	ps.release()
	tm.waitFor("a002, which you stopped waiting for, has now completed: OK")
	tm.typeKeys("\x04")
	tm.wait()
	for _, l := range ps.Log() {
		if strings.Contains(l, "DELETE") {
			t.Errorf("a line cleared with Ctrl-C was sent: %q", l)
		}
	}
}

func TestInteractiveHistory(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "state", "imapsh", "history")
	ps := newPushServer(t, "")
	tm := startTerm(t, ps.Addr, "", "", hist)
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("LOGIN alice s3cr3t-pw\r")
	tm.waitFor("S: a001 OK LOGIN completed")
	tm.typeKeys("a7 AUTHENTICATE PLAIN AGFsaWNlAHMzY3IzdC1wdw==\r")
	tm.waitFor("S: a7 OK")
	tm.typeKeys("SELECT INBOX\r")
	tm.waitFor("INBOX rw 3> ")
	tm.typeKeys("\x04")
	tm.wait()

	data, err := os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(hist)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("history mode %v, want 0600", fi.Mode().Perm())
	}
	got := string(data)
	for _, secret := range []string{"s3cr3t-pw", "AGFsaWNlAHMzY3IzdC1wdw"} {
		if strings.Contains(got, secret) {
			t.Errorf("history holds a secret %q:\n%s", secret, got)
		}
	}
	want := "LOGIN alice [hidden]\na7 AUTHENTICATE PLAIN [hidden]\nSELECT INBOX\n"
	if got != want {
		t.Errorf("history =\n%q\nwant\n%q", got, want)
	}

	// A second session recalls the history with the up arrow.
	ps2 := newPushServer(t, "")
	tm2 := startTerm(t, ps2.Addr, "", "", hist)
	tm2.waitFor("(not authenticated)> ")
	tm2.typeKeys("\x1b[A\r")
	tm2.waitFor("C: a001 SELECT INBOX")
	tm2.typeKeys("\x04")
	tm2.wait()
}

func TestInteractiveCompletion(t *testing.T) {
	ps := newPushServer(t, "")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("CAPA\t\r")
	tm.waitFor("C: a001 CAPABILITY")
	tm.typeKeys("\x04")
	tm.wait()
}

func TestCompletionCandidates(t *testing.T) {
	sh := &Shell{st: session.NewState("h")}
	sh.st.SetMailboxes("INBOX", "Old Mail", "Work/Projects")
	cases := []struct {
		line string
		want []string
	}{
		{"SEL", []string{"ECT "}},
		{"sel", []string{"ect "}},
		{"whe", []string{"reis "}},
		{"UID FE", []string{"TCH "}},
		{`SELECT "O`, []string{`ld Mail" `}},
		{"SELECT I", []string{"NBOX "}},
		{"SELECT ", []string{`"Old Mail" `, "INBOX ", "Work/Projects "}},
		{"COPY 1:3 W", []string{"ork/Projects "}},
		{"STORE 1 +FLAGS (\\Del", []string{"eted"}},
		{"FETCH 1 (ENV", []string{"ELOPE"}},
		{"a1 SEL", []string{"ECT "}},
	}
	for _, c := range cases {
		checkCompletion(t, sh, c.line, c.want)
	}
}

func TestPromptFor(t *testing.T) {
	cases := []struct {
		s    Snapshot
		want string
	}{
		{Snapshot{Host: "mail.example", Conn: NotAuthenticated}, "mail.example (not authenticated)> "},
		{Snapshot{Host: "mail.example", User: "alice", Conn: Authenticated}, "alice@mail.example (no mailbox)> "},
		{Snapshot{Host: "mail.example", User: "alice", Conn: Selected, Mailbox: "INBOX", Exists: 1233}, "alice@mail.example INBOX rw 1233> "},
		{Snapshot{Host: "h", Conn: Selected, Mailbox: "Old Mail", ReadOnly: true, Exists: 2}, `h "Old Mail" ro 2> `},
		{Snapshot{Host: "h\x1b[31m", Conn: LoggedOut}, `h\x1b[31m (logged out)> `},
	}
	for _, c := range cases {
		if got := promptFor(c.s); got != c.want {
			t.Errorf("promptFor(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
}

func TestInteractiveServerHangsUp(t *testing.T) {
	ps := newPushServer(t, "")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("NOO")
	ps.push("* BYE idle for too long, goodbye")
	ps.mu.Lock()
	ps.conn.Close()
	ps.mu.Unlock()
	// The loss is said at once and the shell stays, for a reconnect.
	tm.waitFor("S: * BYE idle for too long, goodbye")
	tm.waitFor("warning: the server closed the connection")
	tm.waitFor("# not connected: type reconnect")
	tm.waitFor("127.0.0.1 (disconnected: type reconnect)> ")
	tm.typeKeys("NOOP\r")
	tm.waitFor("error: the command was not sent: not connected (the server closed the connection); type reconnect first")
	tm.typeKeys("\x04")
	err := tm.wait()
	var ce *ConnError
	if !errors.As(err, &ce) {
		t.Fatalf("Run = %v, want a ConnError", err)
	}
}

func TestInteractiveLoginHelperHidesPassword(t *testing.T) {
	ps := newPushServer(t, "")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	tm.typeKeys("login alice\r")
	tm.waitFor("password for alice@127.0.0.1: ")
	tm.typeKeys("pa55-w0rd\r")
	tm.waitFor("alice@127.0.0.1 (no mailbox)> ")
	tm.typeKeys("\x04")
	tm.wait()
	if !strings.Contains(strings.Join(ps.Log(), "\n"), "LOGIN alice pa55-w0rd") {
		t.Errorf("the server did not get the password: %q", ps.Log())
	}
	if strings.Contains(tm.out.String(), "pa55") {
		t.Errorf("the password reached the screen:\n%s", tm.out.String())
	}
}

func TestInteractiveTypedLiteralPrompt(t *testing.T) {
	ps := newPushServer(t, "")
	tm := startTerm(t, ps.Addr, "", "", "-")
	tm.waitFor("(not authenticated)> ")
	// The push server answers every line OK, so it sends no "+": use a
	// non-synchronizing literal, which needs LITERAL+ ... it has none, so
	// imapsh waits for "+" and the server's OK ends the command instead.
	tm.typeKeys("X-TEST {10}\r")
	tm.waitFor("the server answered OK instead of asking for the literal")
	tm.typeKeys("\x04")
	tm.wait()
}

// checkCompletion checks the candidates Tab offers at the end of line.
func checkCompletion(t *testing.T, sh *Shell, line string, want []string) {
	t.Helper()
	got, _ := (&completer{sh: sh}).Do([]rune(line), len([]rune(line)))
	var gs []string
	for _, g := range got {
		gs = append(gs, string(g))
	}
	if strings.Join(gs, "|") != strings.Join(want, "|") {
		t.Errorf("complete %q = %q, want %q", line, gs, want)
	}
}
