// Package tagger assigns IMAP command tags (RFC 9051 section 2.2.1) and
// keeps the table of commands in flight. It performs no I/O.
//
// Tags follow the style of the tutorials people read: a prefix and a
// three-digit counter, a001, a002, ... a999, a1000.
package tagger

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// ErrInFlight is returned when a tag is still in use by a command that has
// not completed.
var ErrInFlight = errors.New("tag still in flight")

// Tagger hands out tags and tracks the commands in flight. The zero value is
// not usable; call New. It is safe for concurrent use.
type Tagger[T any] struct {
	mu     sync.Mutex
	prefix string
	n      int
	flight map[string]T
	order  []string
	last   string          // the tag Next handed out last
	chosen map[string]bool // tags the user chose, never handed out by Next
}

// New returns a Tagger whose tags start with prefix. It panics if prefix is
// not a valid tag; check it with Valid first.
func New[T any](prefix string) *Tagger[T] {
	if err := Valid(prefix); err != nil {
		panic(err)
	}
	return &Tagger[T]{prefix: prefix, flight: make(map[string]T), chosen: make(map[string]bool)}
}

// Next returns the next tag that is not in flight and that the user has
// not chosen before (so a transcript never shows one tag for two
// commands). It does not register it.
func (t *Tagger[T]) Next() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		t.n++
		tag := fmt.Sprintf("%s%03d", t.prefix, t.n)
		if _, busy := t.flight[tag]; !busy && !t.chosen[tag] {
			t.last = tag
			return tag
		}
	}
}

// Start registers tag as in flight with value v.
func (t *Tagger[T]) Start(tag string, v T) error {
	if err := Valid(tag); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, busy := t.flight[tag]; busy {
		return fmt.Errorf("%w: %s has not completed yet; pick another tag", ErrInFlight, tag)
	}
	t.flight[tag] = v
	t.order = append(t.order, tag)
	if tag != t.last {
		t.chosen[tag] = true
	}
	return nil
}

// Finish removes tag from the table and returns its value. ok is false if
// the tag was not in flight: the server completed a command it was not given.
func (t *Tagger[T]) Finish(tag string) (v T, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok = t.flight[tag]
	if ok {
		delete(t.flight, tag)
		for i, o := range t.order {
			if o == tag {
				t.order = append(t.order[:i], t.order[i+1:]...)
				break
			}
		}
	}
	return v, ok
}

// InFlight returns the values of the commands in flight, oldest first.
func (t *Tagger[T]) InFlight() []T {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]T, 0, len(t.order))
	for _, tag := range t.order {
		out = append(out, t.flight[tag])
	}
	return out
}

// AppendInFlight appends the values of the commands in flight, oldest
// first, to dst and returns it: InFlight without an allocation when dst
// has room.
func (t *Tagger[T]) AppendInFlight(dst []T) []T {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, tag := range t.order {
		dst = append(dst, t.flight[tag])
	}
	return dst
}

// Drain removes and returns every command in flight, oldest first, as when
// the connection is lost.
func (t *Tagger[T]) Drain() []T {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]T, 0, len(t.order))
	for _, tag := range t.order {
		out = append(out, t.flight[tag])
	}
	t.flight = make(map[string]T)
	t.order = nil
	return out
}

// Valid reports whether tag is a valid IMAP tag: one or more ASTRING-CHARs
// other than "+". The error says which character is wrong.
func Valid(tag string) error {
	if tag == "" {
		return errors.New("empty tag")
	}
	if tag == "*" {
		return errors.New(`tag "*" marks untagged responses; pick another`)
	}
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		if !isTagChar(c) {
			return fmt.Errorf("tag %q has %q at position %d: tags may not contain spaces, controls, 8-bit octets or any of ( ) { %% * \" \\ +", tag, c, i+1)
		}
	}
	return nil
}

func isTagChar(c byte) bool {
	if c <= ' ' || c >= 0x7f {
		return false
	}
	return !strings.ContainsRune(`(){%*"\+`, rune(c))
}

// Split decides whether line carries its own tag: when its first word is not
// a command (per isCommand) but its second word is, the first word is the
// tag. It returns the tag ("" when the line has none) and the command text.
func Split(line string, isCommand func(string) bool) (tag, command string) {
	first, rest, found := strings.Cut(strings.TrimLeft(line, " "), " ")
	if !found || isCommand(first) {
		return "", line
	}
	second, _, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
	if isCommand(second) {
		return first, strings.TrimLeft(rest, " ")
	}
	return "", line
}
