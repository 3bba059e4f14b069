package helpers

// The poison-message toolkit (whereis, uids, probe, save, kill) finds,
// tests, keeps and deletes one message by UID on the selected mailbox. It
// sends ordinary IMAP commands through the Env, so every command and
// response is shown as the user's own would be; this file holds what the
// helpers share: resolving the message argument, running a command and
// searching for UIDs.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// errStopped is returned by run when the user stopped the wait (Ctrl-C):
// the command's outcome is unknown. It has been reported.
var errStopped = fmt.Errorf("stopped by the user: %w", ErrFailed)

// needSelected returns the state when a mailbox is selected, else a
// LineError saying what to do.
func (t *tool) needSelected(helper string) (session.Snapshot, error) {
	snap := t.env.State()
	if snap.Conn != session.Selected {
		return snap, &LineError{fmt.Sprintf("%s works on the selected mailbox, and none is selected: SELECT one first (SELECT INBOX)", helper)}
	}
	return snap, nil
}

// targetUID turns a helper's message argument into a UID: a bare number is
// a UID; #N is sequence number N, resolved with FETCH N (UID).
func (t *tool) targetUID(helper, arg string) (uint32, error) {
	n, isSeq, err := parseMsgArg(arg)
	if err != nil {
		return 0, &LineError{fmt.Sprintf("%s: %v", helper, err)}
	}
	if !isSeq {
		return n, nil
	}
	snap := t.env.State()
	if n > snap.Exists {
		return 0, &LineError{fmt.Sprintf("%s: there is no sequence number %d: %s has %s", helper, n, DisplayMailbox(snap.Mailbox), count(int(snap.Exists), "message"))}
	}
	pairs, err := t.fetchSeqUIDs(fmt.Sprint(n))
	if err != nil {
		return 0, err
	}
	for _, p := range pairs {
		if p.seq == n && p.uid != 0 {
			t.Note("sequence number %d is UID %d; %s goes on by UID %d", n, p.uid, helper, p.uid)
			return p.uid, nil
		}
	}
	t.Error("%s: the server sent no UID for sequence number %d", helper, n)
	return 0, ErrFailed
}

// run sends a helper's command, collecting the untagged responses that
// arrive while it is in flight, and waits for its completion. Every one
// of them goes to the tracker, in order, after each (when not nil) has
// seen it. A wait the user stopped (Ctrl-C) is reported and returns the
// Op with errStopped; a connection that ends returns the Op (not done)
// with the shell's error.
func (t *tool) run(c *session.Command, each func(r *session.Response)) (*session.Op, error) {
	c.Internal, c.Collect = true, true
	o, err := t.env.Run(c)
	if err != nil {
		return o, err
	}
	select {
	case <-o.Done():
	default:
		if !t.quietStop {
			t.Error("stopped before %s completed: its outcome is unknown, and the helper goes no further", o.Tag)
		}
		return o, errStopped
	}
	t.tr.begin()
	for _, r := range o.Result().Data {
		if each != nil {
			each(r)
		}
		t.tr.apply(r)
	}
	t.tr.applyStatus(o.Status())
	if n := o.Status().Name; n != "OK" && n != "NO" && n != "BAD" {
		t.Error("the server completed %s without OK, NO or BAD (a protocol violation): its outcome is unknown, and the helper goes no further", o.Tag)
		return o, ErrFailed
	}
	return o, nil
}

// refused reports a command the server answered NO or BAD.
func (t *tool) refused(what string, h wire.Head) error {
	t.Error("%s: the server answered %s", what, StatusText(h))
	return ErrFailed
}

// StatusText renders a tagged completion: NO [CODE] text.
func StatusText(h wire.Head) string {
	s := h.Name
	if h.Code != "" {
		s += " [" + h.Code + "]"
	}
	return strings.TrimSpace(s + " " + h.Text)
}

// hasFlag reports whether flags holds f, ignoring case (the demo sends
// \deleted).
func hasFlag(flags []string, f string) bool {
	for _, g := range flags {
		if strings.EqualFold(g, f) {
			return true
		}
	}
	return false
}

// search sends cmd (UID SEARCH ... or SEARCH ...) and gathers its SEARCH
// or ESEARCH answers. ok is false when the server answered NO or BAD
// (already shown).
func (t *tool) search(cmd string) (res wire.SearchData, ok bool, err error) {
	var got []wire.SearchData
	var perr error
	o, err := t.run(&session.Command{Text: cmd}, func(r *session.Response) {
		sd, isSearch, err := wire.ParseSearch(r.Raw)
		switch {
		case !isSearch:
		case err != nil:
			perr = err
		default:
			got = append(got, sd)
		}
	})
	if err != nil {
		return res, false, err
	}
	if perr != nil {
		t.Error("the answer to %s cannot be used: %v", o.Tag, perr)
		return res, false, ErrFailed
	}
	for _, sd := range got {
		if sd.ESearch && sd.Tag != "" && sd.Tag != o.Tag {
			continue // another command's
		}
		res.All = append(res.All, sd.All...)
		if sd.Min != 0 && (res.Min == 0 || sd.Min < res.Min) {
			res.Min = sd.Min
		}
		res.Max = max(res.Max, sd.Max)
	}
	return res, o.Status().Name == "OK", nil
}

// searchUIDs sends UID SEARCH criteria.
func (t *tool) searchUIDs(criteria string) (wire.SearchData, bool, error) {
	return t.search("UID SEARCH " + criteria)
}

// noop sends NOOP: the server's chance to announce new messages and
// expunges (Courier announces an APPENDed message only then).
func (t *tool) noop() error {
	_, err := t.run(&session.Command{Text: "NOOP"}, nil)
	return err
}

// stopped reports whether err is a wait the user stopped.
func stopped(err error) bool { return errors.Is(err, errStopped) }
