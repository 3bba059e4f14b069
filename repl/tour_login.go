package repl

import (
	"fmt"
	"strings"
)

// tourLogin is the tour's first chapter: what the server offers, the
// states, and two ways to log in.
var tourLogin = []tourStep{{
	title: "CAPABILITY: what can this server do?",
	intro: `Every command you send starts with a tag (imapsh writes a001, a002 ... for you);
the server answers with untagged lines (* ...) that carry data, and ends the
command with a tagged line that has the same tag: OK, NO (refused) or BAD
(not understood). The tour starts before login, as every connection does.`,
	cmd:   "CAPABILITY",
	needs: tourNeeds{notAuth: true},
	explain: func(sh *Shell, r tourResult) string {
		var auth []string
		for _, c := range r.untagged("CAPABILITY") {
			for _, w := range strings.Fields(string(c.raw)) {
				if strings.HasPrefix(strings.ToUpper(w), "AUTH=") {
					auth = append(auth, w)
				}
			}
		}
		s := "The * CAPABILITY line is untagged: data, not the end of the command; the\n" +
			"tagged " + r.status().Name + " that follows ends it. IMAP4rev1 and IMAP4rev2 are the protocol's\n" +
			"versions; LITERAL- says short literals need not wait for the server (step 11)."
		if len(auth) > 0 {
			s += "\n" + strings.Join(auth, " ") + ": the ways this server lets you log in\n(SASL mechanisms)."
		}
		return s
	},
}, {
	title: "LOGIN: the simplest way in",
	intro: `A connection is in one of three states: not authenticated (now), authenticated
(logged in), selected (a mailbox open). The sandbox's user is demo, its password
demo. LOGIN sends both as they are: on a real server, only ever inside TLS.`,
	cmd:   "LOGIN demo demo",
	needs: tourNeeds{notAuth: true},
	explain: func(sh *Shell, r tourResult) string {
		st := r.status()
		if st.Name != "OK" {
			return "The server answered " + st.Name + ": you are still not authenticated. (The sandbox's user and password are demo and demo.)"
		}
		s := "OK: you are in the authenticated state; the prompt shows who you are."
		if _, ok := r.code("CAPABILITY"); ok {
			s += "\nThe OK carries [CAPABILITY ...]: after login the server offers more (MOVE,\nUIDPLUS, IDLE ...) and tells you at once, so you need not ask again."
		}
		return s
	},
}, {
	title: "UNAUTHENTICATE: back to the start",
	intro: `To try another way of logging in, this sandbox offers UNAUTHENTICATE (RFC 8437),
which takes the connection back to the not-authenticated state. Most servers do
not offer it: there you would LOGOUT and connect again.`,
	cmd:   "UNAUTHENTICATE",
	needs: tourNeeds{auth: true},
	explain: func(sh *Shell, r tourResult) string {
		if r.status().Name != "OK" {
			return "The server answered " + r.status().Name + "."
		}
		return "OK, and nothing else: you are not authenticated any more."
	},
}, {
	title: "AUTHENTICATE CRAM-MD5: no password on the wire",
	intro: `AUTHENTICATE runs a SASL exchange: the server sends challenges as continuation
requests (a line "+ " and base64), and you answer each with one line of base64.
With CRAM-MD5 the challenge is a unique string; the answer is your user name
and a keyed hash (HMAC-MD5) of the challenge, with the password as the key.
The password itself never crosses the wire. imapsh works out the answer here.`,
	cmd:    "AUTHENTICATE CRAM-MD5",
	needs:  tourNeeds{notAuth: true},
	answer: tourCRAM,
	explain: func(sh *Shell, r tourResult) string {
		st := r.status()
		switch {
		case st.Name == "OK":
			sh.st.SetUser(sh.cfg.DemoUser)
			return "OK: logged in again, this time by proving you know the password.\n" +
				"The + line was a continuation request: the server waiting for more from\n" +
				"you. You will see + again, before a literal."
		case st.Name == "":
			return "The exchange is not over: the server still waits for an answer line."
		}
		return "The server answered " + st.Name + ": the answer did not match (wrong user or password)."
	},
}, {
	title: "LIST: the mailboxes",
	intro: `LIST reference pattern: "" is no reference, * matches every name at every
level (% would stop at the hierarchy delimiter).`,
	cmd:   `LIST "" "*"`,
	needs: tourNeeds{auth: true},
	explain: func(sh *Shell, r tourResult) string {
		n := len(r.untagged("LIST"))
		s := fmt.Sprintf("%d * LIST lines: attributes in parentheses, the hierarchy delimiter (\"/\"),\n", n) +
			"then the name. \\HasChildren: Work has Work/Projects below it. \\Sent, \\Drafts,\n" +
			"\\Archive tell a client what a mailbox is for (special use)."
		if strings.Contains(string(joinRaw(r.untagged("LIST"))), "Entw&APw-rfe") {
			s += "\n\"Entw&APw-rfe\" is Entwürfe: IMAP4rev1 names are 7-bit ASCII, so ü is written in\n" +
				"modified UTF-7 (&APw-). To open it: SELECT \"Entw&APw-rfe\"."
		}
		return s
	},
}}
