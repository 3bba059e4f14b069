package teach

const (
	kindStatus  = "status response"
	kindData    = "untagged response"
	kindCode    = "response code"
	kindItem    = "FETCH item"
	kindFlag    = "message flag"
	kindConcept = "concept"
)

// responses are the status and data responses (RFC 9051 section 7,
// RFC 3501 section 7) and the continuation request.
var responses = []Topic{
	{Name: "OK", Kind: kindStatus, Syntax: "tag OK [code] text | * OK [code] text",
		Text: "Tagged: the command with that tag succeeded. Untagged: information (often a response code in brackets such as [UIDVALIDITY 1]); " +
			"as the very first line it is the greeting, and you are not logged in yet.",
		RFC: "RFC 9051 section 7.1.1; RFC 3501 section 7.1.1", See: []string{"NO", "BAD"}},
	{Name: "NO", Kind: kindStatus, Syntax: "tag NO [code] text | * NO text",
		Text: "Tagged: the server understood the command but could not or would not carry it out: the mailbox does not exist, the password is wrong, " +
			"the message cannot be read. The command was valid; the operation failed. Untagged: a warning; no command failed. " +
			"Compare BAD, where the command itself was wrong.",
		RFC: "RFC 9051 section 7.1.2; RFC 3501 section 7.1.2", See: []string{"BAD", "TRYCREATE"}},
	{Name: "BAD", Kind: kindStatus, Syntax: "tag BAD [code] text | * BAD text",
		Text: "Tagged: the server did not accept the command itself: a typo, a wrong argument, an unknown command, or a command not valid in this state " +
			"(FETCH before SELECT, LOGIN after login). Nothing was done. Untagged: the server could not parse a line it cannot tie to a tag. " +
			"Compare NO, where the command was fine but the operation failed.",
		RFC: "RFC 9051 section 7.1.3; RFC 3501 section 7.1.3", See: []string{"NO", "CLIENTBUG"}},
	{Name: "PREAUTH", Kind: kindStatus, Syntax: "* PREAUTH text",
		Text: "A greeting that says you are logged in already (the connection was authenticated some other way, as over a local pipe): no LOGIN needed.",
		RFC:  "RFC 9051 section 7.1.4; RFC 3501 section 7.1.4"},
	{Name: "BYE", Kind: kindStatus, Syntax: "* BYE text",
		Text: "The server is about to close the connection: as the answer to LOGOUT (then the tagged OK follows), or on its own: an idle timeout, " +
			"a shutdown, too many errors, or a greeting that refuses you. After a BYE you did not ask for, reconnect.",
		RFC: "RFC 9051 section 7.1.5; RFC 3501 section 7.1.5", See: []string{"LOGOUT"}},
	{Name: "+", Kind: "continuation request", Syntax: "+ text | + base64",
		Text: "The server is ready for more of the current command: the octets of a literal after {N}, the next step of AUTHENTICATE (a base64 challenge), " +
			"or, after IDLE, the sign that idling has begun (type DONE to end it). It is not tagged: it belongs to the command waiting for it.",
		RFC: "RFC 9051 section 7.6; RFC 3501 section 7.5", See: []string{"APPEND", "AUTHENTICATE", "IDLE"}},
	{Name: "CAPABILITY", Kind: kindData, Syntax: "* CAPABILITY IMAP4rev1 ...",
		Text: "The server's list of what it supports; it replaces any list seen before. It may come unasked, and may change after STARTTLS and login.",
		RFC:  "RFC 9051 section 7.2.2; RFC 3501 section 7.2.1", See: []string{"caps"}},
	{Name: "ENABLED", Kind: kindData, Syntax: "* ENABLED capability ...",
		Text: "The answer to ENABLE: the extensions now turned on (possibly none).",
		RFC:  "RFC 9051 section 7.2.1; RFC 5161 section 3.2"},
	{Name: "LIST", Kind: kindData, Syntax: `* LIST (attributes) "delimiter" name`,
		Text: "One mailbox: its attributes (\\Noselect: a name that holds no messages; \\HasChildren, \\HasNoChildren; \\Subscribed; \\Marked, " +
			"\\Unmarked; \\NonExistent; special-use ones such as \\Sent or \\Trash), the hierarchy delimiter (NIL when flat), and the name.",
		RFC: "RFC 9051 section 7.3.1; RFC 3501 section 7.2.2"},
	{Name: "LSUB", Kind: kindData, Syntax: `* LSUB (attributes) "delimiter" name`,
		Text: "One subscribed mailbox, as the answer to LSUB (IMAP4rev1).", RFC: "RFC 3501 section 7.2.3"},
	{Name: "NAMESPACE", Kind: kindData, Syntax: `* NAMESPACE (("" "/")) NIL NIL`,
		Text: "Three lists: personal, other users', shared namespaces; each entry is a prefix and its delimiter. NIL: none of that kind.",
		RFC:  "RFC 9051 section 7.3.2; RFC 2342 section 5"},
	{Name: "STATUS", Kind: kindData, Syntax: "* STATUS mailbox (MESSAGES n UIDNEXT n ...)",
		Text: "The counters STATUS asked for, for a mailbox that need not be selected.",
		RFC:  "RFC 9051 section 7.3.3; RFC 3501 section 7.2.4"},
	{Name: "SEARCH", Kind: kindData, Syntax: "* SEARCH n n n ...",
		Text: "The messages SEARCH found: sequence numbers, or UIDs after UID SEARCH. Empty when nothing matched. IMAP4rev2 answers with ESEARCH instead.",
		RFC:  "RFC 3501 section 7.2.5"},
	{Name: "ESEARCH", Kind: kindData, Syntax: `* ESEARCH (TAG "a1") [UID] MIN n MAX n COUNT n ALL set`,
		Text: "The extended answer to SEARCH: which command it answers (TAG), whether the numbers are UIDs, and what RETURN asked for: " +
			"the lowest and highest match, how many, and all of them as a compact set (1:5,9).",
		RFC: "RFC 9051 section 7.3.4; RFC 4731 section 3.2"},
	{Name: "FLAGS", Kind: kindData, Syntax: "* FLAGS (\\Answered \\Flagged ...)",
		Text: "The flags defined in the selected mailbox. Which of them you can change for good is in [PERMANENTFLAGS]. " +
			"As a FETCH item, FLAGS (...) are the flags of one message.",
		RFC: "RFC 9051 section 7.3.5; RFC 3501 section 7.2.6", See: []string{"PERMANENTFLAGS", "\\SEEN", "\\DELETED"}},
	{Name: "EXISTS", Kind: kindData, Syntax: "* n EXISTS",
		Text: "The selected mailbox now holds n messages, numbered 1 to n. It comes when you SELECT, and again whenever mail arrives (n grows): " +
			"the new messages are the highest numbers. It never decreases by itself: removals come as EXPUNGE.",
		RFC: "RFC 9051 section 7.4.1; RFC 3501 section 7.3.1", See: []string{"EXPUNGE", "RECENT"}},
	{Name: "RECENT", Kind: kindData, Syntax: "* n RECENT",
		Text: "How many messages carry \\Recent: arrived since the previous session that opened this mailbox. IMAP4rev1 only; IMAP4rev2 dropped RECENT and \\Recent.",
		RFC:  "RFC 3501 section 7.3.2"},
	{Name: "EXPUNGE", Kind: kindData, Syntax: "* n EXPUNGE",
		Text: "Message number n has been removed for good. At once every later message moves down one: n+1 becomes n, and EXISTS drops by one. " +
			"So a list of EXPUNGEs is read in order: \"* 3 EXPUNGE\" twice removes the messages that were 3 and 4. Servers often send them highest first, " +
			"so each number is still the original one. UIDs do not change.",
		RFC: "RFC 9051 section 7.5.1; RFC 3501 section 7.4.1", See: []string{"EXISTS", "UID"}},
	{Name: "FETCH", Kind: kindData, Syntax: "* n FETCH (item value ...)",
		Text: "Data about message n (a sequence number): what FETCH asked for, the new flags after a STORE, or news the server sends unasked " +
			"(a flag changed by another client). Items come in any order; large values are literals {N}.",
		RFC: "RFC 9051 section 7.5.2; RFC 3501 section 7.4.2", See: []string{"ENVELOPE", "BODYSTRUCTURE"}},
	{Name: "VANISHED", Kind: kindData, Syntax: "* VANISHED [(EARLIER)] uid-set",
		Text: "QRESYNC's EXPUNGE by UID: those UIDs are gone. With (EARLIER) they went while you were away (an answer to SELECT ... QRESYNC or UID FETCH ... VANISHED) " +
			"and the message count does not change now.",
		RFC: "RFC 7162 section 3.2.10"},
	{Name: "ID", Kind: kindData, Syntax: `* ID ("name" "Dovecot" ...) | * ID NIL`,
		Text: "The server's identification, as the answer to ID.", RFC: "RFC 2971 section 3.2"},
	{Name: "QUOTA", Kind: kindData, Syntax: `* QUOTA root (STORAGE used limit ...)`,
		Text: "Usage and limit of each resource of a quota root; STORAGE counts units of 1024 octets.",
		RFC:  "RFC 9208 (RFC 2087 section 5.1)", See: []string{"GETQUOTA", "GETQUOTAROOT"}},
	{Name: "QUOTAROOT", Kind: kindData, Syntax: "* QUOTAROOT mailbox root ...",
		Text: "The quota roots that limit a mailbox, as the answer to GETQUOTAROOT.", RFC: "RFC 9208 (RFC 2087 section 5.2)"},
}
