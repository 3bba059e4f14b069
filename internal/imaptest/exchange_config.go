package imaptest

// ExchangeConfig configures NewExchange. The zero value is the seed's server,
// the poison message included (Poison's zero value is PoisonSeed). Every
// other field added after the first version is opt-in: its zero value keeps
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
	// Poison is PoisonDefault (the zero value).
	PoisonSubstitute bool
	// Poison chooses how the poison message answers FETCH; see PoisonMode.
	// The zero value PoisonDefault is PoisonSeed, the transcript's
	// behaviour; PoisonWithholdBody is the kinder behaviour of the first
	// version.
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
