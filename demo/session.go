package demo

import (
	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// poisonField marks a poison message: the session lists it but never
// delivers its content. A message APPENDed or COPYed with this header field
// is poison too, wherever it lands.
var poisonField = imap.SearchCriteriaHeaderField{Key: "X-Imapsh-Demo", Value: "poison"}

// session is one connection's view of the sandbox: the memserver's
// UserSession, with FETCH changed to withhold poison message content.
//
// Like imapmemserver's own session it is used by one connection at a time;
// the mailboxes it reads are shared and locked by imapmemserver.
type session struct {
	*imapmemserver.UserSession // nil until LOGIN succeeds

	user   *imapmemserver.User
	poison PoisonMode // PoisonWithholdContent or PoisonAsSeed
}

var _ imapserver.SessionIMAP4rev2 = (*session)(nil)

// Login implements imapserver.Session.
func (s *session) Login(username, password string) error {
	if err := s.user.Login(username, password); err != nil {
		return err
	}
	s.UserSession = imapmemserver.NewUserSession(s.user)
	return nil
}

// Fetch implements imapserver.Session. When options ask for an item that
// s.poison withholds, it fetches the healthy messages of numSet only, so a
// poison message gets no FETCH response at all and the command still
// completes OK, as on the Exchange server in the story:
//
//	a02 fetch 1045 (uid rfc822.size flags body.peek[header.fields (from)])
//	a02 OK FETCH completed.
//
// Otherwise every message is served as usual.
func (s *session) Fetch(w *imapserver.FetchWriter, numSet imap.NumSet, options *imap.FetchOptions) error {
	if !s.poison.withholds(options) {
		return s.UserSession.Fetch(w, numSet, options)
	}

	// Resolve numSet in this session's view: the search applies the same
	// sequence-number mapping, "*" and "$" (SEARCHRES) rules as FETCH, and
	// answers with UIDs, which stay valid if another session expunges
	// before the FETCH below runs.
	criteria := &imap.SearchCriteria{
		Not: []imap.SearchCriteria{{Header: []imap.SearchCriteriaHeaderField{poisonField}}},
	}
	switch numSet := numSet.(type) {
	case imap.SeqSet:
		criteria.SeqNum = []imap.SeqSet{numSet}
	case imap.UIDSet:
		criteria.UID = []imap.UIDSet{numSet}
	}
	data, err := s.UserSession.Search(imapserver.NumKindUID, criteria, &imap.SearchOptions{})
	if err != nil {
		return err
	}
	healthy, _ := data.All.(imap.UIDSet)
	if len(healthy) == 0 {
		return nil
	}
	return s.UserSession.Fetch(w, healthy, options)
}
