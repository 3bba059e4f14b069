package helpers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// killPlan is what kill is about to do.
type killPlan struct {
	box       string
	uid       uint32
	uidplus   bool     // UID EXPUNGE removes only the target
	others    []uint32 // other \Deleted messages: a bare EXPUNGE would take them
	hadDelete bool     // the target carried \Deleted already
}

// killHelper deletes exactly one message: it marks it \Deleted and
// expunges it with UID EXPUNGE where the server has it (RFC 4315), else
// with a bare EXPUNGE once no other message carries \Deleted. It needs
// only the UID and flags of the message, which a server gives even for a
// message it cannot deliver. It follows the EXPUNGE responses of all its
// commands, and confirms at the end with UID SEARCH UID n that the target
// is gone.
func (t *tool) killHelper(args string) error {
	words, err := helperArgs(args)
	if err != nil {
		return &LineError{"kill: " + err.Error()}
	}
	words, validity, err := takeValue(words, "--uidvalidity")
	if err != nil {
		return &LineError{"kill: " + err.Error()}
	}
	rest, opts, err := takeFlags(words, "--yes", "--force", "--uidvalidity")
	if err != nil {
		return &LineError{"kill: " + err.Error()}
	}
	if len(rest) != 1 {
		return &LineError{"usage: kill [--yes] [--force] [--uidvalidity N] UID (or kill #SEQ): deletes exactly that message"}
	}
	snap := t.env.State()
	if snap.Conn != session.Selected || snap.ReadOnly {
		return &LineError{"kill needs a mailbox selected read-write: SELECT it (EXAMINE and read-only mailboxes cannot be changed)"}
	}
	if !t.env.Interactive() && !opts["--yes"] {
		return &LineError{"kill deletes a message for good; in a script it asks no question, so it needs --yes (kill --yes UID). Nothing was sent."}
	}
	if validity != "" {
		v, err := strconv.ParseUint(validity, 10, 32)
		switch {
		case err != nil || v == 0:
			return &LineError{fmt.Sprintf("kill: --uidvalidity %q is not a UIDVALIDITY (a number from 1 to 4294967295). Nothing was sent.", validity)}
		case snap.UIDValidity == 0:
			return &LineError{fmt.Sprintf("kill: refused: the server has not told the UIDVALIDITY of %s, so --uidvalidity %d cannot be checked. Nothing was sent.", DisplayMailbox(snap.Mailbox), v)}
		case uint32(v) != snap.UIDValidity:
			return &LineError{fmt.Sprintf("kill: refused: %s has UIDVALIDITY %d, not %d: its UIDs have been renumbered since, and UID %s may name another message. Nothing was sent.",
				DisplayMailbox(snap.Mailbox), snap.UIDValidity, v, rest[0])}
		}
	}
	uid, err := t.targetUID("kill", rest[0])
	if err != nil {
		return err
	}
	t.start(uid)
	s, err := t.whereis()
	if err != nil {
		return err
	}
	p := killPlan{box: snap.Mailbox, uid: uid, uidplus: t.env.Has("UIDPLUS") || t.env.Has("IMAP4REV2")}
	if p.uidplus {
		if s.item("FLAGS").Good() {
			p.hadDelete = hasFlag(s.info.Flags, `\Deleted`)
		} else if p.hadDelete, err = t.isDeleted(); err != nil {
			return err
		}
	} else {
		deleted, err := t.deletedUIDs()
		if err != nil {
			return err
		}
		p.hadDelete = slices.Contains(deleted, uid)
		p.others = slices.DeleteFunc(deleted, func(u uint32) bool { return u == uid })
		if len(p.others) > 0 && !opts["--force"] {
			t.Error("kill: refused, nothing was changed. This server has no UID EXPUNGE (no UIDPLUS), and a bare EXPUNGE\n"+
				"would also remove the %s already marked \\Deleted: UIDs %s.\n"+
				"Expunge those first if you mean to, or pass --force: kill then takes \\Deleted off them, expunges\n"+
				"UID %d alone and puts \\Deleted back on them.", count(len(p.others), "other message"), listUIDs(p.others), uid)
			return ErrFailed
		}
	}
	t.Plain("%s", p.describe())
	if !opts["--yes"] {
		answer, err := t.env.Confirm(fmt.Sprintf("kill UID %d in %s? type yes to confirm: ", uid, DisplayMailbox(p.box)))
		if err != nil || strings.TrimSpace(answer) != "yes" {
			t.Note("kill cancelled: nothing was changed")
			return nil
		}
	}
	if err := t.validityChanged("nothing was changed"); err != nil {
		return err
	}
	k := &killRun{tool: t, p: p}
	return k.carryOut()
}

// describe lists the commands kill will send, and the risks.
func (p killPlan) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kill will delete UID %d from %s, and nothing else:", p.uid, DisplayMailbox(p.box))
	set := formatSet(p.others)
	if len(p.others) > 0 {
		fmt.Fprintf(&b, "\n  UID STORE %s -FLAGS.SILENT (\\Deleted)   take \\Deleted off the %s for now", set, count(len(p.others), "other"))
	}
	fmt.Fprintf(&b, "\n  UID STORE %d +FLAGS.SILENT (\\Deleted)", p.uid)
	if p.uidplus {
		fmt.Fprintf(&b, "\n  UID SEARCH UID %d DELETED   check that the server did mark it", p.uid)
		fmt.Fprintf(&b, "\n  UID EXPUNGE %d", p.uid)
		fmt.Fprintf(&b, "\n  UID SEARCH UID %d   check that it is gone", p.uid)
		return b.String()
	}
	b.WriteString("\n  UID SEARCH DELETED   check that the target is the only \\Deleted message")
	b.WriteString("\n  EXPUNGE              (the server has no UID EXPUNGE)")
	if len(p.others) > 0 {
		fmt.Fprintf(&b, "\n  UID STORE %s +FLAGS.SILENT (\\Deleted)   put \\Deleted back", set)
		b.WriteString("\n  UID SEARCH DELETED   check that it is back")
	}
	fmt.Fprintf(&b, "\n  UID SEARCH UID %d   check that it is gone", p.uid)
	if len(p.others) > 0 {
		b.WriteString("\nrisks: another client could mark a message \\Deleted between the check and the EXPUNGE, and it")
		b.WriteString("\nwould go too; if the connection drops between the steps, the others keep their messages")
		fmt.Fprintf(&b, "\nbut lose their \\Deleted flag (UIDs %s). Ctrl-C, SIGTERM and SIGHUP wait until it is back.", set)
	}
	return b.String()
}

// deletedUIDs returns the UIDs of the messages marked \Deleted.
func (t *tool) deletedUIDs() ([]uint32, error) {
	res, ok, err := t.searchUIDs("DELETED")
	if err != nil {
		return nil, err
	}
	if !ok {
		t.Error("kill: UID SEARCH DELETED failed, so kill cannot tell what an EXPUNGE would remove; nothing was changed")
		return nil, ErrFailed
	}
	return res.All, nil
}

// isDeleted asks whether the target carries \Deleted, without fetching
// its flags (which a server may withhold).
func (t *tool) isDeleted() (bool, error) {
	res, ok, err := t.searchUIDs(fmt.Sprintf("UID %d DELETED", t.tr.uid))
	if err != nil {
		return false, err
	}
	if !ok {
		t.Error("kill: UID SEARCH UID %d DELETED failed, so kill cannot tell whether the message is marked", t.tr.uid)
		return false, ErrFailed
	}
	return slices.Contains(res.All, t.tr.uid), nil
}

// store sends UID STORE set ±FLAGS.SILENT (\Deleted).
func (t *tool) store(set, op string) (bool, error) {
	o, err := t.run(&session.Command{Text: fmt.Sprintf(`UID STORE %s %sFLAGS.SILENT (\Deleted)`, set, op)}, nil)
	if err != nil {
		return false, err
	}
	return o.Status().Name == "OK", nil
}

// validityChanged reports an unsolicited UIDVALIDITY change: the UIDs kill
// works with may now name other messages, so it sends nothing more by
// UID. done says what kill has changed so far.
func (t *tool) validityChanged(done string) error {
	v := t.tr.newValidity
	if now := t.env.State().UIDValidity; v == 0 && t.tr.validity != 0 && now != t.tr.validity {
		v = now
	}
	if v == 0 {
		return nil
	}
	t.Error("kill: refused: the server announced UIDVALIDITY %d for %s during kill (it was %d): its UIDs have been renumbered, and UID %d may now name another message. kill sends nothing more; %s. SELECT the mailbox again and look before you retry.",
		v, DisplayMailbox(t.env.State().Mailbox), t.tr.validity, t.tr.uid, done)
	return ErrFailed
}
