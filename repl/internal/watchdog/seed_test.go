package watchdog_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imapsh/imapsh/internal/imaptest"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/repl/internal/watchdog"
	"github.com/imapsh/imapsh/wire"
)

// live is a real session on a scripted server, with a watchdog and a log
// of what happened in order: "end <first line>" after each response,
// "finding <rule>" (or "note <rule>") when the watchdog reports.
type live struct {
	t    *testing.T
	s    *session.Session
	w    *watchdog.Watchdog
	mu   sync.Mutex
	log  []string
	seen []watchdog.Finding
}

func dialLive(t *testing.T, srv *imaptest.Server) *live {
	t.Helper()
	l := &live{t: t}
	l.w = watchdog.New(func(f watchdog.Finding) {
		l.mu.Lock()
		defer l.mu.Unlock()
		kind := "finding "
		if f.Note {
			kind = "note "
		}
		l.log = append(l.log, kind+f.Rule)
		l.seen = append(l.seen, f)
	})
	rec := session.ObserverFunc(func(e *session.Event) {
		if e.Kind == session.End && e.Resp != nil {
			first, _, _ := bytes.Cut(e.Resp.Raw, []byte("\r\n"))
			l.mu.Lock()
			l.log = append(l.log, "end "+string(first))
			l.mu.Unlock()
		}
	})
	c, err := wire.Dial(context.Background(), wire.DialConfig{Addr: srv.Addr, Security: wire.Plaintext, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// The recorder first, the watchdog after: as in the shell, where the
	// terminal prints a response before the watchdog judges it.
	l.s = session.New(c, session.NewHub(rec, l.w), session.NewState("h"), session.Options{CaptureLimit: 1 << 20})
	if _, err := l.s.Greeting(); err != nil {
		t.Fatal(err)
	}
	l.s.Run()
	t.Cleanup(func() { l.s.Close() })
	return l
}

// do runs one command to its completion; a literal, when given, is sent
// after the server's "+".
func (l *live) do(text string, literal ...string) {
	l.t.Helper()
	o, err := l.s.Start(&session.Command{Text: text})
	if err != nil {
		l.t.Fatal(err)
	}
	if len(literal) > 0 {
		if kind, _ := o.Wait(nil, true); kind != session.WaitContinue {
			l.t.Fatalf("%s: no continuation request", text)
		}
		if err := l.s.SendLiteral(o, strings.NewReader(literal[0]), int64(len(literal[0])), "message", false); err != nil {
			l.t.Fatal(err)
		}
		if err := l.s.SendLine(o, "", ""); err != nil {
			l.t.Fatal(err)
		}
	}
	if kind, h := o.Wait(nil, false); kind != session.WaitDone || h.Name != "OK" {
		l.t.Fatalf("%s: ended %v %s", text, kind, h.Name)
	}
}

func (l *live) events() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.log)
}

// Seed 001 replayed against a scripted server: the watchdog names the
// broken rule right after the response that breaks it, the second
// "* 147 FETCH (UID 3193)", and nowhere else.
func TestSeed001NamedWhenItHappens(t *testing.T) {
	l := dialLive(t, imaptest.OutlookNOOP(t))
	l.do("LOGIN outlook s3cret")
	l.do(`SELECT "Trash"`)
	l.do("FETCH 147 (UID)")
	if got := l.w.Violations(); got != 0 {
		t.Fatalf("%d violations before the server broke a rule:\n%s", got, l.w.Summary())
	}
	l.do(`UID STORE 3170 +FLAGS (\Deleted \Seen)`)
	l.do("NOOP")
	l.do("FETCH 147 (UID)")
	ev := l.events()
	i := slices.Index(ev, "finding "+watchdog.RuleCountMismatch)
	if i < 1 || ev[i-1] != "end * 147 FETCH (UID 3193)" || slices.Index(ev, "end * 147 FETCH (UID 3193)") == i-1 {
		t.Fatalf("the finding does not follow the second FETCH 147 response:\n%s", strings.Join(ev, "\n"))
	}
	if l.w.Violations() != 1 {
		t.Errorf("%d violations, want 1:\n%s", l.w.Violations(), l.w.Summary())
	}
	f := l.seen[0]
	for _, want := range []string{"message 147", "UID 3193", "message 146", "below the UIDNEXT 3194"} {
		if !strings.Contains(f.Text, want) {
			t.Errorf("the explanation lacks %q: %s", want, f.Text)
		}
	}
	if !strings.Contains(f.RFC, "RFC 3501 sections 7.3.1, 7.4.1, 2.3.1.1") {
		t.Errorf("RFC reference %q", f.RFC)
	}
	wantEvidence := []string{"S: * 147 FETCH (UID 3193)", "S: * 141 EXPUNGE", "S: * 147 EXISTS", "S: * 147 FETCH (UID 3193)"}
	if len(f.Evidence) != len(wantEvidence) {
		t.Fatalf("evidence %q, want %q", f.Evidence, wantEvidence)
	}
	for k, e := range f.Evidence {
		if !strings.HasPrefix(e, wantEvidence[k]) {
			t.Errorf("evidence line %d is %q, want %q", k, e, wantEvidence[k])
		}
	}
}

// Seed 002 replayed: a new CAPABILITY at login and APPENDUID without
// UIDPLUS are explained as legal, and nothing is a violation.
func TestSeed002ExplainedAsLegal(t *testing.T) {
	l := dialLive(t, imaptest.GmailAppendUID(t))
	l.do("CAPABILITY")
	l.do("LOGIN alice s3cret")
	l.do("APPEND INBOX {38}", "X-OfflineIMAP: 3132605382-7478425151\r\n")
	l.do("SELECT INBOX")
	l.do(`UID SEARCH HEADER X-OfflineIMAP "3132605382-7478425151"`)
	ev := l.events()
	if l.w.Violations() != 0 {
		t.Errorf("%d violations, want none:\n%s", l.w.Violations(), l.w.Summary())
	}
	var notes []string
	for _, e := range ev {
		if strings.HasPrefix(e, "note ") || strings.HasPrefix(e, "finding ") {
			notes = append(notes, e)
		}
	}
	if want := []string{"note " + watchdog.NoteCapsAtLogin, "note " + watchdog.NoteUIDPlusCodes}; !slices.Equal(notes, want) {
		t.Fatalf("findings %q, want %q", notes, want)
	}
	if i := slices.Index(ev, "note "+watchdog.NoteUIDPlusCodes); ev[i-1] != "end a003 OK [APPENDUID 648448589 1045] (Success)" {
		t.Errorf("the note does not follow the APPEND's completion:\n%s", strings.Join(ev, "\n"))
	}
	uidplus := l.seen[1]
	if uidplus.RFC != "RFC 4315 section 1" || !strings.Contains(uidplus.Text, "legal") {
		t.Errorf("the APPENDUID note: %+v", uidplus)
	}
	sum := l.w.Summary()
	for _, want := range []string{"no violation seen", "2 teaching note(s)", "note (legal) [uidplus-codes] RFC 4315 section 1", "S: a003 OK [APPENDUID 648448589 1045] (Success)"} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q:\n%s", want, sum)
		}
	}
}

// Through the real reader and engine: a line ending in a bare LF, and a
// literal announced one octet short, are named when they arrive.
func TestBareLFAndLiteralSizeThroughTheEngine(t *testing.T) {
	srv := imaptest.NewServer(t, func(c *imaptest.Conn) {
		c.Send("* OK [CAPABILITY IMAP4rev1] ready")
		for {
			line, err := c.ReadLine()
			if err != nil {
				return
			}
			tag, rest, _ := strings.Cut(line, " ")
			switch rest {
			case "LOGIN alice s3cret":
				c.SendRaw([]byte(tag + " OK logged in\n"))
			case "SELECT INBOX":
				c.Send("* 1 EXISTS")
				c.Send("* OK [UIDVALIDITY 3] v")
				c.Send(tag + " OK [READ-WRITE] done")
			case "FETCH 1 (BODY[])":
				c.SendRaw([]byte("* 1 FETCH (BODY[] {4}\r\nHello)\r\n"))
				c.Send(tag + " OK done")
			default:
				c.Send(tag + " OK")
			}
		}
	})
	l := dialLive(t, srv)
	l.do("LOGIN alice s3cret")
	l.do("SELECT INBOX")
	l.do("FETCH 1 (BODY[])")
	ev := strings.Join(l.events(), "\n")
	for _, want := range []string{
		"end a001 OK logged in\nfinding " + watchdog.RuleBareLF,
		"end * 1 FETCH (BODY[] {4}\nfinding " + watchdog.RuleLiteralSize,
	} {
		if !strings.Contains(ev, want) {
			t.Errorf("events lack %q:\n%s", want, ev)
		}
	}
	if l.w.Violations() != 2 {
		t.Errorf("%d violations, want 2:\n%s", l.w.Violations(), l.w.Summary())
	}
}
