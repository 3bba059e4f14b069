package imaptest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// appendMsg implements APPEND; with UIDPLUS configured it answers APPENDUID.
func (s *session) appendMsg(tag string, args []byte, _ bool) {
	n, err := tokenize(args)
	if err != nil || len(n) < 2 || len(n) > 4 || n[0].isL || n[len(n)-1].str == nil {
		s.send(tag + argError)
		return
	}
	m := &message{date: time.Now().In(stockholm).Truncate(time.Second)}
	for _, opt := range n[1 : len(n)-1] {
		switch {
		case opt.isL:
			for _, f := range opt.list {
				m.flags = addFlags(m.flags, f.text())
			}
		case opt.str != nil:
			d, err := time.Parse("2-Jan-2006 15:04:05 -0700", strings.TrimSpace(*opt.str))
			if err != nil {
				s.send(tag + argError)
				return
			}
			m.date = d
		default:
			s.send(tag + argError)
			return
		}
	}
	b := s.x.box(n[0].text())
	if b == nil {
		s.send(tag + " NO [TRYCREATE] The requested item could not be found.")
		return
	}
	m.text = []byte(*n[len(n)-1].str)
	m.size, m.uid = len(m.text), b.uidNext
	b.uidNext++
	b.msgs = append(b.msgs, m)
	s.arrived(b)
	if s.x.hasCap("UIDPLUS") {
		s.send(fmt.Sprintf("%s OK [APPENDUID %d %d] APPEND completed.", tag, b.uidValidity, m.uid))
		return
	}
	s.send(tag + " OK APPEND completed.")
}

// copyMsgs implements COPY and UID COPY (COPYUID with UIDPLUS).
func (s *session) copyMsgs(tag string, args []byte, uid bool) {
	n, err := tokenize(args)
	if err != nil || len(n) != 2 || n[0].str != nil || n[0].isL || n[1].isL {
		s.send(tag + argError)
		return
	}
	idx, ok := s.resolve(n[0].atom, uid)
	if !ok {
		s.send(tag + argError)
		return
	}
	dst := s.x.box(n[1].text())
	if dst == nil {
		s.send(tag + " NO [TRYCREATE] The requested item could not be found.")
		return
	}
	var from, to []string
	gone := false
	for _, i := range idx {
		src := s.view[i]
		if s.isGhost(src) {
			gone = true
			continue
		}
		c := *src
		c.uid, c.flags = dst.uidNext, append([]string(nil), src.flags...)
		dst.uidNext++
		dst.msgs = append(dst.msgs, &c)
		from, to = append(from, fmt.Sprint(src.uid)), append(to, fmt.Sprint(c.uid))
	}
	if len(from) > 0 {
		s.arrived(dst)
	}
	if gone {
		s.send(tag + " NO [EXPUNGEISSUED] Some of the requested messages no longer exist")
		return
	}
	if s.x.hasCap("UIDPLUS") && len(from) > 0 {
		s.send(fmt.Sprintf("%s OK [COPYUID %d %s %s] COPY completed.", tag, dst.uidValidity,
			strings.Join(from, ","), strings.Join(to, ",")))
		return
	}
	s.send(tag + " OK COPY completed.")
}

// arrived announces the session's own APPEND or COPY into mailbox b the
// way ExchangeConfig.Notify says: "* N EXISTS" now under NotifySilent,
// before the tagged OK under NotifyDovecot (report), not before NOOP, IDLE
// or SELECT under NotifyCourier. The caller holds x.mu.
func (s *session) arrived(b *mailbox) {
	if b != s.sel || s.x.cfg.Notify != NotifySilent {
		return
	}
	s.view = slices.Clone(b.msgs)
	s.knownUID = b.msgs[len(b.msgs)-1].uid
	s.send(fmt.Sprintf("* %d EXISTS", len(s.view)))
}
