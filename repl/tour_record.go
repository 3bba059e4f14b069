package repl

import (
	"strings"
	"sync"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// tourRecorder keeps a copy of every response while a step runs, for its
// explanation. It is safe for concurrent use.
type tourRecorder struct {
	mu    sync.Mutex
	on    bool
	resps []tourResp
}

type tourResp struct {
	head  wire.Head
	raw   []byte
	sizes []int64 // the sizes of its literals
}

func (r *tourRecorder) start() {
	r.mu.Lock()
	r.on, r.resps = true, nil
	r.mu.Unlock()
}

// sofar returns what was recorded so far, recording on.
func (r *tourRecorder) sofar() tourResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	return tourResult{resps: append([]tourResp(nil), r.resps...)}
}

func (r *tourRecorder) stop() tourResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return tourResult{resps: r.resps}
}

// Observe implements session.Observer.
func (r *tourRecorder) Observe(e *session.Event) {
	if e.Kind != session.End || e.Resp == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on {
		r.resps = append(r.resps, tourResp{head: e.Resp.Head, raw: append([]byte(nil), e.Resp.Raw...),
			sizes: append([]int64(nil), e.Resp.Sizes...)})
	}
}

// tourResult is what the server sent while a step ran.
type tourResult struct{ resps []tourResp }

// status is the last tagged completion, or a zero Head when none came
// (the command was not sent).
func (r tourResult) status() wire.Head {
	for i := len(r.resps) - 1; i >= 0; i-- {
		if r.resps[i].head.Kind == wire.Tagged {
			return r.resps[i].head
		}
	}
	return wire.Head{}
}

// untagged returns the untagged responses called name.
func (r tourResult) untagged(name string) []tourResp {
	var out []tourResp
	for _, x := range r.resps {
		if x.head.Kind == wire.Untagged && x.head.Name == name {
			out = append(out, x)
		}
	}
	return out
}

// code returns the value of the first response code called name ("UIDNEXT
// 23" gives "23"), and whether there was one.
func (r tourResult) code(name string) (string, bool) {
	for _, x := range r.resps {
		c := x.head.Code
		if c == name {
			return "", true
		}
		if strings.HasPrefix(c, name+" ") {
			return strings.TrimPrefix(c, name+" "), true
		}
	}
	return "", false
}

// fetches parses the FETCH responses.
func (r tourResult) fetches() []wire.FetchData {
	var out []wire.FetchData
	for _, x := range r.untagged("FETCH") {
		if fd, ok, err := wire.ParseFetch(x.raw); ok && err == nil {
			out = append(out, fd)
		}
	}
	return out
}

// continuation returns the text of the last continuation request.
func (r tourResult) continuation() (string, bool) {
	for i := len(r.resps) - 1; i >= 0; i-- {
		if r.resps[i].head.Kind == wire.Continuation {
			return r.resps[i].head.Text, true
		}
	}
	return "", false
}

// numbers returns the numbers of the untagged responses called name
// ("* 3 EXPUNGE"), in the order they came.
func (r tourResult) numbers(name string) []uint32 {
	var out []uint32
	for _, x := range r.untagged(name) {
		out = append(out, x.head.Num)
	}
	return out
}

// searched returns the numbers of SEARCH (or ESEARCH ALL) responses.
func (r tourResult) searched() []uint32 {
	var out []uint32
	for _, x := range r.resps {
		if sd, ok, err := wire.ParseSearch(x.raw); ok && err == nil {
			out = append(out, sd.All...)
		}
	}
	return out
}

// notSent is the explanation when a step's command did not go out.
func (r tourResult) notSent() bool { return r.status().Name == "" }
