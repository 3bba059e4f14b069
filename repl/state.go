package repl

import (
	"sort"
	"strings"
	"sync"

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
	listing   bool // a LIST is in flight: replace the names
	capsGen   int  // counts capability updates
	selecting bool // a SELECT or EXAMINE is in flight
	// anomaly is the last protocol violation found in a response the
	// state ignored, such as an EXISTS or UIDVALIDITY number over
	// 4294967295 (wire.ErrNumberRange).
	anomaly error
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
}

func newState(host string) *State {
	return &State{host: host, caps: map[string]bool{}, mailboxes: map[string]bool{}}
}

// Snapshot returns a copy of the state.
func (s *State) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Snapshot{s.host, s.user, s.conn, s.mailbox, s.readOnly, s.exists, s.uidValid, s.uidNext}
}

// Anomaly returns the last protocol violation found in a response whose
// bad value the state ignored (a number over 4294967295 in EXISTS,
// EXPUNGE, UIDVALIDITY or UIDNEXT), or nil.
func (s *State) Anomaly() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.anomaly
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

// forgetCaps drops the capabilities learnt so far (after STARTTLS).
func (s *State) forgetCaps() {
	s.mu.Lock()
	s.caps = map[string]bool{}
	s.mu.Unlock()
}

// capsGeneration changes whenever the server sends capabilities.
func (s *State) capsGeneration() int {
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.Err != nil {
		s.anomaly = h.Err
	}
	switch h.Name {
	case "CAPABILITY":
		_, rest, _ := strings.Cut(string(raw), " ")
		_, list, _ := strings.Cut(rest, " ")
		s.setCaps(list)
	case "PREAUTH":
		s.conn = Authenticated
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

// applyCode handles the response codes that carry state. A number that is
// not one, or is over 4294967295, is ignored and kept as the anomaly.
func (s *State) applyCode(h wire.Head) {
	switch h.CodeName() {
	case "CAPABILITY":
		s.setCaps(h.CodeArg())
	case "UIDVALIDITY", "UIDNEXT":
		n, err := h.CodeNumber()
		switch {
		case err != nil:
			s.anomaly = err
		case h.CodeName() == "UIDVALIDITY":
			s.uidValid = n
		default:
			s.uidNext = n
		}
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
		s.anomaly = h.Err
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
					s.user = unquote(u)
				}
			}
		}
	case "SELECT", "EXAMINE":
		s.selecting = false
		if ok {
			s.conn = Selected
			s.mailbox = unquote(args)
		}
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

// setUser records the user name imapsh logged in as.
func (s *State) setUser(u string) {
	s.mu.Lock()
	s.user = u
	s.mu.Unlock()
}

// unquote returns the first astring of args without its quotes. A literal
// mailbox name typed as {N} is left as it is.
func unquote(args string) string {
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
