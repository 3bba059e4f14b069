package demo

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// matches reports whether e meets the SEARCH criteria c (RFC 9051 section
// 6.4.4). seq is its sequence number as the client knows it (0 when the
// client has not been told of it yet). The criteria's number sets are
// static: "*" and "$" already resolved. It doesn't perform I/O.
func (e *entry) matches(seq uint32, c *imap.SearchCriteria) bool {
	for _, set := range c.SeqNum {
		if seq == 0 || !set.Contains(seq) {
			return false
		}
	}
	for _, set := range c.UID {
		if !set.Contains(e.uid) {
			return false
		}
	}
	for _, f := range c.Flag {
		if !e.flags.has(f) {
			return false
		}
	}
	for _, f := range c.NotFlag {
		if e.flags.has(f) {
			return false
		}
	}
	size := int64(len(e.buf))
	if c.Larger != 0 && size <= c.Larger || c.Smaller != 0 && size >= c.Smaller {
		return false
	}
	if !inDays(e.date, c.Since, c.Before) {
		return false
	}
	if len(c.Header) > 0 || !c.SentSince.IsZero() || !c.SentBefore.IsZero() {
		h := e.header()
		for _, f := range c.Header {
			if !fieldHas(h, f.Key, f.Value) {
				return false
			}
		}
		if !c.SentSince.IsZero() || !c.SentBefore.IsZero() {
			sent, err := h.Date()
			if err != nil || !inDays(sent, c.SentSince, c.SentBefore) {
				return false
			}
		}
	}
	for _, s := range c.Body {
		if !e.contains(s, false) {
			return false
		}
	}
	for _, s := range c.Text {
		if !e.contains(s, true) {
			return false
		}
	}
	for i := range c.Not {
		if e.matches(seq, &c.Not[i]) {
			return false
		}
	}
	for i := range c.Or {
		if !e.matches(seq, &c.Or[i][0]) && !e.matches(seq, &c.Or[i][1]) {
			return false
		}
	}
	return true
}

// inDays reports whether t falls on or after since and before before,
// comparing dates only, in t's own zone (RFC 9051: "disregarding time and
// timezone"). A zero bound is no bound.
func inDays(t, since, before time.Time) bool {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return (since.IsZero() || !day.Before(since)) && (before.IsZero() || day.Before(before))
}

// header parses the message's header; a damaged header reads as empty.
func (e *entry) header() mail.Header {
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(e.buf)))
	if err != nil {
		return mail.Header{}
	}
	return mail.Header{Header: gomessage.Header{Header: h}}
}

// fieldHas reports whether a field called key contains value, case
// folded, after decoding RFC 2047 words; an empty value asks only that the
// field exist.
func fieldHas(h mail.Header, key, value string) bool {
	fields := h.FieldsByKey(key)
	if value == "" {
		return fields.Len() > 0
	}
	for fields.Next() {
		text, err := fields.Text()
		if err != nil {
			text = fields.Value()
		}
		if containsFold(text, value) {
			return true
		}
	}
	return false
}

// contains searches the decoded text parts of the message, and with
// withHeader its header fields too (TEXT rather than BODY).
func (e *entry) contains(s string, withHeader bool) bool {
	ent, err := gomessage.Read(bytes.NewReader(e.buf))
	if ent == nil {
		return false
	}
	_ = err // an unknown charset still leaves the body readable as it is
	return entityContains(ent, s, withHeader)
}

func entityContains(ent *gomessage.Entity, s string, withHeader bool) bool {
	if withHeader {
		fields := ent.Header.Fields()
		for fields.Next() {
			if containsFold(fields.Key()+": "+fields.Value(), s) {
				return true
			}
		}
	}
	if mr := ent.MultipartReader(); mr != nil {
		for {
			part, err := mr.NextPart()
			if err != nil {
				return false
			}
			if entityContains(part, s, withHeader) {
				return true
			}
		}
	}
	t, _, _ := ent.Header.ContentType()
	if t != "" && !strings.HasPrefix(t, "text/") && !strings.HasPrefix(t, "message/") {
		return false
	}
	body, err := io.ReadAll(io.LimitReader(ent.Body, 16<<20))
	return err == nil && containsFold(string(body), s)
}

func containsFold(text, s string) bool {
	return strings.Contains(strings.ToLower(text), strings.ToLower(s))
}

// search answers SEARCH and UID SEARCH (and saves the result for "$" when
// asked, RFC 5182).
func (v *view) search(kind imapserver.NumKind, c *imap.SearchCriteria, options *imap.SearchOptions) *imap.SearchData {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.resolveCriteriaLocked(c)
	var (
		data imap.SearchData
		seqs imap.SeqSet
		uids imap.UIDSet
	)
	for i, e := range v.msgs {
		seq := v.tracker.EncodeSeqNum(uint32(i + 1))
		if !e.matches(seq, c) {
			continue
		}
		uids.AddNum(e.uid)
		num := uint32(e.uid)
		if kind == imapserver.NumKindSeq {
			if seq == 0 {
				continue
			}
			seqs.AddNum(seq)
			num = seq
		}
		if data.Count == 0 || num < data.Min {
			data.Min = num
		}
		data.Max = max(data.Max, num)
		data.Count++
	}
	data.All = uids
	if kind == imapserver.NumKindSeq {
		data.All = seqs
	}
	if options.ReturnSave {
		v.searchRes = uids
	}
	return &data
}

// resolveCriteriaLocked replaces "*" and "$" in c's number sets.
func (v *view) resolveCriteriaLocked(c *imap.SearchCriteria) {
	var seqs []imap.SeqSet
	for _, s := range c.SeqNum {
		switch r := v.resolveLocked(s).(type) {
		case imap.SeqSet:
			seqs = append(seqs, r)
		case imap.UIDSet: // "$" is a set of UIDs
			c.UID = append(c.UID, r)
		}
	}
	c.SeqNum = seqs
	for i, s := range c.UID {
		c.UID[i], _ = v.resolveLocked(s).(imap.UIDSet)
	}
	for i := range c.Not {
		v.resolveCriteriaLocked(&c.Not[i])
	}
	for i := range c.Or {
		v.resolveCriteriaLocked(&c.Or[i][0])
		v.resolveCriteriaLocked(&c.Or[i][1])
	}
}
