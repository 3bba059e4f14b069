package wire

import (
	"slices"
	"strings"
)

// commands are the IMAP command names imapsh knows: RFC 9051, RFC 3501 and
// the common extensions. The server decides what it supports; this list
// serves completion and the detection of a line that carries its own tag.
var commands = []string{
	"APPEND", "AUTHENTICATE", "CAPABILITY", "CHECK", "CLOSE", "COMPRESS",
	"COPY", "CREATE", "DELETE", "DELETEACL", "ENABLE", "EXAMINE", "EXPUNGE",
	"FETCH", "GETACL", "GETMETADATA", "GETQUOTA", "GETQUOTAROOT", "ID", "IDLE",
	"LIST", "LISTRIGHTS", "LOGIN", "LOGOUT", "LSUB", "MOVE", "MYRIGHTS",
	"NAMESPACE", "NOOP", "NOTIFY", "RENAME", "REPLACE", "SEARCH", "SELECT",
	"SETACL", "SETMETADATA", "SETQUOTA", "SORT", "STARTTLS", "STATUS", "STORE",
	"SUBSCRIBE", "THREAD", "UID", "UNAUTHENTICATE", "UNSELECT", "UNSUBSCRIBE",
	"XLIST",
}

// uidCommands are the commands that may follow UID.
var uidCommands = []string{"COPY", "EXPUNGE", "FETCH", "MOVE", "REPLACE", "SEARCH", "SORT", "STORE", "THREAD"}

var commandSet = func() map[string]bool {
	m := make(map[string]bool, len(commands))
	for _, c := range commands {
		m[c] = true
	}
	return m
}()

// IsCommand reports whether name, in any case, is a known IMAP command.
func IsCommand(name string) bool { return commandSet[strings.ToUpper(name)] }

// fetchItems are the FETCH data item names and macros (RFC 9051 section
// 6.4.5, RFC 3501, CONDSTORE, OBJECTID, Gmail's X-GM items).
var fetchItems = []string{
	"ALL", "FAST", "FULL", "BINARY.PEEK[]", "BINARY.SIZE[]", "BINARY[]",
	"BODY", "BODY.PEEK[]", "BODY.PEEK[HEADER]", "BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)]",
	"BODY.PEEK[TEXT]", "BODY[]", "BODY[HEADER]", "BODY[TEXT]", "BODYSTRUCTURE",
	"EMAILID", "ENVELOPE", "FLAGS", "INTERNALDATE", "MODSEQ", "RFC822",
	"RFC822.HEADER", "RFC822.SIZE", "RFC822.TEXT", "SAVEDATE", "THREADID", "UID",
	"X-GM-LABELS", "X-GM-MSGID", "X-GM-THRID",
}

// flags are the system flags (RFC 9051 section 2.3.2) and common keywords.
var flags = []string{`\Answered`, `\Deleted`, `\Draft`, `\Flagged`, `\Seen`, `$Forwarded`, `$Junk`, `$MDNSent`, `$NotJunk`, `$Phishing`}

// Commands returns the IMAP command names imapsh knows (RFC 9051, RFC 3501
// and the common extensions), upper-cased, in a new slice.
func Commands() []string { return slices.Clone(commands) }

// UIDCommands returns the commands that may follow UID, in a new slice.
func UIDCommands() []string { return slices.Clone(uidCommands) }

// FetchItems returns the FETCH data item names and macros (RFC 9051
// section 6.4.5, RFC 3501, CONDSTORE, OBJECTID, Gmail's X-GM items), in a
// new slice.
func FetchItems() []string { return slices.Clone(fetchItems) }

// Flags returns the system flags (RFC 9051 section 2.3.2) and common
// keywords, in a new slice.
func Flags() []string { return slices.Clone(flags) }
