// Package demo runs the sandbox IMAP server behind imapsh --demo: go-imap
// v2's protocol engine (imapserver) over a mailbox store of its own, on
// 127.0.0.1, plaintext, filled with the same sample mail on every run so
// transcripts of the untouched sample data repeat byte for byte.
//
// The server speaks IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051), with
// LITERAL- (RFC 7888), the UIDPLUS (RFC 4315) and MOVE (RFC 6851) commands
// that IMAP4rev2 includes, and UNAUTHENTICATE (RFC 8437). It offers LOGIN
// and AUTHENTICATE PLAIN, LOGIN and CRAM-MD5 (RFC 2195), so each way of
// logging in can be practised. The sample messages are RFC 5322 text with
// CRLF line endings, MIME (RFC 2045, RFC 2046) and RFC 2047 encoded words.
//
// It is made for lessons. Flags are shown in their canonical case
// (\Seen), in a fixed order; a FETCH response holds the items asked for
// and no other (the UID only when asked, or for UID FETCH and UID STORE);
// INBOX has a history of expunged mail, so its sequence numbers and UIDs
// differ; the mailbox Entwürfe needs modified UTF-7 ("Entw&APw-rfe"); and
// every command is answered. go-imap's own memory store (imapmemserver)
// does none of the first three, and reports one EXPUNGE too many after a
// MOVE, so the sandbox replaces it (account.go, box.go, view.go,
// search.go); go-imap's server never answers an APPEND whose message
// literal is followed by anything but CRLF, so a connection filter
// (filter.go) catches that case and the session answers BAD.
//
// The mailbox "Poison" rehearses a Microsoft Exchange failure: one message is
// listed, searchable and has a UID and flags, but a FETCH that asks for what
// the server cannot produce returns no FETCH response for it while the
// command still completes OK. Which items those are is a PoisonMode: by
// default (PoisonAsSeed), as in the story's transcript, RFC822.SIZE,
// ENVELOPE and every content item except BODY[HEADER.FIELDS (...)]; with
// PoisonWithholdContent, the kinder rehearsal, every content item, while
// the envelope, size and body structure are answered.
package demo

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

// Sandbox credentials.
const (
	demoUser     = "demo"
	demoPassword = "demo"
)

// Server is a running sandbox server. The caller must call Close.
//
// Its methods are safe for concurrent use.
type Server struct {
	Addr     string // "127.0.0.1:port"
	User     string // "demo"
	Password string // "demo"

	ln       net.Listener
	imap     *imapserver.Server
	served   chan struct{} // closed when Serve returns
	once     sync.Once
	closeErr error
}

// Start starts the sandbox on 127.0.0.1:0 (plaintext, loopback only), filled
// with sample mail. It serves connections on its own goroutines until Close.
// Everything lives in memory: nothing is written to disk, nothing is logged.
// It is StartWith(Options{}).
func Start() (*Server, error) { return StartWith(Options{}) }

// StartWith is Start with options; see Options.
func StartWith(opts Options) (*Server, error) {
	poison, err := opts.Poison.resolve()
	if err != nil {
		return nil, err
	}
	acct := newAccount(demoUser, demoPassword)
	if err := fill(acct); err != nil {
		return nil, fmt.Errorf("demo: sample mail: %w", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: listen on loopback: %w", err)
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(c *imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			fc, _ := c.NetConn().(*filterConn)
			if fc != nil {
				fc.utf8 = func() bool {
					caps := c.EnabledCaps()
					return caps.Has(imap.CapIMAP4rev2) || caps.Has(imap.CapUTF8Accept)
				}
			}
			return &session{acct: acct, conn: fc, poison: poison, scram: opts.SCRAM}, nil, nil
		},
		Caps: imap.CapSet{
			imap.CapIMAP4rev1:      {},
			imap.CapIMAP4rev2:      {},
			imap.CapUnauthenticate: {},
		},
		Logger:       log.New(io.Discard, "", 0), // never write to the user's terminal
		InsecureAuth: true,                       // plaintext is fine on loopback
	})

	s := &Server{
		Addr:     ln.Addr().String(),
		User:     demoUser,
		Password: demoPassword,
		ln:       ln,
		imap:     srv,
		served:   make(chan struct{}),
	}
	go func() {
		defer close(s.served)
		srv.Serve(filterListener{ln}) // returns once Close closes the listener
	}()
	return s, nil
}

// Close stops accepting connections, closes the open ones and waits for the
// accept loop to return. Calling Close again does nothing.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.closeErr = s.imap.Close()
		// Serve may not have registered the listener yet; close it here too.
		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) && s.closeErr == nil {
			s.closeErr = err
		}
		<-s.served
		if s.closeErr != nil {
			s.closeErr = fmt.Errorf("demo: close: %w", s.closeErr)
		}
	})
	return s.closeErr
}
