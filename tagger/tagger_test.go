package tagger

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestNextSequence(t *testing.T) {
	tg := New[int]("a")
	want := map[int]string{1: "a001", 2: "a002", 9: "a009", 10: "a010", 99: "a099", 100: "a100", 999: "a999", 1000: "a1000", 1001: "a1001"}
	for i := 1; i <= 1001; i++ {
		got := tg.Next()
		if w, ok := want[i]; ok && got != w {
			t.Fatalf("tag %d is %q, want %q", i, got, w)
		}
		if got != fmt.Sprintf("a%03d", i) {
			t.Fatalf("tag %d is %q", i, got)
		}
	}
}

func TestNextPrefix(t *testing.T) {
	for _, prefix := range []string{"A", "x.", "imapsh-", "T]"} {
		if got, want := New[int](prefix).Next(), prefix+"001"; got != want {
			t.Errorf("prefix %q: first tag %q, want %q", prefix, got, want)
		}
	}
}

// Next does not register a tag: without Start, it keeps counting but a
// later Start of the same tag works.
func TestNextDoesNotRegister(t *testing.T) {
	tg := New[int]("a")
	tag := tg.Next()
	if len(tg.InFlight()) != 0 {
		t.Fatal("Next registered its tag")
	}
	if err := tg.Start(tag, 1); err != nil {
		t.Fatal(err)
	}
}

func TestNextSkipsTagsInFlight(t *testing.T) {
	tg := New[string]("a")
	// The user typed their own tags, ahead of the counter.
	for _, tag := range []string{"a002", "a003", "a005"} {
		if err := tg.Start(tag, "user"); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for range 4 {
		got = append(got, tg.Next())
	}
	if want := []string{"a001", "a004", "a006", "a007"}; !slices.Equal(got, want) {
		t.Fatalf("Next gave %q, want %q", got, want)
	}
	// Once a003 completes it is not reissued: the counter has passed it.
	tg.Finish("a003")
	if got := tg.Next(); got != "a008" {
		t.Fatalf("Next after Finish gave %q, want a008", got)
	}
}

func TestStart(t *testing.T) {
	tg := New[string]("a")
	if err := tg.Start("a001", "NOOP"); err != nil {
		t.Fatal(err)
	}
	err := tg.Start("a001", "SELECT INBOX")
	if !errors.Is(err, ErrInFlight) {
		t.Fatalf("second Start of a001: %v, want ErrInFlight", err)
	}
	if !strings.Contains(err.Error(), "a001") {
		t.Errorf("error %q does not name the tag", err)
	}
	// The refused Start left the first command alone.
	if got := tg.InFlight(); !slices.Equal(got, []string{"NOOP"}) {
		t.Fatalf("in flight %q", got)
	}
	// Tags are case-sensitive: A001 is another tag.
	if err := tg.Start("A001", "CHECK"); err != nil {
		t.Fatalf("Start A001: %v", err)
	}
	// After completion the tag may be used again.
	if _, ok := tg.Finish("a001"); !ok {
		t.Fatal("Finish a001 failed")
	}
	if err := tg.Start("a001", "LOGOUT"); err != nil {
		t.Fatalf("reusing a001 after it completed: %v", err)
	}
}

func TestValid(t *testing.T) {
	valid := []string{"a001", "A", "x", "tag.1", "1", "a-b_c", "a]b", "a[b", "~x", "!#$&'", "a=b", "A1000000"}
	for _, tag := range valid {
		if err := Valid(tag); err != nil {
			t.Errorf("Valid(%q) = %v", tag, err)
		}
	}
	invalid := []struct {
		tag  string
		want string // in the error
	}{
		{"", "empty"},
		{"*", "untagged"},
		{"a b", "position 2"},
		{" a", "position 1"},
		{"a+", "position 2"},
		{"+", "position 1"},
		{"a*", "position 2"},
		{"a(", "position 2"},
		{"a)", "position 2"},
		{"a{", "position 2"},
		{`a"`, "position 2"},
		{`a\`, "position 2"},
		{"a%", "position 2"},
		{"caf\xc3\xa9", "position 4"},
		{"a\x00", "position 2"},
		{"a\t", "position 2"},
		{"a\r\n", "position 2"},
		{"a\x7f", "position 2"},
		{"a\x1b", "position 2"},
	}
	for _, tt := range invalid {
		err := Valid(tt.tag)
		if err == nil {
			t.Errorf("Valid(%q) accepted it", tt.tag)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Valid(%q) = %q, want it to mention %q", tt.tag, err, tt.want)
		}
		// Start refuses what Valid refuses, and registers nothing.
		tg := New[int]("a")
		if err := tg.Start(tt.tag, 1); err == nil {
			t.Errorf("Start(%q) accepted it", tt.tag)
		}
		if n := len(tg.InFlight()); n != 0 {
			t.Errorf("Start(%q) registered %d commands", tt.tag, n)
		}
	}
}

func TestNewPanicsOnInvalidPrefix(t *testing.T) {
	for _, prefix := range []string{"", "a b", "+", "*"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%q) did not panic", prefix)
				}
			}()
			New[int](prefix)
		}()
	}
}

func TestFinish(t *testing.T) {
	type cmd struct{ text string }
	tg := New[*cmd]("a")
	login, sel := &cmd{"LOGIN"}, &cmd{"SELECT"}
	tg.Start("a001", login)
	tg.Start("a002", sel)
	v, ok := tg.Finish("a001")
	if !ok || v != login {
		t.Fatalf("Finish a001 = %v %v, want the LOGIN command", v, ok)
	}
	// The same tag twice: the second completion is for no command.
	if v, ok := tg.Finish("a001"); ok || v != nil {
		t.Fatalf("second Finish a001 = %v %v, want nil false", v, ok)
	}
	if v, ok := tg.Finish("zz9"); ok || v != nil {
		t.Fatalf("Finish of an unknown tag = %v %v", v, ok)
	}
	if v, ok := tg.Finish(""); ok || v != nil {
		t.Fatalf("Finish of the empty tag = %v %v", v, ok)
	}
	if got := tg.InFlight(); len(got) != 1 || got[0] != sel {
		t.Fatalf("in flight %v, want only SELECT", got)
	}
}

func TestInFlightOrder(t *testing.T) {
	tg := New[string]("a")
	for _, tag := range []string{"a003", "a001", "x", "a002"} {
		tg.Start(tag, "cmd "+tag)
	}
	// Oldest first, whatever the tags.
	want := []string{"cmd a003", "cmd a001", "cmd x", "cmd a002"}
	if got := tg.InFlight(); !slices.Equal(got, want) {
		t.Fatalf("InFlight %q, want %q", got, want)
	}
	tg.Finish("a001")
	tg.Start("a001", "again a001")
	want = []string{"cmd a003", "cmd x", "cmd a002", "again a001"}
	if got := tg.InFlight(); !slices.Equal(got, want) {
		t.Fatalf("InFlight after finish and restart %q, want %q", got, want)
	}
	// The result is a copy: changing it changes nothing in the table.
	got := tg.InFlight()
	got[0] = "changed"
	if tg.InFlight()[0] != "cmd a003" {
		t.Fatal("InFlight returned the table itself")
	}
}

func TestDrain(t *testing.T) {
	tg := New[int]("a")
	tg.Start("a002", 2)
	tg.Start("a001", 1)
	tg.Start("a003", 3)
	tg.Finish("a001")
	if got := tg.Drain(); !slices.Equal(got, []int{2, 3}) {
		t.Fatalf("Drain = %v, want [2 3]", got)
	}
	if got := tg.InFlight(); len(got) != 0 {
		t.Fatalf("in flight after Drain: %v", got)
	}
	if _, ok := tg.Finish("a002"); ok {
		t.Fatal("Finish after Drain found the command")
	}
	// The tagger works on after a drain, as after a reconnection.
	if err := tg.Start("a002", 22); err != nil {
		t.Fatal(err)
	}
	if got := tg.Drain(); !slices.Equal(got, []int{22}) {
		t.Fatalf("second Drain = %v", got)
	}
	if got := tg.Drain(); len(got) != 0 {
		t.Fatalf("Drain of an empty table = %v", got)
	}
}

// isCommand is a small stand-in for wire.IsCommand: case-insensitive.
func isCommand(s string) bool {
	switch strings.ToUpper(s) {
	case "LOGIN", "SELECT", "UID", "NOOP", "FETCH", "CAPABILITY", "LOGOUT":
		return true
	}
	return false
}

func TestSplit(t *testing.T) {
	tests := []struct {
		line, tag, command string
	}{
		{"a001 LOGIN x y", "a001", "LOGIN x y"},
		{"LOGIN x y", "", "LOGIN x y"},
		{"select INBOX", "", "select INBOX"},
		{"foo bar", "", "foo bar"},
		{"A1 uid fetch 1 (UID)", "A1", "uid fetch 1 (UID)"},
		{"NOOP", "", "NOOP"},
		{"a001", "", "a001"},
		{"", "", ""},
		{"a001 NOOP", "a001", "NOOP"},
		{"  a2   noop", "a2", "noop"},
		{"a2  ", "", "a2  "},
		{"x.1 capability", "x.1", "capability"},
		{"NOOP NOOP", "", "NOOP NOOP"},         // the first word is a command: no tag
		{"foo bar LOGIN", "", "foo bar LOGIN"}, // only the second word counts
		{"tag LOGINX a b", "", "tag LOGINX a b"},
		{"a+1 NOOP", "a+1", "NOOP"}, // Split does not validate; Start will refuse it
	}
	for _, tt := range tests {
		tag, command := Split(tt.line, isCommand)
		if tag != tt.tag || command != tt.command {
			t.Errorf("Split(%q) = %q, %q; want %q, %q", tt.line, tag, command, tt.tag, tt.command)
		}
	}
}

// Many goroutines take tags, start, list and finish commands at once, as
// the reader goroutine and the prompt do; run under -race.
func TestConcurrentUse(t *testing.T) {
	tg := New[int]("c")
	const workers, each = 8, 200
	var wg sync.WaitGroup
	tags := make(chan string, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				tag := tg.Next()
				if err := tg.Start(tag, w*each+i); err != nil {
					t.Errorf("Start(%s): %v", tag, err)
					return
				}
				tags <- tag
				tg.InFlight()
				if i%2 == 0 {
					if _, ok := tg.Finish(tag); !ok {
						t.Errorf("Finish(%s) found nothing", tag)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(tags)
	seen := make(map[string]bool)
	for tag := range tags {
		if seen[tag] {
			t.Fatalf("tag %s handed out twice", tag)
		}
		seen[tag] = true
	}
	if len(seen) != workers*each {
		t.Fatalf("%d tags, want %d", len(seen), workers*each)
	}
	if got := len(tg.Drain()); got != workers*each/2 {
		t.Fatalf("%d commands left in flight, want %d", got, workers*each/2)
	}
}

// Start of the same tag from many goroutines: exactly one wins.
func TestConcurrentStartSameTag(t *testing.T) {
	tg := New[int]("a")
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, busy := 0, 0
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := tg.Start("a001", i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, ErrInFlight):
				busy++
			default:
				t.Errorf("Start: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 || busy != 49 {
		t.Fatalf("%d Starts won and %d were refused, want 1 and 49", wins, busy)
	}
}

func TestNextSkipsTagsTheUserChose(t *testing.T) {
	tg := New[int]("a")
	if err := tg.Start("a002", 1); err != nil { // typed by the user
		t.Fatal(err)
	}
	tg.Finish("a002")
	var got []string
	for i := 0; i < 3; i++ {
		tag := tg.Next()
		tg.Start(tag, 0)
		tg.Finish(tag)
		got = append(got, tag)
	}
	if strings.Join(got, " ") != "a001 a003 a004" {
		t.Errorf("Next after a user's a002 = %v, want a001 a003 a004", got)
	}
}

func TestAppendInFlight(t *testing.T) {
	tg := New[int]("a")
	for i, tag := range []string{"a001", "x9", "a002"} {
		if err := tg.Start(tag, i+1); err != nil {
			t.Fatal(err)
		}
	}
	tg.Finish("x9")
	buf := make([]int, 0, 8)
	got := tg.AppendInFlight(buf[:0])
	if !slices.Equal(got, []int{1, 3}) || !slices.Equal(got, tg.InFlight()) {
		t.Fatalf("AppendInFlight = %v, InFlight = %v, want [1 3]", got, tg.InFlight())
	}
	if &got[0] != &buf[:1][0] {
		t.Error("AppendInFlight did not use the room in dst")
	}
	if got := tg.AppendInFlight([]int{7}); !slices.Equal(got, []int{7, 1, 3}) {
		t.Errorf("AppendInFlight after 7 = %v", got)
	}
}
