package netrc

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name, text string
		want       []Entry
		err        string
	}{
		{"one line", "machine mail.example.com login alice password s3cret\n",
			[]Entry{{Machine: "mail.example.com", Login: "alice", Password: "s3cret"}}, ""},
		{"multi-line with account and default", "machine a\n  login u1\n  password p1\n  account x\n\ndefault login anon password guest",
			[]Entry{{Machine: "a", Login: "u1", Password: "p1"}, {Default: true, Login: "anon", Password: "guest"}}, ""},
		{"quoted with escapes", `machine h login "a b" password "p\"w\\d #x"`,
			[]Entry{{Machine: "h", Login: "a b", Password: `p"w\d #x`}}, ""},
		{"comment lines", "# my hosts\nmachine h login u password #notacomment\n  # indented comment\n",
			[]Entry{{Machine: "h", Login: "u", Password: "#notacomment"}}, ""},
		{"macdef skipped", "machine h login u password p\nmacdef init\nlogin x\npassword y\n\nmachine k login v password q\n",
			[]Entry{{Machine: "h", Login: "u", Password: "p"}, {Machine: "k", Login: "v", Password: "q"}}, ""},
		{"missing value", "machine h login", nil, "has no value"},
		{"password first", "password p machine h", nil, "before any machine"},
		{"unknown word", "machine h user u", nil, `unknown keyword "user"`},
		{"open quote", `machine h password "abc`, nil, "not closed"},
		{"empty", "", nil, ""},
	}
	for _, c := range cases {
		got, err := Parse(c.text)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, %v; want %+v", c.name, got, err, c.want)
		}
	}
}

func TestFind(t *testing.T) {
	entries, _ := Parse("machine mail.example.com login alice password A\nmachine MAIL.example.com login bob password B\nmachine other password O\ndefault login dflt password D\n")
	cases := []struct{ host, login, wantPass string }{
		{"mail.example.com", "", "A"},
		{"Mail.Example.Com", "bob", "B"},
		{"mail.example.com", "carol", ""}, // the default's login is dflt
		{"other", "anyone", "O"},
		{"unknown", "", "D"},
		{"unknown", "dflt", "D"},
	}
	for _, c := range cases {
		e, ok := Find(entries, c.host, c.login)
		if e.Password != c.wantPass || ok != (c.wantPass != "") {
			t.Errorf("Find(%s, %s) = %+v %v, want password %q", c.host, c.login, e, ok, c.wantPass)
		}
	}
}

func TestLoadRefusesFilesOthersCanRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "netrc")
	os.WriteFile(path, []byte("machine h login u password p\n"), 0o600)
	if e, err := Load(path); err != nil || len(e) != 1 {
		t.Fatalf("a private file: %v %v", e, err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o620, 0o644} {
		os.Chmod(path, mode)
		e, err := Load(path)
		if !errors.Is(err, ErrInsecure) || e != nil || !strings.Contains(err.Error(), "chmod 600 "+path) {
			t.Errorf("mode %04o: %v %v", mode, e, err)
		}
	}
	if e, err := Load(filepath.Join(dir, "none")); err != nil || e != nil {
		t.Errorf("missing file: %v %v", e, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("machine h login u password p\ndefault login a password b\n")
	f.Add("macdef x\na\n\nmachine \"q\\\"\" login")
	f.Add("# c\n\"")
	f.Fuzz(func(t *testing.T, s string) {
		entries, err := Parse(s)
		if err != nil {
			return
		}
		// What was parsed, written back with every value quoted, parses
		// to the same entries.
		q := func(v string) string { return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"` }
		var b strings.Builder
		for _, e := range entries {
			if e.Default {
				b.WriteString("default")
			} else {
				b.WriteString("machine " + q(e.Machine))
			}
			b.WriteString(" login " + q(e.Login) + " password " + q(e.Password) + "\n")
		}
		again, err := Parse(b.String())
		if err != nil || !reflect.DeepEqual(again, entries) {
			t.Fatalf("Parse(%q) = %+v; written back as %q it parses to %+v, %v", s, entries, b.String(), again, err)
		}
	})
}
