package repl

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/wire"
)

// statsObserver counts commands and times each from its first line to its
// tagged completion, per command name. It is an observer: it sees every
// command, the helpers' and the keepalive's included.
type statsObserver struct {
	now   func() time.Time
	start time.Time

	mu       sync.Mutex
	commands int
	pending  map[string]pendingCmd // by tag
	rtt      map[string][]time.Duration
	lost     int // commands the connection ended under
}

type pendingCmd struct {
	name string
	at   time.Time
}

func newStatsObserver(now func() time.Time) *statsObserver {
	return &statsObserver{now: now, start: now(), pending: map[string]pendingCmd{}, rtt: map[string][]time.Duration{}}
}

// Interest names the events the stats read.
func (s *statsObserver) Interest() session.Kinds {
	return session.KindsOf(session.Sent, session.End, session.Closed)
}

// Observe implements session.Observer.
func (s *statsObserver) Observe(e *session.Event) {
	switch e.Kind {
	case session.Sent:
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.pending[e.Tag]; ok {
			return // a later line of the same command (a literal's rest, DONE)
		}
		_, text, _ := strings.Cut(e.Line, " ")
		name, _ := session.CommandName(text)
		s.pending[e.Tag] = pendingCmd{name, s.now()}
		s.commands++
	case session.End:
		if e.Resp == nil || e.Resp.Head.Kind != wire.Tagged {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		p, ok := s.pending[e.Resp.Head.Tag]
		if !ok {
			return
		}
		delete(s.pending, e.Resp.Head.Tag)
		s.rtt[p.name] = append(s.rtt[p.name], s.now().Sub(p.at))
	case session.Closed:
		s.mu.Lock()
		defer s.mu.Unlock()
		s.lost += len(s.pending)
		clear(s.pending)
	}
}

// report is the stats helper's table.
func (s *statsObserver) report(oct wire.Octets, connects int, since time.Time, via string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	now := s.now()
	fmt.Fprintf(&b, "session: %s", roundDuration(now.Sub(s.start)))
	if connects > 1 {
		fmt.Fprintf(&b, ", %d connections (this one %s)", connects, roundDuration(now.Sub(since)))
	}
	b.WriteString(via) // " through the SOCKS5 proxy ..."
	fmt.Fprintf(&b, "\n%-26s %12s %12s", "octets", "sent", "received")
	fmt.Fprintf(&b, "\n%-26s %12d %12d", "IMAP (uncompressed)", oct.Sent, oct.Received)
	if oct.Compressed || oct.DeflateSent+oct.DeflateReceived > 0 {
		fmt.Fprintf(&b, "\n%-26s %12d %12d", "compressed (DEFLATE)", oct.DeflateSent, oct.DeflateReceived)
		fmt.Fprintf(&b, "  %s", ratio(oct))
	} else {
		b.WriteString("\ncompressed: no (COMPRESS=DEFLATE not in use: see --compress)")
	}
	fmt.Fprintf(&b, "\n%-26s %12d %12d", "network (TLS included)", oct.NetSent, oct.NetReceived)
	fmt.Fprintf(&b, "\ncommands: %d sent, %d in flight", s.commands, len(s.pending))
	if s.lost > 0 {
		fmt.Fprintf(&b, ", %d lost with a connection", s.lost)
	}
	if len(s.rtt) == 0 {
		return b.String()
	}
	fmt.Fprintf(&b, "\n%-16s %6s %10s %10s %10s", "round trips", "count", "min", "median", "max")
	names := make([]string, 0, len(s.rtt))
	for n := range s.rtt {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		d := slices.Clone(s.rtt[n])
		slices.Sort(d)
		fmt.Fprintf(&b, "\n%-16s %6d %10s %10s %10s", n, len(d), fmtRTT(d[0]), fmtRTT(median(d)), fmtRTT(d[len(d)-1]))
	}
	return b.String()
}

// ratio says how much of the IMAP octets the compressed ones were, while
// compression was on (the octets before COMPRESS count on the IMAP side
// too, so the ratio is a little pessimistic).
func ratio(o wire.Octets) string {
	if o.Sent+o.Received == 0 {
		return ""
	}
	return fmt.Sprintf("(%.0f%% of the IMAP octets)", 100*float64(o.DeflateSent+o.DeflateReceived)/float64(o.Sent+o.Received))
}

func median(d []time.Duration) time.Duration {
	n := len(d)
	if n%2 == 1 {
		return d[n/2]
	}
	return (d[n/2-1] + d[n/2]) / 2
}

// fmtRTT shows a round trip with three significant digits or so.
func fmtRTT(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Minute:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
	return roundDuration(d)
}

func roundDuration(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// statsHelper shows the session's numbers.
func (sh *Shell) statsHelper(args string) error {
	if strings.TrimSpace(args) != "" {
		return &lineError{"stats takes no arguments"}
	}
	oct := sh.lr.prevOctets
	if sh.conn != nil {
		oct = oct.Add(sh.conn.Octets())
	}
	sh.pr.Plain("%s", sh.lr.stats.report(oct, sh.lr.connects, sh.lr.connectedAt, sh.lr.via))
	return nil
}
