package teach

// mailboxCommands are the commands of the authenticated state (RFC 9051
// section 6.3, RFC 3501 section 6.3), valid in the selected state too.
var mailboxCommands = []Command{
	{
		Name: "ENABLE", Syntax: "ENABLE capability ...", State: Authenticated, Needs: "ENABLE",
		Valid:   "authenticated state, before any mailbox is selected",
		Summary: "turns on extensions that change how the server talks (CONDSTORE, QRESYNC, UTF8=ACCEPT)",
		Text: "Some extensions change the responses a client gets, so the server uses them only once asked: " +
			"ENABLE names them and the untagged ENABLED response lists those actually turned on (unknown names are ignored, not refused).",
		Replies: "untagged ENABLED with what was enabled (maybe nothing); tagged OK.",
		RFC:     "RFC 9051 section 6.3.1; RFC 5161 section 3.1 (command), 3.2 (ENABLED response)",
		Example: []Step{{"ENABLE CONDSTORE", OK}},
		Demo:    "the demo server does not support CONDSTORE: its ENABLED response lists nothing.",
		See:     []string{"CONDSTORE", "ENABLED"},
	},
	{
		Name: "SELECT", Syntax: "SELECT mailbox", State: Authenticated,
		Summary: "opens a mailbox read-write; message commands then act on it",
		Text: "Opens a mailbox so that FETCH, STORE, SEARCH, COPY, MOVE and EXPUNGE can act on its messages; any mailbox selected before is closed first " +
			"(without expunging). The server describes the mailbox: how many messages (EXISTS), the flags, the UIDVALIDITY and the next UID. " +
			"Messages are then numbered 1 to EXISTS (sequence numbers); each also has a UID that stays the same across sessions. " +
			"If SELECT fails with NO, no mailbox is selected any more.",
		Replies: "untagged FLAGS, EXISTS, OK [UIDVALIDITY n], OK [UIDNEXT n], OK [PERMANENTFLAGS (...)] " +
			"(IMAP4rev1 servers add RECENT and OK [UNSEEN n]; a mailbox selected before may be closed with OK [CLOSED]); " +
			"tagged OK [READ-WRITE] (or [READ-ONLY]); NO when the mailbox does not exist.",
		RFC:     "RFC 9051 section 6.3.2; RFC 3501 section 6.3.1",
		Example: []Step{{"SELECT INBOX", OK}, {"SELECT NoSuchBox", NO}},
		Demo:    "the second SELECT fails (NO): afterwards no mailbox is selected.",
		See:     []string{"EXAMINE", "CLOSE", "UNSELECT", "UIDVALIDITY", "EXISTS"},
	},
	{
		Name: "EXAMINE", Syntax: "EXAMINE mailbox", State: Authenticated,
		Summary: "opens a mailbox read-only: nothing can change, not even \\Seen",
		Text: "Like SELECT, but read-only: STORE, EXPUNGE and MOVE are refused, and fetching a body does not set \\Seen. " +
			"The safe way to look around a mailbox you do not want to disturb.",
		Replies: "the same untagged data as SELECT; tagged OK [READ-ONLY]; NO when the mailbox does not exist.",
		RFC:     "RFC 9051 section 6.3.3; RFC 3501 section 6.3.2",
		Example: []Step{{"EXAMINE INBOX", OK}, {"FETCH 2 (FLAGS)", OK}, {"STORE 2 +FLAGS (\\Flagged)", NO}},
		Demo:    "the STORE is refused (NO): the mailbox is open read-only.",
		See:     []string{"SELECT", "READ-ONLY"},
	},
	{
		Name: "CREATE", Syntax: "CREATE mailbox [(USE (\\Drafts ...))]", State: Authenticated,
		Summary: "creates a mailbox (a name ending in the delimiter asks for a folder for children)",
		Text: "Creates a mailbox. Levels of the hierarchy are separated by the delimiter LIST shows (\"/\" or \".\"); the server should create missing parents. " +
			"With CREATE-SPECIAL-USE the USE list marks the new mailbox's purpose (\\Drafts, \\Sent, \\Trash, \\Junk, \\Archive, \\All, \\Flagged). " +
			"Names outside ASCII are sent in modified UTF-7 (IMAP4rev1) or UTF-8 (IMAP4rev2, UTF8=ACCEPT).",
		Replies: "tagged OK; NO [ALREADYEXISTS] if the name is taken, NO for names the server refuses.",
		RFC:     "RFC 9051 section 6.3.4; RFC 3501 section 6.3.3; RFC 6154 section 3 (USE)",
		Example: []Step{{"CREATE Lessons", OK}, {`LIST "" Lessons`, OK}, {"CREATE Lessons", NO}},
		Demo:    "the second CREATE fails with NO: the mailbox exists already.",
		See:     []string{"DELETE", "RENAME", "LIST", "SPECIAL-USE"},
	},
	{
		Name: "DELETE", Syntax: "DELETE mailbox", State: Authenticated,
		Summary: "deletes a mailbox and every message in it, at once and for good",
		Text: "Removes a mailbox with all its messages: there is no undo and no \\Deleted step. INBOX cannot be deleted. " +
			"A mailbox with children may be refused (NO [HASCHILDREN]) or be kept as a \\Noselect name.",
		Replies: "tagged OK; NO [NONEXISTENT] when it does not exist; NO for INBOX.",
		RFC:     "RFC 9051 section 6.3.5; RFC 3501 section 6.3.4",
		Example: []Step{{"CREATE Scratch", OK}, {"DELETE Scratch", OK}, {"DELETE Scratch", NO}},
		Demo:    "the second DELETE fails with NO: the mailbox is gone.",
		See:     []string{"CREATE", "RENAME"},
	},
	{
		Name: "RENAME", Syntax: "RENAME old-name new-name", State: Authenticated,
		Summary: "renames a mailbox (and its children); renaming INBOX moves its messages",
		Text:    "Gives a mailbox a new name; its children move with it. Renaming INBOX is special: the messages move to the new mailbox and INBOX stays, empty.",
		Replies: "tagged OK; NO when the old name does not exist or the new one does.",
		RFC:     "RFC 9051 section 6.3.6; RFC 3501 section 6.3.5",
		Example: []Step{{"CREATE Draft1", OK}, {"RENAME Draft1 Draft2", OK}, {`LIST "" "Draft*"`, OK}},
		See:     []string{"CREATE", "DELETE"},
	},
	{
		Name: "SUBSCRIBE", Syntax: "SUBSCRIBE mailbox", State: Authenticated,
		Summary: "adds a mailbox to the subscribed list clients show",
		Text: "Adds the name to the user's list of subscribed mailboxes, which clients use to decide what to show. " +
			"It does not check or change the mailbox itself. See the list with LIST (SUBSCRIBED) \"\" \"*\" (or LSUB in IMAP4rev1).",
		Replies: "tagged OK; NO if the server refuses the name.",
		RFC:     "RFC 9051 section 6.3.7; RFC 3501 section 6.3.6",
		Example: []Step{{"SUBSCRIBE Work", OK}, {`LSUB "" "*"`, OK}},
		See:     []string{"UNSUBSCRIBE", "LSUB", "LIST"},
	},
	{
		Name: "UNSUBSCRIBE", Syntax: "UNSUBSCRIBE mailbox", State: Authenticated,
		Summary: "removes a mailbox from the subscribed list",
		Text:    "Removes the name from the subscribed list. The mailbox and its messages are untouched.",
		Replies: "tagged OK; NO if the name was not subscribed (some servers answer OK anyway).",
		RFC:     "RFC 9051 section 6.3.8; RFC 3501 section 6.3.7",
		Example: []Step{{"UNSUBSCRIBE Sent", OK}},
		See:     []string{"SUBSCRIBE"},
	},
	{
		Name: "LIST", Syntax: `LIST reference pattern [RETURN (SUBSCRIBED CHILDREN SPECIAL-USE STATUS (...))]`, State: Authenticated,
		Summary: `lists mailboxes: LIST "" "*" for all, "%" for one level`,
		Text: "Lists the mailbox names matching a pattern, with each one's attributes and hierarchy delimiter. " +
			"* matches anything, % anything but the delimiter; the reference (usually \"\") is prepended to the pattern. " +
			`LIST "" "" asks only for the delimiter. Attributes say what a mailbox is: \Noselect (a name only), \HasChildren, \Subscribed, ` +
			"and with SPECIAL-USE its purpose (\\Sent, \\Trash ...). imapsh completes mailbox names from the last LIST.",
		Replies: "untagged LIST (attributes) delimiter name, one per mailbox; tagged OK.",
		RFC:     "RFC 9051 section 6.3.9; RFC 3501 section 6.3.8; RFC 5258 (LIST-EXTENDED); RFC 6154 section 2 (SPECIAL-USE)",
		Example: []Step{{`LIST "" "*"`, OK}, {`LIST "" "Work/%"`, OK}, {`LIST "" ""`, OK}},
		See:     []string{"LSUB", "NAMESPACE", "SPECIAL-USE"},
	},
	{
		Name: "LSUB", Syntax: "LSUB reference pattern", State: Authenticated,
		Summary: "lists subscribed mailboxes (IMAP4rev1; IMAP4rev2 uses LIST (SUBSCRIBED))",
		Text:    "Like LIST, restricted to subscribed names. IMAP4rev2 deprecates it in favour of LIST (SUBSCRIBED) \"\" \"*\", but servers that speak both still answer it.",
		Replies: "untagged LSUB, one per subscribed name; tagged OK.",
		RFC:     "RFC 3501 section 6.3.9",
		Example: []Step{{`LSUB "" "*"`, OK}},
		See:     []string{"LIST", "SUBSCRIBE"},
	},
	{
		Name: "NAMESPACE", Syntax: "NAMESPACE", State: Authenticated, Needs: "NAMESPACE",
		Summary: "where personal, other users' and shared mailboxes live, and their delimiter",
		Text: "Tells the prefixes under which the user's own mailboxes, other users' mailboxes and shared mailboxes are found, " +
			"each with its hierarchy delimiter; NIL means there are none of that kind. Read it before creating folders: " +
			"a server with prefix \"INBOX.\" wants CREATE INBOX.work, not CREATE work.",
		Replies: "untagged NAMESPACE (personal) (other users) (shared); tagged OK.",
		RFC:     "RFC 9051 section 6.3.10; RFC 2342 section 5",
		Example: []Step{{"NAMESPACE", OK}},
		See:     []string{"LIST", "CREATE"},
	},
	{
		Name: "STATUS", Syntax: "STATUS mailbox (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE ...)", State: Authenticated,
		Summary: "counts of another mailbox (messages, unseen, next UID) without selecting it",
		Text: "Asks for counters of a mailbox without selecting it: MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, DELETED and SIZE (IMAP4rev2), RECENT (IMAP4rev1), HIGHESTMODSEQ (CONDSTORE). " +
			"It is cheaper than SELECT and meant for other mailboxes than the selected one, whose counts arrive by themselves (EXISTS, EXPUNGE).",
		Replies: "untagged STATUS mailbox (item value ...); tagged OK; NO when the mailbox does not exist.",
		RFC:     "RFC 9051 section 6.3.11; RFC 3501 section 6.3.10",
		Example: []Step{{"STATUS INBOX (MESSAGES UNSEEN UIDNEXT UIDVALIDITY)", OK}},
		See:     []string{"SELECT", "UIDNEXT"},
	},
	{
		Name: "APPEND", Syntax: `APPEND mailbox [(flags)] ["date-time"] {octets}`, State: Authenticated,
		Summary: "adds a message to a mailbox, sent as a literal",
		Text: "Stores a whole message (headers, blank line, body, CRLF line ends) in a mailbox, with optional flags and arrival date. " +
			"The message travels as a literal: {N} announces N octets, the server answers + (go ahead), then come exactly N octets. " +
			"imapsh counts for you: APPEND INBOX <file.eml sends a file, APPEND INBOX <<EOF the lines you type up to EOF. " +
			"With UIDPLUS the OK tells the new message's UID.",
		Replies: "a continuation request (+) for the literal; tagged OK [APPENDUID uidvalidity uid]; NO [TRYCREATE] when the mailbox does not exist; " +
			"an untagged EXISTS if the mailbox is the one selected.",
		RFC: "RFC 9051 section 6.3.12; RFC 3501 section 6.3.11; RFC 4315 section 3 (APPENDUID)",
		Example: []Step{
			{`APPEND INBOX (\Seen) <<EOF`, OK}, {"Subject: hello", None}, {"", None}, {"Hello from imapsh.", None}, {"EOF", None},
			{"APPEND NoSuchBox <<EOF", NO}, {"Subject: lost", None}, {"", None}, {"EOF", None},
		},
		Demo: "the second APPEND fails with NO [TRYCREATE]: the mailbox does not exist.",
		See:  []string{"LITERAL+", "APPENDUID", "TRYCREATE"},
	},
	{
		Name: "IDLE", Syntax: "IDLE ... DONE", State: Authenticated, Needs: "IDLE",
		Summary: "waits for the server to push news (new mail, expunges) until you type DONE",
		Text: "Tells the server to send updates as they happen instead of waiting to be polled. The server answers + and then sends untagged " +
			"EXISTS, EXPUNGE, FETCH as the mailbox changes; the client ends it with the line DONE, and the tagged OK follows. " +
			"While IDLE runs no other command may be sent (imapsh does not send a line other than DONE; Enter or Ctrl-C end it too); re-issue it every 29 minutes at most, " +
			"or the server may log you out: the idle helper does that for you (idle --renew 25m).",
		Replies: "+ (idling); untagged updates while it lasts; tagged OK after DONE.",
		RFC:     "RFC 9051 section 6.3.13; RFC 2177 section 3",
		Example: []Step{{"SELECT INBOX", OK}, {"IDLE", OK}, {"DONE", None}},
		See:     []string{"NOOP", "EXISTS", "idle"},
	},
	{
		Name: "GETQUOTA", Syntax: "GETQUOTA quota-root", State: Authenticated, Needs: "QUOTA",
		Summary: "usage and limits of a quota root",
		Text: "Asks for the resources used and allowed under a quota root (a name that GETQUOTAROOT gives): STORAGE in units of 1024 octets, " +
			"MESSAGE counts, and others the server lists as QUOTA=RES-... capabilities.",
		Replies: "untagged QUOTA root (resource usage limit ...); tagged OK; NO when the root does not exist; BAD where QUOTA is not supported.",
		RFC:     "RFC 9208 (obsoletes RFC 2087, whose section 4.2 defined GETQUOTA)",
		Example: []Step{{`GETQUOTA ""`, BAD}},
		Demo:    "the demo server has no QUOTA extension and answers BAD Unknown command.",
		See:     []string{"GETQUOTAROOT", "SETQUOTA", "QUOTA"},
	},
	{
		Name: "GETQUOTAROOT", Syntax: "GETQUOTAROOT mailbox", State: Authenticated, Needs: "QUOTA",
		Summary: "which quota roots limit a mailbox, and their usage",
		Text:    "Names the quota roots that apply to a mailbox and gives the usage and limits of each: the question behind \"why does APPEND fail with OVERQUOTA\".",
		Replies: "untagged QUOTAROOT mailbox root ...; untagged QUOTA per root; tagged OK; BAD where QUOTA is not supported.",
		RFC:     "RFC 9208 (obsoletes RFC 2087, whose section 4.3 defined GETQUOTAROOT)",
		Example: []Step{{"GETQUOTAROOT INBOX", BAD}},
		Demo:    "the demo server has no QUOTA extension and answers BAD Unknown command.",
		See:     []string{"GETQUOTA", "OVERQUOTA"},
	},
	{
		Name: "SETQUOTA", Syntax: "SETQUOTA quota-root (resource limit ...)", State: Authenticated, Needs: "QUOTASET",
		Summary: "changes the limits of a quota root (administrators)",
		Text:    "Sets the limits of a quota root; usually only an administrator may. RFC 9208 advertises it as QUOTASET.",
		Replies: "untagged QUOTA with the new limits; tagged OK; NO when not allowed; BAD where not supported.",
		RFC:     "RFC 9208 (obsoletes RFC 2087, whose section 4.1 defined SETQUOTA)",
		Example: []Step{{`SETQUOTA "" (STORAGE 512)`, BAD}},
		Demo:    "the demo server has no QUOTA extension and answers BAD Unknown command.",
		See:     []string{"GETQUOTA"},
	},
	{
		Name: "COMPRESS", Syntax: "COMPRESS DEFLATE", State: Authenticated, Needs: "COMPRESS=DEFLATE",
		Summary: "compresses the rest of the session with DEFLATE",
		Text: "After the OK, both sides compress everything they send with DEFLATE (RFC 1951). It saves bandwidth on large mailboxes. " +
			"imapsh inflates it: type it, or pass --compress to send it after login; stats shows the octets before and after. " +
			"imapsh does not send it when the server does not offer COMPRESS=DEFLATE, while another command is in flight, or a second time.",
		Replies: "tagged OK, compression starts after it; NO [COMPRESSIONACTIVE] if a layer compresses already; BAD for an unknown mechanism.",
		RFC:     "RFC 4978 section 3",
		Example: []Step{{"COMPRESS DEFLATE", Refused}},
		Demo:    "the demo does not offer COMPRESS=DEFLATE, so imapsh does not send it.",
		See:     []string{"caps"},
	},
}
