package repl

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// tourMail is the tour's second chapter: mailboxes, sequence numbers and
// UIDs, flags, searching, a literal, copying, expunging.
var tourMail = []tourStep{{
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
}}
