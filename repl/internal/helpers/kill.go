package helpers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
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
// expunges it with UID EXPUNGE where the server has it, else with a bare
// EXPUNGE once no other message carries \Deleted. It checks the server's
// EXPUNGE responses name the target and nothing else.
func (t *tool) killHelper(args string) error {
	words, err := helperArgs(args)
	if err != nil {
		return &LineError{"kill: " + err.Error()}
	}
	rest, opts, err := takeFlags(words, "--yes", "--force")
	if err != nil {
		return &LineError{"kill: " + err.Error()}
	}
	if len(rest) != 1 {
		return &LineError{"usage: kill [--yes] [--force] UID (or kill #SEQ): deletes exactly that message"}
	}
	snap := t.env.State()
	if snap.Conn != session.Selected || snap.ReadOnly {
		return &LineError{"kill needs a mailbox selected read-write: SELECT it (EXAMINE and read-only mailboxes cannot be changed)"}
	}
	if !t.env.Interactive() && !opts["--yes"] {
		return &LineError{"kill deletes a message for good; in a script it asks no question, so it needs --yes (kill --yes UID). Nothing was sent."}
	}
	uid, err := t.targetUID("kill", rest[0])
	if err != nil {
		return err
	}
	m, err := t.whereis("kill", uid)
	if err != nil {
		return err
	}
	p := killPlan{box: snap.Mailbox, uid: uid, uidplus: t.env.Has("UIDPLUS") || t.env.Has("IMAP4REV2"),
		hadDelete: hasFlag(m.Flags, `\Deleted`)}
	if !p.uidplus {
		deleted, err := t.deletedUIDs()
		if err != nil {
			return err
		}
		p.others = slices.DeleteFunc(deleted, func(u uint32) bool { return u == uid })
		if len(p.others) > 0 && !opts["--force"] {
			t.Error("kill: refused, nothing was changed. This server has no UID EXPUNGE (no UIDPLUS), and a bare EXPUNGE\n"+
				"would also remove the %d other messages already marked \\Deleted: UIDs %s.\n"+
				"Expunge those first if you mean to, or pass --force: kill then takes \\Deleted off them, expunges\n"+
				"UID %d alone and puts \\Deleted back on them.", len(p.others), listUIDs(p.others), uid)
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
	return t.kill(p, m.Seq)
}

// describe lists the commands kill will send, and the risks.
func (p killPlan) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kill will delete UID %d from %s, and nothing else:", p.uid, DisplayMailbox(p.box))
	set := formatSet(p.others)
	if len(p.others) > 0 {
		fmt.Fprintf(&b, "\n  UID STORE %s -FLAGS.SILENT (\\Deleted)   take \\Deleted off the %d others for now", set, len(p.others))
	}
	fmt.Fprintf(&b, "\n  UID STORE %d +FLAGS.SILENT (\\Deleted)", p.uid)
	if p.uidplus {
		fmt.Fprintf(&b, "\n  UID EXPUNGE %d", p.uid)
		return b.String()
	}
	b.WriteString("\n  UID SEARCH DELETED   check that the target is the only \\Deleted message")
	b.WriteString("\n  EXPUNGE              (the server has no UID EXPUNGE)")
	if len(p.others) > 0 {
		fmt.Fprintf(&b, "\n  UID STORE %s +FLAGS.SILENT (\\Deleted)   put \\Deleted back", set)
		b.WriteString("\n  UID SEARCH DELETED   check that it is back")
		b.WriteString("\nrisks: another client could mark a message \\Deleted between the check and the EXPUNGE, and it")
		b.WriteString("\nwould go too; if the connection drops between the steps, the others keep their messages")
		fmt.Fprintf(&b, "\nbut lose their \\Deleted flag (UIDs %s).", set)
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

// store sends UID STORE set ±FLAGS.SILENT (\Deleted).
func (t *tool) store(set, op string) (bool, error) {
	o, err := t.run(&session.Command{Text: fmt.Sprintf(`UID STORE %s %sFLAGS.SILENT (\Deleted)`, set, op)})
	if err != nil {
		return false, err
	}
	return o.Status().Name == "OK", nil
}

// kill carries out the plan; seq is the target's sequence number.
func (t *tool) kill(p killPlan, seq uint32) error {
	if len(p.others) == 0 {
		return t.markAndExpunge(p, seq)
	}
	ok, err := t.store(formatSet(p.others), "-")
	if err == nil && !ok {
		t.Error("kill: taking \\Deleted off UIDs %s failed; nothing was expunged", listUIDs(p.others))
		err = ErrFailed
	} else if err == nil {
		err = t.markAndExpunge(p, seq)
	}
	if isConnErr(err) {
		set := formatSet(p.others)
		t.Error("kill: the connection ended while UIDs %s may lack their \\Deleted flag: reconnect and send\n  UID STORE %s +FLAGS (\\Deleted)", set, set)
		return err
	}
	if rerr := t.restoreDeleted(p.others); rerr != nil {
		return rerr
	}
	return err
}

// markAndExpunge marks the target \Deleted and expunges it.
func (t *tool) markAndExpunge(p killPlan, seq uint32) error {
	uid := fmt.Sprint(p.uid)
	if ok, err := t.store(uid, "+"); err != nil || !ok {
		t.Error("kill: marking UID %d \\Deleted failed; nothing was expunged", p.uid)
		return cmpErr(err, ErrFailed)
	}
	text := "UID EXPUNGE " + uid
	if !p.uidplus {
		deleted, err := t.deletedUIDs()
		if err != nil {
			return err
		}
		if !slices.Equal(deleted, []uint32{p.uid}) {
			t.Error("kill: the \\Deleted messages are now UIDs %s, not UID %d alone (another client?): no EXPUNGE sent", listUIDs(deleted), p.uid)
			if !p.hadDelete {
				t.store(uid, "-")
			}
			return ErrFailed
		}
		// The sequence number the EXPUNGE response must name, as it is now.
		now, _, err := t.fetchUID(fetchSpec{uid: p.uid, items: "(UID FLAGS)"})
		if err != nil {
			return err
		}
		if now != nil {
			seq = now.Seq
		}
		text = "EXPUNGE"
	}
	var log expungeLog
	var gone, vanished []uint32
	o, err := t.run(&session.Command{Text: text, Collect: true})
	if err != nil {
		return err
	}
	for _, r := range o.Result().Data {
		switch r.Head.Name {
		case "EXPUNGE":
			gone = append(gone, log.add(r.Head.Num))
		case "VANISHED":
			vanished = append(vanished, vanishedUIDs(r.Raw)...)
		}
	}
	if o.Status().Name != "OK" {
		if !p.hadDelete {
			t.store(uid, "-") // leave the target as it was
		}
		return t.refused("kill", o.Status())
	}
	return t.checkExpunged(p, seq, gone, vanished)
}

// checkExpunged compares what the server says it expunged with the target.
func (t *tool) checkExpunged(p killPlan, seq uint32, gone, vanished []uint32) error {
	snap := t.env.State()
	switch {
	case slices.Equal(gone, []uint32{seq}) && len(vanished) == 0,
		len(gone) == 0 && slices.Equal(vanished, []uint32{p.uid}):
		t.Plain("killed UID %d (it was sequence number %d); the server expunged it and nothing else. %s now has %d messages.",
			p.uid, seq, DisplayMailbox(snap.Mailbox), snap.Exists)
		return nil
	case len(gone) == 0 && len(vanished) == 0:
		t.Error("kill: the server completed the expunge but reported expunging NOTHING: UID %d may still be there (check with whereis %d)", p.uid, p.uid)
	default:
		what := fmt.Sprintf("sequence numbers %s (as they were before the EXPUNGE)", formatSet(gone))
		if len(vanished) > 0 {
			what = "UIDs " + formatSet(vanished)
		}
		t.Error("kill: THE SERVER EXPUNGED MORE OR OTHER THAN UID %d (sequence number %d): %s. %s now has %d messages.",
			p.uid, seq, what, DisplayMailbox(snap.Mailbox), snap.Exists)
	}
	return ErrFailed
}

// restoreDeleted puts \Deleted back on the others and checks it is there.
func (t *tool) restoreDeleted(others []uint32) error {
	set := formatSet(others)
	ok, err := t.store(set, "+")
	if err == nil && ok {
		var deleted []uint32
		if deleted, err = t.deletedUIDs(); err == nil {
			missing := slices.DeleteFunc(slices.Clone(others), func(u uint32) bool { return slices.Contains(deleted, u) })
			if len(missing) == 0 {
				t.Plain("\\Deleted is back on UIDs %s", listUIDs(others))
				return nil
			}
			set = formatSet(missing)
		}
	}
	t.Error("kill: could not put \\Deleted back on UIDs %s: to do it by hand, send\n  UID STORE %s +FLAGS (\\Deleted)", set, set)
	return cmpErr(err, ErrFailed)
}

// vanishedUIDs parses "* VANISHED [(EARLIER)] uid-set" (RFC 7162).
func vanishedUIDs(raw []byte) []uint32 {
	vals, err := wire.Parse(raw)
	if err != nil || len(vals) < 3 {
		return nil
	}
	set, err := wire.ParseSeqSet(string(vals[len(vals)-1].Bytes))
	if err != nil {
		return nil
	}
	uids, _ := set.Expand(0, wire.MaxSetNumbers)
	return uids
}

// cmpErr returns err, or def when err is nil.
func cmpErr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}
