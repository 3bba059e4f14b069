package repl

import (
	"fmt"
	"strings"
)

// tourPoison is the tour's last chapter: the poison-message story of the
// seed, in the sandbox's Poison mailbox.
var tourPoison = []tourStep{{
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
