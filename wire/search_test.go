package wire

import (
	"errors"
	"slices"
	"strconv"
	"testing"
)

func TestParseSearch(t *testing.T) {
	tests := []struct {
		in       string
		want     SearchData
		notOK    bool
		hasErr   bool
		tooLarge bool // the error is ErrNumberRange
	}{
		{in: "* SEARCH 15500 15553 15683", want: SearchData{All: []uint32{15500, 15553, 15683}}},
		{in: "* SEARCH", want: SearchData{}},
		{in: "* search 2 3 (MODSEQ 917162500)", want: SearchData{All: []uint32{2, 3}}},
		{in: `* ESEARCH (TAG "a005") UID ALL 1:3,7`, want: SearchData{ESearch: true, Tag: "a005", All: []uint32{1, 2, 3, 7}}},
		{in: `* ESEARCH (TAG "a5") UID MIN 15523 MAX 15541 COUNT 2`, want: SearchData{ESearch: true, Tag: "a5", Min: 15523, Max: 15541}},
		{in: `* ESEARCH (TAG "a6") UID`, want: SearchData{ESearch: true, Tag: "a6"}},
		{in: `* ESEARCH ALL 4`, want: SearchData{ESearch: true, All: []uint32{4}}},
		{in: `* ESEARCH (TAG "a7") MODSEQ 5 ALL 2,4`, want: SearchData{ESearch: true, Tag: "a7", All: []uint32{2, 4}}},
		{in: "* 3 FETCH (UID 7)", notOK: true},
		{in: "* OK [UIDNEXT 5] x", notOK: true},
		{in: "a1 OK SEARCH completed", notOK: true},
		{in: "* SEARCH 1 x 3", hasErr: true},
		{in: "* SEARCH 0", hasErr: true},
		{in: "* SEARCH 4294967296", hasErr: true, tooLarge: true},
		{in: "* SEARCH 7 18446744073709551617", hasErr: true, tooLarge: true}, // 2^64+1: not wrapped to 1
		{in: "* SEARCH 007 4294967295", want: SearchData{All: []uint32{7, 4294967295}}},
		{in: `* SEARCH "5"`, hasErr: true},
		{in: `* ESEARCH (TAG "a8") UID ALL 1:4294967295`, hasErr: true},
		{in: `* ESEARCH (TAG "a8") UID ALL 3,4294967296`, hasErr: true, tooLarge: true},
		{in: `* ESEARCH (TAG "a8") UID MIN 4294967296`, hasErr: true, tooLarge: true},
		{in: `* ESEARCH (TAG "a8") COUNT 4294967296`, hasErr: true, tooLarge: true},
		{in: `* ESEARCH (TAG "a8") UID MAX 4294967295 MODSEQ 18446744073709551615`, want: SearchData{ESearch: true, Tag: "a8", Max: 4294967295}},
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
			if !ok || err == nil || errors.Is(err, ErrNumberRange) != tt.tooLarge {
				t.Errorf("ParseSearch(%q) = %+v, %v, %v; want an error, ErrNumberRange %v", tt.in, got, ok, err, tt.tooLarge)
			}
		case !ok || err != nil || got.ESearch != tt.want.ESearch || got.Tag != tt.want.Tag ||
			!slices.Equal(got.All, tt.want.All) || got.Min != tt.want.Min || got.Max != tt.want.Max:
			t.Errorf("ParseSearch(%q) = %+v, %v, %v; want %+v", tt.in, got, ok, err, tt.want)
		}
	}
}

func FuzzParseSearch(f *testing.F) {
	f.Add([]byte(`* ESEARCH (TAG "a005") UID ALL 1:3,7`))
	f.Add([]byte("* SEARCH 1 2 3"))
	f.Add([]byte("* SEARCH 1 4294967296 3"))
	f.Add([]byte("* ESEARCH (TAG \"a1\") UID MIN 4294967296 ALL 1:4294967296"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sd, ok, err := ParseSearch(b)
		checkQuoted(t, err)
		if !ok && (sd.ESearch || len(sd.All) > 0) {
			t.Fatalf("not a search response, yet %+v", sd)
		}
		if len(sd.All) > MaxSetNumbers {
			t.Fatalf("%d numbers", len(sd.All))
		}
		if !ok || err != nil || sd.ESearch {
			return
		}
		// SEARCH's numbers are the ones written, never truncated.
		vals, _ := Parse(b)
		var want []uint32
		for _, v := range vals[2:] {
			if v.Kind != List {
				n, err := strconv.ParseUint(string(v.Bytes), 10, 32)
				if err != nil {
					t.Fatalf("ParseSearch(%q) took %q for a number", b, v.Bytes)
				}
				want = append(want, uint32(n))
			}
		}
		if !slices.Equal(sd.All, want) {
			t.Fatalf("ParseSearch(%q) = %v, want %v", b, sd.All, want)
		}
	})
}
