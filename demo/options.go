package demo

import (
	"fmt"

	"github.com/emersion/go-imap/v2"
)

// Options configures StartWith. The zero value is what Start uses.
type Options struct {
	// Poison chooses how the poison message of the Poison mailbox (sequence
	// number 14, UID 22) answers FETCH.
	Poison PoisonMode
	// SCRAM offers SCRAM-SHA-1 and SCRAM-SHA-256 (RFC 5802, RFC 7677)
	// besides PLAIN, LOGIN and CRAM-MD5. imapsh --demo turns it on; the
	// tests' servers leave it off, so that a client choosing the best
	// mechanism logs in with PLAIN and transcripts repeat.
	SCRAM bool
}

// PoisonMode chooses how the poison message of the Poison mailbox answers
// FETCH. In every mode it is listed by SELECT, SEARCH and UID SEARCH, it
// can be stored to and expunged, and a FETCH of a set that includes it
// still answers the other messages. Withholding is done in the session
// (the go-imap Session.Fetch of this package): the poison message is
// skipped, so no FETCH response at all is written for it, and the command
// completes OK.
type PoisonMode int

const (
	// PoisonDefault is the mode Start uses; it stands for PoisonAsSeed,
	// so that the demo rehearses the real thing.
	PoisonDefault PoisonMode = iota

	// PoisonWithholdContent, the kinder rehearsal (the default before
	// PoisonAsSeed existed): UID, FLAGS,
	// RFC822.SIZE, INTERNALDATE, ENVELOPE, BODY and BODYSTRUCTURE are
	// answered; a FETCH that asks for any content (BODY[...] and
	// BODY.PEEK[...] with any section, HEADER.FIELDS included, BINARY[...],
	// BINARY.PEEK[...], BINARY.SIZE[...], RFC822, RFC822.HEADER,
	// RFC822.TEXT) gets no FETCH response for the poison message.
	PoisonWithholdContent

	// PoisonAsSeed behaves as the Exchange server of the story's transcript:
	// a FETCH that asks for RFC822.SIZE or ENVELOPE, or for content other
	// than BODY[HEADER.FIELDS (...)] of the whole message (so BODY[],
	// BODY[TEXT], BODY[HEADER], BODY[HEADER.FIELDS.NOT (...)], BODY[1],
	// BODY[1.HEADER.FIELDS (...)], their .PEEK and <partial> forms, RFC822,
	// RFC822.HEADER, RFC822.TEXT and every BINARY item; the macros ALL,
	// FAST and FULL include RFC822.SIZE) gets no FETCH response for the
	// poison message at all, not even UID or FLAGS. UID, FLAGS,
	// INTERNALDATE, BODY and BODYSTRUCTURE are answered, and
	// BODY[HEADER.FIELDS (...)] is answered from the message itself, which
	// is the notice Exchange writes in place of a message it cannot read
	// ("From: Microsoft Exchange Server 2010", "Subject: Retrieval using
	// the IMAP4 protocol failed for the following message: 22"). Unlike
	// Exchange, the sandbox does not add FLAGS to a BODY response.
	PoisonAsSeed
)

// defaultPoison is the mode PoisonDefault stands for.
const defaultPoison = PoisonAsSeed

// String returns the constant's name.
func (m PoisonMode) String() string {
	switch m {
	case PoisonDefault:
		return "PoisonDefault"
	case PoisonWithholdContent:
		return "PoisonWithholdContent"
	case PoisonAsSeed:
		return "PoisonAsSeed"
	}
	return fmt.Sprintf("PoisonMode(%d)", int(m))
}

// resolve returns the mode that applies, or an error for an unknown one.
func (m PoisonMode) resolve() (PoisonMode, error) {
	switch m {
	case PoisonDefault:
		return defaultPoison, nil
	case PoisonWithholdContent, PoisonAsSeed:
		return m, nil
	}
	return 0, fmt.Errorf("demo: unknown %v: use PoisonDefault, PoisonWithholdContent or PoisonAsSeed", m)
}

// withholds reports whether a FETCH with options gets no response for a
// poison message under mode m (PoisonWithholdContent or PoisonAsSeed).
func (m PoisonMode) withholds(options *imap.FetchOptions) bool {
	if m != PoisonAsSeed {
		return readsContent(options)
	}
	if options.RFC822Size || options.Envelope || len(options.BinarySection) > 0 || len(options.BinarySectionSize) > 0 {
		return true
	}
	for _, bs := range options.BodySection {
		if bs.Specifier != imap.PartSpecifierHeader || len(bs.HeaderFields) == 0 || len(bs.Part) > 0 {
			return true
		}
	}
	return false
}

// readsContent reports whether a FETCH asks for message content rather than
// metadata: BODY[...], BODY.PEEK[...], BINARY[...], BINARY.SIZE[...] and the
// RFC822, RFC822.HEADER and RFC822.TEXT forms, which arrive as body sections.
func readsContent(options *imap.FetchOptions) bool {
	return len(options.BodySection) > 0 ||
		len(options.BinarySection) > 0 ||
		len(options.BinarySectionSize) > 0
}
