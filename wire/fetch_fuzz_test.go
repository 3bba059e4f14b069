package wire

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// FuzzFetch runs ParseFetch and what reads its result (UID, Flags, and
// ParseEnvelope on every list in the response, as the explainer and the
// helpers call them) on arbitrary input: none may panic, and what they
// return must agree with the parsed values.
//
// Run with go test -run='^$' -fuzz='^FuzzFetch$' ./wire/
func FuzzFetch(f *testing.F) {
	for _, s := range []string{
		`* 1 FETCH (UID 4 ENVELOPE ("Tue, 14 Nov 2023 09:12:45 +0100" "=?utf-8?q?R=C3=A9union?= \"Q4\"" (("Alice Martin" NIL "alice" "example.org")) (("Alice Martin" NIL "alice" "example.org")) (("Alice Martin" NIL "alice" "example.org")) ((NIL NIL "bob" "example.com") ("Carol" NIL "carol" "example.net")) NIL NIL NIL "<20231114081245.GA123@example.org>"))`,
		`* 2 FETCH (FLAGS (\Seen $Forwarded) UID 9 ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))`,
		`* 3 FETCH (ENVELOPE ("d" "=?iso-8859-1?q?caf=E9?=" (("=?bogus?q?x?=" NIL "a" NIL)) NIL NIL (("b" NIL NIL "h")) NIL NIL NIL {3}` + "\r\n<x>))",
		`* 4 FETCH (UID 4294967296)`,
		`* 5 FETCH (FLAGS NIL BODY[] {0}` + "\r\n)",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fd, ok, err := ParseFetch(data)
		if !ok || err != nil {
			return
		}
		if v, has := fd.Items["UID"]; has {
			if n, _ := v.Number(); uint64(fd.UID()) != n {
				t.Fatalf("UID %d, item %q", fd.UID(), v.Bytes)
			}
		}
		if flags, has := fd.Flags(); has {
			if v := fd.Items["FLAGS"]; v.Kind == List && len(flags) != len(v.List) {
				t.Fatalf("%d flags of a list of %d", len(flags), len(v.List))
			}
		}
		for _, v := range fd.Items {
			checkEnvelopes(t, v)
		}
	})
}

// checkEnvelopes reads every list within v as an ENVELOPE.
func checkEnvelopes(t *testing.T, v Value) {
	t.Helper()
	if v.Kind != List && v.Kind != Code {
		return
	}
	env, ok := ParseEnvelope(v)
	if ok != (v.Kind == List && len(v.List) >= 10) {
		t.Fatalf("ParseEnvelope of a %d-element list: ok %v", len(v.List), ok)
	}
	if ok {
		if len(env.From) > len(v.List[2].List) || len(env.To) > len(v.List[5].List) {
			t.Fatalf("%d senders, %d recipients from lists of %d and %d", len(env.From), len(env.To), len(v.List[2].List), len(v.List[5].List))
		}
		if s := v.List[1].String(); !strings.Contains(s, "=?") && env.Subject != s {
			t.Fatalf("subject %q without encoded words read as %q", s, env.Subject)
		}
		if env.Date != v.List[0].String() || env.MessageID != v.List[9].String() {
			t.Fatalf("date %q, message-id %q", env.Date, env.MessageID)
		}
	}
	for _, e := range v.List {
		checkEnvelopes(t, e)
	}
}

// literalEnd is a plain reading of a literal announcement at the end of a
// line, for FuzzLiteralSuffix.
var literalEnd = regexp.MustCompile(`(~?)\{([0-9]+)[+-]?\}$`)

// FuzzLiteralSuffix holds literalSuffix, the Reader's parser of "{N}",
// "{N+}", "{N-}" and "~{N}" at the end of a line, to a regular expression:
// the same literals found, the same sizes (at most 18 significant digits,
// leading zeros allowed; more is "too large"), the same offsets.
func FuzzLiteralSuffix(f *testing.F) {
	for _, s := range []string{"* 1 FETCH (BODY[] {5}", "x ~{12}", "{0}", "a {007+}", "{18446744073709551616}", "{999999999999999999-}", "}{1}", "x {1 }", "{+}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		n, at, ok, tooLarge := literalSuffix(line)
		m := literalEnd.FindSubmatchIndex(line)
		if m == nil {
			if ok || tooLarge {
				t.Fatalf("literalSuffix(%q) = %d, %d, %v, %v; not a literal", line, n, at, ok, tooLarge)
			}
			return
		}
		digits := strings.TrimLeft(string(line[m[4]:m[5]]), "0")
		if len(digits) > 18 {
			if ok || !tooLarge || at != m[0] {
				t.Fatalf("literalSuffix(%q) = %d, %d, %v, %v; want too large at %d", line, n, at, ok, tooLarge, m[0])
			}
			return
		}
		want, _ := strconv.ParseInt("0"+digits, 10, 64)
		if !ok || tooLarge || n != want || at != m[0] {
			t.Fatalf("literalSuffix(%q) = %d, %d, %v, %v; want %d at %d", line, n, at, ok, tooLarge, want, m[0])
		}
	})
}
