package helpers

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// seqUID is one row of a uids table.
type seqUID struct{ seq, uid uint32 }

// seqMark matches the # a user may write before a sequence number
// (#1040:#1050), as the other helpers take #N.
var seqMark = regexp.MustCompile(`(^|[:,])#`)

// uidsHelper prints the sequence numbers and UIDs of a sequence set, as the
// seed's "fetch 1040:1050 (uid)" does, in a table.
func (t *tool) uidsHelper(args string) error {
	arg := strings.TrimSpace(args)
	if arg == "" || strings.ContainsAny(arg, " ") {
		return &LineError{"usage: uids SEQSET, for example uids 1040:1050 or uids #1040:#1050 (sequence numbers; each is shown with its UID)"}
	}
	set := seqMark.ReplaceAllString(arg, "$1")
	parsed, err := wire.ParseSeqSet(set)
	if err != nil || strings.Contains(set, "$") {
		return &LineError{fmt.Sprintf("uids: %q is not a sequence set such as 1040:1050, 1,5,9 or 1200:*", arg)}
	}
	snap, err := t.needSelected("uids")
	if err != nil {
		return err
	}
	if snap.Exists == 0 {
		return &LineError{fmt.Sprintf("uids: %s is empty", DisplayMailbox(snap.Mailbox))}
	}
	if err := beyond(parsed, arg, snap); err != nil {
		return err
	}
	pairs, err := t.fetchSeqUIDs(set)
	if err != nil {
		return err
	}
	if len(pairs) == 0 {
		t.Plain("no messages in %s", set)
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%8s  %s", "seq", "UID")
	for _, p := range pairs {
		fmt.Fprintf(&b, "\n%8d  %d", p.seq, p.uid)
	}
	fmt.Fprintf(&b, "\n%s of %s", count(len(pairs), "message"), boxName(snap))
	t.Plain("%s", b.String())
	return nil
}

// beyond explains a sequence number past the message count before the
// server answers it with BAD: most often it is a UID typed where a
// sequence number belongs, as in the seed, where 15541 is the UID of
// message 1045 of 1234.
func beyond(set wire.SeqSet, arg string, snap session.Snapshot) error {
	var over []uint32
	ranges := set.Ranges()
	for _, r := range ranges {
		for _, n := range r {
			if n > snap.Exists { // 0 is "*", never beyond
				over = append(over, n)
			}
		}
	}
	if len(over) == 0 {
		return nil
	}
	slices.Sort(over)
	box := fmt.Sprintf("%s has %s", DisplayMailbox(snap.Mailbox), count(int(snap.Exists), "message"))
	if len(ranges) == 1 && ranges[0][0] == ranges[0][1] {
		n := ranges[0][0]
		return &LineError{fmt.Sprintf("uids takes sequence numbers, and %s, so there is no message %d; did you mean `whereis %d` (the message with UID %d)?", box, n, n, n)}
	}
	return &LineError{fmt.Sprintf("uids takes sequence numbers, and %s: %d in %s is beyond the last (write * for the last message; `whereis UID` finds a message by UID)", box, over[len(over)-1], arg)}
}

// fetchSeqUIDs sends FETCH set (UID) and returns the pairs by sequence
// number. A NO or BAD is reported and returned as ErrFailed.
func (t *tool) fetchSeqUIDs(set string) ([]seqUID, error) {
	got := map[uint32]uint32{}
	o, err := t.run(&session.Command{Text: "FETCH " + set + " (UID)"}, func(r *session.Response) {
		// Unsolicited FETCH responses (flag changes) carry no UID; a
		// malformed one (a UID over 4294967295) is left out.
		if fd, ok, err := wire.ParseFetch(r.Raw); ok && err == nil && fd.UID() != 0 {
			got[fd.Seq] = fd.UID()
		}
	})
	if err != nil {
		return nil, err
	}
	if o.Status().Name != "OK" {
		return nil, t.refused("FETCH "+set+" (UID)", o.Status())
	}
	pairs := make([]seqUID, 0, len(got))
	for s, u := range got {
		pairs = append(pairs, seqUID{s, u})
	}
	slices.SortFunc(pairs, func(a, b seqUID) int { return int(int64(a.seq) - int64(b.seq)) })
	return pairs, nil
}
