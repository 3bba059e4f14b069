package teach

// extensions are the entries of extensions that change other commands
// rather than add one.
var extensions = []Command{
	{
		Name: "CONDSTORE", Ext: true, State: Selected, Needs: "CONDSTORE",
		Syntax:  "SELECT mailbox (CONDSTORE) | FETCH set (items) (CHANGEDSINCE modseq) | STORE set (UNCHANGEDSINCE modseq) +FLAGS (...) | SEARCH MODSEQ modseq",
		Summary: "mod-sequences: fetch only what changed, store only if unchanged",
		Text: "Gives every message a mod-sequence (MODSEQ), a number that grows each time its flags change, and the mailbox a HIGHESTMODSEQ. " +
			"A client that remembers the HIGHESTMODSEQ of its last visit asks FETCH 1:* (FLAGS) (CHANGEDSINCE n) and gets only what changed since; " +
			"STORE ... (UNCHANGEDSINCE n) changes flags only where nobody else changed them, and lists the others in [MODIFIED set]. " +
			"FETCH (MODSEQ) reads a message's mod-sequence, SEARCH MODSEQ n finds messages changed since n. It is turned on by ENABLE CONDSTORE, " +
			"SELECT ... (CONDSTORE) or the first use of one of these.",
		Replies: "OK [HIGHESTMODSEQ n] (or [NOMODSEQ]) when selecting; FETCH responses with MODSEQ (n); tagged OK [MODIFIED set] after a conditional STORE.",
		RFC:     "RFC 7162 section 3.1 (3.1.3 STORE UNCHANGEDSINCE, 3.1.4 FETCH CHANGEDSINCE and MODSEQ, 3.1.5 SEARCH MODSEQ, 3.1.8 SELECT CONDSTORE)",
		Example: []Step{{"SELECT INBOX", OK}, {"FETCH 1:* (FLAGS) (CHANGEDSINCE 1)", BAD}, {`STORE 1 (UNCHANGEDSINCE 1) +FLAGS (\Seen)`, BAD}, {"FETCH 1 (MODSEQ)", BAD}},
		Demo:    "the demo server does not support CONDSTORE (it does not advertise it): each of these is refused with BAD.",
		See:     []string{"ENABLE", "HIGHESTMODSEQ", "MODIFIED", "QRESYNC"},
	},
	{
		Name: "SPECIAL-USE", Ext: true, State: Authenticated, Needs: "SPECIAL-USE",
		Syntax:  `LIST "" "*" RETURN (SPECIAL-USE) | CREATE mailbox (USE (\Drafts|\Sent|\Trash|\Junk|\Archive|\All|\Flagged))`,
		Summary: "which mailbox is Sent, Drafts, Trash, Junk ... whatever its name",
		Text: "Marks mailboxes by purpose with LIST attributes: \\Sent, \\Drafts, \\Trash, \\Junk, \\Archive, \\All (every message, as Gmail's All Mail), " +
			"\\Flagged (a virtual mailbox of flagged messages). A client finds the Sent folder of a German server (Gesendet) without guessing. " +
			"LIST ... RETURN (SPECIAL-USE) asks for them, and with CREATE-SPECIAL-USE, CREATE name (USE (\\Junk)) creates one.",
		Replies: "untagged LIST responses carrying the special-use attributes; tagged OK.",
		RFC:     "RFC 6154 section 2 (attributes, LIST RETURN (SPECIAL-USE)), section 3 (CREATE USE)",
		Example: []Step{{`LIST "" "*" RETURN (SPECIAL-USE)`, OK}, {`CREATE Spam (USE (\Junk))`, OK}, {`LIST "" Spam RETURN (SPECIAL-USE)`, OK}},
		Demo:    "the demo server does not advertise SPECIAL-USE: its LIST shows no special-use attributes, and its CREATE ignores USE.",
		See:     []string{"LIST", "CREATE"},
	},
	{
		Name: "LITERAL+", Ext: true, State: AnyState, Needs: "LITERAL+",
		Syntax:  "... {N+}",
		Summary: "literals sent without waiting for the server's +",
		Text: "A literal {N} makes the client wait for the server's + before sending the N octets. With LITERAL+ the client writes {N+} and sends the octets at once, " +
			"saving a round trip. LITERAL- (and IMAP4rev2) allow {N+} only up to 4096 octets. imapsh chooses by itself when you use <FILE or <<EOF; " +
			"typed by hand, {N+} is sent as written.",
		Replies: "no + for the literal; the command's usual responses.",
		RFC:     "RFC 7888; RFC 9051 section 4.3 (strings and literals)",
		Example: []Step{{"APPEND Work {15+}", OK}, {"Subject: test", None}, {"", None}},
		Demo:    "the demo offers LITERAL- and IMAP4rev2, so a 15-octet {15+} is allowed: imapsh sends the line typed after it as the literal (13 characters and CRLF), then the empty line ends the command.",
		See:     []string{"APPEND", "literals"},
	},
	{
		Name: "UIDPLUS", Ext: true, State: Selected, Needs: "UIDPLUS",
		Syntax:  "UID EXPUNGE uid-set; [APPENDUID v uid], [COPYUID v from to] in answers",
		Summary: "UID EXPUNGE, and the new UIDs after APPEND, COPY and MOVE",
		Text: "Adds UID EXPUNGE (expunge only the given UIDs) and the response codes APPENDUID and COPYUID, which tell the UIDs that appended or copied " +
			"messages received, so a client need not search for them. Part of IMAP4rev2. Some servers advertise UIDPLUS only after login (Gmail): type caps to compare.",
		Replies: "tagged OK [APPENDUID ...] after APPEND, OK [COPYUID ...] after COPY (untagged before the EXPUNGEs of a MOVE).",
		RFC:     "RFC 4315 sections 2.1 (UID EXPUNGE) and 3 (response codes)",
		Example: []Step{{"SELECT INBOX", OK}, {"COPY 1 Archive", OK}, {"UID EXPUNGE 999999", OK}},
		See:     []string{"UID EXPUNGE", "APPENDUID", "COPYUID"},
	},
}
