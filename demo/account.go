package demo

import (
	"crypto/subtle"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

// delim is the hierarchy delimiter of the sandbox's mailbox names.
const delim = '/'

// account is the sandbox's one user and its mailboxes (in place of
// go-imap's imapmemserver: see the package doc).
//
// Its methods are safe for concurrent use; mu guards the mailbox table,
// each box guards its own messages.
type account struct {
	user, password string

	mu       sync.Mutex
	boxes    map[string]*box // by name as the client sees it, decoded (UTF-8); INBOX in capitals
	validity uint32          // the last UIDVALIDITY handed out
}

func newAccount(user, password string) *account {
	return &account{user: user, password: password, boxes: map[string]*box{}}
}

// checkPassword compares in constant time.
func (a *account) checkPassword(user, password string) error {
	if user != a.user || subtle.ConstantTimeCompare([]byte(password), []byte(a.password)) != 1 {
		return imapserver.ErrAuthFailed
	}
	return nil
}

var errNoMailbox = &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeNonExistent, Text: "No such mailbox"}

// box returns the mailbox called name.
func (a *account) box(name string) (*box, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if b := a.boxes[name]; b != nil {
		return b, nil
	}
	return nil, errNoMailbox
}

// create creates name and any parent it needs (RFC 9051 section 6.3.4).
func (a *account) create(name string, specialUse imap.MailboxAttr) error {
	name = strings.TrimRight(name, string(delim))
	if name == "" {
		return &imap.Error{Type: imap.StatusResponseTypeBad, Text: "CREATE needs a mailbox name"}
	}
	if strings.ContainsAny(name, "*%") {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Text: "mailbox names cannot hold * or %: those are LIST wildcards"}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.boxes[name] != nil {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAlreadyExists, Text: "Mailbox already exists"}
	}
	parts := strings.Split(name, string(delim))
	for i := range parts {
		n := strings.Join(parts[:i+1], string(delim))
		if a.boxes[n] == nil {
			// UIDVALIDITY grows with every mailbox made, so a mailbox
			// deleted and made again never repeats its old one.
			a.validity++
			a.boxes[n] = newBox(n, a.validity)
		}
	}
	a.boxes[name].specialUse = specialUse
	return nil
}

// delete removes name; a mailbox with children is kept (Dovecot refuses
// too, and says why).
func (a *account) delete(name string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if name == "INBOX" {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Text: "INBOX cannot be deleted"}
	}
	if a.boxes[name] == nil {
		return errNoMailbox
	}
	if a.hasChildrenLocked(name) {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Text: fmt.Sprintf("%s has child mailboxes: delete them first", name)}
	}
	delete(a.boxes, name)
	return nil
}

// rename renames name and its children (RFC 9051 section 6.3.6).
func (a *account) rename(from, to string) error {
	to = strings.TrimRight(to, string(delim))
	a.mu.Lock()
	defer a.mu.Unlock()
	if from == "INBOX" {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Text: "the sandbox does not rename INBOX: CREATE a mailbox and MOVE the messages instead"}
	}
	b := a.boxes[from]
	if b == nil {
		return errNoMailbox
	}
	if a.boxes[to] != nil || to == "" {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAlreadyExists, Text: "Mailbox already exists"}
	}
	for name, c := range a.boxes {
		if name == from || strings.HasPrefix(name, from+string(delim)) {
			n := to + name[len(from):]
			delete(a.boxes, name)
			c.setName(n)
			a.boxes[n] = c
		}
	}
	return nil
}

func (a *account) subscribe(name string, on bool) error {
	b, err := a.box(name)
	if err != nil {
		return err
	}
	b.mu.Lock()
	b.subscribed = on
	b.mu.Unlock()
	return nil
}

func (a *account) hasChildrenLocked(name string) bool {
	for n := range a.boxes {
		if strings.HasPrefix(n, name+string(delim)) {
			return true
		}
	}
	return false
}

// list answers LIST (RFC 9051 section 6.3.9, with the LIST-EXTENDED
// selection and return options go-imap parses): INBOX first, then the
// others by name.
func (a *account) list(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	if len(patterns) == 0 {
		// LIST "" "": the delimiter and the root.
		return w.WriteList(&imap.ListData{Attrs: []imap.MailboxAttr{imap.MailboxAttrNoSelect}, Delim: delim})
	}
	a.mu.Lock()
	var names []string
	children := map[string]bool{}
	for name := range a.boxes {
		for _, p := range patterns {
			if imapserver.MatchList(name, delim, ref, p) {
				names = append(names, name)
				children[name] = a.hasChildrenLocked(name)
				break
			}
		}
	}
	boxes := make([]*box, len(names))
	slices.SortFunc(names, func(x, y string) int {
		switch {
		case x == y:
			return 0
		case x == "INBOX":
			return -1
		case y == "INBOX":
			return 1
		}
		return strings.Compare(x, y)
	})
	for i, n := range names {
		boxes[i] = a.boxes[n]
	}
	a.mu.Unlock()

	for i, b := range boxes {
		data := b.listData(options, children[names[i]])
		if data == nil {
			continue
		}
		if err := w.WriteList(data); err != nil {
			return err
		}
	}
	return nil
}

// namespace is one personal namespace at the root (RFC 2342).
func (a *account) namespace() *imap.NamespaceData {
	return &imap.NamespaceData{Personal: []imap.NamespaceDescriptor{{Prefix: "", Delim: delim}}}
}
