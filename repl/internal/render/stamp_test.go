package render

import (
	"bytes"
	"testing"
	"time"
)

func TestStampWriter(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	s := &stampWriter{w: &out, now: func() time.Time { return clock }}
	s.Write([]byte("before\n"))
	s.setOn(true)
	clock = clock.Add(75 * time.Millisecond)
	s.Write([]byte("C: a1 STORE 1 +FLAGS (\\Deleted)\n"))
	clock = clock.Add(1500 * time.Millisecond)
	s.Write([]byte("S: * 1 FETCH (BODY[] {5}\nhel")) // a line in two pieces
	clock = clock.Add(time.Second)
	s.Write([]byte("lo)\nS: a1 OK\n"))
	clock = clock.Add(3*time.Minute + 5200*time.Millisecond)
	s.Write([]byte("C: a2 NOOP\n"))
	clock = clock.Add(2*time.Hour + 4*time.Minute)
	s.Write([]byte("S: a2 OK\n"))
	s.setOn(false)
	s.Write([]byte("after\n"))
	want := "before\n" +
		"+0.075s   C: a1 STORE 1 +FLAGS (\\Deleted)\n" +
		"+1.500s   S: * 1 FETCH (BODY[] {5}\n" +
		"+0.000s   hello)\n" +
		"+1.000s   S: a1 OK\n" +
		"+3m05.2s  C: a2 NOOP\n" +
		"+2h04m    S: a2 OK\n" +
		"after\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}
