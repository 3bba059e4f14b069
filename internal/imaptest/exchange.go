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
