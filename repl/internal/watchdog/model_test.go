package watchdog_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/repl/internal/watchdog"
)

// server is a correct IMAP server, simulated: it answers a random client
// with responses the RFCs allow, in the ways real servers differ (EXPUNGE
// lower to higher or higher to lower, mail arriving during any command but
// FETCH, STORE and SEARCH, IDLE, VANISHED once QRESYNC is enabled).
type server struct {
	r       *rand.Rand
	uids    []uint32
	next    uint32
	qresync bool
	script  []string
	tag     int
}

func (s *server) cmd(text string) string {
	s.tag++
	t := fmt.Sprintf("t%d", s.tag)
	s.script = append(s.script, "C: "+t+" "+text)
	return t
}

func (s *server) send(lines ...string) { s.script = append(s.script, lines...) }

// arrive adds n messages and says so.
func (s *server) arrive(n int) {
	for range n {
		s.next += uint32(1 + s.r.IntN(3)) // UIDs need not be contiguous
		s.uids = append(s.uids, s.next-1)
	}
	s.send(fmt.Sprintf("S: * %d EXISTS", len(s.uids)), "S: * 1 RECENT")
}

// remove expunges the messages at the given indexes (ascending) and says
// so, as EXPUNGE in either order or as one VANISHED.
func (s *server) remove(idx []int) {
	if len(idx) == 0 {
		return
	}
	if s.qresync {
		var set []string
		for _, i := range idx {
			set = append(set, fmt.Sprint(s.uids[i]))
		}
		s.send("S: * VANISHED " + strings.Join(set, ","))
	} else if s.r.IntN(2) == 0 {
		for k, i := range idx { // lower to higher
			s.send(fmt.Sprintf("S: * %d EXPUNGE", i+1-k))
		}
	} else {
		for k := len(idx) - 1; k >= 0; k-- {
			s.send(fmt.Sprintf("S: * %d EXPUNGE", idx[k]+1))
		}
	}
	for k := len(idx) - 1; k >= 0; k-- {
		s.uids = slices.Delete(s.uids, idx[k], idx[k]+1)
	}
}

func (s *server) some() []int {
	var idx []int
	for i := range s.uids {
		if s.r.IntN(6) == 0 {
			idx = append(idx, i)
		}
	}
	return idx
}

func (s *server) fetch(uid bool) {
	if len(s.uids) == 0 {
		return
	}
	a := 1 + s.r.IntN(len(s.uids))
	b := a + s.r.IntN(len(s.uids)-a+1)
	cmd := fmt.Sprintf("FETCH %d:%d (UID FLAGS)", a, b)
	if uid {
		cmd = fmt.Sprintf("UID FETCH %d:%d (FLAGS)", s.uids[a-1], s.uids[b-1])
	}
	t := s.cmd(cmd)
	for i := a; i <= b; i++ {
		s.send(fmt.Sprintf(`S: * %d FETCH (UID %d FLAGS (\Seen))`, i, s.uids[i-1]))
	}
	if uid && s.r.IntN(3) == 0 {
		s.remove(s.some()) // allowed during UID FETCH
	}
	s.send("S: " + t + " OK")
}

func (s *server) step() {
	switch s.r.IntN(7) {
	case 0:
		t := s.cmd("NOOP")
		if s.r.IntN(2) == 0 {
			s.arrive(1 + s.r.IntN(3))
		}
		if len(s.uids) > 0 {
			s.send(fmt.Sprintf(`S: * %d FETCH (FLAGS (\Flagged))`, 1+s.r.IntN(len(s.uids))))
		}
		s.send("S: " + t + " OK")
	case 1, 2:
		s.fetch(s.r.IntN(2) == 0)
	case 3:
		t := s.cmd("EXPUNGE")
		s.remove(s.some())
		s.send("S: " + t + " OK")
	case 4:
		t := s.cmd("IDLE")
		s.send("S: + idling")
		for range s.r.IntN(4) {
			if s.r.IntN(2) == 0 {
				s.arrive(1)
			} else {
				s.remove(s.some())
			}
		}
		s.script = append(s.script, "C("+t+") DONE")
		s.send("S: " + t + " OK")
	case 5:
		t := s.cmd("SEARCH ALL")
		var all []string
		for i := range s.uids {
			all = append(all, fmt.Sprint(i+1))
		}
		s.send("S: * SEARCH "+strings.Join(all, " "), "S: "+t+" OK")
	case 6:
		if len(s.uids) > 0 {
			i := s.r.IntN(len(s.uids))
			t := s.cmd(fmt.Sprintf(`UID STORE %d +FLAGS (\Seen)`, s.uids[i]))
			s.send(fmt.Sprintf(`S: * %d FETCH (UID %d FLAGS (\Seen))`, i+1, s.uids[i]), "S: "+t+" OK")
		}
	}
}

// A correct server, in long random sessions, is never blamed.
func TestCorrectServerNeverBlamed(t *testing.T) {
	for seed := range uint64(60) {
		s := &server{r: rand.New(rand.NewPCG(seed, 7)), next: 1, qresync: seed%3 == 0}
		s.send("S: * OK [CAPABILITY IMAP4rev1 IDLE ENABLE QRESYNC] ready")
		t0 := s.cmd("LOGIN u p")
		s.send("S: " + t0 + " OK")
		if s.qresync {
			t1 := s.cmd("ENABLE QRESYNC")
			s.send("S: * ENABLED QRESYNC", "S: "+t1+" OK")
		}
		for range s.r.IntN(30) {
			s.next++
			s.uids = append(s.uids, s.next-1)
		}
		t2 := s.cmd("SELECT INBOX")
		s.send(fmt.Sprintf("S: * %d EXISTS", len(s.uids)), "S: * OK [UIDVALIDITY 9] v", fmt.Sprintf("S: * OK [UIDNEXT %d] n", s.next), "S: "+t2+" OK")
		for range 300 {
			s.step()
		}
		got, w := run(t, s.script)
		if len(got) != 0 {
			t.Fatalf("seed %d: a correct server was blamed: %q\n%s", seed, got, w.Summary())
		}
	}
}

// The same sessions with one EXPUNGE repeated (the server reports one
// removal twice, as go-imap's memory server does for MOVE) are caught.
func TestRepeatedExpungeCaught(t *testing.T) {
	caught := 0
	for seed := range uint64(60) {
		s := &server{r: rand.New(rand.NewPCG(seed, 7)), next: 1}
		s.send("S: * OK [CAPABILITY IMAP4rev1 IDLE] ready")
		for range 20 + s.r.IntN(30) {
			s.next++
			s.uids = append(s.uids, s.next-1)
		}
		t2 := s.cmd("SELECT INBOX")
		s.send(fmt.Sprintf("S: * %d EXISTS", len(s.uids)), "S: * OK [UIDVALIDITY 9] v", fmt.Sprintf("S: * OK [UIDNEXT %d] n", s.next), "S: "+t2+" OK")
		// The server removes one message but says so twice.
		i := 1 + s.r.IntN(len(s.uids)-1)
		t3 := s.cmd("MOVE " + fmt.Sprint(i+1) + " Archive")
		s.send(fmt.Sprintf("S: * %d EXPUNGE", i+2), fmt.Sprintf("S: * %d EXPUNGE", i+1), "S: "+t3+" OK")
		s.uids = slices.Delete(s.uids, i, i+1)
		s.fetch(false)
		t4 := s.cmd("FETCH 1:* (UID)")
		for k, u := range s.uids {
			s.send(fmt.Sprintf("S: * %d FETCH (UID %d)", k+1, u))
		}
		s.send("S: " + t4 + " OK")
		got, _ := run(t, s.script)
		if len(got) == 0 {
			t.Errorf("seed %d: a repeated EXPUNGE went unseen", seed)
			continue
		}
		if got[0] == watchdog.RuleSeqRange || got[0] == watchdog.RuleUIDChanged {
			caught++
		}
	}
	if caught != 60 {
		t.Errorf("%d of 60 caught as seq-range or uid-changed first", caught)
	}
}
