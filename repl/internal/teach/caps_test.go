package teach

import (
	"strings"
	"testing"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// feedCaps plays "C: ..." and "S: ..." lines to c.
func feedCaps(c *Caps, lines ...string) {
	for _, l := range lines {
		text := l[3:]
		if strings.HasPrefix(l, "C: ") {
			tag, _, _ := strings.Cut(text, " ")
			c.Observe(&session.Event{Kind: session.Sent, Tag: tag, Line: text})
			continue
		}
		c.Observe(&session.Event{Kind: session.End, Resp: &session.Response{Head: wire.ParseHead([]byte(text)), Raw: []byte(text + "\r\n")}})
	}
}

// The Gmail seed: a short list before login, a longer one after (sent
// untagged right after the login's OK).
func TestCapsAfterLogin(t *testing.T) {
	c := NewCaps()
	if c.Known() {
		t.Fatal("Known before anything was seen")
	}
	if r := c.Report(); !strings.Contains(r, "send CAPABILITY") {
		t.Fatalf("empty report: %q", r)
	}
	feedCaps(c,
		"S: * OK Gimap ready for requests",
		"C: a CAPABILITY",
		"S: * CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN",
		"S: a OK Thats all she wrote!",
		"C: b LOGIN user@gmail.com secret",
		"S: * CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 UIDPLUS COMPRESS=DEFLATE ENABLE MOVE CONDSTORE ESEARCH UTF8=ACCEPT LIST-EXTENDED LIST-STATUS LITERAL- SPECIAL-USE APPENDLIMIT=35651584",
		"S: b OK user@gmail.com authenticated (Success)",
	)
	if !c.Known() {
		t.Fatal("not Known after CAPABILITY")
	}
	r := c.Report()
	for _, want := range []string{
		"The server's capabilities after login (21):",
		"IMAP version:\n  IMAP4rev1 ",
		"Synchronization (CONDSTORE, QRESYNC, UIDs, push):",
		"  UIDPLUS                UID EXPUNGE, and APPENDUID/COPYUID with the new UIDs (RFC 4315)",
		"  APPENDLIMIT=35651584   the largest message APPEND accepts",
		"  X-GM-EXT-1 ",
		"Changed after login (compared with before login):\n  new:  UIDPLUS COMPRESS=DEFLATE ENABLE MOVE CONDSTORE ESEARCH UTF8=ACCEPT LIST-EXTENDED LIST-STATUS LITERAL- SPECIAL-USE APPENDLIMIT=35651584\n  gone: XYZZY SASL-IR AUTH=XOAUTH AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN",
	} {
		if !strings.Contains(r, want) {
			t.Errorf("report lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r, "Not in imapsh's table") {
		t.Errorf("every capability after login is known, yet:\n%s", r)
	}
}

// A STARTTLS connection: the lists before TLS, after TLS and after login
// (in the login's OK code) are told apart; an unknown name is reported.
func TestCapsStartTLS(t *testing.T) {
	c := NewCaps()
	feedCaps(c,
		"S: * OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Dovecot ready.",
		"C: a001 STARTTLS",
		"S: a001 OK Begin TLS negotiation now.",
		"C: a002 CAPABILITY",
		"S: * CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=SCRAM-SHA-256 X-MYSTERY",
		"S: a002 OK done",
	)
	r := c.Report()
	for _, want := range []string{
		"The server's capabilities after STARTTLS (4):",
		"Before STARTTLS the server offered (3): IMAP4rev1 STARTTLS LOGINDISABLED",
		"Changed after STARTTLS (compared with before STARTTLS):\n  new:  AUTH=PLAIN AUTH=SCRAM-SHA-256 X-MYSTERY\n  gone: STARTTLS LOGINDISABLED",
		"Not in imapsh's table (look them up in the IANA IMAP capabilities registry): X-MYSTERY",
	} {
		if !strings.Contains(r, want) {
			t.Errorf("report lacks %q:\n%s", want, r)
		}
	}
	feedCaps(c,
		"C: a003 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==",
		"S: a003 OK [CAPABILITY IMAP4rev1 IDLE MOVE] Logged in",
	)
	r = c.Report()
	for _, want := range []string{
		"The server's capabilities after login (3):",
		"Changed after STARTTLS (compared with before STARTTLS)",
		"Changed after login (compared with after STARTTLS):\n  new:  IDLE MOVE\n  gone: AUTH=PLAIN AUTH=SCRAM-SHA-256 X-MYSTERY",
	} {
		if !strings.Contains(r, want) {
			t.Errorf("report lacks %q:\n%s", want, r)
		}
	}
	// A new connection starts the record over.
	c.Observe(&session.Event{Kind: session.Closed})
	if c.Known() {
		t.Error("Known after the connection ended")
	}
	feedCaps(c, "S: * PREAUTH [CAPABILITY IMAP4rev2] welcome back")
	if r := c.Report(); !strings.HasPrefix(r, "The server's capabilities after login (1):") || strings.Contains(r, "Changed") {
		t.Errorf("after a new PREAUTH connection:\n%s", r)
	}
}
