package demo

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
)

// transcript runs a fixed read-only session against a fresh sandbox and
// returns every byte the server sent.
func transcript(t *testing.T) string {
	s := start(t)
	rc := dialRaw(t, s)
	var b strings.Builder
	b.WriteString(rc.greeting)
	add := func(l []string) { b.WriteString(strings.Join(l, "")) }
	add(rc.ok("a1", "LOGIN demo demo"))
	add(rc.ok("a2", `LIST "" "*"`))
	for i, mb := range mailboxCounts {
		tag := "m" + string(rune('a'+i))
		add(rc.ok(tag+"1", "STATUS "+quote(encodeMailbox(mb.name))+" (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE)"))
		add(rc.ok(tag+"2", "EXAMINE "+quote(encodeMailbox(mb.name))))
		add(rc.ok(tag+"3", "FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[])"))
		add(rc.ok(tag+"4", "UID SEARCH ALL"))
	}
	add(rc.ok("z1", "LOGOUT"))
	return b.String()
}

// TestDeterministic checks that two sandboxes serve identical bytes: same
// mailboxes, UIDVALIDITY, UIDs, flags, dates and messages.
func TestDeterministic(t *testing.T) {
	first, second := transcript(t), transcript(t)
	if first != second {
		a, b := strings.Split(first, "\n"), strings.Split(second, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("transcripts differ at line %d:\n%q\n%q", i+1, a[i], b[i])
			}
		}
		t.Fatalf("transcripts differ in length: %d and %d lines", len(a), len(b))
	}
	// 46 messages, less the poison, which never shows its body.
	if n := strings.Count(first, " BODY[] {"); n != 45 {
		t.Errorf("transcript has %d message bodies, want 45", n)
	}
}

var bareLF = regexp.MustCompile(`[^\r]\n|\r[^\n]`)

// TestMessagesWellFormed checks every sample message: CRLF only, the RFC 5322
// fields a client shows, and dates in 2026.
func TestMessagesWellFormed(t *testing.T) {
	s := start(t)
	c := dial(t, s)
	body := &imap.FetchItemBodySection{Peek: true}
	ids := map[string]string{}
	for _, mb := range mailboxCounts {
		if mb.messages == 0 {
			continue
		}
		selectMailbox(t, c, mb.name)
		for _, m := range fetch(t, c, allSeq, &imap.FetchOptions{UID: true, InternalDate: true, BodySection: []*imap.FetchItemBodySection{body}}) {
			raw := m.FindBodySection(body)
			where := fmt.Sprintf("%s UID %d", mb.name, m.UID)
			if bareLF.Match(raw) || !bytes.HasSuffix(raw, []byte("\r\n")) {
				t.Errorf("%s: bare CR or LF, or no final CRLF", where)
			}
			for _, line := range strings.Split(string(raw), "\r\n") {
				if len(line) > 998 {
					t.Errorf("%s: line of %d bytes", where, len(line))
				}
			}
			msg, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			for _, key := range []string{"Message-ID", "Date", "From", "To", "Subject"} {
				if msg.Header.Get(key) == "" {
					t.Errorf("%s: no %s field", where, key)
				}
			}
			if d, err := msg.Header.Date(); err != nil || d.Year() != 2026 || m.InternalDate.Year() != 2026 {
				t.Errorf("%s: Date %v (%v), INTERNALDATE %v; want 2026", where, d, err, m.InternalDate)
			}
			id := msg.Header.Get("Message-ID")
			if prev, ok := ids[id]; ok {
				t.Errorf("%s: Message-ID %s also used by %s", where, id, prev)
			}
			ids[id] = where
		}
	}
}

func TestInboxMIME(t *testing.T) {
	s := start(t)
	c := dial(t, s)
	selectMailbox(t, c, "INBOX")
	header := &imap.FetchItemBodySection{Peek: true, Specifier: imap.PartSpecifierHeader}
	msgs := fetch(t, c, allSeq, &imap.FetchOptions{
		Flags: true, BodyStructure: &imap.FetchItemBodyStructure{Extended: true},
		BodySection: []*imap.FetchItemBodySection{header},
	})
	counts := map[imap.Flag]int{}
	var attachments, encoded []uint32
	for _, m := range msgs {
		for _, f := range m.Flags {
			counts[imap.Flag(strings.ToLower(string(f)))]++
		}
		if mp, ok := m.BodyStructure.(*imap.BodyStructureMultiPart); ok && mp.Subtype == "mixed" && len(mp.Children) == 2 {
			if part := mp.Children[1].(*imap.BodyStructureSinglePart); part.Disposition().Value == "attachment" && part.Filename() == "q1-notes.txt" {
				attachments = append(attachments, m.SeqNum)
			}
		}
		raw, _ := mail.ReadMessage(bytes.NewReader(m.FindBodySection(header)))
		subject := raw.Header.Get("Subject")
		if dec, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil && dec != subject {
			if dec != "Möte på fredag – agenda och fika ☕" {
				t.Errorf("seq %d: decoded subject %q", m.SeqNum, dec)
			}
			encoded = append(encoded, m.SeqNum)
		}
	}
	if len(msgs) != 12 || counts[`\seen`] < 2 || counts[`\flagged`] < 1 || counts[`\answered`] < 1 || counts[`\deleted`] != 2 {
		t.Errorf("INBOX: %d messages, flags %v", len(msgs), counts)
	}
	if len(attachments) != 1 || len(encoded) != 1 {
		t.Errorf("INBOX: attachments at %v, RFC 2047 subjects at %v; want one each", attachments, encoded)
	}
}
