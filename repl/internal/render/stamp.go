package render

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// stampWriter prefixes each line written through it, when on, with the
// time since the previous line began ("+0.075s "), so that gaps between a
// command and its answer, or between two commands, can be read off the
// screen. Lines may arrive in pieces (a literal streamed in chunks): the
// prefix goes where a line begins. It is safe for concurrent use.
type stampWriter struct {
	w   io.Writer
	now func() time.Time

	mu   sync.Mutex
	on   bool
	last time.Time // when the previous line began
	mid  bool      // the last write ended inside a line
	buf  []byte
}

// setOn turns the prefixes on or off; the first line after turning them
// on is timed from that moment.
func (s *stampWriter) setOn(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on && !s.on {
		s.last = s.now()
	}
	s.on = on
}

func (s *stampWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.on {
		if len(p) > 0 {
			s.mid = p[len(p)-1] != '\n'
		}
		return s.w.Write(p)
	}
	s.buf = s.buf[:0]
	rest := p
	for len(rest) > 0 {
		if !s.mid {
			t := s.now()
			s.buf = append(s.buf, stamp(t.Sub(s.last))...)
			s.last = t
		}
		i := indexNL(rest)
		if i < 0 {
			s.buf = append(s.buf, rest...)
			s.mid = true
			break
		}
		s.buf = append(s.buf, rest[:i+1]...)
		rest = rest[i+1:]
		s.mid = false
	}
	if _, err := s.w.Write(s.buf); err != nil {
		return 0, err
	}
	if cap(s.buf) > 1<<20 {
		s.buf = nil
	}
	return len(p), nil
}

func indexNL(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return -1
}

// stamp formats a gap: "+0.075s", "+12.500s", "+3m05.2s", "+2h04m", padded
// to line up.
func stamp(d time.Duration) string {
	var s string
	switch {
	case d < time.Minute:
		s = fmt.Sprintf("+%.3fs", d.Seconds())
	case d < time.Hour:
		s = fmt.Sprintf("+%dm%04.1fs", int(d/time.Minute), (d % time.Minute).Seconds())
	default:
		s = fmt.Sprintf("+%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%-9s ", s)
}
