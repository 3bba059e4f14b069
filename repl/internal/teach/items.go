package teach

const rfcFetch = "RFC 9051 sections 6.4.5 and 7.5.2; RFC 3501 sections 6.4.5 and 7.4.2"

// items are the FETCH data items, the system flags and a few concepts.
var items = []Topic{
	{Name: "ENVELOPE", Kind: kindItem, Syntax: "ENVELOPE (date subject from sender reply-to to cc bcc in-reply-to message-id)",
		Text: "The main header fields, parsed by the server: ten values in this order, addresses as (name route mailbox host) lists, NIL for absent ones. " +
			"With explain on, imapsh lays it out as a list.",
		RFC: rfcFetch},
	{Name: "BODYSTRUCTURE", Kind: kindItem, Syntax: `BODYSTRUCTURE ("text" "plain" (params) id description encoding size lines ...)`,
		Text: "The MIME tree of the message without its content: for each part its type, parameters (charset, name), encoding and size; " +
			"a multipart lists its parts first, then its subtype. Part numbers (1, 1.2, 2.1) are what BODY[1.2] fetches. " +
			"BODY without brackets is the same with fewer details. With explain on, imapsh draws it as a tree.",
		RFC: rfcFetch, See: []string{"BODY[]"}},
	{Name: "BODY[]", Kind: kindItem, Syntax: "BODY[section]<origin.count> | BODY.PEEK[section]",
		Text: "Message content. Sections: empty (the whole message), HEADER, TEXT, HEADER.FIELDS (A B), HEADER.FIELDS.NOT (A B), a part number (1, 2.1), " +
			"and part.MIME or part.HEADER. <0.1024> fetches a slice. BODY[...] sets \\Seen; BODY.PEEK[...] does not. BINARY[...] returns a part decoded " +
			"(BINARY extension, IMAP4rev2).",
		RFC: rfcFetch},
	{Name: "INTERNALDATE", Kind: kindItem, Syntax: `INTERNALDATE "17-Jul-1996 02:44:25 -0700"`,
		Text: "When the server received the message (or the date APPEND gave), not the Date: header.", RFC: rfcFetch},
	{Name: "RFC822.SIZE", Kind: kindItem, Syntax: "RFC822.SIZE n",
		Text: "The size of the whole message in octets, as BODY[] would return it.", RFC: rfcFetch},
	{Name: "MODSEQ", Kind: kindItem, Syntax: "MODSEQ (n)",
		Text: "CONDSTORE: the message's mod-sequence, which grows whenever its flags change.", RFC: "RFC 7162 section 3.1.4.2"},
	{Name: "\\SEEN", Kind: kindFlag, Text: "The message has been read. Fetching BODY[] sets it; BODY.PEEK[] does not.", RFC: "RFC 9051 section 2.3.2"},
	{Name: "\\ANSWERED", Kind: kindFlag, Text: "The message has been answered.", RFC: "RFC 9051 section 2.3.2"},
	{Name: "\\FLAGGED", Kind: kindFlag, Text: "The message is marked for attention (a star in many clients).", RFC: "RFC 9051 section 2.3.2"},
	{Name: "\\DELETED", Kind: kindFlag,
		Text: "The message is marked for removal; it is still there until an EXPUNGE (or CLOSE) removes every message so marked.",
		RFC:  "RFC 9051 section 2.3.2", See: []string{"EXPUNGE", "UID EXPUNGE"}},
	{Name: "\\DRAFT", Kind: kindFlag, Text: "The message is a draft, not finished.", RFC: "RFC 9051 section 2.3.2"},
	{Name: "\\RECENT", Kind: kindFlag,
		Text: "IMAP4rev1: the message arrived since the previous session opened the mailbox. Set by the server only; IMAP4rev2 dropped it.",
		RFC:  "RFC 3501 section 2.3.2"},
	{Name: "TAG", Kind: kindConcept,
		Text: "Each command starts with a tag the client chooses (imapsh: a001, a002 ...); the server ends its answer with a line that starts with the same tag " +
			"and says OK, NO or BAD. Lines starting with * are untagged data, + a continuation request. Several commands may be in flight; the tag tells which one finished.",
		RFC: "RFC 9051 section 2.2.1 (client) and 2.2.2 (server)", See: []string{"OK", "+"}},
	{Name: "UNTAGGED", Kind: kindConcept,
		Text: "A line starting with * is data, not the end of a command: it may answer the command in flight (a SEARCH result) or bring news at any time " +
			"(new mail as EXISTS, another client's changes). A client must accept any untagged response at any time.",
		RFC: "RFC 9051 sections 2.2.2 and 5.3", See: []string{"TAG"}},
	{Name: "STATES", Kind: kindConcept,
		Text: "A connection is in one of four states: not authenticated (after the greeting), authenticated (after LOGIN or AUTHENTICATE), " +
			"selected (after SELECT or EXAMINE), logout. Each command is valid only in some: type help for the list by state.",
		RFC: "RFC 9051 section 3"},
	{Name: "LITERAL", Kind: kindConcept, Syntax: "{N} CRLF then N octets | {N+} (non-synchronizing) | ~{N} (binary)",
		Text: "A string that may hold anything (line ends, 8-bit data): a message in APPEND, a password with quotes. A client announces {N}, " +
			"waits for the server's + and sends exactly N octets; the command line goes on after them. Servers send literals too, " +
			"for bodies in FETCH, without waiting for anything. In imapsh: APPEND INBOX <file.eml or <<EOF ... EOF count for you; a {N} typed at the end of a line " +
			"makes the next lines the octets.",
		RFC: "RFC 9051 section 4.3; RFC 7888 ({N+})", See: []string{"LITERAL+", "APPEND", "+"}},
	{Name: "SEQUENCE NUMBER", Kind: kindConcept,
		Text: "A message's position in the selected mailbox, 1 to EXISTS. It changes when a message before it is expunged: it is for now, not for later. " +
			"Its UID is for later. imapsh's helpers take UIDs; #N means sequence number N.",
		RFC: "RFC 9051 section 2.3.1.2", See: []string{"UID", "EXPUNGE"}},
}
