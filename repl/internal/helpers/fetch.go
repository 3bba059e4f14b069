package helpers

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// headKeep is how much of a body section is kept to look at (for the
// server-made substitute check).
const headKeep = 4096

// section is what the server delivered of one body section.
type section struct {
	Nil  bool
	Size int64 // octets that came
	// Announced is the size the literal announced ({N}); Size is smaller
	// only when the connection ended inside it. -1 for a quoted string.
	Announced int64
	Head      []byte // the first octets, up to headKeep (a quoted string whole)
	Sunk      bool   // the octets went to the fetch's sink
}

// msgInfo is what FETCH responses said about one message.
type msgInfo struct {
	Seq, UID  uint32
	Flags     []string
	Size      int64          // RFC822.SIZE
	Date      string         // INTERNALDATE
	Env       *wire.Envelope // nil when absent, NIL or unreadable
	Structure wire.Value     // BODYSTRUCTURE, or else BODY
	Has       map[string]bool
	Nil       map[string]bool
	Sections  map[string]section // BODY[...] items by name, such as "BODY[HEADER]"
}

func newInfo(seq, uid uint32) *msgInfo {
	return &msgInfo{Seq: seq, UID: uid, Has: map[string]bool{}, Nil: map[string]bool{}, Sections: map[string]section{}}
}

// fetchSpec is one UID FETCH of one message.
type fetchSpec struct {
	uid   uint32
	items string // the parenthesized item list
	// sink, when set, receives the octets of the first literal of each
	// body section instead of the screen; see session.Command.Sink. It
	// runs on the reader goroutine.
	sink func(item string, size int64) (io.Writer, string)
}

// fetched is the outcome of one fetchSpec.
type fetched struct {
	info    *msgInfo // nil: no FETCH data for the message
	status  wire.Head
	stopped bool // the user stopped the wait: the outcome is unknown
	lost    bool // the connection ended before the completion
	// foreign names a body section the server sent for another message
	// (by its UID) into the sink: those octets are not the target's.
	foreign map[string]uint32
}

// tap counts what passes into w and keeps its first headKeep octets. It
// never fails: a failing w must record its own error, since an error here
// would end the connection. The reader goroutine writes it; the helper
// reads it under mu once the command is done or abandoned.
type tap struct {
	mu        sync.Mutex
	w         io.Writer
	seq       uint32 // of the response the literal came in
	announced int64
	n         int64
	head      []byte
}

func (t *tap) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if k := min(len(p), headKeep-len(t.head)); k > 0 {
		t.head = append(t.head, p[:k]...)
	}
	t.w.Write(p)
	t.n += int64(len(p))
	return len(p), nil
}

func (t *tap) section() section {
	t.mu.Lock()
	defer t.mu.Unlock()
	return section{Size: t.n, Announced: t.announced, Head: t.head, Sunk: true}
}

// fetch sends UID FETCH for one message. The responses are matched to it
// by UID (a UID FETCH response carries the UID, RFC 9051 section 6.4.9),
// or, lacking one, by the sequence number the tracker follows; a body
// section that went to the sink is the target's only if the response it
// came in is.
func (t *tool) fetch(f fetchSpec) (fetched, error) {
	var res fetched
	var mu sync.Mutex
	taps := map[string]*tap{}
	c := &session.Command{Text: fmt.Sprintf("UID FETCH %d %s", f.uid, f.items)}
	if f.sink != nil {
		c.Sink = func(h wire.Head, item string, size int64) (io.Writer, string) {
			if !strings.HasPrefix(item, "BODY[") {
				return nil, ""
			}
			mu.Lock()
			defer mu.Unlock()
			if taps[item] != nil {
				return nil, ""
			}
			w, where := f.sink(item, size)
			if w == nil {
				return nil, ""
			}
			taps[item] = &tap{w: w, seq: h.Num, announced: size}
			return taps[item], where
		}
	}
	o, err := t.run(c, func(r *session.Response) {
		fd, ok, err := wire.ParseFetch(r.Raw)
		if !ok || err != nil {
			return
		}
		uid := fd.UID()
		ours := uid == f.uid || uid == 0 && t.tr.seq != 0 && fd.Seq == t.tr.seq
		mu.Lock()
		defer mu.Unlock()
		for item, tp := range taps {
			if _, in := fd.Items[item]; in && tp.seq == fd.Seq && !ours {
				if res.foreign == nil {
					res.foreign = map[string]uint32{}
				}
				res.foreign[item] = uid
				delete(taps, item)
			}
		}
		if !ours {
			return
		}
		if res.info == nil {
			res.info = newInfo(fd.Seq, f.uid)
		}
		res.info.merge(fd, r, taps)
	})
	if o != nil {
		select {
		case <-o.Done():
			res.status = o.Status()
		default:
		}
	}
	switch {
	case stopped(err):
		res.stopped = true
	case err != nil:
		res.lost = true
		// What came of a body section before the end.
		mu.Lock()
		for item, tp := range taps {
			if res.info == nil {
				res.info = newInfo(t.tr.seq, f.uid)
			}
			res.info.Sections[item] = tp.section()
		}
		mu.Unlock()
	}
	return res, err
}

// merge adds what one FETCH response says. taps are the sink's records.
func (m *msgInfo) merge(fd wire.FetchData, r *session.Response, taps map[string]*tap) {
	m.Seq = fd.Seq
	for k, v := range fd.Items {
		m.Has[k] = true
		m.Nil[k] = v.IsNIL()
		switch {
		case k == "FLAGS":
			m.Flags, _ = fd.Flags()
		case k == "RFC822.SIZE":
			n, _ := v.Number()
			m.Size = int64(n)
		case k == "INTERNALDATE":
			m.Date = v.String()
		case k == "ENVELOPE":
			if e, ok := wire.ParseEnvelope(v); ok {
				m.Env = &e
			}
		case k == "BODYSTRUCTURE", k == "BODY" && m.Structure.Kind != wire.List:
			m.Structure = v
		case strings.HasPrefix(k, "BODY["):
			m.Sections[k] = sectionOf(k, v, r, taps)
		}
	}
}

func sectionOf(k string, v wire.Value, r *session.Response, taps map[string]*tap) section {
	var s section
	switch {
	case v.IsNIL():
		s.Nil = true
		return s
	case taps[k] != nil && v.Kind == wire.Literal:
		return taps[k].section()
	case v.Kind == wire.Literal && v.Index < len(r.Sizes):
		s.Size, s.Announced = r.Sizes[v.Index], r.Sizes[v.Index]
	default:
		s.Size, s.Announced = int64(len(v.Bytes)), -1
	}
	keep := len(v.Bytes)
	if v.Kind != wire.Quoted { // a quoted string is kept whole, for save
		keep = min(keep, headKeep)
	}
	s.Head = append([]byte(nil), v.Bytes[:keep]...)
	return s
}

// has reports whether m has item (m may be nil).
func (m *msgInfo) has(item string) bool { return m != nil && m.Has[item] }
