package term

import (
	"fmt"
	"io"
)

// queryCompleter asks before it lists many candidates, as bash does with
// completion-query-items: over query candidates, the first Tab inserts
// what they all begin with or, when that is nothing, only says how many
// there are; a second Tab on the same line lists them.
type queryCompleter struct {
	inner    Completer
	query    int
	out      func() io.Writer
	asked    bool   // the count was shown ...
	askedFor string // ... for this line (up to the cursor)
}

func (q *queryCompleter) Do(line []rune, pos int) ([][]rune, int) {
	cands, length := q.inner.Do(line, pos)
	if len(cands) <= q.query {
		q.asked = false
		return cands, length
	}
	if p := commonPrefix(cands); len(p) > 0 {
		return [][]rune{p}, length
	}
	key := string(line[:pos])
	if q.asked && q.askedFor == key {
		q.asked = false
		return cands, length
	}
	q.asked, q.askedFor = true, key
	fmt.Fprintf(q.out(), "# %d possibilities: press Tab again to list them all, or type more to narrow them\n", len(cands))
	return nil, length
}

// commonPrefix returns the runes every candidate begins with.
func commonPrefix(cands [][]rune) []rune {
	if len(cands) == 0 {
		return nil
	}
	p := cands[0]
	for _, c := range cands[1:] {
		n := 0
		for n < len(p) && n < len(c) && p[n] == c[n] {
			n++
		}
		p = p[:n]
		if n == 0 {
			break
		}
	}
	return append([]rune(nil), p...)
}
