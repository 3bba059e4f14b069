package teach

// messageCommands are the commands of the selected state (RFC 9051
// section 6.4, RFC 3501 section 6.4) and their UID forms.
var messageCommands = []Command{
	{
		Name: "CHECK", Syntax: "CHECK", State: Selected,
		Summary: "asks the server to save the mailbox to disk (IMAP4rev1 only)",
		Text:    "A checkpoint: the server may flush the selected mailbox to its storage. IMAP4rev2 removed it; use NOOP to poll.",
		Replies: "tagged OK (and perhaps untagged updates, as NOOP).",
		RFC:     "RFC 3501 section 6.4.1",
		Example: []Step{{"SELECT INBOX", OK}, {"CHECK", OK}},
		See:     []string{"NOOP"},
	},
	{
		Name: "CLOSE", Syntax: "CLOSE", State: Selected,
		Summary: "leaves the mailbox and silently expunges every message marked \\Deleted",
		Text: "Closes the selected mailbox and returns to the authenticated state. If the mailbox was selected read-write, every message " +
			"with \\Deleted is removed first, with no EXPUNGE responses to tell which: use UNSELECT to leave without expunging.",
		Replies: "tagged OK (no untagged EXPUNGE); BAD when no mailbox is selected.",
		RFC:     "RFC 9051 section 6.4.1; RFC 3501 section 6.4.2",
		Example: []Step{{"EXAMINE INBOX", OK}, {"CLOSE", OK}, {"CLOSE", BAD}},
		Demo:    "EXAMINE opens INBOX read-only, so this CLOSE removes nothing; the second CLOSE fails with BAD: no mailbox is selected.",
		See:     []string{"UNSELECT", "EXPUNGE"},
	},
	{
		Name: "UNSELECT", Syntax: "UNSELECT", State: Selected, Needs: "UNSELECT",
		Summary: "leaves the mailbox without expunging anything",
		Text:    "Closes the selected mailbox like CLOSE, but removes nothing: messages marked \\Deleted stay. Part of IMAP4rev2; an extension in IMAP4rev1.",
		Replies: "tagged OK; BAD when no mailbox is selected.",
		RFC:     "RFC 9051 section 6.4.2; RFC 3691",
		Example: []Step{{"SELECT INBOX", OK}, {"UNSELECT", OK}},
		See:     []string{"CLOSE"},
	},
	{
		Name: "EXPUNGE", Syntax: "EXPUNGE", State: Selected,
		Summary: "removes for good EVERY message marked \\Deleted in the mailbox",
		Text: "Permanently removes all messages that carry \\Deleted, not only the ones you just marked: in a shared or long-lived mailbox " +
			"that may be more than you think. Each removal is reported as * n EXPUNGE, and every message after n moves down one number at once. " +
			"To remove exactly one message use UID EXPUNGE (UIDPLUS) or the kill helper.",
		Replies: "untagged EXPUNGE n per removed message; tagged OK; NO in a read-only mailbox.",
		RFC:     "RFC 9051 section 6.4.3; RFC 3501 section 6.4.3",
		Example: []Step{{"SELECT INBOX", OK}, {"SEARCH DELETED", OK}, {`STORE 1 +FLAGS (\Deleted)`, OK}, {"EXPUNGE", OK}},
		Demo:    "the demo's INBOX holds other messages marked \\Deleted already (SEARCH DELETED lists them): EXPUNGE removes them together with message 1.",
		See:     []string{"UID EXPUNGE", "kill", "CLOSE"},
	},
	{
		Name: "SEARCH", Syntax: "SEARCH [RETURN (MIN MAX COUNT ALL)] [CHARSET x] criteria ...", State: Selected,
		Summary: "finds messages by flags, dates, sizes, headers or text; answers sequence numbers",
		Text: "Returns the messages matching all the criteria: ALL, SEEN/UNSEEN, DELETED, FLAGGED, FROM \"x\", SUBJECT \"x\", " +
			"HEADER name \"x\", BODY \"x\", TEXT \"x\", SINCE/BEFORE/ON date (1-Jan-2024), LARGER/SMALLER n, UID set, a sequence set, " +
			"OR a b, NOT a and (a b) for grouping. The answer is sequence numbers; UID SEARCH answers UIDs. " +
			"IMAP4rev2 servers answer with ESEARCH; RETURN (COUNT) or (MIN MAX) asks for a summary only.",
		Replies: "untagged SEARCH numbers (IMAP4rev1) or ESEARCH (IMAP4rev2, or when RETURN is given); tagged OK; NO [BADCHARSET] for an unknown charset.",
		RFC:     "RFC 9051 section 6.4.4; RFC 3501 section 6.4.4; RFC 4731 (ESEARCH)",
		Example: []Step{{"SELECT INBOX", OK}, {"SEARCH UNSEEN", OK}, {"SEARCH RETURN (COUNT) DELETED", OK}, {`SEARCH OR FLAGGED SUBJECT "report"`, OK}},
		See:     []string{"UID SEARCH", "ESEARCH"},
	},
	{
		Name: "FETCH", Syntax: "FETCH sequence-set (item ...)", State: Selected,
		Summary: "reads messages: flags, UID, size, envelope, structure, headers, bodies",
		Text: "Reads data about messages given by sequence number (1:5, 7,9, 10:*). Items: FLAGS, UID, INTERNALDATE, RFC822.SIZE, ENVELOPE, " +
			"BODYSTRUCTURE, BODY[] (the whole message), BODY[HEADER], BODY[TEXT], BODY[1.2] (a MIME part), BODY[HEADER.FIELDS (SUBJECT FROM)], " +
			"BODY[]<0.100> (a slice). BODY[...] sets \\Seen; BODY.PEEK[...] does not. Macros: ALL, FAST, FULL. " +
			"The answers may come in any order and may carry items you did not ask for.",
		Replies: "untagged n FETCH (item value ...) per message, large values as literals; tagged OK; NO when a message cannot be read " +
			"(the poison-message case); BAD for an unknown item.",
		RFC:     "RFC 9051 section 6.4.5; RFC 3501 section 6.4.5",
		Example: []Step{{"SELECT INBOX", OK}, {"FETCH 1:3 (FLAGS UID RFC822.SIZE)", OK}, {"FETCH 1 (ENVELOPE BODYSTRUCTURE)", OK}, {"FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]", OK}},
		See:     []string{"UID FETCH", "ENVELOPE", "BODYSTRUCTURE", "whereis", "probe"},
	},
	{
		Name: "STORE", Syntax: "STORE sequence-set [+|-]FLAGS[.SILENT] (flag ...)", State: Selected,
		Summary: "sets, adds (+FLAGS) or removes (-FLAGS) flags such as \\Seen or \\Deleted",
		Text: "Changes flags: FLAGS replaces them, +FLAGS adds, -FLAGS removes. System flags start with a backslash (\\Seen, \\Answered, \\Flagged, " +
			"\\Deleted, \\Draft); other words are keywords ($Forwarded, $Junk), and new ones can be created only if PERMANENTFLAGS lists \\*. The server answers each change " +
			"with a FETCH of the new flags, unless .SILENT was given.",
		Replies: "untagged n FETCH (FLAGS (...)) per message (none with .SILENT); tagged OK; NO in a read-only mailbox.",
		RFC:     "RFC 9051 section 6.4.6; RFC 3501 section 6.4.6",
		Example: []Step{{"SELECT INBOX", OK}, {`STORE 2 +FLAGS (\Flagged)`, OK}, {`STORE 2 -FLAGS.SILENT (\Flagged)`, OK}},
		See:     []string{"UID STORE", "PERMANENTFLAGS", "EXPUNGE"},
	},
	{
		Name: "COPY", Syntax: "COPY sequence-set mailbox", State: Selected,
		Summary: "copies messages to another mailbox",
		Text: "Copies messages, with their flags and dates, to the end of another mailbox; the originals stay. " +
			"With UIDPLUS the OK carries [COPYUID] with the new UIDs. If the target does not exist the answer is NO [TRYCREATE].",
		Replies: "tagged OK [COPYUID uidvalidity source-uids new-uids]; NO [TRYCREATE] when the mailbox does not exist.",
		RFC:     "RFC 9051 section 6.4.7; RFC 3501 section 6.4.7; RFC 4315 section 3 (COPYUID)",
		Example: []Step{{"SELECT INBOX", OK}, {"COPY 1:2 Archive", OK}, {"COPY 1 NoSuchBox", NO}},
		Demo:    "the second COPY fails with NO [TRYCREATE]: create the mailbox first.",
		See:     []string{"MOVE", "UID COPY", "COPYUID", "TRYCREATE"},
	},
	{
		Name: "MOVE", Syntax: "MOVE sequence-set mailbox", State: Selected, Needs: "MOVE",
		Summary: "moves messages to another mailbox (copy, then expunge only those)",
		Text: "Moves messages in one step: as COPY followed by removing just those messages, without touching other \\Deleted ones. " +
			"The server sends the COPYUID first (untagged OK), then an EXPUNGE for each message moved, so the sequence numbers after them shift down.",
		Replies: "untagged OK [COPYUID ...]; untagged EXPUNGE per message; tagged OK; NO [TRYCREATE] when the mailbox does not exist.",
		RFC:     "RFC 9051 section 6.4.8; RFC 6851 section 3.1",
		Example: []Step{{"SELECT INBOX", OK}, {"MOVE 1 Archive", OK}},
		See:     []string{"UID MOVE", "COPY", "EXPUNGE"},
	},
	{
		Name: "UID", Syntax: "UID FETCH|STORE|SEARCH|COPY|MOVE|EXPUNGE ...", State: Selected,
		Summary: "the same commands with UIDs instead of sequence numbers",
		Text: "Every message has two numbers: its sequence number, its position 1..EXISTS now, which changes whenever a message before it is expunged; " +
			"and its UID, which never changes while UIDVALIDITY stays the same. UID before FETCH, STORE, SEARCH, COPY, MOVE or EXPUNGE " +
			"makes the numbers you give (and SEARCH's answer) UIDs. The untagged FETCH and EXPUNGE responses still show sequence numbers. " +
			"Sync tools and imapsh's helpers work by UID: a UID that no message has is simply ignored, not an error.",
		Replies: "those of the command after UID; FETCH responses always include the UID.",
		RFC:     "RFC 9051 section 6.4.9; RFC 3501 section 6.4.8",
		Example: []Step{{"SELECT INBOX", OK}, {"UID SEARCH ALL", OK}, {"UID FETCH 1:* (FLAGS)", OK}},
		See:     []string{"UID FETCH", "UIDVALIDITY", "uids", "whereis"},
	},
	{
		Name: "UID FETCH", Syntax: "UID FETCH uid-set (item ...)", State: Selected,
		Summary: "FETCH by UID",
		Text:    "FETCH with UIDs: UID FETCH 15541 (FLAGS) reads the message whose UID is 15541, wherever it sits now. The response still begins with the sequence number and includes the UID.",
		Replies: "untagged n FETCH (UID u ...); tagged OK, also when no message has those UIDs.",
		RFC:     "RFC 9051 section 6.4.9; RFC 3501 section 6.4.8",
		Example: []Step{{"SELECT INBOX", OK}, {"UID FETCH 1:* (UID FLAGS)", OK}, {"UID FETCH 999999 (FLAGS)", OK}},
		Demo:    "the second UID FETCH answers OK with no data: no message has that UID.",
		See:     []string{"FETCH", "UID"},
	},
	{
		Name: "UID STORE", Syntax: "UID STORE uid-set [+|-]FLAGS[.SILENT] (flag ...)", State: Selected,
		Summary: "STORE by UID",
		Text:    "STORE with UIDs: the safe way to mark one message, since its UID cannot shift under you the way a sequence number can.",
		Replies: "untagged n FETCH (UID u FLAGS (...)) per message (none with .SILENT); tagged OK.",
		RFC:     "RFC 9051 section 6.4.9; RFC 3501 section 6.4.8",
		Example: []Step{{"SELECT INBOX", OK}, {`UID STORE 1 +FLAGS (\Flagged)`, OK}},
		See:     []string{"STORE", "UID EXPUNGE"},
	},
	{
		Name: "UID SEARCH", Syntax: "UID SEARCH criteria ...", State: Selected,
		Summary: "SEARCH answering UIDs",
		Text:    "SEARCH whose answer (and whose UID criterion) are UIDs rather than sequence numbers.",
		Replies: "untagged SEARCH uids (or ESEARCH ... UID ...); tagged OK.",
		RFC:     "RFC 9051 section 6.4.9; RFC 3501 section 6.4.8",
		Example: []Step{{"SELECT INBOX", OK}, {"UID SEARCH UNSEEN", OK}},
		See:     []string{"SEARCH"},
	},
	{
		Name: "UID COPY", Syntax: "UID COPY uid-set mailbox", State: Selected,
		Summary: "COPY by UID",
		Text:    "COPY with UIDs. With UIDPLUS the [COPYUID] code pairs each source UID with its new UID in the target.",
		Replies: "tagged OK [COPYUID ...]; NO [TRYCREATE] when the mailbox does not exist.",
		RFC:     "RFC 9051 section 6.4.9; RFC 3501 section 6.4.8; RFC 4315 section 3",
		Example: []Step{{"SELECT INBOX", OK}, {"UID COPY 1 Archive", OK}},
		See:     []string{"COPY", "COPYUID"},
	},
	{
		Name: "UID MOVE", Syntax: "UID MOVE uid-set mailbox", State: Selected, Needs: "MOVE",
		Summary: "MOVE by UID",
		Text:    "MOVE with UIDs: exactly those messages leave, whatever their sequence numbers.",
		Replies: "untagged OK [COPYUID ...]; untagged EXPUNGE per message; tagged OK.",
		RFC:     "RFC 9051 sections 6.4.8 and 6.4.9; RFC 6851 section 3.2",
		Example: []Step{{"SELECT INBOX", OK}, {"UID MOVE 2 Archive", OK}},
		See:     []string{"MOVE"},
	},
	{
		Name: "UID EXPUNGE", Syntax: "UID EXPUNGE uid-set", State: Selected, Needs: "UIDPLUS",
		Summary: "expunges only the listed UIDs, and only if they carry \\Deleted",
		Text: "Removes only those messages of the set that carry \\Deleted, leaving every other \\Deleted message alone: " +
			"the safe way to delete one message, and what the kill helper uses. Part of IMAP4rev2; UIDPLUS in IMAP4rev1.",
		Replies: "untagged EXPUNGE n per removed message; tagged OK.",
		RFC:     "RFC 9051 section 6.4.9; RFC 4315 section 2.1",
		Example: []Step{{"SELECT INBOX", OK}, {`UID STORE 3 +FLAGS.SILENT (\Deleted)`, OK}, {"UID EXPUNGE 3", OK}},
		Demo:    "only UID 3 goes; the other \\Deleted messages of the demo's INBOX stay.",
		See:     []string{"EXPUNGE", "kill", "UIDPLUS"},
	},
}
