package repl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// seqUID is one row of a uids table.
type seqUID struct{ seq, uid uint32 }

// uidsHelper prints the sequence numbers and UIDs of a sequence set, as the
// seed's "fetch 1040:1050 (uid)" does, in a table.
func (sh *Shell) uidsHelper(args string) error {
	set := strings.TrimPrefix(strings.TrimSpace(args), "#")
	if set == "" || strings.ContainsAny(set, " ") {
		return &lineError{"usage: uids SEQSET, for example uids 1040:1050 (sequence numbers; each is shown with its UID)"}
	}
	if err := checkSeqSet(set); err != nil {
		return &lineError{"uids: " + err.Error()}
	}
	snap, err := sh.needSelected("uids")
	if err != nil {
		return err
	}
	if snap.Exists == 0 {
		return &lineError{fmt.Sprintf("uids: %s is empty", snap.Mailbox)}
	}
	pairs, err := sh.fetchSeqUIDs(set)
	if err != nil {
		return err
	}
	if len(pairs) == 0 {
		sh.pr.Plain("no messages in %s", set)
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%8s  %s", "seq", "UID")
	for _, p := range pairs {
		fmt.Fprintf(&b, "\n%8d  %d", p.seq, p.uid)
	}
	fmt.Fprintf(&b, "\n%d messages of %s (UIDVALIDITY %d)", len(pairs), snap.Mailbox, snap.UIDValidity)
	sh.pr.Plain("%s", b.String())
	return nil
}

// fetchSeqUIDs sends FETCH set (UID) and returns the pairs by sequence
// number. A NO or BAD is reported and returned as errHelperFailed.
func (sh *Shell) fetchSeqUIDs(set string) ([]seqUID, error) {
	got := map[uint32]uint32{}
	o, err := sh.run(&Command{Text: "FETCH " + set + " (UID)", Collect: true})
	if err != nil {
		return nil, err
	}
	for _, r := range o.Result().Data {
		// Unsolicited FETCH responses (flag changes) carry no UID.
		// A malformed one (a UID over 4294967295) is left out.
		if fd, ok, err := wire.ParseFetch(r.Raw); ok && err == nil && fd.UID() != 0 {
			got[fd.Seq] = fd.UID()
		}
	}
	if o.Status().Name != "OK" {
		return nil, sh.refused("FETCH "+set+" (UID)", o.Status())
	}
	pairs := make([]seqUID, 0, len(got))
	for s, u := range got {
		pairs = append(pairs, seqUID{s, u})
	}
	slices.SortFunc(pairs, func(a, b seqUID) int { return int(int64(a.seq) - int64(b.seq)) })
	return pairs, nil
}
