package wire

import (
	"slices"
	"testing"
)

// The lists are handed out as copies: a caller that appends to or edits
// one cannot change what the next caller, or IsCommand, sees.
func TestListsAreCopies(t *testing.T) {
	for name, list := range map[string]func() []string{
		"Commands": Commands, "UIDCommands": UIDCommands, "FetchItems": FetchItems, "Flags": Flags,
	} {
		a := list()
		if len(a) == 0 {
			t.Fatalf("%s is empty", name)
		}
		want := slices.Clone(a)
		a[0] = "CHANGED"
		_ = append(a[:1], "APPENDED")
		if b := list(); !slices.Equal(b, want) {
			t.Errorf("%s changed with a caller's copy: %q", name, b)
		}
	}
	c := Commands()
	for i := range c {
		c[i] = "X"
	}
	if !IsCommand("select") || !IsCommand("UID") || IsCommand("X") || IsCommand("SELECTX") {
		t.Error("IsCommand changed with a caller's copy of Commands")
	}
	for _, u := range UIDCommands() {
		if !IsCommand(u) {
			t.Errorf("UID %s is not a command", u)
		}
	}
}
