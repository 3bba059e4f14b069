package demo

import (
	"fmt"

	"github.com/emersion/go-imap/v2"
)

// sampleBox is a sample mailbox. UIDVALIDITY counts 1, 2, 3 ... in
// creation order, so the order of sampleBoxes fixes each UIDVALIDITY.
type sampleBox struct {
	name       string
	subscribed bool
	specialUse imap.MailboxAttr
	build      func(b *builder) error
}

// sampleBoxes lists the sample mailboxes in creation order. The hierarchy
// delimiter is "/". Entwürfe ("Drafts" in German) needs modified UTF-7 on
// the wire: "Entw&APw-rfe" (RFC 3501 section 5.1.3).
var sampleBoxes = []sampleBox{
	{name: "INBOX", subscribed: true, build: buildInbox},
	{name: "Archive", subscribed: true, specialUse: imap.MailboxAttrArchive, build: appendAll(archive)},
	{name: "Sent", subscribed: true, specialUse: imap.MailboxAttrSent, build: appendAll(sent)},
	{name: "Work", build: appendAll(nil)},
	{name: "Work/Projects", subscribed: true, build: appendAll(projects)},
	{name: "Old Mail", build: appendAll(oldMail)},
	{name: "Poison", build: buildPoison},
	{name: "Entwürfe", subscribed: true, specialUse: imap.MailboxAttrDrafts, build: appendAll(drafts)},
}

// fill creates the sample mailboxes of a and their messages. Every call
// produces the same mailboxes, UIDVALIDITY values, UIDs, dates and bytes.
// It doesn't perform I/O.
func fill(a *account) error {
	for _, sb := range sampleBoxes {
		if err := a.create(sb.name, sb.specialUse); err != nil {
			return fmt.Errorf("create %q: %w", sb.name, err)
		}
		if sb.subscribed {
			if err := a.subscribe(sb.name, true); err != nil {
				return fmt.Errorf("subscribe %q: %w", sb.name, err)
			}
		}
		b, err := a.box(sb.name)
		if err != nil {
			return err
		}
		if err := sb.build(&builder{box: b}); err != nil {
			return fmt.Errorf("mailbox %q: %w", sb.name, err)
		}
	}
	return nil
}

// builder appends to one mailbox.
type builder struct{ box *box }

func appendAll(msgs []message) func(b *builder) error {
	return func(b *builder) error {
		for i := range msgs {
			b.append(&msgs[i])
		}
		return nil
	}
}

// append appends m with its flags and INTERNALDATE and returns its UID.
func (b *builder) append(m *message) imap.UID {
	return b.box.add(m.render(), m.flags, deliveredAt(m.date)).UID
}

// expunge removes the messages with the given UIDs, leaving gaps in the
// UID sequence as on a long-lived server.
func (b *builder) expunge(uids imap.UIDSet) {
	b.box.mu.Lock()
	defer b.box.mu.Unlock()
	b.box.removeLocked(func(e *entry) bool { return uids.Contains(e.uid) })
}
