package teach

// sessionCommands are the commands valid in any state and before login
// (RFC 9051 sections 6.1 and 6.2, RFC 3501 sections 6.1 and 6.2).
var sessionCommands = []Command{
	{
		Name: "CAPABILITY", Syntax: "CAPABILITY", State: AnyState,
		Summary: "what this server supports (the list changes after STARTTLS and login)",
		Text: "Asks the server which IMAP versions, authentication mechanisms and extensions it offers. " +
			"Servers often send the list unasked, in the greeting or in the OK of a login, as a [CAPABILITY ...] code; " +
			"the list may differ after STARTTLS and after login (Gmail adds capabilities once it knows the user). " +
			"Type caps to see the list grouped and explained.",
		Replies: "untagged CAPABILITY with the list; tagged OK (BAD only for a typo).",
		RFC:     "RFC 9051 section 6.1.1; RFC 3501 section 6.1.1",
		Example: []Step{{"CAPABILITY", OK}},
		See:     []string{"caps", "ENABLE"},
	},
	{
		Name: "NOOP", Syntax: "NOOP", State: AnyState,
		Summary: "does nothing; the server may use it to send news (new mail, expunges)",
		Text: "Does nothing, successfully. A server may send untagged updates (EXISTS, EXPUNGE, FETCH) at any time, " +
			"and a NOOP gives it the occasion: it is how a client without IDLE polls for new mail, and it keeps an idle connection from timing out.",
		Replies: "any pending untagged updates; tagged OK.",
		RFC:     "RFC 9051 section 6.1.2; RFC 3501 section 6.1.2",
		Example: []Step{{"SELECT INBOX", OK}, {"NOOP", OK}},
		See:     []string{"IDLE", "CHECK"},
	},
	{
		Name: "LOGOUT", Syntax: "LOGOUT", State: AnyState,
		Summary: "ends the session: the server says BYE and closes the connection",
		Text: "Tells the server you are done. It answers with an untagged BYE, then the tagged OK, and closes the connection. " +
			"imapsh sends it for you at the end of a script, on quit, exit or Ctrl-D. A selected mailbox is closed without expunging.",
		Replies: "untagged BYE; tagged OK.",
		RFC:     "RFC 9051 section 6.1.3; RFC 3501 section 6.1.3",
		Example: []Step{{"LOGOUT", OK}},
		See:     []string{"BYE"},
	},
	{
		Name: "ID", Syntax: `ID ("name" "value" ...) | ID NIL`, State: AnyState, Needs: "ID",
		Summary: "client and server tell each other their name and version",
		Text: "Sends the client's identification (field and value pairs such as \"name\" \"imapsh\", or NIL for none) and asks for the server's. " +
			"Meant for statistics and bug reports: a server must not change its behaviour because of it (some, such as NetEase's, refuse SELECT until a client has sent one). " +
			"Only for servers that advertise ID. The id helper (or --id after login) sends imapsh's name and version.",
		Replies: "untagged ID with the server's fields (or ID NIL); tagged OK; BAD where ID is not supported.",
		RFC:     "RFC 2971 section 3.1 (command), 3.2 (response)",
		Example: []Step{{`ID ("name" "imapsh")`, BAD}},
		Demo:    "the demo server does not implement ID (it does not advertise it) and answers BAD Unknown command.",
		See:     []string{"CAPABILITY"},
	},
	{
		Name: "STARTTLS", Syntax: "STARTTLS", State: NotAuthenticated,
		Summary: "turns a plain connection (port 143) into a TLS one",
		Text: "Starts TLS on a connection that began in clear, before any login, where the server advertises STARTTLS. Everything the server said before TLS, " +
			"its capabilities included, must be forgotten and asked again. imapsh does this itself when you connect with " +
			"imap://HOST or --starttls, and refuses STARTTLS typed at the prompt: it must happen before anything else, " +
			"and imapsh never goes on in clear if it fails.",
		Replies: "tagged OK, then the TLS handshake; BAD if TLS is already active or not offered.",
		RFC:     "RFC 9051 section 6.2.1; RFC 3501 section 6.2.1",
		Example: []Step{{"STARTTLS", Refused}},
		Demo:    "imapsh does not send it: reconnect with --starttls (or imap://HOST) instead.",
		See:     []string{"caps", "LOGINDISABLED"},
	},
	{
		Name: "AUTHENTICATE", Syntax: "AUTHENTICATE mechanism [initial-response]", State: NotAuthenticated,
		Summary: "logs in with a SASL mechanism (PLAIN, CRAM-MD5, SCRAM-..., XOAUTH2)",
		Text: "Logs in with one of the SASL mechanisms the server lists as AUTH=... in its capabilities. " +
			"The server answers with continuation requests (+ base64-challenge) and the client with base64 lines, until the tagged answer; " +
			"* alone cancels. With SASL-IR (or IMAP4rev2) the first client message may follow the mechanism on the same line. " +
			"imapsh's login helper does this for PLAIN without echoing the password.",
		Replies: "continuation requests (+); tagged OK (often with [CAPABILITY ...]); NO for bad credentials; BAD if cancelled or already logged in.",
		RFC:     "RFC 9051 section 6.2.2; RFC 3501 section 6.2.2; RFC 4959 (SASL-IR)",
		Example: []Step{{"AUTHENTICATE PLAIN", BAD}},
		Demo:    "the demo has logged you in already, so the server answers BAD [CLIENTBUG]: AUTHENTICATE is only valid before login.",
		See:     []string{"LOGIN", "login", "caps"},
	},
	{
		Name: "LOGIN", Syntax: "LOGIN user password", State: NotAuthenticated,
		Summary: "logs in with a user name and a password in clear (use it over TLS only)",
		Text: "Logs in with a plain user name and password. Both are astrings: quote them if they contain spaces or specials, " +
			"or send them as literals. A server may refuse LOGIN before TLS (LOGINDISABLED). " +
			"Typed at the prompt the password is hidden from the screen and the history; the login USER helper asks for it without echo.",
		Replies: "tagged OK (often with [CAPABILITY ...]); NO for bad credentials; BAD if already logged in.",
		RFC:     "RFC 9051 section 6.2.3; RFC 3501 section 6.2.3",
		Example: []Step{{"LOGIN demo demo", BAD}},
		Demo:    "the demo has logged you in already, so the server answers BAD [CLIENTBUG]: LOGIN is only valid before login.",
		See:     []string{"AUTHENTICATE", "login"},
	},
}
