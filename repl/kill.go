package repl

import (
	"errors"
	"fmt"
	"slices"
	"strings"

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
func (sh *Shell) killHelper(args string) error {
	words, err := helperArgs(args)
	if err != nil {
		return &lineError{"kill: " + err.Error()}
	}
	rest, opts, err := takeFlags(words, "--yes", "--force")
	if err != nil {
		return &lineError{"kill: " + err.Error()}
	}
	if len(rest) != 1 {
		return &lineError{"usage: kill [--yes] [--force] UID (or kill #SEQ): deletes exactly that message"}
	}
	snap := sh.st.Snapshot()
	if snap.Conn != Selected || snap.ReadOnly {
		return &lineError{"kill needs a mailbox selected read-write: SELECT it (EXAMINE and read-only mailboxes cannot be changed)"}
	}
	if !sh.interactive && !opts["--yes"] {
		return &lineError{"kill deletes a message for good; in a script it asks no question, so it needs --yes (kill --yes UID). Nothing was sent."}
	}
	uid, err := sh.targetUID("kill", rest[0])
	if err != nil {
		return err
	}
	m, err := sh.whereis("kill", uid)
	if err != nil {
		return err
	}
	p := killPlan{box: snap.Mailbox, uid: uid, uidplus: sh.st.Has("UIDPLUS") || sh.st.Has("IMAP4REV2"),
		hadDelete: hasFlag(m.Flags, `\Deleted`)}
	if !p.uidplus {
		deleted, err := sh.deletedUIDs()
		if err != nil {
			return err
		}
		p.others = slices.DeleteFunc(deleted, func(u uint32) bool { return u == uid })
		if len(p.others) > 0 && !opts["--force"] {
			sh.pr.Error("kill: refused, nothing was changed. This server has no UID EXPUNGE (no UIDPLUS), and a bare EXPUNGE\n"+
				"would also remove the %d other messages already marked \\Deleted: UIDs %s.\n"+
				"Expunge those first if you mean to, or pass --force: kill then takes \\Deleted off them, expunges\n"+
				"UID %d alone and puts \\Deleted back on them.", len(p.others), listUIDs(p.others), uid)
			return errHelperFailed
		}
	}
	sh.pr.Plain("%s", p.describe())
	if !opts["--yes"] {
		answer, err := sh.con.ReadLine(fmt.Sprintf("kill UID %d in %s? type yes to confirm: ", uid, displayMailbox(p.box)))
		if err != nil || strings.TrimSpace(answer) != "yes" {
			sh.pr.Note("kill cancelled: nothing was changed")
			return nil
		}
	}
	return sh.kill(p, m.Seq)
}

// describe lists the commands kill will send, and the risks.
func (p killPlan) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kill will delete UID %d from %s, and nothing else:", p.uid, displayMailbox(p.box))
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
func (sh *Shell) deletedUIDs() ([]uint32, error) {
	res, ok, err := sh.searchUIDs("DELETED")
	if err != nil {
		return nil, err
	}
	if !ok {
		sh.pr.Error("kill: UID SEARCH DELETED failed, so kill cannot tell what an EXPUNGE would remove; nothing was changed")
		return nil, errHelperFailed
	}
	return res.All, nil
}

// store sends UID STORE set ±FLAGS.SILENT (\Deleted).
func (sh *Shell) store(set, op string) (bool, error) {
	o, err := sh.run(&Command{Text: fmt.Sprintf(`UID STORE %s %sFLAGS.SILENT (\Deleted)`, set, op)})
	if err != nil {
		return false, err
	}
	return o.Status().Name == "OK", nil
}

// kill carries out the plan; seq is the target's sequence number.
func (sh *Shell) kill(p killPlan, seq uint32) error {
	if len(p.others) == 0 {
		return sh.markAndExpunge(p, seq)
	}
	ok, err := sh.store(formatSet(p.others), "-")
	if err == nil && !ok {
		sh.pr.Error("kill: taking \\Deleted off UIDs %s failed; nothing was expunged", listUIDs(p.others))
		err = errHelperFailed
	} else if err == nil {
		err = sh.markAndExpunge(p, seq)
	}
	if isConnErr(err) {
		set := formatSet(p.others)
		sh.pr.Error("kill: the connection ended while UIDs %s may lack their \\Deleted flag: reconnect and send\n  UID STORE %s +FLAGS (\\Deleted)", set, set)
		return err
	}
	if rerr := sh.restoreDeleted(p.others); rerr != nil {
		return rerr
	}
	return err
}

// markAndExpunge marks the target \Deleted and expunges it.
func (sh *Shell) markAndExpunge(p killPlan, seq uint32) error {
	uid := fmt.Sprint(p.uid)
	if ok, err := sh.store(uid, "+"); err != nil || !ok {
		sh.pr.Error("kill: marking UID %d \\Deleted failed; nothing was expunged", p.uid)
		return cmpErr(err, errHelperFailed)
	}
	text := "UID EXPUNGE " + uid
	if !p.uidplus {
		deleted, err := sh.deletedUIDs()
		if err != nil {
			return err
		}
		if !slices.Equal(deleted, []uint32{p.uid}) {
			sh.pr.Error("kill: the \\Deleted messages are now UIDs %s, not UID %d alone (another client?): no EXPUNGE sent", listUIDs(deleted), p.uid)
			if !p.hadDelete {
				sh.store(uid, "-")
			}
			return errHelperFailed
		}
		// The sequence number the EXPUNGE response must name, as it is now.
		now, _, err := sh.fetchUID(fetchSpec{uid: p.uid, items: "(UID FLAGS)"})
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
	o, err := sh.run(&Command{Text: text, Collect: true})
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
			sh.store(uid, "-") // leave the target as it was
		}
		return sh.refused("kill", o.Status())
	}
	return sh.checkExpunged(p, seq, gone, vanished)
}

// checkExpunged compares what the server says it expunged with the target.
func (sh *Shell) checkExpunged(p killPlan, seq uint32, gone, vanished []uint32) error {
	snap := sh.st.Snapshot()
	switch {
	case slices.Equal(gone, []uint32{seq}) && len(vanished) == 0,
		len(gone) == 0 && slices.Equal(vanished, []uint32{p.uid}):
		sh.pr.Plain("killed UID %d (it was sequence number %d); the server expunged it and nothing else. %s now has %d messages.",
			p.uid, seq, displayMailbox(snap.Mailbox), snap.Exists)
		return nil
	case len(gone) == 0 && len(vanished) == 0:
		sh.pr.Error("kill: the server completed the expunge but reported expunging NOTHING: UID %d may still be there (check with whereis %d)", p.uid, p.uid)
	default:
		what := fmt.Sprintf("sequence numbers %s (as they were before the EXPUNGE)", formatSet(gone))
		if len(vanished) > 0 {
			what = "UIDs " + formatSet(vanished)
		}
		sh.pr.Error("kill: THE SERVER EXPUNGED MORE OR OTHER THAN UID %d (sequence number %d): %s. %s now has %d messages.",
			p.uid, seq, what, displayMailbox(snap.Mailbox), snap.Exists)
	}
	return errHelperFailed
}

// restoreDeleted puts \Deleted back on the others and checks it is there.
func (sh *Shell) restoreDeleted(others []uint32) error {
	set := formatSet(others)
	ok, err := sh.store(set, "+")
	if err == nil && ok {
		var deleted []uint32
		if deleted, err = sh.deletedUIDs(); err == nil {
			missing := slices.DeleteFunc(slices.Clone(others), func(u uint32) bool { return slices.Contains(deleted, u) })
			if len(missing) == 0 {
				sh.pr.Plain("\\Deleted is back on UIDs %s", listUIDs(others))
				return nil
			}
			set = formatSet(missing)
		}
	}
	sh.pr.Error("kill: could not put \\Deleted back on UIDs %s: to do it by hand, send\n  UID STORE %s +FLAGS (\\Deleted)", set, set)
	return cmpErr(err, errHelperFailed)
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

// isConnErr reports whether err means the connection is gone.
func isConnErr(err error) bool {
	var le *lineError
	return err != nil && !errors.Is(err, errHelperFailed) && !errors.As(err, &le)
}
