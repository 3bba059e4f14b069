package helpers

import (
	"slices"
	"testing"
)

func TestParseMsgArg(t *testing.T) {
	tests := []struct {
		in    string
		n     uint32
		isSeq bool
		bad   bool
	}{
		{in: "15541", n: 15541},
		{in: "#1045", n: 1045, isSeq: true},
		{in: "4294967295", n: 4294967295},
		{in: "", bad: true},
		{in: "0", bad: true},
		{in: "#0", bad: true},
		{in: "#", bad: true},
		{in: "4294967296", bad: true},
		{in: "1040:1050", bad: true},
		{in: "#1,2", bad: true},
		{in: "*", bad: true},
		{in: "+5", bad: true},
		{in: "-5", bad: true},
		{in: "abc", bad: true},
		{in: "##5", bad: true},
	}
	for _, tt := range tests {
		n, isSeq, err := parseMsgArg(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("parseMsgArg(%q) = %d, %v; want an error", tt.in, n, isSeq)
			}
			continue
		}
		if err != nil || n != tt.n || isSeq != tt.isSeq {
			t.Errorf("parseMsgArg(%q) = %d, %v, %v; want %d, %v", tt.in, n, isSeq, err, tt.n, tt.isSeq)
		}
	}
}

func TestHelperArgs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		bad  bool
	}{
		{in: "15541 m.eml", want: []string{"15541", "m.eml"}},
		{in: "  15541   m.eml  --force ", want: []string{"15541", "m.eml", "--force"}},
		{in: `15541 "my mail/m 1.eml"`, want: []string{"15541", "my mail/m 1.eml"}},
		{in: `15541 "a\"b"`, want: []string{"15541", `a"b`}},
		{in: "", want: nil},
		{in: `15541 "open`, bad: true},
		{in: `15541 "a"b`, bad: true},
	}
	for _, tt := range tests {
		got, err := helperArgs(tt.in)
		if tt.bad != (err != nil) || !slices.Equal(got, tt.want) {
			t.Errorf("helperArgs(%q) = %q, %v; want %q (error: %v)", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

func TestTakeFlags(t *testing.T) {
	rest, set, err := takeFlags([]string{"--yes", "15541", "--force"}, "--yes", "--force")
	if err != nil || !slices.Equal(rest, []string{"15541"}) || !set["--yes"] || !set["--force"] {
		t.Errorf("takeFlags = %q, %v, %v", rest, set, err)
	}
	if _, _, err := takeFlags([]string{"--yse", "15541"}, "--yes"); err == nil {
		t.Errorf("takeFlags accepted a misspelt --yes")
	}
}

func TestFormatSet(t *testing.T) {
	tests := []struct {
		in   []uint32
		want string
	}{
		{nil, ""},
		{[]uint32{15541}, "15541"},
		{[]uint32{15683, 15500, 15553}, "15500,15553,15683"},
		{[]uint32{1, 2, 3, 7, 9, 10}, "1:3,7,9:10"},
		{[]uint32{5, 5, 4}, "4:5"},
	}
	for _, tt := range tests {
		if got := formatSet(tt.in); got != tt.want {
			t.Errorf("formatSet(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := listUIDs([]uint32{15500, 15553, 15683}); got != "15500, 15553 and 15683" {
		t.Errorf("listUIDs = %q", got)
	}
}

// TestExpungeLog replays EXPUNGE responses, each numbered after the ones
// before it, and checks the original sequence numbers come back.
func TestExpungeLog(t *testing.T) {
	tests := []struct {
		name string
		resp []uint32 // "* N EXPUNGE" in order
		want []uint32 // original sequence numbers
	}{
		{"one", []uint32{1045}, []uint32{1045}},
		{"ascending shifts", []uint32{5, 6}, []uint32{5, 7}},
		{"same number twice", []uint32{5, 5, 5}, []uint32{5, 6, 7}},
		{"descending, as Exchange", []uint32{1100, 1048, 1040}, []uint32{1100, 1048, 1040}},
		{"mixed", []uint32{3, 5, 4}, []uint32{3, 6, 5}},
	}
	for _, tt := range tests {
		var l expungeLog
		var got []uint32
		for _, n := range tt.resp {
			got = append(got, l.add(n))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v gave %v, want %v", tt.name, tt.resp, got, tt.want)
		}
	}
}

func TestVanishedUIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []uint32
	}{
		{"* VANISHED 22", []uint32{22}},
		{"* VANISHED (EARLIER) 300:303,405", []uint32{300, 301, 302, 303, 405}},
		{"* VANISHED", nil},
		{"* VANISHED x", nil},
	}
	for _, tt := range tests {
		if got := vanishedUIDs([]byte(tt.in)); !slices.Equal(got, tt.want) {
			t.Errorf("vanishedUIDs(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
