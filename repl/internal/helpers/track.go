package helpers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// tracker follows a helper's target message through every command the
// helper sends: its sequence number as EXPUNGE and VANISHED responses shift
// it (RFC 9051 section 7.5.1, RFC 7162 section 3.2.10), whether it is gone,
// the other messages expunged meanwhile, and a UIDVALIDITY the server
// announces that differs from the one the helper started with. It sees
// every untagged response of the helper's commands, in order (see run):
// the server may send EXPUNGE only while a command is in progress (RFC
// 9051 section 7.5.1), so none is missed. It performs no I/O.
type tracker struct {
	uid         uint32
	seq         uint32 // the target's sequence number now; 0 when not known
	gone        bool   // an EXPUNGE or VANISHED named the target
	validity    uint32 // UIDVALIDITY when the helper started; 0 when not known
	newValidity uint32 // a different UIDVALIDITY the server announced since

	// Of the command last run (reset by begin):
	seen     bool     // a FETCH response named the target's UID
	cmdGone  bool     // the command's responses expunged the target
	cmdOther []uint32 // other messages expunged: sequence numbers before the command's first EXPUNGE
	cmdUIDs  []uint32 // other UIDs reported VANISHED
	log      expungeLog

	others int // other messages reported expunged since the helper started
}

// begin starts a new command.
func (tr *tracker) begin() {
	tr.seen, tr.cmdGone = false, false
	tr.cmdOther, tr.cmdUIDs = nil, nil
	tr.log = expungeLog{}
}

// apply takes one untagged response into account.
func (tr *tracker) apply(r *session.Response) {
	h := r.Head
	switch h.Name {
	case "FETCH":
		if fd, ok, err := wire.ParseFetch(r.Raw); ok && err == nil && tr.uid != 0 && fd.UID() == tr.uid {
			tr.seq, tr.gone, tr.seen = fd.Seq, false, true
		}
	case "EXPUNGE":
		orig := tr.log.add(h.Num)
		switch {
		case tr.seq != 0 && h.Num == tr.seq:
			tr.seq, tr.gone, tr.cmdGone = 0, true, true
		default:
			if tr.seq != 0 && h.Num < tr.seq {
				tr.seq--
			}
			tr.cmdOther = append(tr.cmdOther, orig)
			tr.others++
		}
	case "VANISHED":
		if earlier(r.Raw) {
			return // messages expunged before, not now
		}
		for _, u := range vanishedUIDs(r.Raw) {
			switch {
			case u == tr.uid:
				tr.seq, tr.gone, tr.cmdGone = 0, true, true
			default:
				// Sequence numbers follow UID order: a message below the
				// target moves it down one.
				if tr.seq != 0 && u < tr.uid {
					tr.seq--
				}
				tr.cmdUIDs = append(tr.cmdUIDs, u)
				tr.others++
			}
		}
	}
	if h.IsStatus() {
		tr.applyStatus(h)
	}
}

// applyStatus notes a UIDVALIDITY response code.
func (tr *tracker) applyStatus(h wire.Head) {
	if h.CodeName() != "UIDVALIDITY" {
		return
	}
	v, err := strconv.ParseUint(strings.TrimSpace(h.CodeArg()), 10, 32)
	if err == nil && tr.validity != 0 && uint32(v) != tr.validity {
		tr.newValidity = uint32(v)
	}
}

// earlier reports "* VANISHED (EARLIER) ...".
func earlier(raw []byte) bool {
	vals, err := wire.Parse(raw)
	return err == nil && len(vals) >= 3 && vals[2].Kind == wire.List
}

// vanishedUIDs parses "* VANISHED [(EARLIER)] uid-set" (RFC 7162).
func vanishedUIDs(raw []byte) []uint32 {
	vals, err := wire.Parse(raw)
	if err != nil || len(vals) < 3 {
		return nil
	}
	set, err := wire.ParseSeqSet(string(vals[len(vals)-1].Bytes))
	if err != nil {
		return nil
	}
	uids, _ := set.Expand(0, wire.MaxSetNumbers)
	return uids
}

// start begins following uid in the mailbox selected now.
func (t *tool) start(uid uint32) {
	t.tr = &tracker{uid: uid, validity: t.env.State().UIDValidity}
}

// locate finds the target message by the cheapest questions, never by a
// rich FETCH a withholding server can answer with nothing: UID FETCH n
// (UID), which gives its sequence number too, then, when that brings
// nothing, UID SEARCH UID n, which asks for no data of the message at all
// (and SEARCH UID n for its sequence number). The message is "not there"
// only when the search says so after a NOOP has given the server its
// chance to announce new mail (Courier announces an APPENDed message only
// on NOOP, IDLE or SELECT); a UID at or above UIDNEXT, as one just learned
// from APPENDUID or COPYUID is, gets that NOOP first.
func (t *tool) locate() (found bool, err error) {
	noop := false
	if next := t.env.State().UIDNext; next != 0 && t.tr.uid >= next {
		if err := t.noop(); err != nil {
			return false, err
		}
		noop = true
	}
	for {
		if found, err := t.ask(); err != nil || found {
			return found, err
		}
		if noop {
			return false, nil
		}
		if err := t.noop(); err != nil {
			return false, err
		}
		noop = true
	}
}

// ask asks once whether the target is there, and where.
func (t *tool) ask() (bool, error) {
	uid := t.tr.uid
	t.tr.seq, t.tr.gone = 0, false
	if _, err := t.run(&session.Command{Text: fmt.Sprintf("UID FETCH %d (UID)", uid)}, nil); err != nil {
		return false, err
	}
	if t.tr.seen && !t.tr.gone {
		return true, nil
	}
	res, ok, err := t.searchUIDs(fmt.Sprintf("UID %d", uid))
	if err != nil {
		return false, err
	}
	if !ok {
		t.Error("UID SEARCH UID %d failed, so whether the message is there cannot be told", uid)
		return false, ErrFailed
	}
	if !slices.Contains(res.All, uid) {
		return false, nil
	}
	// Listed, though UID FETCH (UID) brought nothing: a server that
	// withholds even the UID of this message. SEARCH gives its number.
	seqs, ok, err := t.search(fmt.Sprintf("SEARCH UID %d", uid))
	if err != nil {
		return false, err
	}
	if ok && len(seqs.All) == 1 {
		t.tr.seq = seqs.All[0]
	}
	t.Note("the server lists UID %d (UID SEARCH finds it), though it sent nothing for UID FETCH %d (UID)", uid, uid)
	return true, nil
}
