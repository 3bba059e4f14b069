package helpers

import (
	"errors"
	"fmt"
	"math"
)

// notFound explains that no message has the UID: the nearest UIDs either
// side, and, when the number is also a sequence number, which UID that one
// has. It returns ErrFailed (or a connection error).
func (t *tool) notFound(uid uint32) error {
	snap := t.env.State()
	var below, above uint32
	var hint string
	if snap.Exists > 0 {
		var err error
		if below, above, err = t.nearestUIDs(uid); err != nil {
			return err
		}
		if uid <= snap.Exists {
			// Best effort: a refusal is shown, and only the hint is lost.
			pairs, err := t.fetchSeqUIDs(fmt.Sprint(uid))
			if err != nil && !errors.Is(err, ErrFailed) {
				return err
			}
			for _, p := range pairs {
				if p.seq == uid {
					hint = fmt.Sprintf("\nSequence number %d is UID %d: write #%d to mean it.", uid, p.uid, uid)
				}
			}
		}
	}
	msg := fmt.Sprintf("no message with UID %d in %s.", uid, boxName(snap))
	switch {
	case snap.Exists == 0:
		msg += " The mailbox is empty."
	case below != 0 && above != 0:
		msg += fmt.Sprintf(" The nearest UIDs are %d below and %d above.", below, above)
	case below != 0:
		msg += fmt.Sprintf(" The nearest UID is %d, below; there is none above.", below)
	case above != 0:
		msg += fmt.Sprintf(" The nearest UID is %d, above; there is none below.", above)
	}
	t.Error("%s%s", msg, hint)
	return ErrFailed
}

// nearestUIDs finds the largest UID below uid and the smallest above it (0
// for none) with UID SEARCH: with ESEARCH asking only for MAX and MIN,
// else looking in growing windows, so as not to list a whole mailbox.
func (t *tool) nearestUIDs(uid uint32) (below, above uint32, err error) {
	esearch := t.env.Has("ESEARCH") || t.env.Has("IMAP4REV2")
	find := func(ret, set string) ([]uint32, error) {
		if esearch {
			res, ok, err := t.searchUIDs("RETURN (" + ret + ") UID " + set)
			if err != nil || ok {
				return append(res.All, res.Min, res.Max), err
			}
		}
		res, _, err := t.searchUIDs("UID " + set)
		return res.All, err
	}
	windows := []uint32{100, 10000, math.MaxUint32}
	if esearch {
		windows = windows[2:]
	} else if next := t.env.State().UIDNext; next != 0 && uid >= next {
		// Likely above every UID: "*" alone is the largest.
		found, err := find("MAX", "*")
		if err != nil {
			return 0, 0, err
		}
		if len(found) == 1 && found[0] < uid {
			return found[0], 0, nil
		}
	}
	for _, w := range windows {
		if uid == 1 || below != 0 {
			break
		}
		lo := uint32(1)
		if uid-1 > w {
			lo = uid - w
		}
		found, err := find("MAX", fmt.Sprintf("%d:%d", lo, uid-1))
		if err != nil {
			return 0, 0, err
		}
		for _, n := range found {
			if n < uid {
				below = max(below, n)
			}
		}
		if lo == 1 {
			break
		}
	}
	for _, w := range windows {
		if uid == math.MaxUint32 || above != 0 {
			break
		}
		// "*" is the largest UID in use, so N:* matches it even when it
		// is below N: keep only what is above uid.
		set := fmt.Sprintf("%d:*", uid+1)
		if w < math.MaxUint32-uid {
			set = fmt.Sprintf("%d:%d", uid+1, uid+w)
		}
		found, err := find("MIN", set)
		if err != nil {
			return 0, 0, err
		}
		for _, n := range found {
			if n > uid && (above == 0 || n < above) {
				above = n
			}
		}
	}
	return below, above, nil
}
