package demo

import (
	"bytes"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

// box is one mailbox: its messages in sequence-number order and its
// counters. Every session that selects it shares it; tracker tells the
// other sessions what changed (EXISTS, EXPUNGE, FETCH FLAGS, FLAGS).
type box struct {
	tracker  *imapserver.MailboxTracker
	validity uint32

	mu         sync.Mutex
	name       string
	subscribed bool
	specialUse imap.MailboxAttr // \Sent, \Drafts ... or ""
	msgs       []*entry
	uidNext    imap.UID
	keywords   []imap.Flag // keywords ever set here, in the order first set
}

// entry is one message in a box.
type entry struct {
	uid    imap.UID
	buf    []byte    // the RFC 5322 text; never changed
	date   time.Time // INTERNALDATE
	poison bool      // carries the poison header field (see poisonField)

	flags flagList // guarded by box.mu
}

func newBox(name string, validity uint32) *box {
	return &box{tracker: imapserver.NewMailboxTracker(0), validity: validity, name: name, uidNext: 1}
}

func (b *box) setName(n string) {
	b.mu.Lock()
	b.name = n
	b.mu.Unlock()
}

// add appends a message and returns its UID. Sessions that have the box
// selected learn the new count (EXISTS) when they next poll.
func (b *box) add(buf []byte, flags []imap.Flag, date time.Time) *imap.AppendData {
	if date.IsZero() {
		date = time.Now()
	}
	e := &entry{buf: buf, date: date, flags: flagsOf(flags), poison: isPoison(buf)}
	b.mu.Lock()
	defer b.mu.Unlock()
	e.uid = b.uidNext
	b.uidNext++
	b.msgs = append(b.msgs, e)
	b.noteKeywordsLocked(e.flags)
	b.tracker.QueueNumMessages(uint32(len(b.msgs)))
	return &imap.AppendData{UIDValidity: b.validity, UID: e.uid}
}

// noteKeywordsLocked records keywords not seen before in this box and
// reports whether the list of flags (FLAGS) changed.
func (b *box) noteKeywordsLocked(flags flagList) bool {
	changed := false
	for _, f := range flags {
		if !isSystem(f) && !flagList(b.keywords).has(f) {
			b.keywords = append(b.keywords, f)
			changed = true
		}
	}
	return changed
}

// flagsLocked is the FLAGS of the box: the system flags, then its keywords.
func (b *box) flagsLocked() []imap.Flag {
	return append(append([]imap.Flag{}, systemFlags...), b.keywords...)
}

// removeLocked expunges the messages for which gone is true and queues an
// EXPUNGE for each, highest sequence number first, so that each number is
// still right when the client reads it. It returns the UIDs removed.
func (b *box) removeLocked(gone func(*entry) bool) imap.UIDSet {
	var uids imap.UIDSet
	kept := b.msgs[:0:0]
	var seqs []uint32
	for i, e := range b.msgs {
		if gone(e) {
			seqs = append(seqs, uint32(i+1))
			uids.AddNum(e.uid)
			continue
		}
		kept = append(kept, e)
	}
	b.msgs = kept
	for i := len(seqs) - 1; i >= 0; i-- {
		b.tracker.QueueExpunge(seqs[i])
	}
	return uids
}

// selectData is what SELECT and EXAMINE report.
func (b *box) selectDataLocked() *imap.SelectData {
	flags := b.flagsLocked()
	data := &imap.SelectData{
		Flags:          flags,
		PermanentFlags: append(append([]imap.Flag{}, flags...), imap.FlagWildcard),
		NumMessages:    uint32(len(b.msgs)),
		UIDNext:        b.uidNext,
		UIDValidity:    b.validity,
	}
	for i, e := range b.msgs {
		if !e.flags.has(imap.FlagSeen) {
			data.FirstUnseenSeqNum = uint32(i + 1)
			break
		}
	}
	return data
}

// status answers STATUS (RFC 9051 section 6.3.11).
func (b *box) status(options *imap.StatusOptions) *imap.StatusData {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.statusLocked(options)
}

func (b *box) statusLocked(options *imap.StatusOptions) *imap.StatusData {
	data := &imap.StatusData{Mailbox: b.name}
	count := func(f imap.Flag) uint32 {
		n := uint32(0)
		for _, e := range b.msgs {
			if e.flags.has(f) {
				n++
			}
		}
		return n
	}
	if options.NumMessages {
		n := uint32(len(b.msgs))
		data.NumMessages = &n
	}
	if options.NumRecent {
		n := uint32(0) // \Recent is obsolete; the sandbox never sets it
		data.NumRecent = &n
	}
	if options.UIDNext {
		data.UIDNext = b.uidNext
	}
	if options.UIDValidity {
		data.UIDValidity = b.validity
	}
	if options.NumUnseen {
		n := uint32(len(b.msgs)) - count(imap.FlagSeen)
		data.NumUnseen = &n
	}
	if options.NumDeleted {
		n := count(imap.FlagDeleted)
		data.NumDeleted = &n
	}
	if options.Size {
		var size int64
		for _, e := range b.msgs {
			size += int64(len(e.buf))
		}
		data.Size = &size
	}
	return data
}

// listData is the LIST response for the box, or nil when options select
// it out.
func (b *box) listData(options *imap.ListOptions, children bool) *imap.ListData {
	b.mu.Lock()
	defer b.mu.Unlock()
	if options.SelectSubscribed && !b.subscribed || options.SelectSpecialUse && b.specialUse == "" {
		return nil
	}
	data := &imap.ListData{Mailbox: b.name, Delim: delim}
	if children {
		data.Attrs = append(data.Attrs, imap.MailboxAttrHasChildren)
	} else {
		data.Attrs = append(data.Attrs, imap.MailboxAttrHasNoChildren)
	}
	if b.subscribed && (options.SelectSubscribed || options.ReturnSubscribed) {
		data.Attrs = append(data.Attrs, imap.MailboxAttrSubscribed)
	}
	if b.specialUse != "" {
		data.Attrs = append(data.Attrs, b.specialUse)
	}
	if options.ReturnStatus != nil {
		data.Status = b.statusLocked(options.ReturnStatus)
	}
	return data
}

// isPoison reports whether a message's header carries the poison field.
func isPoison(buf []byte) bool {
	end := bytes.Index(buf, []byte("\r\n\r\n"))
	if end < 0 {
		end = len(buf)
	}
	for _, line := range bytes.Split(buf[:end], []byte("\r\n")) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && bytes.EqualFold(bytes.TrimSpace(k), []byte(poisonField.Key)) &&
			bytes.EqualFold(bytes.TrimSpace(v), []byte(poisonField.Value)) {
			return true
		}
	}
	return false
}
