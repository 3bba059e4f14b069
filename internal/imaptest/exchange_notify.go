package imaptest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// NotifyMode says when an Exchange session learns about changes to its
// selected mailbox that it did not make: messages expunged, appended or
// copied in, or flags changed, by another session or by the other-client
// methods (ExpungeByOther, StoreByOther, AppendByOther). Set it in
// ExchangeConfig.Notify.
type NotifyMode int

const (
	// NotifySilent (the zero value, the first version's behaviour): the
	// session is never told. At the start of each of its commands it sees
	// the mailbox as it is: sequence numbers shift without an EXPUNGE, new
	// messages are addressable without an EXISTS, flags are current. Its
	// own APPEND or COPY into the selected mailbox answers "* N EXISTS"
	// before the tagged OK.
	NotifySilent NotifyMode = iota

	// NotifyDovecot tells the session the way Dovecot 2.3 does (observed on
	// the Dovecot 2.3.19.1 of this machine). Before the tagged OK or NO of a
	// command run with a mailbox selected (not LOGOUT), in this order:
	//   - "* N FETCH (FLAGS (...))" for each message whose flags another
	//     changed, after any command;
	//   - "* N EXPUNGE" for each message another expunged, highest N first,
	//     after any command except FETCH, STORE and SEARCH (RFC 3501
	//     section 7.4.1) and except a UID SEARCH whose keys include a UID
	//     set or a sequence set (Dovecot holds EXPUNGEs back there too, and
	//     "UID SEARCH UID n" still finds an expunged n): so after UID
	//     FETCH, UID STORE, UID SEARCH ALL, NOOP, CHECK, COPY, APPEND,
	//     EXPUNGE ... (an own EXPUNGE or UID EXPUNGE reports them together
	//     with its own, highest first, then "* M EXISTS");
	//   - "* M EXISTS" when messages arrived (another's APPEND or COPY, or
	//     the session's own), after any command.
	// IDLE reports the same right after its "+" line. A new message can be
	// addressed (by UID too) once its EXISTS has been sent. Until its
	// EXPUNGE is reported, an expunged message keeps its sequence number:
	// SEARCH and UID SEARCH still find it; FETCH answers its UID and FLAGS,
	// with
	// RFC822.SIZE 0, INTERNALDATE "01-Jan-1970 00:00:00 +0000", ENVELOPE of
	// NILs, its BODY and BODYSTRUCTURE, NIL for body data, and the tagged
	// "OK [EXPUNGEISSUED] Some messages were already expunged"; plain STORE
	// changes and reports its flags; UID STORE skips it; COPY skips it and
	// answers "NO [EXPUNGEISSUED] Some of the requested messages no longer
	// exist".
	NotifyDovecot

	// NotifyCourier tells the session only at NOOP and IDLE (same lines and
	// order as NotifyDovecot), and SELECT or EXAMINE starts afresh. New
	// messages, the session's own APPEND and COPY into the selected mailbox
	// included, are not announced before: APPEND answers no EXISTS (with
	// UIDPLUS still "[APPENDUID v uid]"), and until NOOP, IDLE or SELECT the
	// message is not addressable (UID FETCH, UID SEARCH, UID STORE and
	// UID EXPUNGE do not find it; "*" is the last announced message).
	// Messages expunged by another stay addressable as under NotifyDovecot
	// until then.
	NotifyCourier
)

// begin prepares the session's view for a command. The caller holds x.mu.
func (s *session) begin() {
	if s.x.cfg.Notify == NotifySilent && s.sel != nil {
		s.resetView()
	}
}

// resetView makes the view the mailbox as it is, with nothing pending. The
// caller holds x.mu.
func (s *session) resetView() {
	s.view = slices.Clone(s.sel.msgs)
	s.gone, s.changed = nil, nil
	s.knownUID = 0
	if n := len(s.sel.msgs); n > 0 {
		s.knownUID = s.sel.msgs[n-1].uid
	}
}

// finish reports what the session must be told before the tagged OK or NO
// of the command being run.
func (s *session) finish() {
	if !s.holding {
		s.x.mu.Lock()
		defer s.x.mu.Unlock()
	}
	if s.sel == nil || s.name == "LOGOUT" {
		return
	}
	switch s.x.cfg.Notify {
	case NotifyDovecot:
		s.report(s.expungeOK)
	case NotifyCourier:
		if s.name == "NOOP" || s.name == "IDLE" {
			s.report(true)
		}
	}
}

// report sends the pending flag changes, the pending EXPUNGEs (when
// expunges) and EXISTS for new messages, and updates the view. The caller
// holds x.mu.
func (s *session) report(expunges bool) {
	if s.x.cfg.Notify == NotifySilent {
		return
	}
	for i, m := range s.view {
		if slices.Contains(s.changed, m) {
			s.c.SendRaw(fmt.Appendf(nil, "* %d FETCH (FLAGS %s)%s", i+1, flagList(m.flags), s.eol))
		}
	}
	s.changed = nil
	if expunges {
		s.reportGone()
	}
	s.announceNew()
}

// reportGone sends "* N EXPUNGE" for the pending expunged messages, highest
// first, and drops them from the view. The caller holds x.mu.
func (s *session) reportGone() bool {
	sent := false
	for i := len(s.view) - 1; i >= 0; i-- {
		if m := s.view[i]; s.gone[m] {
			s.view = slices.Delete(s.view, i, i+1)
			delete(s.gone, m)
			s.c.SendRaw(fmt.Appendf(nil, "* %d EXPUNGE%s", i+1, s.eol))
			sent = true
		}
	}
	return sent
}

// announceNew adds the messages that arrived since the last announcement to
// the view and sends "* N EXISTS" if there are any. The caller holds x.mu.
func (s *session) announceNew() {
	n := len(s.view)
	for _, m := range s.sel.msgs {
		if m.uid > s.knownUID {
			s.view = append(s.view, m)
			s.knownUID = m.uid
		}
	}
	if len(s.view) > n {
		s.c.SendRaw(fmt.Appendf(nil, "* %d EXISTS%s", len(s.view), s.eol))
	}
}

// isGhost reports whether m is in the view but expunged by another. The
// caller holds x.mu.
func (s *session) isGhost(m *message) bool { return s.gone[m] }

// watchers returns the sessions other than actor that have b selected. The
// caller holds x.mu.
func (x *Exchange) watchers(b *mailbox, actor *session) []*session {
	var out []*session
	for o := range x.sessions {
		if o != actor && o.sel == b {
			out = append(out, o)
		}
	}
	return out
}

// removeLive removes m from mailbox b on behalf of actor (nil for
// ExpungeByOther) and records it for the sessions that see it. The caller
// holds x.mu.
func (x *Exchange) removeLive(b *mailbox, m *message, actor *session) {
	if i := slices.Index(b.msgs, m); i >= 0 {
		b.msgs = slices.Delete(b.msgs, i, i+1)
	}
	m.expunged = true
	for _, o := range x.watchers(b, actor) {
		if slices.Contains(o.view, m) {
			if o.gone == nil {
				o.gone = map[*message]bool{}
			}
			o.gone[m] = true
		}
	}
}

// flagsChanged records that actor (nil for StoreByOther) changed m's flags
// in b. The caller holds x.mu.
func (x *Exchange) flagsChanged(b *mailbox, m *message, actor *session) {
	for _, o := range x.watchers(b, actor) {
		if slices.Contains(o.view, m) && !slices.Contains(o.changed, m) {
			o.changed = append(o.changed, m)
		}
	}
}

// ExpungeByOther expunges the messages with the given UIDs from mailbox as
// another client's EXPUNGE would, whatever their flags. The sessions that
// have mailbox selected learn it as ExchangeConfig.Notify says. It returns
// an error, and changes nothing, if the mailbox or one of the UIDs does not
// exist.
func (x *Exchange) ExpungeByOther(mailbox string, uids ...uint32) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	b := x.box(mailbox)
	if b == nil {
		return fmt.Errorf("imaptest: ExpungeByOther: no mailbox %q", mailbox)
	}
	var msgs []*message
	for _, u := range uids {
		m := x.message(mailbox, u)
		if m == nil {
			return fmt.Errorf("imaptest: ExpungeByOther: no UID %d in %q", u, mailbox)
		}
		msgs = append(msgs, m)
	}
	for _, m := range msgs {
		x.removeLive(b, m, nil)
	}
	return nil
}

// StoreByOther changes the flags of message uid in mailbox as another
// client's UID STORE would. item is "FLAGS" (replace), "+FLAGS" (add) or
// "-FLAGS" (remove), case-insensitive; IgnoreStoreDeleted does not apply
// (the other client has the right). The sessions that have mailbox
// selected learn it as ExchangeConfig.Notify says. It returns an error, and
// changes nothing, if the mailbox, the UID or the item is unknown.
func (x *Exchange) StoreByOther(mailbox string, uid uint32, item string, flags ...string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	m := x.message(mailbox, uid)
	if m == nil {
		return fmt.Errorf("imaptest: StoreByOther: no UID %d in %q", uid, mailbox)
	}
	switch strings.ToUpper(item) {
	case "FLAGS":
		m.flags = addFlags(nil, flags...)
	case "+FLAGS":
		m.flags = addFlags(slices.Clone(m.flags), flags...)
	case "-FLAGS":
		m.flags = removeFlags(m.flags, flags...)
	default:
		return fmt.Errorf("imaptest: StoreByOther: item %q is not FLAGS, +FLAGS or -FLAGS", item)
	}
	x.flagsChanged(x.box(mailbox), m, nil)
	return nil
}

// AppendByOther appends text with flags to mailbox as another client's
// APPEND would, with the current time as INTERNALDATE, and returns its UID.
// The sessions that have mailbox selected learn it as
// ExchangeConfig.Notify says.
func (x *Exchange) AppendByOther(mailbox string, text []byte, flags ...string) (uint32, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	b := x.box(mailbox)
	if b == nil {
		return 0, fmt.Errorf("imaptest: AppendByOther: no mailbox %q", mailbox)
	}
	m := &message{date: time.Now().In(stockholm).Truncate(time.Second), flags: addFlags(nil, flags...),
		text: slices.Clone(text), size: len(text), uid: b.uidNext}
	b.uidNext++
	b.msgs = append(b.msgs, m)
	return m.uid, nil
}

// SetUIDValidity changes the UIDVALIDITY of mailbox, as reported by later
// SELECT, EXAMINE, STATUS, APPENDUID and COPYUID. It tells no session; an
// ExchangeConfig.BeforeCommand hook can send "* OK [UIDVALIDITY n] ..." for
// that. It returns an error if the mailbox does not exist.
func (x *Exchange) SetUIDValidity(mailbox string, v uint32) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	b := x.box(mailbox)
	if b == nil {
		return fmt.Errorf("imaptest: SetUIDValidity: no mailbox %q", mailbox)
	}
	b.uidValidity = v
	return nil
}
