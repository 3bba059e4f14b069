package demo

import (
	"bytes"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

// view is one session's selected mailbox: the box, the session's place in
// its stream of changes (tracker), whether it was opened read-only, and the
// saved search result ("$", RFC 5182).
//
// A view is used by one session at a time; the box it shares is locked.
type view struct {
	*box
	tracker   *imapserver.SessionTracker
	readOnly  bool
	searchRes imap.UIDSet
}

func (b *box) open(readOnly bool) (*view, *imap.SelectData) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return &view{box: b, tracker: b.tracker.NewSession(), readOnly: readOnly}, b.selectDataLocked()
}

func (v *view) close() { v.tracker.Close() }

var errReadOnly = &imap.Error{Type: imap.StatusResponseTypeNo, Text: "the mailbox is open read-only (EXAMINE): nothing was changed; SELECT it to make changes"}

// hit is one message a command applies to, as the client numbers it.
type hit struct {
	seq   uint32 // the client's sequence number
	index int    // its position in the box when the command ran (the server's sequence number less one)
	e     *entry
	flags []imap.Flag // the flags when the command ran
	seen  bool        // \Seen was set by this command (a FETCH of BODY[])
}

// collectLocked returns the messages of set in sequence-number order.
// Messages the client has not been told of yet are left out of a sequence
// set, as their numbers mean nothing to it.
func (v *view) collectLocked(set imap.NumSet) []hit {
	set = v.resolveLocked(set)
	var hits []hit
	for i, e := range v.msgs {
		seq := v.tracker.EncodeSeqNum(uint32(i + 1))
		var in bool
		switch set := set.(type) {
		case imap.SeqSet:
			in = seq != 0 && set.Contains(seq)
		case imap.UIDSet:
			in = set.Contains(e.uid)
		}
		if in {
			hits = append(hits, hit{seq: seq, index: i, e: e, flags: e.flags.slice()})
		}
	}
	return hits
}

// resolveLocked makes a copy of set with "*" replaced by the highest
// sequence number or UID, and "$" by the saved search result.
func (v *view) resolveLocked(set imap.NumSet) imap.NumSet {
	if imap.IsSearchRes(set) {
		return v.searchRes
	}
	fix := func(start, stop *uint32, max uint32) {
		star := *start == 0 || *stop == 0
		if *start == 0 {
			*start = max
		}
		if *stop == 0 {
			*stop = max
		}
		if star && *start > *stop {
			*start, *stop = *stop, *start
		}
	}
	switch set := set.(type) {
	case imap.SeqSet:
		max := uint32(0)
		for i := len(v.msgs); i > 0 && max == 0; i-- {
			max = v.tracker.EncodeSeqNum(uint32(i))
		}
		out := append(imap.SeqSet{}, set...)
		for i := range out {
			fix(&out[i].Start, &out[i].Stop, max)
		}
		return out
	case imap.UIDSet:
		max := uint32(v.uidNext) - 1
		if n := len(v.msgs); n > 0 {
			max = uint32(v.msgs[n-1].uid)
		}
		out := append(imap.UIDSet{}, set...)
		for i := range out {
			fix((*uint32)(&out[i].Start), (*uint32)(&out[i].Stop), max)
		}
		return out
	}
	return set
}

// fetch answers FETCH and UID FETCH with the items asked for and no other:
// UID only when asked (UID FETCH asks implicitly, RFC 9051 section 6.4.9),
// FLAGS when asked or when reading BODY[] set \Seen. A poison message is
// skipped when withhold says so.
func (v *view) fetch(w *imapserver.FetchWriter, set imap.NumSet, options *imap.FetchOptions, withhold func(*entry) bool) error {
	markSeen := false
	for _, bs := range options.BodySection {
		markSeen = markSeen || !bs.Peek
	}
	markSeen = markSeen && !v.readOnly

	v.mu.Lock()
	hits := v.collectLocked(set)
	kept := hits[:0]
	for _, h := range hits {
		if withhold(h.e) {
			continue
		}
		if markSeen && !h.e.flags.has(imap.FlagSeen) {
			h.e.flags = h.e.flags.add(imap.FlagSeen)
			h.flags, h.seen = h.e.flags.slice(), true
			v.box.tracker.QueueMessageFlags(uint32(h.index+1), h.e.uid, h.flags, v.tracker)
		}
		kept = append(kept, h)
	}
	v.mu.Unlock()

	for _, h := range kept {
		if err := writeFetch(w.CreateMessage(h.seq), h, options); err != nil {
			return err
		}
	}
	return nil
}

func writeFetch(r *imapserver.FetchResponseWriter, h hit, options *imap.FetchOptions) error {
	e := h.e
	if options.UID {
		r.WriteUID(e.uid)
	}
	if options.Flags || h.seen {
		r.WriteFlags(h.flags)
	}
	if options.InternalDate {
		r.WriteInternalDate(e.date)
	}
	if options.RFC822Size {
		r.WriteRFC822Size(int64(len(e.buf)))
	}
	if options.Envelope {
		r.WriteEnvelope(envelopeOf(e))
	}
	if options.BodyStructure != nil {
		r.WriteBodyStructure(imapserver.ExtractBodyStructure(bytes.NewReader(e.buf)))
	}
	for _, bs := range options.BodySection {
		data := imapserver.ExtractBodySection(bytes.NewReader(e.buf), bs)
		if err := writeAll(r.WriteBodySection(bs, int64(len(data))), data); err != nil {
			return err
		}
	}
	for _, bs := range options.BinarySection {
		data := imapserver.ExtractBinarySection(bytes.NewReader(e.buf), bs)
		if err := writeAll(r.WriteBinarySection(bs, int64(len(data))), data); err != nil {
			return err
		}
	}
	for _, bs := range options.BinarySectionSize {
		r.WriteBinarySectionSize(bs, imapserver.ExtractBinarySectionSize(bytes.NewReader(e.buf), bs))
	}
	return r.Close()
}

func writeAll(wc interface {
	Write([]byte) (int, error)
	Close() error
}, data []byte) error {
	_, err := wc.Write(data)
	if cerr := wc.Close(); err == nil {
		err = cerr
	}
	return err
}

func envelopeOf(e *entry) *imap.Envelope {
	return imapserver.ExtractEnvelope(e.header().Header.Header)
}

// store answers STORE and UID STORE: the flags of each message after the
// change, with its UID for UID STORE, unless .SILENT. A new keyword
// changes the mailbox's FLAGS, which every session is told.
func (v *view) store(w *imapserver.FetchWriter, set imap.NumSet, flags *imap.StoreFlags) error {
	if v.readOnly {
		return errReadOnly
	}
	if err := checkStoreFlags(flags.Flags); err != nil {
		return err
	}
	_, byUID := set.(imap.UIDSet)

	v.mu.Lock()
	hits := v.collectLocked(set)
	newKeywords := false
	for i := range hits {
		e := hits[i].e
		switch flags.Op {
		case imap.StoreFlagsSet:
			e.flags = flagsOf(flags.Flags)
		case imap.StoreFlagsAdd:
			for _, f := range flags.Flags {
				e.flags = e.flags.add(f)
			}
		case imap.StoreFlagsDel:
			for _, f := range flags.Flags {
				e.flags = e.flags.remove(f)
			}
		}
		newKeywords = v.noteKeywordsLocked(e.flags) || newKeywords
		hits[i].flags = e.flags.slice()
		v.box.tracker.QueueMessageFlags(uint32(hits[i].index+1), e.uid, hits[i].flags, v.tracker)
	}
	if newKeywords {
		v.box.tracker.QueueMailboxFlags(v.flagsLocked())
	}
	v.mu.Unlock()

	if flags.Silent {
		return nil
	}
	for _, h := range hits {
		if err := writeFetch(w.CreateMessage(h.seq), h, &imap.FetchOptions{UID: byUID, Flags: true}); err != nil {
			return err
		}
	}
	return nil
}

// copyTo copies the messages of set to dest, flags and INTERNALDATE kept,
// and returns the COPYUID data (nil when set matched nothing).
func (v *view) copyTo(set imap.NumSet, dest *box) ([]hit, *imap.CopyData) {
	v.mu.Lock()
	hits := v.collectLocked(set)
	v.mu.Unlock()
	if len(hits) == 0 {
		return nil, nil
	}
	data := &imap.CopyData{UIDValidity: dest.validity}
	for _, h := range hits {
		a := dest.add(h.e.buf, h.flags, h.e.date)
		data.SourceUIDs.AddNum(h.e.uid)
		data.DestUIDs.AddNum(a.UID)
	}
	return hits, data
}

// expunge removes the \Deleted messages (of uids only, for UID EXPUNGE).
// The EXPUNGE responses reach this session, and every other, from the
// tracker when it polls.
func (v *view) expunge(uids *imap.UIDSet) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.removeLocked(func(e *entry) bool {
		return e.flags.has(imap.FlagDeleted) && (uids == nil || uids.Contains(e.uid))
	})
}

// remove expunges exactly the messages of hits (MOVE).
func (v *view) remove(hits []hit) {
	gone := map[*entry]bool{}
	for _, h := range hits {
		gone[h.e] = true
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.removeLocked(func(e *entry) bool { return gone[e] })
}
