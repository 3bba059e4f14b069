package demo

import (
	"fmt"
	"net/mail"
	"time"

	"github.com/emersion/go-imap/v2"
)

// The poison message of the Poison mailbox. Its sequence number is not its
// UID because messages were expunged before it arrived; it is the first
// unseen message, as in the story ("OK [UNSEEN 1045]").
const (
	poisonSeq = 14
	poisonUID = 22
)

// poisonRow is an ordinary message of the Poison mailbox, a university
// account much like the one in the story. gone is how many short-lived
// messages arrived after it and were expunged while the mailbox was built.
type poisonRow struct {
	date    time.Time
	from    mail.Address
	subject string
	text    string
	flags   []imap.Flag
	gone    int
}

var (
	itSupport = addr("IT Services", "it-support@university.example")
	course    = addr("IK2218 course list", "ik2218-list@university.example")
	library   = addr("University Library", "library@university.example")
	jonas     = addr("Jonas Berg", "jberg@university.example")
	maria     = addr("Maria Holm", "mholm@university.example")
	bookshop  = addr("Campus Bookshop", "news@bookshop.example")
	deleted   = []imap.Flag{imap.FlagDeleted}
)

// Messages 1-13 are \Seen and precede the poison (seq 14); 3 of the 7 after
// it are \Deleted, so a bare EXPUNGE would take them along.
var poisonRows = []poisonRow{
	{date(time.February, 2, 8, 10, 0, 1), itSupport, "Planned maintenance: mail service, 7 February", "The mail service is unavailable on Saturday 7 February, 06:00-08:00.", seen, 0},
	{date(time.February, 2, 14, 22, 5, 1), course, "[ik2218] Lab 1 groups published", "Lab groups are on the course page. Lab 1 starts Monday.", seen, 1},
	{date(time.February, 3, 9, 1, 40, 1), library, "Loan reminder: TCP/IP Illustrated, Vol. 1", "Your loan is due on 10 February. Renew it online.", seen, 0},
	{date(time.February, 4, 16, 45, 12, 1), jonas, "Study group Thursday?", "Anyone up for going through the IMAP RFC on Thursday?", seen, 0},
	{date(time.February, 5, 11, 30, 0, 1), course, "[ik2218] Lecture 4 slides", "Slides for lecture 4 (stateful protocols) are uploaded.", seen, 2},
	{date(time.February, 6, 7, 55, 21, 1), addr("Student Union", "info@union.university.example"), "Pub quiz on Friday", "Teams of four, 19:00 in the union building. Bring a pen.", seen, 0},
	{date(time.February, 9, 10, 12, 8, 1), itSupport, "Mail service maintenance completed", "The maintenance is done. Report any missing mail to IT Services.", seen, 0},
	{date(time.February, 9, 18, 3, 57, 1), jonas, "Re: Study group Thursday?", "Four of us so far. Room 1537 at 15:00.", seen, 1},
	{date(time.February, 10, 13, 37, 0, 0), addr("OfflineIMAP list", "offlineimap-project@lists.example.org"), "[offlineimap] Re: server does not have a message with UID", "If the server pretends to have this UID, it looks like a server issue.", seen, 0},
	{date(time.February, 11, 8, 20, 30, 1), course, "[ik2218] Lab 2 deadline extended to 20 February", "By popular demand, Lab 2 is now due on 20 February at 23:59.", seen, 0},
	{date(time.February, 12, 15, 48, 2, 1), maria, "Thesis proposal feedback", "Comments are in the margin. The method section needs a second pass.", seen, 3},
	{date(time.February, 13, 9, 30, 0, 1), addr("Alumni Office", "alumni@university.example"), "Alumni newsletter, February", "Keep your university address after graduation: see inside.", seen, 0},
	{date(time.February, 16, 7, 40, 44, 1), library, "Your reservation is ready for pickup", "Reading IMAP by Hand is waiting for you at the front desk.", seen, 1},
	// The poison message arrives here.
	{date(time.February, 16, 11, 2, 9, 1), maria, "Re: Thesis proposal feedback", "Did my comments come through? I sent them on Thursday.", nil, 0},
	{date(time.February, 17, 6, 0, 0, 0), bookshop, "Spring sale: 20% off textbooks", "All textbooks 20% off until Thursday.", deleted, 1},
	{date(time.February, 17, 14, 25, 50, 1), course, "[ik2218] Lab 2 submission received", "We received your Lab 2 submission. Results within two weeks.", seen, 0},
	{date(time.February, 18, 3, 14, 15, 0), addr("Mailbox Security", "no-reply@security-alerts.example"), "Urgent: verify your mailbox quota", "Your mailbox is full. Log in within 24 hours to keep your messages.", deleted, 0},
	{date(time.February, 18, 10, 50, 0, 1), itSupport, "Reminder: password expires in 7 days", "Your university password expires on 25 February.", []imap.Flag{imap.FlagFlagged}, 2},
	{date(time.February, 19, 5, 30, 0, 0), bookshop, "Last chance: spring sale ends tonight", "The spring sale ends at midnight.", deleted, 0},
	{date(time.February, 19, 16, 12, 41, 1), jonas, "Exam prep session", "Exam prep in the library on Sunday. Bring old exams if you have them.", nil, 0},
}

// buildPoison appends the Poison mailbox: each ordinary message followed by
// the short-lived ones it is said to be followed by, the poison message
// after the 13th, then expunges the short-lived ones to leave UID gaps.
func buildPoison(b *builder) error {
	var gone imap.UIDSet
	for i, row := range poisonRows {
		if i == poisonSeq-1 {
			if uid := b.append(poisonMessage(row.date.Add(-2 * time.Hour))); uid != poisonUID {
				return fmt.Errorf("poison message got UID %d, want %d", uid, poisonUID)
			}
		}
		b.append(row.message(i + 1))
		for j := 1; j <= row.gone; j++ {
			gone.AddNum(b.append(quotaReport(row.date.Add(time.Duration(j) * 17 * time.Minute))))
		}
	}
	b.expunge(gone)
	return nil
}

func (r *poisonRow) message(n int) *message {
	return &message{
		date: r.date, from: r.from, to: []mail.Address{student},
		id:      fmt.Sprintf("%s.%d@university.example", r.date.UTC().Format("20060102150405"), n),
		subject: r.subject,
		body:    r.text + "\n",
		flags:   r.flags,
	}
}

var student = addr("Demo Student", "demo@university.example")

// quotaReport is a short-lived message, expunged while the mailbox is built.
func quotaReport(t time.Time) *message {
	return &message{
		date: t, from: addr("Mailbox Quota", "quota@university.example"), to: []mail.Address{student},
		id:      fmt.Sprintf("quota.%s@university.example", t.UTC().Format("20060102150405")),
		subject: "Mailbox quota report",
		body:    "You are using 61% of your mailbox quota.\n",
		flags:   []imap.Flag{imap.FlagSeen},
	}
}

// poisonMessage is the message in the story: a notice Exchange writes in
// place of a message it cannot read, and which it then cannot serve either.
func poisonMessage(t time.Time) *message {
	return &message{
		date:    t,
		from:    addr("Microsoft Exchange Server 2010", "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@university.example"),
		to:      []mail.Address{student},
		id:      fmt.Sprintf("retrieval-failed.%d@university.example", poisonUID),
		subject: fmt.Sprintf("Retrieval using the IMAP4 protocol failed for the following message: %d", poisonUID),
		header:  []field{{"X-Priority", "3"}, {"X-Imapsh-Demo", "poison"}},
		latin1:  true,
		body: `The server couldn't retrieve the following message:

Subject: "Kurslitteratur för vårterminen"
From: "Maria Holm" <mholm@university.example>
Sent date: 12/02/2026 16:02:11

The message hasn't been deleted. You might be able to view it using
Outlook or Outlook Web App. You can also try contacting the original
sender to find out what the message said.

Retrieving this message was stopped because its structure is damaged.
`,
	}
}
