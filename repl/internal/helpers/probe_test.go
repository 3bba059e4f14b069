package helpers

import "testing"

func TestSubstituteWhy(t *testing.T) {
	tests := []struct {
		head        string
		size, want  int64
		check, subs bool
	}{
		{"Subject: Retrieval using the IMAP4 protocol failed for the following message:", 795, 4821, true, true},
		{"The server couldn't retrieve the following message:", 300, 300, false, true},
		{"Subject: hello", 4000, 4821, true, false},     // under 1 KB off: Exchange's estimates
		{"Subject: hello", 795, 4821, true, true},       // a sixth of it
		{"Subject: hello", 1200, 4821, true, true},      // a quarter of it
		{"Subject: hello", 1200, 4821, false, false},    // a header, not the whole
		{"Subject: hello", 10000, 4000, true, true},     // far more
		{"Subject: hello", 104000, 100000, true, false}, // a little more
	}
	for _, tt := range tests {
		got := substituteWhy([]byte(tt.head), tt.size, tt.want, tt.check)
		if (got != "") != tt.subs {
			t.Errorf("substituteWhy(%q, %d, %d) = %q, want substitute %v", tt.head, tt.size, tt.want, got, tt.subs)
		}
	}
}
