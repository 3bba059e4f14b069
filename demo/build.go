package demo

import (
	"bytes"
	"fmt"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// mailbox is a sample mailbox. imapmemserver numbers UIDVALIDITY 1, 2, 3 ...
// in creation order, so the order of mailboxes fixes each UIDVALIDITY.
type mailbox struct {
	name       string
	subscribed bool
	build      func(b *builder) error
}

// mailboxes lists the sample mailboxes in creation order. The hierarchy
// delimiter of imapmemserver is "/".
var mailboxes = []mailbox{
	{name: "INBOX", subscribed: true, build: appendAll(inbox)},
	{name: "Archive", subscribed: true, build: appendAll(archive)},
	{name: "Sent", subscribed: true, build: appendAll(sent)},
	{name: "Work", build: appendAll(nil)},
	{name: "Work/Projects", subscribed: true, build: appendAll(projects)},
	{name: "Old Mail", build: appendAll(oldMail)},
	{name: "Poison", build: buildPoison},
}

// fill creates the sample mailboxes of u and their messages. Every call
// produces the same mailboxes, UIDVALIDITY values, UIDs, dates and bytes.
// It doesn't perform I/O.
func fill(u *imapmemserver.User) error {
	b := &builder{sess: imapmemserver.NewUserSession(u)}
	defer b.sess.Close()
	for _, mb := range mailboxes {
		if err := u.Create(mb.name, nil); err != nil {
			return fmt.Errorf("create %q: %w", mb.name, err)
		}
		if mb.subscribed {
			if err := u.Subscribe(mb.name); err != nil {
				return fmt.Errorf("subscribe %q: %w", mb.name, err)
			}
		}
		b.mailbox = mb.name
		if err := mb.build(b); err != nil {
			return fmt.Errorf("mailbox %q: %w", mb.name, err)
		}
	}
	return nil
}

// builder appends to one mailbox at a time through a memserver session,
// the same path an APPEND from a client takes.
type builder struct {
	sess    *imapmemserver.UserSession
	mailbox string
}

func appendAll(msgs []message) func(b *builder) error {
	return func(b *builder) error {
		for i := range msgs {
			if _, err := b.append(&msgs[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// append appends m with its flags and INTERNALDATE and returns its UID.
func (b *builder) append(m *message) (imap.UID, error) {
	data, err := b.sess.Append(b.mailbox, bytes.NewReader(m.render()), &imap.AppendOptions{
		Flags: m.flags,
		Time:  deliveredAt(m.date),
	})
	if err != nil {
		return 0, fmt.Errorf("append %q: %w", m.subject, err)
	}
	return data.UID, nil
}

// expunge removes the messages with the given UIDs from the builder's
// mailbox, leaving gaps in the UID sequence as on a long-lived server.
func (b *builder) expunge(uids imap.UIDSet) error {
	if _, err := b.sess.Select(b.mailbox, &imap.SelectOptions{}); err != nil {
		return err
	}
	defer b.sess.Unselect()
	store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
	if err := b.sess.Store(&imapserver.FetchWriter{}, uids, store, &imap.StoreOptions{}); err != nil {
		return err
	}
	return b.sess.Expunge(&imapserver.ExpungeWriter{}, &uids)
}
