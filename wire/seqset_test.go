package wire

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseSeqSet(t *testing.T) {
	tests := []struct {
		in       string
		want     []seqRange
		bad      bool
		tooLarge bool // the error is ErrNumberRange
	}{
		{in: "1", want: []seqRange{{1, 1}}},
		{in: "1040:1050", want: []seqRange{{1040, 1050}}},
		{in: "1:3,7,9:*", want: []seqRange{{1, 3}, {7, 7}, {9, 0}}},
		{in: "*:4", want: []seqRange{{0, 4}}},
		{in: "4294967295", want: []seqRange{{4294967295, 4294967295}}},
		{in: "005:0007", want: []seqRange{{5, 7}}},
		{in: "", bad: true},
		{in: "0", bad: true},
		{in: "000", bad: true},
		{in: "1:0", bad: true},
		{in: "4294967296", bad: true, tooLarge: true},
		{in: "1:4294967296", bad: true, tooLarge: true},
		{in: "3,99999999999999999999999", bad: true, tooLarge: true},
		{in: "00000000004294967295", want: []seqRange{{4294967295, 4294967295}}},
		{in: "1,,2", bad: true},
		{in: "1:2:3", bad: true},
		{in: "+5", bad: true},
		{in: "-5", bad: true},
		{in: "$", bad: true},
		{in: "1 2", bad: true},
		{in: "a:b", bad: true},
		{in: "1,\x1b[2J", bad: true},
		{in: "4294967296,\x1b[2J", bad: true, tooLarge: true},
	}
	for _, tt := range tests {
		got, err := ParseSeqSet(tt.in)
		if tt.bad {
			if err == nil || !errors.Is(err, ErrSyntax) || errors.Is(err, ErrNumberRange) != tt.tooLarge ||
				strings.ContainsRune(err.Error(), 0x1b) {
				t.Errorf("ParseSeqSet(%q) = %v, %v; want ErrSyntax, ErrNumberRange %v", tt.in, got, err, tt.tooLarge)
			}
			continue
		}
		if err != nil || !slices.Equal(got.ranges, tt.want) {
			t.Errorf("ParseSeqSet(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestSeqSetExpand(t *testing.T) {
	tests := []struct {
		in    string
		star  uint32
		limit int
		want  []uint32
		err   error
	}{
		{in: "1:3,7", want: []uint32{1, 2, 3, 7}},
		{in: "7,1:3,2", want: []uint32{1, 2, 3, 7}},
		{in: "5:3", want: []uint32{3, 4, 5}},
		{in: "3:*", star: 5, want: []uint32{3, 4, 5}},
		{in: "9:*", star: 5, want: []uint32{5, 6, 7, 8, 9}},
		{in: "*", star: 15541, want: []uint32{15541}},
		{in: "4294967294:4294967295", want: []uint32{4294967294, 4294967295}},
		{in: "1:*", err: ErrSyntax},
		{in: "1:10", limit: 10, want: []uint32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{in: "1:11", limit: 10, err: errSetTooLarge},
		{in: "1:5,6:11", limit: 10, err: errSetTooLarge},
		{in: "1:4294967295", err: errSetTooLarge},
		{in: "1:10000001", err: errSetTooLarge},
	}
	for _, tt := range tests {
		set, err := ParseSeqSet(tt.in)
		if err != nil {
			t.Fatalf("ParseSeqSet(%q): %v", tt.in, err)
		}
		got, err := set.Expand(tt.star, tt.limit)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("Expand(%q) = %d numbers, %v; want %v", tt.in, len(got), err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Expand(%q, %d) = %v, %v; want %v", tt.in, tt.star, got, err, tt.want)
		}
	}
}
