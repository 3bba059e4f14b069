package demo

import (
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-sasl"
)

// poisonField marks a poison message: the session lists it but never
// delivers its content. A message APPENDed or COPYed with this header field
// is poison too, wherever it lands.
var poisonField = imap.SearchCriteriaHeaderField{Key: "X-Imapsh-Demo", Value: "poison"}

// session is one connection's view of the sandbox, for go-imap's server.
// It is used by that connection's goroutine only (IDLE excepted, which
// only reads the tracker); the account and its mailboxes are shared and
// locked.
type session struct {
	acct   *account
	conn   *filterConn // nil when the connection is not filtered (tests)
	poison PoisonMode  // PoisonWithholdContent or PoisonAsSeed
	scram  bool        // offer SCRAM-SHA-1 and SCRAM-SHA-256 too
	sel    *view       // the selected mailbox, or nil
}

var (
	_ imapserver.SessionIMAP4rev2      = (*session)(nil)
	_ imapserver.SessionSASL           = (*session)(nil)
	_ imapserver.SessionUnauthenticate = (*session)(nil)
)

func (s *session) Close() error {
	if s.sel != nil {
		s.sel.close()
		s.sel = nil
	}
	return nil
}

// Login implements LOGIN.
func (s *session) Login(user, password string) error {
	return s.acct.checkPassword(user, password)
}

// AuthenticateMechanisms lists the AUTH= capabilities.
func (s *session) AuthenticateMechanisms() []string {
	if s.scram {
		return mechanisms
	}
	return mechanisms[:3]
}

// Authenticate implements AUTHENTICATE.
func (s *session) Authenticate(mech string) (sasl.Server, error) {
	return s.acct.saslServer(mech, s.scram)
}

// Unauthenticate implements UNAUTHENTICATE (RFC 8437): back to the
// not-authenticated state, so that another way of logging in can be tried
// on the same connection.
func (s *session) Unauthenticate() error {
	return s.Close()
}

func (s *session) Select(name string, options *imap.SelectOptions) (*imap.SelectData, error) {
	b, err := s.acct.box(name)
	if err != nil {
		return nil, err
	}
	if s.sel != nil {
		s.sel.close()
	}
	v, data := b.open(options.ReadOnly)
	s.sel = v
	return data, nil
}

func (s *session) Unselect() error {
	if s.sel != nil {
		s.sel.close()
		s.sel = nil
	}
	return nil
}

func (s *session) Create(name string, options *imap.CreateOptions) error {
	var use imap.MailboxAttr
	if options != nil && len(options.SpecialUse) > 0 {
		use = options.SpecialUse[0]
	}
	return s.acct.create(name, use)
}

func (s *session) Delete(name string) error { return s.acct.delete(name) }

func (s *session) Rename(from, to string, _ *imap.RenameOptions) error {
	return s.acct.rename(from, to)
}

func (s *session) Subscribe(name string) error   { return s.acct.subscribe(name, true) }
func (s *session) Unsubscribe(name string) error { return s.acct.subscribe(name, false) }

func (s *session) List(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	return s.acct.list(w, ref, patterns, options)
}

func (s *session) Namespace() (*imap.NamespaceData, error) { return s.acct.namespace(), nil }

func (s *session) Status(name string, options *imap.StatusOptions) (*imap.StatusData, error) {
	b, err := s.acct.box(name)
	if err != nil {
		return nil, err
	}
	return b.status(options), nil
}

// Append implements APPEND. The message is read whole; if the filter saw
// something other than CRLF after it, it is refused with a BAD that says
// so, and not stored.
func (s *session) Append(name string, r imap.LiteralReader, options *imap.AppendOptions) (*imap.AppendData, error) {
	buf, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if s.conn != nil {
		if why := s.conn.takeRefusal(); why != "" {
			return nil, &imap.Error{Type: imap.StatusResponseTypeBad, Text: why}
		}
	}
	if err := checkStoreFlags(options.Flags); err != nil {
		return nil, err
	}
	b, err := s.acct.box(name)
	if err != nil {
		return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeTryCreate,
			Text: fmt.Sprintf("no mailbox %s: CREATE it first", name)}
	}
	return b.add(buf, options.Flags, options.Time), nil
}

func (s *session) Poll(w *imapserver.UpdateWriter, allowExpunge bool) error {
	if s.sel == nil {
		return nil
	}
	return s.sel.tracker.Poll(w, allowExpunge)
}

func (s *session) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	if s.sel == nil {
		<-stop
		return nil
	}
	return s.sel.tracker.Idle(w, stop)
}

// Expunge implements EXPUNGE, UID EXPUNGE and the silent expunge of CLOSE,
// which in a mailbox opened read-only removes nothing (RFC 9051 section
// 6.4.2) while EXPUNGE there is refused.
func (s *session) Expunge(w *imapserver.ExpungeWriter, uids *imap.UIDSet) error {
	if s.sel.readOnly {
		if s.conn != nil && s.conn.currentCommand() == "CLOSE" {
			return nil
		}
		return errReadOnly
	}
	s.sel.expunge(uids)
	return nil
}

func (s *session) Search(kind imapserver.NumKind, criteria *imap.SearchCriteria, options *imap.SearchOptions) (*imap.SearchData, error) {
	return s.sel.search(kind, criteria, options), nil
}

// Fetch implements FETCH and UID FETCH. When options ask for an item that
// s.poison withholds, a poison message gets no FETCH response at all and
// the command still completes OK, as on the Exchange server in the story:
//
//	a02 fetch 1045 (uid rfc822.size flags body.peek[header.fields (from)])
//	a02 OK FETCH completed.
func (s *session) Fetch(w *imapserver.FetchWriter, set imap.NumSet, options *imap.FetchOptions) error {
	withhold := s.poison.withholds(options)
	return s.sel.fetch(w, set, options, func(e *entry) bool { return withhold && e.poison })
}

func (s *session) Store(w *imapserver.FetchWriter, set imap.NumSet, flags *imap.StoreFlags, _ *imap.StoreOptions) error {
	return s.sel.store(w, set, flags)
}

func (s *session) Copy(set imap.NumSet, dest string) (*imap.CopyData, error) {
	d, err := s.acct.box(dest)
	if err != nil {
		return nil, tryCreate(dest)
	}
	_, data := s.sel.copyTo(set, d)
	return data, nil
}

// Move implements MOVE (RFC 6851): the COPYUID first, then the EXPUNGE of
// each message moved, which reach the client from the tracker when the
// command ends (go-imap polls after MOVE), once each.
func (s *session) Move(w *imapserver.MoveWriter, set imap.NumSet, dest string) error {
	if s.sel.readOnly {
		return errReadOnly
	}
	d, err := s.acct.box(dest)
	if err != nil {
		return tryCreate(dest)
	}
	if d == s.sel.box {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Text: "MOVE to the selected mailbox itself changes nothing: name another mailbox"}
	}
	hits, data := s.sel.copyTo(set, d)
	if data == nil {
		return nil
	}
	if err := w.WriteCopyData(data); err != nil {
		return err
	}
	s.sel.remove(hits)
	return nil
}

func tryCreate(name string) error {
	return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeTryCreate,
		Text: fmt.Sprintf("no mailbox %s: CREATE it first", strings.TrimSpace(name))}
}
