package repl

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// tourStep is one step of the tour.
type tourStep struct {
	title string
	intro string
	cmd   string // the line the step runs on Enter, and that typing matches
	show  string // what to show instead of cmd (an APPEND with its message)
	// script replaces cmd in a script (kill asks at the terminal only).
	script string
	needs  tourNeeds
	run    func(sh *Shell) error // runs the step on Enter instead of cmd
	// answer answers the continuation request the command leaves waiting
	// (AUTHENTICATE's challenge), however the command was sent.
	answer  func(sh *Shell) error
	accepts func(typed string) bool
	explain func(sh *Shell, r tourResult) string
}

const tourWelcome = `Welcome to the imapsh tour of IMAP (RFC 9051, RFC 3501), against the sandbox.
Each step shows a command: press Enter and imapsh sends it, or type it yourself
(try your own commands too: the step waits). skip goes to the next step, stop
leaves the tour; tour N starts at step N, tour list shows them all.
Lines marked C: are what your client sends, S: what the server sends; lines
with # are imapsh's own, like this one.`

const tourEnd = `
── the end of the tour ──
You have seen tags and tagged completions (OK, NO, BAD), untagged data (*),
the states (not authenticated, authenticated, selected), sequence numbers
that shift and UIDs that stay, literals ({N} and the + that lets them go),
and two ways to log in. help lists every command (help FETCH, help EXISTS),
explain on notes what each response means, and you can paste a transcript
from a tutorial: C: and S: prefixes are understood, server lines skipped.`

// tourMessage is the message the APPEND step sends.
const tourMessage = "Subject: Hello from the tour\r\n\r\nWritten by hand, counted by imapsh.\r\n"

var tourSteps = []tourStep{{
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
}, {
	title: "SELECT: open a mailbox",
	intro: `SELECT opens a mailbox; the server tells you about it in untagged lines first.`,
	cmd:   "SELECT INBOX",
	needs: tourNeeds{auth: true},
	explain: func(sh *Shell, r tourResult) string {
		if r.status().Name != "OK" {
			return "The server answered " + r.status().Name + ": no mailbox is selected."
		}
		exists := r.numbers("EXISTS")
		next, _ := r.code("UIDNEXT")
		valid, _ := r.code("UIDVALIDITY")
		unseen, hasUnseen := r.code("UNSEEN")
		var b strings.Builder
		if len(exists) > 0 {
			fmt.Fprintf(&b, "* %d EXISTS: INBOX holds %d messages, numbered 1 to %d: their sequence numbers.\n", exists[0], exists[0], exists[0])
		}
		fmt.Fprintf(&b, "Each message also has a UID, which never changes and is never given again\n(as long as [UIDVALIDITY %s] stays the same). [UIDNEXT %s]: the next message\ngets UID %s", valid, next, next)
		if len(exists) > 0 {
			fmt.Fprintf(&b, ", yet only %d are here: mail was expunged before, its UIDs gone.", exists[0])
		} else {
			b.WriteString(".")
		}
		if hasUnseen {
			fmt.Fprintf(&b, "\n[UNSEEN %s] is a sequence number: the first message without \\Seen.", unseen)
		}
		b.WriteString("\nFLAGS lists the flags that apply here; [READ-WRITE]: you may change things\n(EXAMINE would open it read-only). You are in the selected state now.")
		return b.String()
	},
}, {
	title: "FETCH by sequence number",
	intro: `FETCH set (items) asks for data about messages. 1:5 is a set of sequence
numbers; UID and FLAGS are items.`,
	cmd:   "FETCH 1:5 (UID FLAGS)",
	needs: tourNeeds{mailbox: "INBOX"},
	explain: func(sh *Shell, r tourResult) string {
		var pairs []string
		for _, fd := range r.fetches() {
			if fd.UID() != 0 && fd.UID() != fd.Seq {
				pairs = append(pairs, fmt.Sprintf("number %d is UID %d", fd.Seq, fd.UID()))
			}
		}
		s := "Each * N FETCH names a message by its sequence number N."
		if len(pairs) > 0 {
			if len(pairs) > 3 {
				pairs = pairs[:3]
			}
			s += " They are not the UIDs:\n" + strings.Join(pairs, ", ") + "."
		}
		return s + "\nSequence numbers are positions: they move when messages are expunged (step 14).\nUIDs stay: a program that syncs mail remembers UIDs."
	},
}, {
	title: "FETCH by UID, and a literal from the server",
	intro: `UID FETCH takes UIDs instead of sequence numbers. BODY.PEEK[HEADER.FIELDS
(FROM SUBJECT)] asks for two header fields; PEEK: without setting \Seen.`,
	cmd:   "UID FETCH 7 (FLAGS BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])",
	needs: tourNeeds{mailbox: "INBOX"},
	explain: func(sh *Shell, r tourResult) string {
		fds := r.fetches()
		if len(fds) == 0 {
			return "No * FETCH came: there is no message with UID 7 now (UIDs never come back),\nand the server still says OK: a UID set may name messages that are gone."
		}
		s := fmt.Sprintf("The answer is still numbered by sequence number (* %d FETCH) and carries\nthe UID (UID %d) because you asked by UID.", fds[0].Seq, fds[0].UID())
		for _, x := range r.untagged("FETCH") {
			if len(x.sizes) > 0 {
				s += fmt.Sprintf("\n{%d} is a literal: the server announces %d octets, then sends exactly\nthat many, line ends and all; the response goes on after them (the \")\").", x.sizes[0], x.sizes[0])
				break
			}
		}
		return s
	},
}, {
	title: "STORE: change flags",
	intro: `STORE set +FLAGS (flags) adds flags, -FLAGS removes them, FLAGS replaces them.`,
	cmd:   `STORE 2 +FLAGS (\Flagged)`,
	needs: tourNeeds{mailbox: "INBOX"},
	explain: func(sh *Shell, r tourResult) string {
		s := "The server answers with the message's flags as they are now"
		if fds := r.fetches(); len(fds) > 0 {
			flags, _ := fds[0].Flags()
			s += fmt.Sprintf(": (%s)", strings.Join(flags, " "))
		}
		return s + ".\n+FLAGS.SILENT would change them without that answer. \\Flagged marks it important;\n\\Seen, \\Answered, \\Deleted and \\Draft are the other system flags."
	},
}, {
	title: "SEARCH: let the server find messages",
	intro: `SEARCH criteria returns the numbers of the messages that match: UNSEEN,
FROM "alice", SUBJECT "report", SINCE 1-Mar-2026, combined with NOT and OR.`,
	cmd:   "SEARCH UNSEEN",
	needs: tourNeeds{mailbox: "INBOX"},
	explain: func(sh *Shell, r tourResult) string {
		nums := r.searched()
		s := "* SEARCH lists sequence numbers"
		if len(nums) > 0 {
			s += fmt.Sprintf(" (%d messages without \\Seen)", len(nums))
		}
		return s + ".\nUID SEARCH UNSEEN would list their UIDs: what a program should keep, since\nsequence numbers shift."
	},
}, {
	title: "APPEND: put a message in, with a literal",
	intro: fmt.Sprintf(`APPEND mailbox (flags) {N} adds a message. The message goes as a literal: {N}
announces N octets; with {N} the client waits for the server's "+" before it
sends them. Every octet counts: each line and its CRLF. This one is %d.
Press Enter and the tour sends it; or type the line and then the message's
three lines yourself: imapsh reads them before it sends anything, and checks
the count (one octet short, and the server would answer BAD, or worse).`, len(tourMessage)),
	cmd:   fmt.Sprintf(`APPEND INBOX (\Seen) {%d}`, len(tourMessage)),
	show:  fmt.Sprintf("APPEND INBOX (\\Seen) {%d}\n%s", len(tourMessage), strings.TrimRight(strings.ReplaceAll(tourMessage, "\r\n", "\n"), "\n")),
	needs: tourNeeds{mailbox: "INBOX"},
	run:   tourAppend,
	accepts: func(typed string) bool {
		_, text := tagger.Split(strings.TrimSpace(typed), wire.IsCommand)
		name, _ := commandName(text)
		return name == "APPEND"
	},
	explain: func(sh *Shell, r tourResult) string {
		if r.status().Name != "OK" {
			return "The server answered " + r.status().Name + ": the message was not added."
		}
		s := "The + line was the server's go-ahead; then the octets went (C: [N octets ...])\nand a CRLF ended the command."
		if v, ok := r.code("APPENDUID"); ok {
			f := strings.Fields(v)
			if len(f) == 2 {
				s += fmt.Sprintf("\n[APPENDUID %s %s]: the new message's UID is %s (in UIDVALIDITY %s).", f[0], f[1], f[1], f[0])
			}
		}
		if n := r.numbers("EXISTS"); len(n) > 0 {
			s += fmt.Sprintf("\n* %d EXISTS: INBOX, which you have open, now holds %d messages.", n[0], n[0])
		}
		return s + "\nWithout counting: APPEND INBOX <file.eml, or APPEND INBOX <<EOF ... EOF; imapsh\ncounts, and with LITERAL- (step 1) sends {N+}, which need not wait for the +."
	},
}, {
	title: "COPY: a copy in another mailbox",
	intro: `COPY set mailbox copies messages; the originals stay. (MOVE would copy and
remove them in one command.)`,
	cmd:   "COPY 3 Archive",
	needs: tourNeeds{mailbox: "INBOX"},
	explain: func(sh *Shell, r tourResult) string {
		if v, ok := r.code("COPYUID"); ok {
			f := strings.Fields(v)
			if len(f) == 3 {
				return fmt.Sprintf("[COPYUID %s %s %s]: in Archive (UIDVALIDITY %s), the copy of UID %s is UID %s.\nUIDs belong to one mailbox: the same message has another UID there.", f[0], f[1], f[2], f[0], f[1], f[2])
			}
		}
		return "The server answered " + r.status().Name + "."
	},
}, {
	title: "STORE \\Deleted: mark a message for removal",
	intro: `Deleting is two steps in IMAP: mark the message \Deleted, then EXPUNGE.
Marked messages are still there, and -FLAGS (\Deleted) unmarks them.`,
	cmd:   `STORE 3 +FLAGS (\Deleted)`,
	needs: tourNeeds{mailbox: "INBOX"},
	explain: func(sh *Shell, r tourResult) string {
		return "Message 3 now carries \\Deleted. Other messages here were marked \\Deleted before\nyou came (FETCH 1:* FLAGS shows them): the next step matters."
	},
}, {
	title: "EXPUNGE: remove, and watch the numbers move",
	intro: `EXPUNGE removes every message marked \Deleted: not only the one you marked.
At the terminal imapsh shows which UIDs would go and asks first (the danger
of the poison-message story ahead).`,
	cmd:   "EXPUNGE",
	needs: tourNeeds{mailbox: "INBOX"},
	explain: func(sh *Shell, r tourResult) string {
		if r.notSent() {
			return "You kept them: EXPUNGE was not sent, nothing was removed. (The next step still\nshows how numbers work.)"
		}
		nums := r.numbers("EXPUNGE")
		if len(nums) == 0 {
			return "Nothing carried \\Deleted: nothing was removed."
		}
		parts := make([]string, len(nums))
		for i, n := range nums {
			parts[i] = fmt.Sprintf("* %d EXPUNGE", n)
		}
		last := nums[len(nums)-1]
		return fmt.Sprintf("%s: %d messages went.\n", strings.Join(parts, ", "), len(nums)) +
			"Each names a sequence number as it stands when that line arrives, and every\n" +
			fmt.Sprintf("message after it moves down one: after * %d EXPUNGE, the message that was\nnumber %d is number %d.", last, last+1, last)
	},
}, {
	title: "Renumbering",
	intro: `Ask again for the UID of message 3.`,
	cmd:   "FETCH 3 (UID)",
	needs: tourNeeds{mailbox: "INBOX"},
	explain: func(sh *Shell, r tourResult) string {
		if fds := r.fetches(); len(fds) > 0 {
			return fmt.Sprintf("Sequence number 3 is UID %d now (before, it was UID 7): same number, another\nmessage. That is why clients keep UIDs, and why UIDVALIDITY matters: if it\nchanges, every UID the client kept is void.", fds[0].UID())
		}
		return "No answer for message 3: the mailbox holds fewer messages now."
	},
}, {
	title: "The poison message: a true story",
	intro: `A user's sync tool (OfflineIMAP) kept dying on one message of an Exchange
mailbox: the server listed it, with a UID and flags, but never delivered its
body. The mailbox Poison replays that.`,
	cmd:   "SELECT Poison",
	needs: tourNeeds{auth: true},
	explain: func(sh *Shell, r tourResult) string {
		unseen, _ := r.code("UNSEEN")
		n := r.numbers("EXISTS")
		if len(n) == 0 {
			return "The server answered " + r.status().Name + "."
		}
		return fmt.Sprintf("%d messages; [UNSEEN %s]: message %s is the first unseen. It is the one (UID 22).", n[0], unseen, unseen)
	},
}, {
	title: "Ask for its body",
	intro: `Fetch the whole message (BODY.PEEK[]) by its UID, as a sync tool does.`,
	cmd:   "UID FETCH 22 (BODY.PEEK[])",
	needs: tourNeeds{mailbox: "Poison"},
	explain: func(sh *Shell, r tourResult) string {
		if len(r.fetches()) > 0 {
			return "This time the server delivered it."
		}
		return fmt.Sprintf("The server said %s and sent nothing: no * FETCH at all for UID 22. A sync tool\nthat asked for the body is left empty-handed (\"server does not have a message\nwith UID 22\"), though SELECT counted it and SEARCH lists it.", r.status().Name)
	},
}, {
	title: "whereis: find it",
	intro: `imapsh's helpers do the detective work and show the IMAP they send. A bare
number is a UID.`,
	cmd:   "whereis 22",
	needs: tourNeeds{mailbox: "Poison"},
	explain: func(sh *Shell, r tourResult) string {
		return "whereis asked for the message's metadata (its sequence number, flags, size,\ndates, From and Subject), one item at a time when all at once brings nothing.\nIts summary says what this server gives for UID 22 and what it withholds."
	},
}, {
	title: "probe: what does the server deliver?",
	intro: `probe asks for each part of the message, one FETCH at a time.`,
	cmd:   "probe 22",
	needs: tourNeeds{mailbox: "Poison"},
	explain: func(sh *Shell, r tourResult) string {
		return "Some metadata comes; the content never does: a message the server lists but\ncannot serve. save 22 FILE would keep whatever it does send."
	},
}, {
	title: "kill: remove exactly that message",
	intro: `The user in the story marked it \Deleted and sent a bare EXPUNGE, which would
also remove every other message marked \Deleted. kill marks only UID 22 and
expunges only it (UID EXPUNGE, from UIDPLUS); at the terminal it asks first.`,
	cmd:    "kill 22",
	script: "kill --yes 22",
	accepts: func(typed string) bool {
		return strings.EqualFold(strings.Join(strings.Fields(typed), " "), "kill --yes 22")
	},
	needs: tourNeeds{mailbox: "Poison"},
	explain: func(sh *Shell, r tourResult) string {
		if len(r.numbers("EXPUNGE")) == 0 {
			return "Nothing was removed."
		}
		return "UID EXPUNGE 22 removed that message and no other: one * EXPUNGE."
	},
}, {
	title: "Check: the others are still there",
	intro: `UID SEARCH DELETED lists the messages still marked \Deleted.`,
	cmd:   "UID SEARCH DELETED",
	needs: tourNeeds{mailbox: "Poison"},
	explain: func(sh *Shell, r tourResult) string {
		nums := r.searched()
		if len(nums) == 0 {
			return "None are left."
		}
		return fmt.Sprintf("%s: still here, still marked. A bare EXPUNGE would have\ntaken them with UID 22; kill did not.", uidList(nums))
	},
}}

// tourList is the list of steps.
func tourList() string {
	var b strings.Builder
	b.WriteString("The tour's steps (tour N starts at step N):")
	for i, st := range tourSteps {
		fmt.Fprintf(&b, "\n  %2d  %s", i+1, st.title)
	}
	return b.String()
}

// tourCRAM answers the CRAM-MD5 challenge: decoded, the answer worked
// out and shown step by step, sent on Enter.
func tourCRAM(sh *Shell) error {
	if !strings.EqualFold(sh.cont.Name, "AUTHENTICATE") {
		return sh.continueWith(endLine(sh.cont))
	}
	text, _ := sh.lessons.tour.rec.sofar().continuation()
	challenge, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil || len(challenge) == 0 {
		sh.pr.Note("the challenge is not a CRAM-MD5 one (%q): the tour cancels the exchange with *", text)
		return sh.continueWith("*")
	}
	answer := cramAnswer(sh.cfg.DemoUser, sh.cfg.DemoPassword, string(challenge))
	line := base64.StdEncoding.EncodeToString([]byte(answer))
	sh.pr.Plain("The tour works out the answer to %s:\n"+
		"the user name, a space, and HMAC-MD5 of the challenge keyed with the password\n"+
		"%q, in hex:    %s\n"+
		"in base64, the line to send:\n"+
		"                %s", challenge, sh.cfg.DemoPassword, answer, line)
	sh.typedCram = nil // the line is worked out here, not on an empty Enter
	if sh.interactive {
		typed, err := sh.con.ReadLine("Enter sends the tour's line (or type your own)> ")
		if err != nil {
			typed = "*"
			sh.pr.Note("the tour cancels the exchange with *")
		}
		if t := strings.TrimSpace(typed); t != "" {
			line = t
		}
	}
	return sh.continueWith(line)
}

// cramAnswer is a CRAM-MD5 answer before base64 (RFC 2195 section 2).
func cramAnswer(user, password, challenge string) string {
	mac := hmac.New(md5.New, []byte(password))
	mac.Write([]byte(challenge))
	return user + " " + hex.EncodeToString(mac.Sum(nil))
}

// tourAppend sends tourMessage with a synchronizing literal, as a person
// would type it: the line up to {N}, the server's "+", the octets, CRLF.
func tourAppend(sh *Shell) error {
	n := int64(len(tourMessage))
	text := fmt.Sprintf(`APPEND INBOX (\Seen) {%d}`, n)
	o, err := sh.sess.Start(&Command{Text: text})
	if err != nil {
		return sh.startErr(err)
	}
	if ok, err := sh.awaitGoAhead(o, text, n); !ok || err != nil {
		return err
	}
	if err := sh.sess.SendLiteral(o, strings.NewReader(tourMessage), n, "the tour's message", false); err != nil {
		return sh.abortCommand(o, err)
	}
	if err := sh.sess.SendLine(o, "", ""); err != nil {
		return sh.abortCommand(o, err)
	}
	_, err = sh.finishOp(o)
	return err
}

func joinRaw(rs []tourResp) []byte {
	var b []byte
	for _, r := range rs {
		b = append(b, r.raw...)
	}
	return b
}
