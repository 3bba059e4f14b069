package wire

import "testing"

func TestScanFetch(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want FetchSummary
		sure bool
	}{
		{`* 12 FETCH (UID 40012 FLAGS (\Seen $Forwarded))`, FetchSummary{Seq: 12, UID: 40012, HasUID: true}, true},
		{`* 1 fetch (flags () uid 7 MODSEQ (12345))`, FetchSummary{Seq: 1, UID: 7, HasUID: true, ModSeq: true}, true},
		{`* 3 FETCH (FLAGS (\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286)`, FetchSummary{Seq: 3}, true},
		{`* 3 FETCH (UID 1 UID 2)`, FetchSummary{Seq: 3, UID: 2, HasUID: true}, true},
		{`* 3 FETCH (UID 0)`, FetchSummary{Seq: 3, HasUID: true}, true},
		{`* 3 FETCH ()`, FetchSummary{Seq: 3}, true},
		{`* 3 FETCH (ENVELOPE ("date" "subj" (("A" NIL "a" "x.org")) NIL NIL NIL NIL NIL NIL "<id>"))`, FetchSummary{Seq: 3}, true},
		// Left to ParseFetch:
		{`* 3 FETCH (BODY[] {5}` + "\r\nhello)", FetchSummary{}, false},
		{`* 3 FETCH (BODY[HEADER] "x")`, FetchSummary{}, false},
		{`* 3 FETCH (X "a\"b")`, FetchSummary{}, false},
		{`* 3 FETCH (UID 4294967296)`, FetchSummary{}, false},
		{`* 4294967296 FETCH (UID 1)`, FetchSummary{}, false},
		{`* 3 FETCH (UID (1))`, FetchSummary{}, false},
		{`* 3 FETCH (UID 1) extra`, FetchSummary{}, false},
		{`* 3 FETCH (UID 1`, FetchSummary{}, false},
		{`* 3 FETCH (UID  1)`, FetchSummary{}, false},
		{`* 3 FETCH (UID)`, FetchSummary{}, false},
		{`* 3 EXISTS`, FetchSummary{}, false},
		{`a1 OK FETCH done`, FetchSummary{}, false},
	} {
		got, sure := ScanFetch([]byte(tt.in))
		if sure != tt.sure || sure && got != tt.want {
			t.Errorf("ScanFetch(%q) = %+v, %v; want %+v, %v", tt.in, got, sure, tt.want, tt.sure)
		}
		checkScanFetch(t, []byte(tt.in))
	}
	line := []byte(`* 12 FETCH (UID 40012 FLAGS (\Seen $Forwarded) INTERNALDATE "17-Jul-1996 02:44:25 -0700")`)
	if n := testing.AllocsPerRun(100, func() { ScanFetch(line) }); n != 0 {
		t.Errorf("ScanFetch: %v allocations, want 0", n)
	}
}

// checkScanFetch holds ScanFetch to ParseFetch: when it is sure, ParseFetch
// reads the same.
func checkScanFetch(t *testing.T, data []byte) {
	t.Helper()
	sum, sure := ScanFetch(data)
	if !sure {
		return
	}
	fd, ok, err := ParseFetch(data)
	_, modseq := fd.Items["MODSEQ"]
	if !ok || err != nil || fd.Seq != sum.Seq || fd.UID() != sum.UID || modseq != sum.ModSeq {
		t.Fatalf("ScanFetch(%q) = %+v, sure; ParseFetch: %v %v seq %d uid %d modseq %v", data, sum, ok, err, fd.Seq, fd.UID(), modseq)
	}
}

// FuzzScanFetch holds ScanFetch to ParseFetch on FETCH-shaped input.
func FuzzScanFetch(f *testing.F) {
	for _, s := range []string{
		`* 12 FETCH (UID 40012 FLAGS (\Seen $Forwarded))`,
		`* 1 fetch (flags () uid 7 MODSEQ (12345))`,
		`* 3 FETCH (ENVELOPE ("date" "subj" (("A" NIL "a" "x.org")) NIL NIL NIL NIL NIL NIL "<id>"))`,
		`* 3 FETCH (UID 1 UID 2)`,
		`* 3 FETCH (BODY[] {5}` + "\r\nhello)",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkScanFetch(t, data)
	})
}
