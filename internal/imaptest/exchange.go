package imaptest

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// ExchangeCapabilities is the CAPABILITY list of the seed's Exchange 2013
// server: no UIDPLUS, no IMAP4rev2.
const ExchangeCapabilities = "IMAP4 IMAP4rev1 AUTH=NTLM AUTH=GSSAPI AUTH=PLAIN CHILDREN IDLE NAMESPACE LITERAL+"

// ExchangeGreeting is the default greeting line.
const ExchangeGreeting = "* OK The Microsoft Exchange IMAP4 service is ready."

// maxLiteral caps a client literal; larger synchronizing literals are
// refused with BAD.
const maxLiteral = 64 << 20

// ExchangeConfig configures NewExchange. The zero value is the seed's server.
// Every field added after the first version is opt-in: its zero value keeps
// the earlier behaviour.
type ExchangeConfig struct {
	Greeting     string   // whole greeting line; default ExchangeGreeting
	Capabilities string   // capability list; default ExchangeCapabilities (add UIDPLUS to enable UID EXPUNGE and APPENDUID, BINARY to enable BINARY[...] fetches)
	User         string   // default "tomas"
	Password     string   // default "secret"
	DeletedUIDs  []uint32 // INBOX UIDs already \Deleted; nil means DefaultDeletedUIDs, an empty non-nil slice means none
	// PoisonSubstitute is the first spelling of Poison: PoisonSubstituteBody
	// (body fetches of the poison message return Exchange's "Retrieval using
	// the IMAP4 protocol failed" notice as the body). It counts only while
	// Poison is PoisonWithholdBody (the zero value).
	PoisonSubstitute bool
	// Poison chooses how the poison message answers FETCH; see PoisonMode.
	// The zero value PoisonWithholdBody is the kinder behaviour of the first
	// version; PoisonSeed is the transcript's.
	Poison PoisonMode
	// PoisonItems is the per-item behaviour table used when Poison is
	// PoisonCustom, and ignored otherwise.
	PoisonItems PoisonItems
	// Notify says when a session is told about changes it did not make
	// (another session's or ExpungeByOther's ...), and, for NotifyCourier,
	// about its own APPEND; see NotifyMode. The zero value NotifySilent is
	// the first version's behaviour.
	Notify NotifyMode
	// SearchUIDStarStrict makes the search key UID n:* (in SEARCH and UID
	// SEARCH) match nothing when n is above every UID of the mailbox, as
	// Cyrus and Courier do. By default it matches the highest UID, as
	// RFC 3501 section 6.4.8 says ("*" is the largest UID in use, and n:*
	// is the same set as *:n). UID FETCH n:* is not affected.
	SearchUIDStarStrict bool
	// IgnoreStoreDeleted makes STORE and UID STORE silently ignore the
	// \Deleted flag (in FLAGS, +FLAGS and -FLAGS, .SILENT or not): the
	// command answers as usual and OK, other flags change, \Deleted stays
	// as it was, so a later EXPUNGE removes nothing. That is how a server
	// answers a user without the right to delete (no "t" right).
	IgnoreStoreDeleted bool
	// BeforeCommand, when set, is called for every command a session
	// receives (AUTHENTICATE continuations and IDLE's DONE are not
	// commands), after it is read and before the server runs it, on that
	// session's goroutine with no lock held. It may call the Exchange's
	// methods, typically ExpungeByOther, StoreByOther, AppendByOther and
	// SetUIDValidity; what they change reaches the session as Notify says.
	// The lines it returns are sent to this session as given, each followed
	// by the line end, before the command's own responses; they change no
	// state. Return nil to send nothing. Example, an unsolicited UIDVALIDITY
	// at the second UID STORE:
	//
	//	n := 0
	//	cfg.BeforeCommand = func(x *imaptest.Exchange, c imaptest.Command) []string {
	//		if c.Name == "UID STORE" { n++; if n == 2 { return []string{"* OK [UIDVALIDITY 99] UIDVALIDITY changed"} } }
	//		return nil
	//	}
	BeforeCommand func(x *Exchange, cmd Command) []string
	BareLF        bool // end every server line with "\n" instead of CRLF
}

// Command describes one received command to ExchangeConfig.BeforeCommand.
type Command struct {
	Session int    // 1 for the first connection the server accepted, 2 for the second ...
	Index   int    // 1 for the session's first command, 2 for its second ...
	Tag     string // as sent
	Name    string // upper case; "UID FETCH", "UID STORE" ... for UID commands; "" when the line has no command
	Args    string // the arguments as received, literals inline ("{N}\r\n" and the N octets)
	Text    string // the whole command as received
}

// Exchange is a stateful fake of the Microsoft Exchange 2013 IMAP4 service
// of the seed session, including the poison message INBOX 1045 (UID 15541)
// whose body cannot be fetched (see PoisonMode). Sessions share one mailbox
// store; by default a session is not told about another's changes (see
// NotifyMode). The caller must call Close (NewExchange registers it with
// t.Cleanup). Its methods are safe for concurrent use.
//
// Quirks imitated from the seed: FETCH BODY also reports FLAGS; plain STORE
// answers "* N FETCH (FLAGS (...))"; UID FETCH and UID STORE add UID last
// when it was not asked for; EXPUNGE reports in descending order, then
// "* M EXISTS".
type Exchange struct {
	Addr string

	srv *Server
	cfg ExchangeConfig

	poison PoisonItems // the table cfg selects

	mu       sync.Mutex
	boxes    []*mailbox
	cmds     []string
	sessions map[*session]bool
	nextID   int
}

// NewExchange starts an Exchange on 127.0.0.1:0.
func NewExchange(t testing.TB, cfg ExchangeConfig) *Exchange {
	t.Helper()
	if cfg.Greeting == "" {
		cfg.Greeting = ExchangeGreeting
	}
	if cfg.Capabilities == "" {
		cfg.Capabilities = ExchangeCapabilities
	}
	if cfg.User == "" {
		cfg.User = "tomas"
	}
	if cfg.Password == "" {
		cfg.Password = "secret"
	}
	if cfg.DeletedUIDs == nil {
		cfg.DeletedUIDs = DefaultDeletedUIDs
	}
	x := &Exchange{cfg: cfg, poison: cfg.poisonItems(), boxes: newMailboxes(cfg.DeletedUIDs), sessions: map[*session]bool{}}
	x.srv = NewServer(t, x.serve)
	x.Addr = x.srv.Addr
	return x
}

// Close stops the server; see Server.Close.
func (x *Exchange) Close() { x.srv.Close() }

// Log returns every line received from any client (literal bytes excluded).
func (x *Exchange) Log() []string { return x.srv.Log() }

// Commands returns every command received, in order, each with its
// literals inline ("a1 LOGIN {5}\r\ntomas ..."). AUTHENTICATE responses
// and IDLE's DONE are not commands.
func (x *Exchange) Commands() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return slices.Clone(x.cmds)
}

// UIDs returns the UIDs of the messages in mailbox, in sequence order
// (nil if it does not exist).
func (x *Exchange) UIDs(mailbox string) []uint32 {
	x.mu.Lock()
	defer x.mu.Unlock()
	b := x.box(mailbox)
	if b == nil {
		return nil
	}
	uids := make([]uint32, len(b.msgs))
	for i, m := range b.msgs {
		uids[i] = m.uid
	}
	return uids
}

// Flags returns the flags of message uid in mailbox, system flags first
// (nil if there is no such message).
func (x *Exchange) Flags(mailbox string, uid uint32) []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	if m := x.message(mailbox, uid); m != nil {
		return append([]string{}, m.flags...)
	}
	return nil
}

// Message returns the stored text of message uid in mailbox (the original,
// never the substitute notice), or nil.
func (x *Exchange) Message(mailbox string, uid uint32) []byte {
	x.mu.Lock()
	defer x.mu.Unlock()
	if m := x.message(mailbox, uid); m != nil {
		return slices.Clone(m.text)
	}
	return nil
}

func (x *Exchange) message(mailbox string, uid uint32) *message {
	if b := x.box(mailbox); b != nil {
		for _, m := range b.msgs {
			if m.uid == uid {
				return m
			}
		}
	}
	return nil
}

// box finds a mailbox; INBOX is case-insensitive. The caller holds x.mu.
func (x *Exchange) box(name string) *mailbox {
	if strings.EqualFold(name, "INBOX") {
		name = "INBOX"
	}
	for _, b := range x.boxes {
		if b.name == name {
			return b
		}
	}
	return nil
}

func (x *Exchange) hasCap(c string) bool {
	return slices.ContainsFunc(strings.Fields(x.cfg.Capabilities), func(f string) bool { return strings.EqualFold(f, c) })
}

// session is one client connection's state; it lives on the handler's
// goroutine. The fields marked "x.mu" are also written by other sessions and
// by the other-client methods, under x.mu.
type session struct {
	x        *Exchange
	c        *Conn
	id       int
	eol      string
	authed   bool
	sel      *mailbox
	readOnly bool
	done     bool
	name     string // upper-cased name of the command being run
	uid      bool   // the command being run is a UID command
	index    int    // commands received so far

	// Running command: its tag until the tagged OK or NO is sent, whether
	// x.mu is held while it runs, whether pending EXPUNGEs may be reported
	// at its end (RFC 3501 section 7.4.1), and whether FETCH met a message
	// expunged by another client.
	tag         string
	holding     bool
	expungeOK   bool
	expungeSeen bool

	// The selected mailbox as this session knows it (see notify.go).
	view     []*message        // in this session's sequence order; x.mu
	knownUID uint32            // highest UID announced to the session; x.mu
	gone     map[*message]bool // in view, expunged by another, not yet reported; x.mu
	changed  []*message        // in view, flags changed by another, not yet reported; x.mu
}

// send writes one line. Before the tagged OK or NO of the running command
// it reports what the session must be told (finish).
func (s *session) send(line string) {
	if s.tag != "" && (strings.HasPrefix(line, s.tag+" OK") || strings.HasPrefix(line, s.tag+" NO")) {
		s.tag = ""
		s.finish()
	}
	s.c.SendRaw([]byte(line + s.eol))
}

func (x *Exchange) serve(c *Conn) {
	s := &session{x: x, c: c, eol: "\r\n"}
	if x.cfg.BareLF {
		s.eol = "\n"
	}
	x.mu.Lock()
	x.nextID++
	s.id = x.nextID
	x.sessions[s] = true
	x.mu.Unlock()
	defer func() {
		x.mu.Lock()
		delete(x.sessions, s)
		x.mu.Unlock()
	}()
	s.send(x.cfg.Greeting)
	for !s.done {
		cmd, ok, err := readCommand(c, s.cont)
		if err != nil {
			return
		}
		x.mu.Lock()
		x.cmds = append(x.cmds, string(cmd))
		x.mu.Unlock()
		s.index++
		tag, name, args := splitCommand(cmd)
		if x.cfg.BeforeCommand != nil {
			hookName, hookArgs := name, string(args)
			if name == "UID" {
				sub, rest, _ := strings.Cut(hookArgs, " ")
				hookName, hookArgs = "UID "+strings.ToUpper(sub), rest
			}
			lines := x.cfg.BeforeCommand(x, Command{Session: s.id, Index: s.index, Tag: tag, Name: hookName,
				Args: hookArgs, Text: string(cmd)})
			for _, l := range lines {
				s.c.SendRaw([]byte(l + s.eol))
			}
		}
		switch {
		case tag == "":
			s.send("* BAD Command Error. 10")
		case name == "":
			s.send(tag + " BAD Command Error. 10")
		case !ok:
			s.send(tag + " BAD Command Argument Error. 11")
		default:
			s.dispatch(tag, name, args)
		}
	}
}

// cont answers a literal announcement the way Exchange does.
func (s *session) cont(n int64, plus bool) bool {
	if n > maxLiteral {
		return false
	}
	if !plus {
		s.send("+ Ready for additional command text.")
	}
	return true
}

// Command states.
const (
	anyState = iota
	notAuthState
	authState
	selectedState
)

type command struct {
	state  int
	locked bool // runs with x.mu held
	run    func(s *session, tag string, args []byte, uid bool)
}

var exchangeCommands map[string]command

func init() {
	exchangeCommands = map[string]command{
		"CAPABILITY":   {anyState, false, (*session).capability},
		"NOOP":         {anyState, false, (*session).noop},
		"LOGOUT":       {anyState, false, (*session).logout},
		"LOGIN":        {notAuthState, false, (*session).login},
		"AUTHENTICATE": {notAuthState, false, (*session).authenticate},
		"SELECT":       {authState, true, (*session).selectBox},
		"EXAMINE":      {authState, true, (*session).selectBox},
		"LIST":         {authState, true, (*session).list},
		"LSUB":         {authState, true, (*session).list},
		"STATUS":       {authState, true, (*session).status},
		"NAMESPACE":    {authState, false, (*session).namespace},
		"IDLE":         {authState, false, (*session).idle},
		"APPEND":       {authState, true, (*session).appendMsg},
		"CHECK":        {selectedState, false, (*session).check},
		"CLOSE":        {selectedState, true, (*session).closeBox},
		"EXPUNGE":      {selectedState, true, (*session).expunge},
		"FETCH":        {selectedState, true, (*session).fetch},
		"STORE":        {selectedState, true, (*session).store},
		"SEARCH":       {selectedState, true, (*session).search},
		"COPY":         {selectedState, true, (*session).copyMsgs},
	}
}

func (s *session) dispatch(tag, name string, args []byte) {
	uid := false
	if name == "UID" {
		sub, rest, _ := strings.Cut(string(args), " ")
		name, args, uid = strings.ToUpper(sub), []byte(rest), true
		switch {
		case name == "EXPUNGE" && s.x.hasCap("UIDPLUS"):
		case name != "FETCH" && name != "STORE" && name != "SEARCH" && name != "COPY":
			s.send(tag + " BAD Command Argument Error. 11")
			return
		}
	}
	cmd, ok := exchangeCommands[name]
	switch {
	case !ok:
		s.send(tag + " BAD Command Error. 10")
		return
	case cmd.state >= authState && !s.authed:
		s.send(tag + " BAD User is not authenticated.")
		return
	case cmd.state == notAuthState && s.authed,
		cmd.state == selectedState && s.sel == nil:
		s.send(tag + " BAD Command received in Invalid state.")
		return
	}
	s.x.mu.Lock()
	s.begin()
	if cmd.locked {
		defer s.x.mu.Unlock()
	} else {
		s.x.mu.Unlock()
	}
	s.name, s.uid, s.tag, s.holding = name, uid, tag, cmd.locked
	s.expungeOK = uid || name != "FETCH" && name != "STORE" && name != "SEARCH"
	s.expungeSeen = false
	cmd.run(s, tag, args, uid)
	s.tag = ""
}
