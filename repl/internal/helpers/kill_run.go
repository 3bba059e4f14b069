package helpers

import (
	"errors"
	"fmt"
	"slices"

	"github.com/imapsh/imapsh/repl/internal/session"
)

// errSignal stops kill's forward steps when a signal has come.
var errSignal = fmt.Errorf("a signal came: %w", ErrFailed)

// killRun is one kill being carried out.
type killRun struct {
	*tool
	p        killPlan
	signaled <-chan struct{} // nil unless the others' \Deleted is at stake
	marked   bool            // kill put \Deleted on the target
	cleared  bool            // kill took \Deleted off the others
	expunge  bool            // the EXPUNGE was sent
	seq      uint32          // the target's sequence number just before it
}

// carryOut carries out the plan. When other messages lose their \Deleted for
// the while, a signal cannot end imapsh before it is back (Env.Shield):
// kill stops going forward, waits for a command in flight (the EXPUNGE),
// and puts it back; only when it cannot does it say on stderr exactly
// what to restore.
func (k *killRun) carryOut() error {
	if len(k.p.others) > 0 {
		var release func()
		k.signaled, release = k.env.Shield()
		defer release()
	}
	err := k.forward()
	sig := k.interrupted()
	if k.usable(err) && k.marked && !k.expunge && !k.tr.gone {
		k.store(fmt.Sprint(k.p.uid), "-") // leave the target as it was
	}
	if k.cleared {
		if rerr := k.restore(err); err == nil {
			err = rerr
		}
	}
	if errors.Is(err, errSignal) {
		k.Error("kill stopped by a signal before the EXPUNGE: nothing was expunged, and every flag it changed is back as it was")
		return ErrFailed
	}
	if sig && err == nil {
		k.Note("a signal came while kill worked: it finished the EXPUNGE and put \\Deleted back before stopping")
	}
	if err == nil && k.expunge {
		err = k.confirm()
	}
	return err
}

// usable reports whether the session can still take kill's commands after
// err: the connection is up, the user did not stop a wait, and UIDs still
// mean what they meant.
func (k *killRun) usable(err error) bool {
	return !isConnErr(err) && !stopped(err) && k.tr.newValidity == 0 &&
		(k.tr.validity == 0 || k.env.State().UIDValidity == k.tr.validity)
}

// interrupted reports whether a signal has come.
func (k *killRun) interrupted() bool {
	select {
	case <-k.signaled:
		return true
	default:
		return false
	}
}

// step checks, between two commands, for a signal and for a renumbering.
func (k *killRun) step(done string) error {
	if err := k.validityChanged(done); err != nil {
		return err
	}
	if k.interrupted() {
		return errSignal
	}
	return nil
}

// forward sends kill's commands up to the EXPUNGE and checks its answer.
func (k *killRun) forward() error {
	uid := fmt.Sprint(k.p.uid)
	if len(k.p.others) > 0 {
		if err := k.step("nothing was changed"); err != nil {
			return err
		}
		k.cleared = true
		ok, err := k.store(formatSet(k.p.others), "-")
		if err != nil {
			return err
		}
		if !ok {
			k.Error("kill: taking \\Deleted off UIDs %s failed; nothing was expunged", listUIDs(k.p.others))
			return ErrFailed
		}
	}
	if err := k.step("nothing was expunged"); err != nil {
		return err
	}
	ok, err := k.store(uid, "+")
	if err != nil {
		return err
	}
	if !ok {
		k.Error("kill: marking UID %d \\Deleted failed; nothing was expunged", k.p.uid)
		return ErrFailed
	}
	k.marked = !k.p.hadDelete
	if err := k.step(fmt.Sprintf("UID %d of UIDVALIDITY %d may carry \\Deleted now", k.p.uid, k.tr.validity)); err != nil {
		return err
	}
	if err := k.checkMarked(); err != nil {
		return err
	}
	// The last look: where the target is now, by the cheapest question.
	found, err := k.locate()
	if err != nil {
		return err
	}
	if !found || k.tr.gone {
		k.marked = false
		k.Warn("UID %d is no longer in %s: another client expunged it meanwhile. kill sends no EXPUNGE.", k.p.uid, DisplayMailbox(k.p.box))
		return nil
	}
	if err := k.step(fmt.Sprintf("UID %d of UIDVALIDITY %d carries \\Deleted now", k.p.uid, k.tr.validity)); err != nil {
		return err
	}
	text := "UID EXPUNGE " + uid
	if !k.p.uidplus {
		text = "EXPUNGE"
	}
	k.seq, k.expunge = k.tr.seq, true
	o, err := k.tool.run(&session.Command{Text: text}, nil)
	if err != nil {
		if stopped(err) {
			k.Error("kill: stopped before %s completed: whether UID %d is gone is unknown; check with `whereis %d`", o.Tag, k.p.uid, k.p.uid)
		}
		return err
	}
	if o.Status().Name != "OK" {
		k.expunge = false
		return k.refused("kill", o.Status())
	}
	return k.checkExpunged()
}

// checkMarked checks that the server did mark the target: a server may
// answer OK to a STORE it ignores (no right to delete).
func (k *killRun) checkMarked() error {
	if k.p.uidplus {
		marked, err := k.isDeleted()
		if err != nil || marked {
			return err
		}
	} else {
		deleted, err := k.deletedUIDs()
		if err != nil {
			return err
		}
		if slices.Equal(deleted, []uint32{k.p.uid}) {
			return nil
		}
		if slices.Contains(deleted, k.p.uid) {
			k.Error("kill: the \\Deleted messages are now UIDs %s, not UID %d alone (another client?): no EXPUNGE sent", listUIDs(deleted), k.p.uid)
			return ErrFailed
		}
	}
	k.Error("kill: the server answered OK to the STORE but UID %d does not carry \\Deleted: it ignored it (a user without the right to delete gets that on some servers; MYRIGHTS shows the rights, RFC 4314). Nothing was expunged.", k.p.uid)
	return ErrFailed
}

// checkExpunged compares what the EXPUNGE responses said with the target.
// Other messages expunged during UID EXPUNGE were expunged by another
// client (UID EXPUNGE removes only the UIDs it names); during a bare
// EXPUNGE they may be messages another client marked after the check.
func (k *killRun) checkExpunged() error {
	tr := k.tr
	others := len(tr.cmdOther) + len(tr.cmdUIDs)
	what := fmt.Sprintf("sequence numbers %s (as they were before)", formatSet(tr.cmdOther))
	if len(tr.cmdUIDs) > 0 {
		what = "UIDs " + formatSet(tr.cmdUIDs)
		if len(tr.cmdOther) > 0 {
			what += " and sequence numbers " + formatSet(tr.cmdOther)
		}
	}
	switch {
	case others > 0 && !k.p.uidplus:
		snap := k.env.State()
		k.Error("kill: THE EXPUNGE REMOVED MORE THAN UID %d (sequence number %d): also %s. Either another client marked them \\Deleted after kill's check, or it expunged them at the same moment. %s now has %s.",
			k.p.uid, k.seq, what, DisplayMailbox(snap.Mailbox), count(int(snap.Exists), "message"))
		if !tr.cmdGone {
			k.Error("kill: and the server did not report expunging UID %d itself; check with `whereis %d`", k.p.uid, k.p.uid)
		}
		return ErrFailed
	case others > 0:
		k.Warn("the server also reported %s expunged: %s. UID EXPUNGE removes only the UID it names (RFC 4315), so another client expunged them meanwhile.", count(others, "other message"), what)
	}
	if !tr.cmdGone {
		k.Warn("the server completed the expunge but did not report expunging UID %d (sequence number %d): kill checks whether it is gone", k.p.uid, k.seq)
	}
	return nil
}

// confirm asks the cheapest question once more: is the target gone?
func (k *killRun) confirm() error {
	res, ok, err := k.searchUIDs(fmt.Sprintf("UID %d", k.p.uid))
	if err != nil {
		return err
	}
	snap := k.env.State()
	switch {
	case !ok:
		k.Error("kill: UID SEARCH UID %d failed, so whether the message is gone cannot be told; check with `whereis %d`", k.p.uid, k.p.uid)
		return ErrFailed
	case slices.Contains(res.All, k.p.uid):
		k.Error("kill: UID %d IS STILL IN %s after the EXPUNGE the server answered OK", k.p.uid, DisplayMailbox(snap.Mailbox))
		return ErrFailed
	}
	how := "the server expunged it and nothing else"
	if len(k.tr.cmdOther)+len(k.tr.cmdUIDs) > 0 {
		how = "the server expunged it; the others it reported were another client's"
	}
	was := fmt.Sprintf(" (it was sequence number %d)", k.seq)
	if k.seq == 0 {
		was = ""
	}
	k.Plain("killed UID %d%s; %s. %s now has %s.",
		k.p.uid, was, how, DisplayMailbox(snap.Mailbox), count(int(snap.Exists), "message"))
	return nil
}

// restore puts \Deleted back on the others and checks it is there. When
// it cannot (the connection is gone, the user insisted, the UIDs were
// renumbered), it says on stderr exactly what to restore.
func (k *killRun) restore(err error) error {
	set := formatSet(k.p.others)
	if !k.usable(err) {
		k.alertRestore(set)
		return nil
	}
	ok, serr := k.store(set, "+")
	if serr == nil && ok {
		var deleted []uint32
		if deleted, serr = k.deletedUIDs(); serr == nil {
			missing := slices.DeleteFunc(slices.Clone(k.p.others), func(u uint32) bool { return slices.Contains(deleted, u) })
			if len(missing) > 0 {
				// Those another client expunged meanwhile need nothing.
				res, _, e := k.searchUIDs("UID " + formatSet(missing))
				serr = e
				missing = slices.DeleteFunc(missing, func(u uint32) bool { return !slices.Contains(res.All, u) })
			}
			if serr == nil && len(missing) == 0 {
				k.Plain("\\Deleted is back on UIDs %s", listUIDs(k.p.others))
				return nil
			}
			set = formatSet(missing)
		}
	}
	k.Error("kill: could not put \\Deleted back on UIDs %s: to do it by hand, send\n  UID STORE %s +FLAGS (\\Deleted)", set, set)
	if serr != nil {
		k.alertRestore(set)
		return serr
	}
	return ErrFailed
}

// alertRestore writes to stderr what to restore by hand.
func (k *killRun) alertRestore(set string) {
	k.env.Alert("kill: UIDs %s of %s (UIDVALIDITY %d) may have lost their \\Deleted flag. Once connected again, and if the UIDVALIDITY is the same, restore it with:\n  UID STORE %s +FLAGS (\\Deleted)",
		set, DisplayMailbox(k.p.box), k.tr.validity, set)
}
