package demo

import (
	"fmt"
	"net/mail"
	"time"

	"github.com/emersion/go-imap/v2"
)

// Sample people. Every domain is reserved for examples (RFC 2606, RFC 6761).
var (
	me    = addr("Demo User", "demo@imapsh.example")
	alice = addr("Alice Martin", "alice.martin@example.com")
	bob   = addr("Bob Okafor", "bob@example.org")
	carol = addr("Carol Nguyen", "carol@example.com")
	dave  = addr("Dave Kim", "dave.kim@example.net")
	eve   = addr("Eve Laurent", "eve@example.org")
	asa   = addr("Åsa Lindström", "asa.lindstrom@university.example")
)

// inbox: 12 messages, 2 of them \Deleted, one multipart/mixed with a text
// attachment, one with an RFC 2047 subject and sender name.
var inbox = []message{{
	date: date(time.March, 2, 8, 0, 0, 0), from: addr("imapsh", "hello@imapsh.example"),
	to: []mail.Address{me}, id: "welcome.20260302@imapsh.example",
	subject: "Welcome to the imapsh sandbox",
	flags:   []imap.Flag{imap.FlagSeen},
	body: `Hello,

This account lives in memory and is rebuilt, identical, each time you run
imapsh --demo. Nothing you do here reaches a real server, so go ahead:
STORE, EXPUNGE, MOVE, APPEND, DELETE.

Some commands to start with:

  a1 LIST "" "*"
  a2 SELECT INBOX
  a3 FETCH 1:* (UID FLAGS ENVELOPE)
  a4 SELECT Poison

The Poison mailbox replays a true story: a server that lists a message and
its UID, then silently refuses to hand over its body. Find it, and remove
it without taking the other \Deleted messages with it.

-- imapsh
`,
}, {
	date: date(time.March, 3, 11, 42, 7, 1), from: alice,
	to: []mail.Address{me}, cc: []mail.Address{carol}, id: "lunch-1.20260303@example.com",
	subject: "Lunch on Thursday?",
	flags:   []imap.Flag{imap.FlagAnswered},
	body: `Hi!

Carol and I are trying the new noodle place on Thursday at 12:15.
Want to join?

Alice
`,
}, {
	date: date(time.March, 4, 7, 15, 31, 0), from: addr("Forge Notifications", "notifications@forge.example"),
	to: []mail.Address{me}, id: "imapsh/issues/42@forge.example",
	subject: "[imapsh/imapsh] Tagged responses arrive out of order (#42)",
	header:  []field{{"List-Id", "imapsh/imapsh <imapsh.imapsh.forge.example>"}},
	flags:   []imap.Flag{imap.FlagSeen},
	body: `mkowalski opened an issue:

When two commands are in flight, the tagged OK of the second can arrive
before the first. The shell should match responses by tag, not by order.

Reply to this email directly or view it on Forge.
`,
}, {
	date: date(time.March, 5, 16, 20, 44, 1), from: bob,
	to: []mail.Address{me}, cc: []mail.Address{alice}, id: "q1-report.20260305@example.org",
	subject: "Quarterly report draft",
	flags:   []imap.Flag{imap.FlagFlagged},
	body: `Hi both,

Attached are my notes for the Q1 report. Could you check the numbers in
section 2 before Friday? The slides follow next week.

Thanks,
Bob
`,
	attach: &attachment{name: "q1-notes.txt", body: `Q1 2026 notes
=============

1. Mailbox migration: 3 of 4 teams moved.
2. Support tickets: 212 opened, 198 closed.
3. Open question: keep the old archive read-only until June?
`},
}, {
	date: date(time.March, 6, 9, 5, 12, 1), from: asa,
	to: []mail.Address{me}, id: "mote-fredag.20260306@university.example",
	subject: "Möte på fredag – agenda och fika ☕",
	body: `Hej!

Agendan för fredagens möte:

  1. Läget i projektet
  2. Nästa steg för migreringen
  3. Övrigt

Vi ses kl. 10.00 i rum 4523. Det blir kaffe och kanelbullar.

Hälsningar,
Åsa
`,
}, {
	date: date(time.March, 6, 22, 47, 0, 0), from: addr("The Weekly Digest", "digest@news.example.net"),
	to: []mail.Address{me}, id: "digest-2026-10@news.example.net",
	subject: "Your weekly digest: 12 stories you missed",
	header:  []field{{"List-Unsubscribe", "<https://news.example.net/unsubscribe>"}},
	flags:   []imap.Flag{imap.FlagDeleted},
	body: `This week: the history of the @ sign, a field guide to mail headers, and
ten more stories picked for you.

Unsubscribe: https://news.example.net/unsubscribe
`,
}, {
	date: date(time.March, 9, 3, 12, 55, 0), from: addr("Prize Department", "winner@prizes.example"),
	to: []mail.Address{me}, id: "0xdeadbeef@prizes.example",
	subject: "Congratulations, you have been selected!",
	flags:   []imap.Flag{imap.FlagDeleted},
	body: `Dear winner,

Reply with your bank details to claim your prize of 1,000,000 credits.
`,
}, {
	date: date(time.March, 9, 12, 3, 19, 1), from: carol,
	to: []mail.Address{alice}, cc: []mail.Address{me}, id: "lunch-2.20260309@example.com",
	inReplyTo: "lunch-1.20260303@example.com",
	subject:   "Re: Lunch on Thursday?",
	flags:     []imap.Flag{imap.FlagSeen},
	body: `Count me in. I'll book a table for three.

Carol
`,
}, {
	date: date(time.March, 10, 17, 30, 0, -4), from: dave,
	to: []mail.Address{me}, id: "maint-0314.20260310@example.net",
	subject: "Maintenance window Saturday 02:00-04:00 UTC",
	flags:   []imap.Flag{imap.FlagFlagged},
	body: `Heads up: the mail cluster gets new disks on Saturday between 02:00 and
04:00 UTC. IMAP stays up but may be slow; SMTP queues until we're done.

Dave
`,
}, {
	date: date(time.March, 11, 10, 0, 2, 0), from: addr("Mail Delivery System", "MAILER-DAEMON@mx.imapsh.example"),
	to: []mail.Address{me}, id: "bounce.20260311100002@mx.imapsh.example",
	subject: "Undelivered Mail Returned to Sender",
	flags:   []imap.Flag{imap.FlagSeen},
	body: `This is the mail system at host mx.imapsh.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<old.colleague@example.com>: host mx.example.com said:
    550 5.1.1 User unknown
`,
}, {
	date: date(time.March, 12, 19, 44, 30, 1), from: eve,
	to: []mail.Address{me}, id: "trip-photos.20260312@example.org",
	subject: "Photos from the trip",
	body: `Hi,

The photos from the trip are in the shared album. The one of the harbour
at sunset is my favourite.

Eve
`,
}, {
	date: date(time.March, 13, 8, 31, 2, 1), from: alice,
	to: []mail.Address{bob}, cc: []mail.Address{me}, id: "q1-report-re.20260313@example.com",
	inReplyTo: "q1-report.20260305@example.org",
	subject:   "Re: Quarterly report draft",
	body: `Bob,

Section 2 looks right to me. One typo: "198 closed" should be "189 closed"
according to the tracker.

Alice
`,
}}

// inboxGone is how many short-lived messages arrived, and were expunged,
// before each message of inbox: the history of a mailbox in use, which
// leaves sequence numbers and UIDs apart. INBOX holds UIDs 4, 5, 7, 8, 9,
// 12, 13, 15, 16, 17, 21 and 22 as sequence numbers 1 to 12.
var inboxGone = []int{3, 0, 1, 0, 0, 2, 0, 1, 0, 0, 3, 0}

// buildInbox appends inbox with its history, then expunges the history.
func buildInbox(b *builder) error {
	if len(inboxGone) != len(inbox) {
		return fmt.Errorf("inboxGone has %d entries for %d messages", len(inboxGone), len(inbox))
	}
	var gone imap.UIDSet
	for i := range inbox {
		for j := range inboxGone[i] {
			gone.AddNum(b.append(parcelNotice(inbox[i].date.Add(-time.Duration(j+1) * 7 * time.Hour))))
		}
		b.append(&inbox[i])
	}
	b.expunge(gone)
	return nil
}

// parcelNotice is a short-lived message, expunged while INBOX is built.
func parcelNotice(t time.Time) *message {
	return &message{
		date: t, from: addr("Parcel Tracking", "tracking@parcels.example"), to: []mail.Address{me},
		id:      fmt.Sprintf("parcel.%s@parcels.example", t.UTC().Format("20060102150405")),
		subject: "Your parcel is on its way",
		body:    "Your parcel is on its way and arrives tomorrow.\n",
		flags:   []imap.Flag{imap.FlagSeen},
	}
}
