package wire

import (
	"errors"
	"slices"
	"testing"
)

func TestParseSeqSet(t *testing.T) {
	tests := []struct {
		in   string
		want SeqSet
		bad  bool
	}{
		{in: "1", want: SeqSet{{1, 1}}},
		{in: "1040:1050", want: SeqSet{{1040, 1050}}},
		{in: "1:3,7,9:*", want: SeqSet{{1, 3}, {7, 7}, {9, 0}}},
		{in: "*:4", want: SeqSet{{0, 4}}},
		{in: "4294967295", want: SeqSet{{4294967295, 4294967295}}},
		{in: "", bad: true},
		{in: "0", bad: true},
		{in: "1:0", bad: true},
		{in: "4294967296", bad: true},
		{in: "1,,2", bad: true},
		{in: "1:2:3", bad: true},
		{in: "+5", bad: true},
		{in: "-5", bad: true},
		{in: "$", bad: true},
		{in: "1 2", bad: true},
		{in: "a:b", bad: true},
	}
	for _, tt := range tests {
		got, err := ParseSeqSet(tt.in)
		if tt.bad {
			if err == nil || !errors.Is(err, ErrSyntax) {
				t.Errorf("ParseSeqSet(%q) = %v, %v; want ErrSyntax", tt.in, got, err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
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
		{in: "1:11", limit: 10, err: ErrSetTooLarge},
		{in: "1:5,6:11", limit: 10, err: ErrSetTooLarge},
		{in: "1:4294967295", err: ErrSetTooLarge},
		{in: "1:10000001", err: ErrSetTooLarge},
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

func TestParseSearch(t *testing.T) {
	tests := []struct {
		in     string
		want   SearchData
		notOK  bool
		hasErr bool
	}{
		{in: "* SEARCH 15500 15553 15683", want: SearchData{All: []uint32{15500, 15553, 15683}}},
		{in: "* SEARCH", want: SearchData{}},
		{in: "* search 2 3 (MODSEQ 917162500)", want: SearchData{All: []uint32{2, 3}}},
		{in: `* ESEARCH (TAG "a005") UID ALL 1:3,7`, want: SearchData{ESearch: true, Tag: "a005", UID: true, All: []uint32{1, 2, 3, 7}}},
		{in: `* ESEARCH (TAG "a5") UID MIN 15523 MAX 15541 COUNT 2`, want: SearchData{ESearch: true, Tag: "a5", UID: true, Min: 15523, Max: 15541, Count: 2}},
		{in: `* ESEARCH (TAG "a6") UID`, want: SearchData{ESearch: true, Tag: "a6", UID: true}},
		{in: `* ESEARCH ALL 4`, want: SearchData{ESearch: true, All: []uint32{4}}},
		{in: `* ESEARCH (TAG "a7") MODSEQ 5 ALL 2,4`, want: SearchData{ESearch: true, Tag: "a7", All: []uint32{2, 4}}},
		{in: "* 3 FETCH (UID 7)", notOK: true},
		{in: "* OK [UIDNEXT 5] x", notOK: true},
		{in: "a1 OK SEARCH completed", notOK: true},
		{in: "* SEARCH 1 x 3", hasErr: true},
		{in: "* SEARCH 0", hasErr: true},
		{in: "* SEARCH 4294967296", hasErr: true},
		{in: `* ESEARCH (TAG "a8") UID ALL 1:4294967295`, hasErr: true},
		{in: `* ESEARCH (TAG "a8") UID ALL 1:*`, hasErr: true},
		{in: `* ESEARCH (TAG "a8") UID ALL`, hasErr: true},
		{in: `* ESEARCH (TAG "a8") UID MAX x`, hasErr: true},
		{in: `* ESEARCH (TAG "a8`, hasErr: true},
	}
	for _, tt := range tests {
		got, ok, err := ParseSearch([]byte(tt.in))
		switch {
		case tt.notOK:
			if ok {
				t.Errorf("ParseSearch(%q) ok, want not a search response", tt.in)
			}
		case tt.hasErr:
			if !ok || err == nil {
				t.Errorf("ParseSearch(%q) = %+v, %v, %v; want an error", tt.in, got, ok, err)
			}
		case !ok || err != nil || got.ESearch != tt.want.ESearch || got.Tag != tt.want.Tag || got.UID != tt.want.UID ||
			!slices.Equal(got.All, tt.want.All) || got.Min != tt.want.Min || got.Max != tt.want.Max || got.Count != tt.want.Count:
			t.Errorf("ParseSearch(%q) = %+v, %v, %v; want %+v", tt.in, got, ok, err, tt.want)
		}
	}
}

func FuzzParseSearch(f *testing.F) {
	f.Add([]byte(`* ESEARCH (TAG "a005") UID ALL 1:3,7`))
	f.Add([]byte("* SEARCH 1 2 3"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sd, ok, _ := ParseSearch(b)
		if !ok && (sd.ESearch || len(sd.All) > 0) {
			t.Fatalf("not a search response, yet %+v", sd)
		}
		if len(sd.All) > MaxSetNumbers {
			t.Fatalf("%d numbers", len(sd.All))
		}
	})
}
