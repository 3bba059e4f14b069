package wire

import (
	"strings"
	"testing"
)

// A line that ends in a bare LF is read like one ending in CRLF, and the
// fragment says so; so does the line of a literal announcement. A CRLF
// split across two reads is still a CRLF.
func TestFragmentBareLF(t *testing.T) {
	data := "* 1 EXISTS\r\n* 2 EXISTS\n* 1 FETCH (BODY[] {2}\nhi)\r\n* 3 EXISTS\r\n"
	for _, cut := range []int{len("* 1 EXISTS\r"), len("* 1 EXISTS"), 5} {
		r := NewReader(splitAt([]byte(data), cut))
		var got []string
		for {
			f, err := r.ReadFragment()
			if err != nil {
				break
			}
			got = append(got, string(f.Text)+map[bool]string{true: " LF", false: " CRLF"}[f.BareLF])
			if f.Literal >= 0 {
				if _, err := drain(r.Literal(), true); err != nil {
					t.Fatal(err)
				}
			}
		}
		want := "* 1 EXISTS CRLF|* 2 EXISTS LF|* 1 FETCH (BODY[] {2} LF|) CRLF|* 3 EXISTS CRLF"
		if strings.Join(got, "|") != want {
			t.Errorf("cut at %d:\n got %s\nwant %s", cut, strings.Join(got, "|"), want)
		}
	}
}
