package imaptest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The INBOX of the seed session (poison-message-offlineimap-exchange.txt).
const (
	InboxMessages    = 1234  // messages in INBOX
	InboxUIDNext     = 16124 // UIDNEXT of INBOX
	InboxUIDValidity = 14    // UIDVALIDITY of INBOX
	PoisonSeq        = 1045  // sequence number of the poison message (also UNSEEN)
	PoisonUID        = 15541 // UID of the poison message
	PoisonSize       = 4821  // RFC822.SIZE reported for the poison message
)

// PoisonStructure is the BODY and BODYSTRUCTURE reported for the poison
// message, as in the seed.
const PoisonStructure = `("text" "plain" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 1 1)`

// SeedUIDs are the UIDs of INBOX messages 1040..1050, as in the seed.
var SeedUIDs = []uint32{15500, 15507, 15514, 15516, 15523, 15541, 15544, 15545, 15553, 15561, 15562}

// DefaultDeletedUIDs are the INBOX messages that carry \Deleted when
// ExchangeConfig.DeletedUIDs is nil: 15500 (seq 1040), 15553 (seq 1048)
// and 15683 (seq 1100).
var DefaultDeletedUIDs = []uint32{15500, 15553, 15683}

// systemFlags in the order Exchange lists them.
var systemFlags = []string{`\Seen`, `\Answered`, `\Flagged`, `\Deleted`, `\Draft`}

const exchangeFlags = `(\Seen \Answered \Flagged \Deleted \Draft $MDNSent)`

type message struct {
	uid    uint32
	flags  []string // canonical order: system flags, then keywords
	date   time.Time
	text   []byte
	size   int // RFC822.SIZE as reported
	poison bool
	// expunged is set when the message leaves its mailbox; a session may
	// still hold it in its view until it is told (NotifyMode).
	expunged bool
}

type mailbox struct {
	name        string
	attrs       string
	uidValidity uint32
	uidNext     uint32
	msgs        []*message
}

var stockholm = time.FixedZone("", 3600)

// poisonDate is the INTERNALDATE of the poison message.
var poisonDate = time.Date(2016, 1, 19, 14, 2, 19, 0, stockholm)

// inboxUID returns the UID of INBOX message seq: increasing with gaps,
// the seed's UIDs at 1040..1050 and 15585 at 1051 (the seed's a08 line
// after the poison was expunged).
func inboxUID(seq int) uint32 {
	switch {
	case seq < 1040:
		return uint32(14*seq + seq%3)
	case seq <= 1050:
		return SeedUIDs[seq-1040]
	}
	j := seq - 1051
	u := 15585 + 2*j
	if j > 0 && j%3 == 0 {
		u++
	}
	return uint32(u)
}

var senders = []string{
	"Anna Lindqvist <anna.lindqvist@kth.example>",
	"Erik Johansson <erikj@example.org>",
	"offlineimap-project@example.net",
	`"Sebrecht, Nicolas" <nicolas@example.net>`,
	"Kursexpedition <kursexp@kth.example>",
}

var subjects = []string{
	"Reading list, part %d",
	"Re: Lab report %d",
	"Meeting notes %d",
	"[offlineimap] sync question %d",
	"=?iso-8859-1?q?R=E4ksm=F6rg=E5s_%d?=",
}

// genMessage returns a small deterministic RFC 5322 message with CRLF.
func genMessage(box string, uid uint32, date time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "Date: %s\r\n", date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "From: %s\r\n", senders[uid%uint32(len(senders))])
	b.WriteString("To: Tomas Nordin <tomas@kth.example>\r\n")
	fmt.Fprintf(&b, "Subject: "+subjects[uid%uint32(len(subjects))]+"\r\n", uid)
	fmt.Fprintf(&b, "Message-ID: <%d.%s@imaptest.example>\r\n", uid, strings.ReplaceAll(box, " ", "-"))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n")
	b.WriteString("Content-Transfer-Encoding: 7bit\r\n\r\n")
	for i := 0; i <= int(uid%4); i++ {
		fmt.Fprintf(&b, "Line %d of message %d in %s.\r\n", i+1, uid, box)
	}
	return []byte(b.String())
}

// messageDate is the INTERNALDATE of a generated message.
func messageDate(uid uint32) time.Time {
	base := time.Date(2014, 9, 1, 8, 0, 0, 0, stockholm)
	return base.Add(time.Duration(uid) * 47 * time.Minute)
}

// poisonHeader is the header of the message Exchange cannot retrieve; only
// its ENVELOPE is shown, unless a PoisonItems table delivers more.
const poisonHeader = "Date: Tue, 19 Jan 2016 14:02:11 +0100\r\n" +
	"From: Kursexpedition <kursexp@kth.example>\r\n" +
	"To: Tomas Nordin <tomas@kth.example>\r\n" +
	"Subject: =?iso-8859-1?q?Schema=E4ndring_vecka_4?=\r\n" +
	"Message-ID: <15541.poison@kth.example>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=iso-8859-1\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n\r\n"

// poisonText returns the stored text of the poison message: poisonHeader
// and a quoted-printable body, PoisonSize octets in all, so that its
// RFC822.SIZE is true when a PoisonItems table delivers it.
func poisonText() []byte {
	const line = "Hej! Schemat f=F6r vecka 4 har =E4ndrats: f=F6rel=E4sningen =E4r i sal D2.\r\n"
	var b strings.Builder
	b.WriteString(poisonHeader)
	b.WriteString("Hej!\r\n\r\n")
	// Leave room for a last line of 2 to len(line) octets.
	for b.Len()+2*len(line) <= PoisonSize {
		b.WriteString(line)
	}
	rest := PoisonSize - b.Len() // len(line)+1 .. 2*len(line)
	last := rest / 2
	b.WriteString(strings.Repeat("-", last-2) + "\r\n")
	b.WriteString(strings.Repeat("*", rest-last-2) + "\r\n")
	return []byte(b.String())
}

// substitute returns the notice Exchange 2010+ serves instead of a message
// it cannot convert. The Subject is folded, which is why the seed shows
// {127} for HEADER.FIELDS (from subject) but only the first line of it.
func substitute(uid uint32, date time.Time) []byte {
	return []byte("From: Microsoft Exchange Server 2010\r\n" +
		"Subject: Retrieval using the IMAP4 protocol failed for the following message:\r\n" +
		fmt.Sprintf(" %d\r\n", uid) +
		"To: Tomas Nordin <tomas@kth.example>\r\n" +
		"Date: " + date.Format(time.RFC1123Z) + "\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=\"us-ascii\"\r\n" +
		"Content-Transfer-Encoding: 7bit\r\n\r\n" +
		"The server couldn't retrieve the following message:\r\n\r\n" +
		"Subject: \"Schemaandring vecka 4\"\r\n" +
		"From: \"Kursexpedition\" (\"kursexp@kth.example\")\r\n" +
		"Sent date: " + date.Format("1/2/2006 3:04:05 PM") + "\r\n\r\n" +
		"The message hasn't been deleted. You might be able to view it using either\r\n" +
		"Outlook or Outlook Web App. You can also try contacting the original sender\r\n" +
		"of the message to find out about the contents of the message.\r\n\r\n" +
		"Retrieving this message will keep failing until it's been restored using\r\n" +
		"Outlook or Outlook Web App.\r\n")
}

// newMailboxes builds the folders of the fake account.
func newMailboxes(deleted []uint32) []*mailbox {
	inbox := &mailbox{name: "INBOX", attrs: `\Marked \HasNoChildren`, uidValidity: InboxUIDValidity, uidNext: InboxUIDNext}
	for seq := 1; seq <= InboxMessages; seq++ {
		uid := inboxUID(seq)
		m := &message{uid: uid, date: messageDate(uid)}
		switch {
		case seq == PoisonSeq:
			m.poison, m.size = true, PoisonSize
			m.date = poisonDate
			m.text = poisonText()
		default:
			m.text = genMessage("INBOX", uid, m.date)
			m.size = len(m.text)
			if seq < PoisonSeq || uid%3 != 0 {
				m.flags = addFlags(m.flags, `\Seen`)
			}
			if uid%11 == 0 {
				m.flags = addFlags(m.flags, `\Answered`)
			}
			if uid%17 == 0 {
				m.flags = addFlags(m.flags, `\Flagged`)
			}
		}
		if slices.Contains(deleted, uid) {
			m.flags = addFlags(m.flags, `\Deleted`)
		}
		inbox.msgs = append(inbox.msgs, m)
	}
	boxes := []*mailbox{inbox,
		{name: "Calendar", attrs: `\HasChildren`, uidValidity: 21, uidNext: 1},
		{name: "Calendar/Birthdays", attrs: `\HasNoChildren`, uidValidity: 22, uidNext: 1},
		{name: "Deleted Items", attrs: `\HasNoChildren`, uidValidity: 23, uidNext: 1},
		{name: "Drafts", attrs: `\HasNoChildren`, uidValidity: 24, uidNext: 1},
		{name: "Junk Email", attrs: `\HasNoChildren`, uidValidity: 25, uidNext: 1},
		{name: "Sent Items", attrs: `\HasNoChildren`, uidValidity: 26, uidNext: 1},
	}
	for _, b := range boxes[3:] {
		n := map[string]int{"Deleted Items": 2, "Sent Items": 3}[b.name]
		for i := 0; i < n; i++ {
			uid := b.uidNext
			d := messageDate(15000 + uid*100)
			text := genMessage(b.name, uid, d)
			b.msgs = append(b.msgs, &message{uid: uid, flags: []string{`\Seen`}, date: d, text: text, size: len(text)})
			b.uidNext++
		}
	}
	return boxes
}

// canonFlag spells a system flag the way Exchange does; keywords are kept.
func canonFlag(f string) string {
	for _, s := range systemFlags {
		if strings.EqualFold(f, s) {
			return s
		}
	}
	return f
}

func flagRank(f string) int {
	if i := slices.Index(systemFlags, f); i >= 0 {
		return i
	}
	return len(systemFlags)
}

func hasFlag(flags []string, f string) bool {
	return slices.ContainsFunc(flags, func(g string) bool { return strings.EqualFold(g, f) })
}

func addFlags(flags []string, add ...string) []string {
	for _, f := range add {
		f = canonFlag(f)
		if f == `\Recent` || hasFlag(flags, f) {
			continue
		}
		flags = append(flags, f)
	}
	slices.SortStableFunc(flags, func(a, b string) int { return flagRank(a) - flagRank(b) })
	return flags
}

func removeFlags(flags []string, rm ...string) []string {
	return slices.DeleteFunc(slices.Clone(flags), func(f string) bool { return hasFlag(rm, f) })
}

func flagList(flags []string) string { return "(" + strings.Join(flags, " ") + ")" }
