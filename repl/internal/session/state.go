// Package session is imapsh's protocol engine: one IMAP connection with
// its reader goroutine, the tags in flight (package tagger), the state the
// server has told (RFC 9051 sections 3 and 7), and the commands sent with
// their literals (RFC 9051 section 4.3, RFC 7888). It knows nothing of
// terminals: everything that happens is reported to observers (see
// Observer), and results come back to the caller as values.
package session

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/imapsh/imapsh/wire"
)

// ConnState is the IMAP connection state (RFC 9051 section 3).
type ConnState uint8

const (
	NotAuthenticated ConnState = iota
	Authenticated
	Selected
	LoggedOut
)

func (s ConnState) String() string {
	return [...]string{"not authenticated", "authenticated", "selected", "logged out"}[s]
}

// State is the one record of what the server has told us: connection state,
// capabilities (replaced whenever the server sends new ones, as Gmail does
// after login), the selected mailbox with its EXISTS count and UIDVALIDITY,
// and the mailbox names of the last LIST. The prompt, completion and the
// helpers read it. It is safe for concurrent use.
type State struct {
	mu        sync.Mutex
	host      string
	user      string
	conn      ConnState
	caps      map[string]bool
	mailbox   string
	readOnly  bool
	exists    uint32
	uidValid  uint32
	uidNext   uint32
	mailboxes map[string]bool
	enabled   map[string]bool // extensions the server said ENABLED
	listing   bool            // a LIST is in flight: replace the names
	capsGen   int             // counts capability updates
	selecting bool            // a SELECT or EXAMINE is in flight
	// before is the selected-mailbox state a SELECT or EXAMINE in flight
	// replaced: a BAD answer means the command was not carried out, and
	// the mailbox selected before stays selected.
	before *selected
	// anomaly records what the server sent that breaks the grammar or the
	// protocol and could not be applied; the engine reports it.
	anomaly   []string
	anomalous atomic.Bool // anomaly is not empty
}

// selected is the part of State that describes the selected mailbox.
type selected struct {
	conn     ConnState
	mailbox  string
	readOnly bool
	exists   uint32
	uidValid uint32
	uidNext  uint32
}

// Snapshot is a copy of State at one moment.
type Snapshot struct {
	Host, User  string
	Conn        ConnState
	Mailbox     string
	ReadOnly    bool
	Exists      uint32
	UIDValidity uint32
	UIDNext     uint32
	// UTF8 says mailbox names are UTF-8, not modified UTF-7 (see
	// State.UTF8).
	UTF8 bool
}

func NewState(host string) *State {
	return &State{host: host, caps: map[string]bool{}, mailboxes: map[string]bool{}, enabled: map[string]bool{}}
}

// Snapshot returns a copy of the state.
func (s *State) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Snapshot{s.host, s.user, s.conn, s.mailbox, s.readOnly, s.exists, s.uidValid, s.uidNext, s.utf8()}
}

// Reset forgets what a connection told, for a new connection to the same
// host: the connection state, the user, the capabilities, the selected
// mailbox and the enabled extensions. The mailbox names of the last LIST
// are kept for completion.
func (s *State) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.conn, s.mailbox, s.readOnly = "", NotAuthenticated, "", false
	s.exists, s.uidValid, s.uidNext = 0, 0, 0
	s.caps, s.enabled = map[string]bool{}, map[string]bool{}
	s.capsGen++
	s.listing, s.selecting, s.before, s.anomaly = false, false, nil, nil
}

// UTF8 reports whether mailbox names are UTF-8 rather than modified UTF-7:
// once the server has ENABLED UTF8=ACCEPT (RFC 6855) or IMAP4rev2
// (RFC 9051 section 6.3.1).
func (s *State) UTF8() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.utf8()
}

func (s *State) utf8() bool {
	return s.enabled["UTF8=ACCEPT"] || s.enabled["UTF8=ONLY"] || s.enabled["IMAP4REV2"]
}

// Enabled returns the extensions the server said ENABLED, sorted.
func (s *State) Enabled() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.enabled))
	for e := range s.enabled {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// Has reports whether the server advertised capability c (case-insensitive).
func (s *State) Has(c string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.caps[strings.ToUpper(c)]
}

// KnowsCaps reports whether any capability list has been seen.
func (s *State) KnowsCaps() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.caps) > 0
}

// CapValue returns the value of a capability of the form NAME=VALUE, such
// as APPENDLIMIT=35882577, and whether it was advertised.
func (s *State) CapValue(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := strings.ToUpper(name) + "="
	for c := range s.caps {
		if strings.HasPrefix(c, prefix) {
			return c[len(prefix):], true
		}
	}
	return "", s.caps[strings.ToUpper(name)]
}

// Mailboxes returns the names from the last LIST, sorted.
func (s *State) Mailboxes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.mailboxes))
	for m := range s.mailboxes {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// ForgetCaps drops the capabilities learnt so far (after STARTTLS).
func (s *State) ForgetCaps() {
	s.mu.Lock()
	s.caps = map[string]bool{}
	s.mu.Unlock()
}

// CapsGeneration changes whenever the server sends capabilities.
func (s *State) CapsGeneration() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.capsGen
}

func (s *State) setCaps(list string) {
	s.capsGen++
	caps := map[string]bool{}
	for _, c := range strings.Fields(list) {
		caps[strings.ToUpper(c)] = true
	}
	s.caps = caps
}

// apply updates the state from an untagged response.
func (s *State) apply(h wire.Head, raw []byte) {
	switch h.Name {
	case "FETCH", "SEARCH", "ESEARCH":
		// The bulk of what a server sends, and nothing the State keeps
		// (the switch below has no case for them): no lock.
		if h.Err == nil {
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.Err != nil {
		s.addAnomaly(fmt.Sprintf("%v: the response is not applied", h.Err))
	}
	switch h.Name {
	case "CAPABILITY":
		_, rest, _ := strings.Cut(string(raw), " ")
		_, list, _ := strings.Cut(rest, " ")
		s.setCaps(list)
	case "PREAUTH":
		s.conn = Authenticated
	case "ENABLED":
		// RFC 5161 section 3.2: "* ENABLED" lists what is now on.
		for _, e := range strings.Fields(string(raw))[2:] {
			s.enabled[strings.ToUpper(e)] = true
		}
	case "BYE":
		s.conn = LoggedOut
	case "EXISTS":
		if h.Err == nil && (s.conn == Selected || s.selecting) {
			s.exists = h.Num
		}
	case "EXPUNGE":
		if h.Err == nil && (s.conn == Selected || s.selecting) && s.exists > 0 {
			s.exists--
		}
	case "VANISHED":
		// RFC 7162 section 3.2.10: VANISHED without (EARLIER) reports
		// messages expunged now, like EXPUNGE does one by one.
		if s.conn == Selected || s.selecting {
			s.exists -= min(s.exists, vanishedCount(raw, s.exists))
		}
	case "LIST", "LSUB", "XLIST":
		if !s.listing {
			return
		}
		vals, err := wire.Parse(raw)
		if err == nil && len(vals) >= 5 && !vals[4].IsNIL() {
			s.mailboxes[string(vals[4].Bytes)] = true
		}
	}
	if h.IsStatus() {
		s.applyCode(h)
	}
}

// applyCode handles the response codes that carry state.
func (s *State) applyCode(h wire.Head) {
	name := h.CodeName()
	var n uint32
	if name == "UIDVALIDITY" || name == "UIDNEXT" {
		var err error
		if n, err = h.CodeNumber(); err != nil {
			if h.Err == nil { // else apply or complete has reported it
				s.addAnomaly(fmt.Sprintf("[%s]: %v: ignored", name, err))
			}
			return
		}
	}
	switch name {
	case "CAPABILITY":
		s.setCaps(h.CodeArg())
	case "UIDVALIDITY":
		s.uidValid = n
	case "UIDNEXT":
		s.uidNext = n
	case "READ-ONLY":
		s.readOnly = true
	case "READ-WRITE":
		s.readOnly = false
	}
}

// begin is called when a command is sent.
func (s *State) begin(name, args string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch name {
	case "LIST", "XLIST":
		s.listing = true
		s.mailboxes = map[string]bool{}
	case "SELECT", "EXAMINE":
		// RFC 9051 section 6.3.2: a SELECT leaves the previous mailbox
		// deselected whatever its outcome.
		s.before = &selected{s.conn, s.mailbox, s.readOnly, s.exists, s.uidValid, s.uidNext}
		if s.conn == Selected {
			s.conn = Authenticated
		}
		s.mailbox, s.exists, s.uidValid, s.uidNext = "", 0, 0, 0
		s.readOnly = name == "EXAMINE"
		s.selecting = true
	}
}

// complete updates the state from the tagged completion of a command.
func (s *State) complete(name, args string, h wire.Head) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.Err != nil {
		s.addAnomaly(fmt.Sprintf("%v: ignored", h.Err))
	}
	if h.IsStatus() {
		s.applyCode(h)
	}
	ok := h.Name == "OK"
	switch name {
	case "LIST", "XLIST":
		s.listing = false
	case "LOGIN", "AUTHENTICATE":
		if ok {
			s.conn = Authenticated
			if name == "LOGIN" {
				if u, _, _ := strings.Cut(args, " "); u != "" && s.user == "" {
					s.user = Unquote(u)
				}
			}
		}
	case "SELECT", "EXAMINE":
		s.selecting = false
		switch {
		case ok:
			s.conn = Selected
			s.mailbox = Unquote(args)
		case h.Name == "BAD" && s.before != nil:
			// BAD: the command was not carried out (RFC 9051 section
			// 7.1.3), so the mailbox selected before is still selected.
			b := s.before
			s.conn, s.mailbox, s.readOnly, s.exists, s.uidValid, s.uidNext = b.conn, b.mailbox, b.readOnly, b.exists, b.uidValid, b.uidNext
		}
		s.before = nil
	case "CLOSE", "UNSELECT":
		if ok {
			s.conn = Authenticated
			s.mailbox = ""
		}
	case "LOGOUT":
		s.conn = LoggedOut
	case "UNAUTHENTICATE":
		if ok {
			s.conn, s.user, s.mailbox = NotAuthenticated, "", ""
		}
	}
}

// SetUser records the user name imapsh logged in as.
func (s *State) SetUser(u string) {
	s.mu.Lock()
	s.user = u
	s.mu.Unlock()
}

// Unquote returns the first astring of args without its quotes. A literal
// mailbox name typed as {N} is left as it is.
func Unquote(args string) string {
	args = strings.TrimSpace(args)
	if strings.HasPrefix(args, `"`) {
		vals, err := wire.Parse([]byte(args))
		if err == nil && len(vals) > 0 {
			return string(vals[0].Bytes)
		}
	}
	first, _, _ := strings.Cut(args, " ")
	return first
}

// addAnomaly records what the state could not apply; s.mu is held.
func (s *State) addAnomaly(text string) {
	s.anomaly = append(s.anomaly, text)
	s.anomalous.Store(true)
}

// takeAnomalies returns and clears what the state could not apply. It
// takes no lock when there is none (once per response).
func (s *State) takeAnomalies() []string {
	if !s.anomalous.Load() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.anomaly
	s.anomaly = nil
	s.anomalous.Store(false)
	return a
}

// vanishedCount counts the UIDs of "* VANISHED uid-set", up to limit+1;
// VANISHED (EARLIER) reports messages already gone and counts 0.
func vanishedCount(raw []byte, limit uint32) uint32 {
	vals, err := wire.Parse(raw)
	if err != nil || len(vals) < 3 {
		return 0
	}
	if vals[2].Kind == wire.List {
		return 0 // (EARLIER)
	}
	set, err := wire.ParseSeqSet(string(vals[len(vals)-1].Bytes))
	if err != nil {
		return 0
	}
	uids, err := set.Expand(1, int(min(uint64(limit)+1, wire.MaxSetNumbers)))
	if err != nil {
		return limit + 1 // more than there are
	}
	return uint32(len(uids))
}

// SetMailboxes replaces the known mailbox names, as a LIST would.
func (s *State) SetMailboxes(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mailboxes = map[string]bool{}
	for _, n := range names {
		s.mailboxes[n] = true
	}
}

// Caps returns the capabilities advertised last, sorted.
func (s *State) Caps() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.caps))
	for c := range s.caps {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
