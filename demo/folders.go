package demo

import (
	"net/mail"
	"time"

	"github.com/emersion/go-imap/v2"
)

var seen = []imap.Flag{imap.FlagSeen}

var archive = []message{{
	date: date(time.January, 8, 14, 2, 11, 1), from: addr("Nordic Air", "booking@air.example"),
	to: []mail.Address{me}, id: "booking-7Q2XKD@air.example",
	subject: "Booking confirmation: ARN → CDG, 14 January 2026",
	flags:   seen,
	body: `Booking reference: 7Q2XKD

  14 Jan 2026  ARN 07:05 -> CDG 09:40  seat 12A

Have a pleasant flight.
`,
}, {
	date: date(time.January, 15, 6, 30, 0, 0), from: addr("Hosting Billing", "billing@hosting.example"),
	to: []mail.Address{me}, id: "invoice-2026-0007@hosting.example",
	subject: "Invoice 2026-0007",
	flags:   seen,
	body: `Invoice 2026-0007 for January is available in your account.
Amount due: 4.00 EUR, paid by card on file.
`,
}, {
	date: date(time.January, 27, 18, 9, 45, -5), from: addr("Program Committee", "program@conf.example"),
	to: []mail.Address{me}, id: "talk-accepted-31@conf.example",
	subject: "Talk accepted: Reading IMAP by hand",
	flags:   seen,
	body: `Dear speaker,

We are happy to accept your talk "Reading IMAP by hand" for the April
programme. Slots are 25 minutes plus 5 minutes of questions.

The Program Committee
`,
}}

var sent = []message{{
	date: date(time.March, 3, 12, 10, 3, 1), from: me,
	to: []mail.Address{alice}, cc: []mail.Address{carol}, id: "lunch-re.20260303@imapsh.example",
	inReplyTo: "lunch-1.20260303@example.com",
	subject:   "Re: Lunch on Thursday?",
	flags:     seen,
	body: `Yes please, see you there at 12:15.
`,
}, {
	date: date(time.March, 6, 10, 2, 48, 1), from: me,
	to: []mail.Address{bob}, id: "q1-feedback.20260306@imapsh.example",
	inReplyTo: "q1-report.20260305@example.org",
	subject:   "Re: Quarterly report draft",
	flags:     seen,
	body: `Bob,

Thanks for the notes. I'd keep the old archive read-only until June, then
decide.
`,
}, {
	date: date(time.March, 10, 21, 15, 0, 1), from: me,
	to: []mail.Address{dave}, id: "idle-question.20260310@imapsh.example",
	subject: "Question about IMAP IDLE timeouts",
	flags:   seen,
	body: `Hi Dave,

Does the new cluster still drop IDLE connections after 29 minutes, or can
clients stay idle longer now?

Thanks
`,
}}

var projects = []message{{
	date: date(time.February, 16, 9, 0, 0, 1), from: bob,
	to: []mail.Address{me, alice}, id: "kickoff.20260216@example.org",
	subject: "Project kickoff: mailbox migration",
	flags:   seen,
	body: `Hi all,

Kickoff for the mailbox migration is Monday at 10:00. Please bring a list
of the mailboxes your team cannot lose.

Bob
`,
}, {
	date: date(time.February, 23, 15, 27, 33, 1), from: alice,
	to: []mail.Address{bob}, cc: []mail.Address{me}, id: "checklist-v2.20260223@example.com",
	subject: "Migration checklist v2",
	flags:   seen,
	body: `Checklist v2:

  - record UIDVALIDITY of every mailbox before and after
  - compare message counts with STATUS (MESSAGES)
  - never run a bare EXPUNGE on a mailbox you haven't looked at
`,
}, {
	date: date(time.March, 2, 8, 58, 10, 1), from: bob,
	to: []mail.Address{alice}, cc: []mail.Address{me}, id: "checklist-v2-re.20260302@example.org",
	inReplyTo: "checklist-v2.20260223@example.com",
	subject:   "Re: Migration checklist v2",
	body: `Good list. Adding: check that every message's body can be fetched, not
just its UID.
`,
}}

var oldMail = []message{{
	date: date(time.January, 1, 0, 3, 12, 1), from: asa,
	to: []mail.Address{me}, id: "gott-nytt-ar.20260101@university.example",
	subject: "Gott nytt år!",
	flags:   seen,
	body: `Gott nytt år! Hoppas 2026 blir ett bra år.

Åsa
`,
}, {
	date: date(time.January, 2, 7, 0, 0, 0), from: addr("Bank Notifications", "noreply@bank.example"),
	to: []mail.Address{me}, id: "statement-2025-12@bank.example",
	subject: "Your December statement is ready",
	flags:   seen,
	body: `Your account statement for December 2025 is ready in online banking.
`,
}, {
	date: date(time.January, 2, 9, 41, 27, 1), from: me,
	to: []mail.Address{asa}, id: "gott-nytt-ar-re.20260102@imapsh.example",
	inReplyTo: "gott-nytt-ar.20260101@university.example",
	subject:   "Re: Gott nytt år!",
	flags:     seen,
	body: `Tack, detsamma!
`,
}}

// drafts is the mailbox Entwürfe: one German draft, \Draft.
var drafts = []message{{
	date: date(time.March, 12, 21, 5, 0, 1), from: me,
	to: []mail.Address{asa}, id: "entwurf-1.20260312@imapsh.example",
	subject: "Entwurf: Grüße aus Köln",
	flags:   []imap.Flag{imap.FlagDraft},
	body: `Liebe Åsa,

viele Grüße aus Köln! Die Präsentation über IMAP war ein Erfolg; ich
schicke dir die Folien, sobald sie fertig sind.
`,
}}
