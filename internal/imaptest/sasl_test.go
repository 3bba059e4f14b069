package imaptest

import (
	"strings"
	"testing"
)

func TestParseOAuth(t *testing.T) {
	cases := []struct {
		mech, blob, user, token, err string
	}{
		{"XOAUTH2", "user=a@b\x01auth=Bearer tok\x01\x01", "a@b", "tok", ""},
		{"XOAUTH2", "user=a@b\x01auth=Bearer tok\x01", "", "", "^A^A"},
		{"XOAUTH2", "user=a@b\x01auth=Basic tok\x01\x01", "", "", "Bearer"},
		{"OAUTHBEARER", "n,a=x=2Cy,\x01host=h\x01port=993\x01auth=Bearer tok\x01\x01", "x,y", "tok", ""},
		{"OAUTHBEARER", "n,,\x01auth=Bearer tok\x01\x01", "", "", "GS2"},
		{"OAUTHBEARER", "n,a=x,\x01host=other\x01port=993\x01auth=Bearer tok\x01\x01", "", "", "host="},
		{"OAUTHBEARER", "y,a=x,\x01auth=Bearer tok\x01\x01", "", "", "GS2"},
	}
	for _, c := range cases {
		user, token, err := parseOAuth(c.mech, c.blob, "h", 993)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %q: %v, want an error with %q", c.mech, c.blob, err, c.err)
			}
			continue
		}
		if err != nil || user != c.user || token != c.token {
			t.Errorf("%s %q: %q %q %v", c.mech, c.blob, user, token, err)
		}
	}
}
