package teach

import "strings"

// CapGroup is how caps groups capabilities.
type CapGroup uint8

const (
	GroupVersion CapGroup = iota
	GroupAuth
	GroupLiterals
	GroupMailbox
	GroupFetch
	GroupSync
	GroupOther
)

var groupTitles = [...]string{
	GroupVersion:  "IMAP version",
	GroupAuth:     "Authentication and security",
	GroupLiterals: "Literals, message data and character sets",
	GroupMailbox:  "Mailboxes and listing",
	GroupFetch:    "Fetching, searching and sorting",
	GroupSync:     "Synchronization (CONDSTORE, QRESYNC, UIDs, push)",
	GroupOther:    "Other",
}

// capInfo describes a capability, or a family of them when Name ends in
// "=" or "-" (AUTH=, QUOTA=RES-).
type capInfo struct {
	Name    string
	Group   CapGroup
	Meaning string
	RFC     string
	Rev2    bool // part of IMAP4rev2 (RFC 9051 appendix E)
}

var capTable = []capInfo{
	{"IMAP4REV1", GroupVersion, "speaks IMAP4rev1", "RFC 3501", false},
	{"IMAP4REV2", GroupVersion, "speaks IMAP4rev2, which includes many former extensions (ENABLE IMAP4rev2 to use it where both are offered)", "RFC 9051", false},
	{"IMAP4", GroupVersion, "also accepts the older IMAP4 (RFC 1730) syntax", "RFC 1730", false},
	{"AUTH=", GroupAuth, "AUTHENTICATE accepts this SASL mechanism", "RFC 9051 section 6.2.2", false},
	{"STARTTLS", GroupAuth, "the plain connection can be upgraded to TLS (imapsh: --starttls or imap://)", "RFC 9051 section 6.2.1", false},
	{"LOGINDISABLED", GroupAuth, "LOGIN is refused here (usually until TLS is on): use TLS, or AUTHENTICATE", "RFC 9051 section 6.2.3", false},
	{"SASL-IR", GroupAuth, "AUTHENTICATE may carry the first client message on its own line (one round trip less)", "RFC 4959", true},
	{"LOGIN-REFERRALS", GroupAuth, "login may answer with a [REFERRAL] to another server", "RFC 2221", false},
	{"UNAUTHENTICATE", GroupAuth, "UNAUTHENTICATE returns to the not authenticated state without reconnecting", "RFC 8437", false},
	{"ID", GroupOther, "ID: client and server exchange name and version", "RFC 2971", false},
	{"LITERAL+", GroupLiterals, "non-synchronizing literals {N+} of any size: no waiting for +", "RFC 7888", false},
	{"LITERAL-", GroupLiterals, "non-synchronizing literals {N+} up to 4096 octets", "RFC 7888", true},
	{"BINARY", GroupLiterals, "FETCH BINARY[...] decodes parts; APPEND accepts binary literals ~{N}", "RFC 3516", true},
	{"APPENDLIMIT", GroupLiterals, "the largest message APPEND accepts (APPENDLIMIT=octets)", "RFC 7889", false},
	{"MULTIAPPEND", GroupLiterals, "one APPEND may add several messages", "RFC 3502", false},
	{"CATENATE", GroupLiterals, "APPEND may build a message from parts of others by URL", "RFC 4469", false},
	{"UTF8=", GroupLiterals, "UTF-8 in mailbox names and headers (UTF8=ACCEPT after ENABLE; UTF8=ONLY always)", "RFC 6855", false},
	{"I18NLEVEL=", GroupLiterals, "language-aware comparison in SEARCH and SORT", "RFC 5255", false},
	{"LANGUAGE", GroupLiterals, "LANGUAGE chooses the language of the server's texts", "RFC 5255", false},
	{"NAMESPACE", GroupMailbox, "NAMESPACE tells where personal, other users' and shared mailboxes live", "RFC 2342", true},
	{"CHILDREN", GroupMailbox, "LIST marks mailboxes \\HasChildren or \\HasNoChildren", "RFC 3348", true},
	{"LIST-EXTENDED", GroupMailbox, "LIST takes selection and RETURN options: (SUBSCRIBED), RETURN (CHILDREN) ...", "RFC 5258", true},
	{"LIST-STATUS", GroupMailbox, "LIST ... RETURN (STATUS (MESSAGES UNSEEN)) gives counts with the names", "RFC 5819", true},
	{"SPECIAL-USE", GroupMailbox, "LIST marks Sent, Drafts, Trash, Junk, Archive ... mailboxes", "RFC 6154", true},
	{"CREATE-SPECIAL-USE", GroupMailbox, "CREATE name (USE (\\Junk)) creates a special-use mailbox", "RFC 6154", false},
	{"XLIST", GroupMailbox, "Gmail's old special-use LIST, replaced by SPECIAL-USE", "Google, no RFC", false},
	{"MAILBOX-REFERRALS", GroupMailbox, "mailboxes may live on other servers ([REFERRAL])", "RFC 2193", false},
	{"STATUS=SIZE", GroupMailbox, "STATUS can report a mailbox's SIZE in octets", "RFC 8438", true},
	{"ACL", GroupMailbox, "access control lists: GETACL, SETACL, MYRIGHTS ...", "RFC 4314", false},
	{"RIGHTS=", GroupMailbox, "the ACL rights this server knows beyond the base ones", "RFC 4314", false},
	{"QUOTA", GroupMailbox, "GETQUOTA and GETQUOTAROOT report storage limits", "RFC 9208", false},
	{"QUOTA=RES-", GroupMailbox, "quotas are kept on this resource (STORAGE, MESSAGE, MAILBOX ...)", "RFC 9208", false},
	{"QUOTASET", GroupMailbox, "SETQUOTA may change limits", "RFC 9208", false},
	{"METADATA", GroupMailbox, "GETMETADATA and SETMETADATA annotate mailboxes", "RFC 5464", false},
	{"METADATA-SERVER", GroupMailbox, "server annotations only (METADATA without mailbox ones)", "RFC 5464", false},
	{"ESEARCH", GroupFetch, "SEARCH RETURN (MIN MAX COUNT ALL) answers with a compact ESEARCH", "RFC 4731", true},
	{"SEARCHRES", GroupFetch, "SEARCH RETURN (SAVE) keeps the result as $ for the next command", "RFC 5182", true},
	{"SORT", GroupFetch, "SORT returns messages in order (by date, sender, subject ...)", "RFC 5256", false},
	{"SORT=DISPLAY", GroupFetch, "SORT by the displayed names (DISPLAYFROM, DISPLAYTO)", "RFC 5957", false},
	{"THREAD=", GroupFetch, "THREAD groups messages into conversations with this algorithm", "RFC 5256", false},
	{"ESORT", GroupFetch, "SORT RETURN (...) with ESEARCH-style answers", "RFC 5267", false},
	{"CONTEXT=", GroupFetch, "search or sort results kept up to date while the mailbox changes", "RFC 5267", false},
	{"WITHIN", GroupFetch, "SEARCH YOUNGER n / OLDER n (seconds)", "RFC 5032", false},
	{"SEARCH=FUZZY", GroupFetch, "fuzzy SEARCH and relevancy scores", "RFC 6203", false},
	{"MULTISEARCH", GroupFetch, "ESEARCH over several mailboxes at once", "RFC 7377", false},
	{"PARTIAL", GroupFetch, "SEARCH and FETCH results a page at a time", "RFC 9394", false},
	{"PREVIEW", GroupFetch, "FETCH PREVIEW gives a short text preview of a message", "RFC 8970", false},
	{"SNIPPET=FUZZY", GroupFetch, "FETCH SNIPPET previews (the draft PREVIEW grew from)", "a draft, Dovecot", false},
	{"OBJECTID", GroupFetch, "stable EMAILID, THREADID and MAILBOXID across renames and moves", "RFC 8474", false},
	{"SAVEDATE", GroupFetch, "FETCH SAVEDATE: when the message was stored in this mailbox", "RFC 8514", false},
	{"X-GM-EXT-1", GroupFetch, "Gmail's labels and ids: X-GM-LABELS, X-GM-MSGID, X-GM-THRID, X-GM-RAW", "Google, no RFC", false},
	{"CONDSTORE", GroupSync, "mod-sequences: FETCH CHANGEDSINCE, STORE UNCHANGEDSINCE (help CONDSTORE)", "RFC 7162", false},
	{"QRESYNC", GroupSync, "quick resync: SELECT ... (QRESYNC ...) and VANISHED report what changed while away", "RFC 7162", false},
	{"UIDPLUS", GroupSync, "UID EXPUNGE, and APPENDUID/COPYUID with the new UIDs", "RFC 4315", true},
	{"IDLE", GroupSync, "IDLE: the server pushes new mail and changes as they happen", "RFC 2177", true},
	{"NOTIFY", GroupSync, "NOTIFY: push events for several mailboxes", "RFC 5465", false},
	{"UIDONLY", GroupSync, "UIDONLY: messages are named by UID only, no sequence numbers", "RFC 9586", false},
	{"ENABLE", GroupOther, "ENABLE turns on extensions that change responses", "RFC 5161", true},
	{"UNSELECT", GroupOther, "UNSELECT leaves a mailbox without expunging", "RFC 3691", true},
	{"MOVE", GroupOther, "MOVE and UID MOVE move messages in one step", "RFC 6851", true},
	{"REPLACE", GroupOther, "REPLACE swaps a message for a new version in one step", "RFC 8508", false},
	{"COMPRESS=", GroupOther, "COMPRESS compresses the session (imapsh: --compress, or COMPRESS DEFLATE)", "RFC 4978", false},
	{"URL-PARTIAL", GroupOther, "URLs of URLAUTH may name a slice of a part", "RFC 5550", false},
	{"URLAUTH", GroupOther, "URLAUTH issues URLs that give access to a message part", "RFC 4467", false},
	{"CONVERT", GroupOther, "CONVERT fetches parts converted to another format", "RFC 5259", false},
	{"XAPPLEPUSHSERVICE", GroupOther, "Apple's push notifications for iOS Mail", "Apple, no RFC", false},
}

// lookupCap finds a capability's entry: the exact name, else the family
// whose prefix it starts with (AUTH=PLAIN is AUTH=).
func lookupCap(name string) (capInfo, bool) {
	up := strings.ToUpper(name)
	for _, c := range capTable {
		if c.Name == up {
			return c, true
		}
	}
	for _, c := range capTable {
		if (strings.HasSuffix(c.Name, "=") || strings.HasSuffix(c.Name, "-")) && strings.HasPrefix(up, c.Name) {
			return c, true
		}
	}
	// APPENDLIMIT=35882577 is APPENDLIMIT.
	if base, _, ok := strings.Cut(up, "="); ok {
		for _, c := range capTable {
			if c.Name == base {
				return c, true
			}
		}
	}
	return capInfo{}, false
}

// inRev2 reports whether IMAP4rev2 includes the capability.
func inRev2(name string) bool {
	c, ok := lookupCap(name)
	return ok && c.Rev2
}

// CapabilityHelp explains a capability name for help.
func CapabilityHelp(name string) (string, bool) {
	c, ok := lookupCap(name)
	if !ok {
		return "", false
	}
	s := strings.ToUpper(name) + "  (capability; " + c.RFC + ")\n" + upperFirst(c.Meaning) + "."
	if c.Rev2 {
		s += " IMAP4rev2 includes it."
	}
	return s + "\nType caps to see what this server offers.", true
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
