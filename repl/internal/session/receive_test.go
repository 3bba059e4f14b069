package session

import "testing"

func TestLiteralItem(t *testing.T) {
	cases := map[string]string{
		"* 1 FETCH (BODY[] {5}": "BODY[]",
		"* 1 FETCH (UID 4 BODY[HEADER.FIELDS (FROM SUBJECT)] {12}": "BODY[HEADER.FIELDS (FROM SUBJECT)]",
		"* 1 FETCH (BODY[]<0> {05}":                                "BODY[]<0>",
		"* 1 FETCH (BINARY[1] ~{3}":                                "BINARY[1]",
		"* 2 FETCH (RFC822 {10+}":                                  "RFC822",
		"* 2 FETCH (FLAGS () body[text] {1}":                       "BODY[TEXT]",
	}
	for in, want := range cases {
		if got := literalItem([]byte(in)); got != want {
			t.Errorf("literalItem(%q) = %q, want %q", in, got, want)
		}
	}
}
