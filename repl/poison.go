package repl

// The poison-message toolkit (whereis, uids, probe, save, kill) finds,
// tests, keeps and deletes one message by UID on the selected mailbox. It
// sends ordinary IMAP commands through the session, so every command and
// response is shown as the user's own would be; this file holds what the
// helpers share: resolving the message argument, fetching one message's
// data and searching for UIDs.

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// headKeep is how much of a body section is kept to look at (for the
// server-made substitute check).
const headKeep = 4096

// needSelected returns the state when a mailbox is selected, else a
// lineError saying what to do.
func (sh *Shell) needSelected(helper string) (Snapshot, error) {
	snap := sh.st.Snapshot()
	if snap.Conn != Selected {
		return snap, &lineError{fmt.Sprintf("%s works on the selected mailbox, and none is selected: SELECT one first (SELECT INBOX)", helper)}
	}
	return snap, nil
}

// targetUID turns a helper's message argument into a UID: a bare number is
// a UID; #N is sequence number N, resolved with FETCH N (UID).
func (sh *Shell) targetUID(helper, arg string) (uint32, error) {
	n, isSeq, err := parseMsgArg(arg)
	if err != nil {
		return 0, &lineError{fmt.Sprintf("%s: %v", helper, err)}
	}
	if !isSeq {
		return n, nil
	}
	snap := sh.st.Snapshot()
	if n > snap.Exists {
		return 0, &lineError{fmt.Sprintf("%s: there is no sequence number %d: %s has %d messages", helper, n, snap.Mailbox, snap.Exists)}
	}
	pairs, err := sh.fetchSeqUIDs(fmt.Sprint(n))
	if err != nil {
		return 0, err
	}
	for _, p := range pairs {
		if p.seq == n && p.uid != 0 {
			sh.pr.Note("sequence number %d is UID %d; %s goes on by UID %d", n, p.uid, helper, p.uid)
			return p.uid, nil
		}
	}
	sh.pr.Error("%s: the server sent no UID for sequence number %d", helper, n)
	return 0, errHelperFailed
}

// run sends a helper's command and waits for its completion. It reports a
// wait the user stopped (Ctrl-C) and returns errHelperFailed for it.
func (sh *Shell) run(c *Command) (*op, error) {
	c.Internal = true
	o, err := sh.exec(c)
	if err != nil {
		return nil, err
	}
	select {
	case <-o.Done():
	default:
		sh.pr.Error("stopped before %s completed: its outcome is unknown, and the helper goes no further", o.Tag)
		return nil, errHelperFailed
	}
	if n := o.Status().Name; n != "OK" && n != "NO" && n != "BAD" {
		sh.pr.Error("the server completed %s without OK, NO or BAD (a protocol violation): its outcome is unknown, and the helper goes no further", o.Tag)
		return nil, errHelperFailed
	}
	return o, nil
}

// refused reports a command the server answered NO or BAD.
func (sh *Shell) refused(helper string, h wire.Head) error {
	sh.pr.Error("%s: the server answered %s", helper, statusText(h))
	return errHelperFailed
}

// statusText renders a tagged completion: NO [CODE] text.
func statusText(h wire.Head) string {
	s := h.Name
	if h.Code != "" {
		s += " [" + h.Code + "]"
	}
	return strings.TrimSpace(s + " " + h.Text)
}

// section is what the server delivered of one body section.
type section struct {
	Nil  bool   // NIL instead of the octets
	Size int64  // octets delivered
	Head []byte // the first octets, up to headKeep (a quoted string whole)
}

// msgInfo is what FETCH responses said about one message.
type msgInfo struct {
	Seq, UID     uint32
	Flags        []string
	HasFlags     bool
	Size         int64 // RFC822.SIZE
	HasSize      bool
	Date         string // INTERNALDATE
	Env          *wire.Envelope
	HasStructure bool
	Sections     map[string]section // BODY[...] items by name, such as "BODY[HEADER]"
}

// fetchSpec is one UID FETCH of one message.
type fetchSpec struct {
	uid   uint32
	seq   uint32 // the message's sequence number if known, to match responses without UID
	items string // the parenthesized item list
	// sink, when set, receives the octets of each body section literal of
	// the message instead of the screen; see Command.Sink.
	sink func(item string, size int64) (io.Writer, string)
}

// tap counts what passes into w (which may be nil) and keeps its first
// headKeep octets. It never fails: a failing w must record its own error,
// since an error here would end the connection.
type tap struct {
	w    io.Writer
	n    int64
	head []byte
}

func (t *tap) Write(p []byte) (int, error) {
	if k := min(len(p), headKeep-len(t.head)); k > 0 {
		t.head = append(t.head, p[:k]...)
	}
	if t.w != nil {
		t.w.Write(p)
	}
	t.n += int64(len(p))
	return len(p), nil
}

// fetchUID sends UID FETCH for one message. info is nil when the server
// sent no FETCH response for it.
func (sh *Shell) fetchUID(f fetchSpec) (info *msgInfo, h wire.Head, err error) {
	var parts []msgInfo
	taps := map[string]*tap{} // by "seq item"
	c := &Command{
		Text:    fmt.Sprintf("UID FETCH %d %s", f.uid, f.items),
		Collect: true,
	}
	if f.sink != nil {
		c.Sink = func(h wire.Head, item string, size int64) (io.Writer, string) {
			key := fmt.Sprint(h.Num, " ", item)
			if !strings.HasPrefix(item, "BODY[") || f.seq != 0 && h.Num != f.seq || taps[key] != nil {
				return nil, ""
			}
			w, where := f.sink(item, size)
			if w == nil {
				return nil, ""
			}
			taps[key] = &tap{w: w}
			return taps[key], where
		}
	}
	o, err := sh.run(c)
	if err != nil {
		return nil, h, err
	}
	for _, r := range o.Result().Data {
		parts = appendPart(parts, r)
	}
	seq := f.seq
	for _, p := range parts {
		if p.UID == f.uid {
			seq = p.Seq
			break
		}
	}
	for _, p := range parts {
		if p.UID != f.uid && (p.UID != 0 || seq == 0 || p.Seq != seq) {
			continue
		}
		if info == nil {
			info = &msgInfo{Seq: seq, UID: f.uid, Sections: map[string]section{}}
		}
		info.merge(p)
	}
	if info != nil {
		for name, s := range info.Sections {
			if t := taps[fmt.Sprint(seq, " ", name)]; t != nil {
				s.Head = t.head
				info.Sections[name] = s
			}
		}
	}
	return info, o.Status(), nil
}

// appendPart adds what a FETCH response says, copied out of r.
func appendPart(parts []msgInfo, r *Response) []msgInfo {
	fd, ok, err := wire.ParseFetch(r.Raw)
	if !ok || err != nil {
		return parts
	}
	m := msgInfo{Seq: fd.Seq, UID: fd.UID(), Sections: map[string]section{}}
	m.Flags, m.HasFlags = fd.Flags()
	if v, ok := fd.Items["RFC822.SIZE"]; ok {
		n, _ := v.Number()
		m.Size, m.HasSize = int64(n), true
	}
	m.Date = fd.Items["INTERNALDATE"].String()
	if e, ok := wire.ParseEnvelope(fd.Items["ENVELOPE"]); ok {
		m.Env = &e
	}
	_, m.HasStructure = fd.Items["BODYSTRUCTURE"]
	for k, v := range fd.Items {
		if !strings.HasPrefix(k, "BODY[") {
			continue
		}
		var s section
		switch {
		case v.IsNIL():
			s.Nil = true
		case v.Kind == wire.Literal && v.Index < len(r.Sizes):
			s.Size = r.Sizes[v.Index]
		default:
			s.Size = int64(len(v.Bytes))
		}
		keep := len(v.Bytes)
		if v.Kind != wire.Quoted { // a quoted string is kept whole, for save
			keep = min(keep, headKeep)
		}
		s.Head = append([]byte(nil), v.Bytes[:keep]...)
		m.Sections[k] = s
	}
	return append(parts, m)
}

func (m *msgInfo) merge(p msgInfo) {
	if p.HasFlags {
		m.Flags, m.HasFlags = p.Flags, true
	}
	if p.HasSize {
		m.Size, m.HasSize = p.Size, true
	}
	m.Date = cmp.Or(p.Date, m.Date)
	if p.Env != nil {
		m.Env = p.Env
	}
	m.HasStructure = m.HasStructure || p.HasStructure
	for k, s := range p.Sections {
		m.Sections[k] = s
	}
}

// hasFlag reports whether flags holds f, ignoring case (the demo sends
// \deleted).
func hasFlag(flags []string, f string) bool {
	for _, g := range flags {
		if strings.EqualFold(g, f) {
			return true
		}
	}
	return false
}

// searchUIDs sends UID SEARCH criteria and gathers its SEARCH or ESEARCH
// answers. ok is false when the server answered NO or BAD (already shown).
func (sh *Shell) searchUIDs(criteria string) (res wire.SearchData, ok bool, err error) {
	var got []wire.SearchData
	var perr error
	o, err := sh.run(&Command{Text: "UID SEARCH " + criteria, Collect: true})
	if err != nil {
		return res, false, err
	}
	for _, r := range o.Result().Data {
		sd, isSearch, err := wire.ParseSearch(r.Raw)
		switch {
		case !isSearch:
		case err != nil:
			perr = err
		default:
			got = append(got, sd)
		}
	}
	if perr != nil {
		sh.pr.Error("the answer to %s cannot be used: %v", o.Tag, perr)
		return res, false, errHelperFailed
	}
	for _, sd := range got {
		if sd.ESearch && sd.Tag != "" && sd.Tag != o.Tag {
			continue // another command's
		}
		res.All = append(res.All, sd.All...)
		if sd.Min != 0 && (res.Min == 0 || sd.Min < res.Min) {
			res.Min = sd.Min
		}
		res.Max = max(res.Max, sd.Max)
	}
	return res, o.Status().Name == "OK", nil
}
