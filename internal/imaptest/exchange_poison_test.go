package imaptest

import (
	"bytes"
	"fmt"
	"io"
	"mime/quotedprintable"
	"slices"
	"strings"
	"testing"
)

// seedSubstitute is the literal of the seed's a04 line.
const seedSubstitute = "From: Microsoft Exchange Server 2010\r\n" +
	"Subject: Retrieval using the IMAP4 protocol failed for the following message:\r\n 15541\r\n\r\n"

// TestExchangePoisonSeedReplay replays the seed's lines against PoisonSeed
// and compares the exact bytes.
func TestExchangePoisonSeedReplay(t *testing.T) {
	x, c := selected(t, ExchangeConfig{Poison: PoisonSeed}, "INBOX")
	steps := []struct{ tag, cmd, want string }{
		{"a02", "fetch 1045 (uid rfc822.size flags body.peek[header.fields (date to cc from subject x-priority content-type)])",
			"a02 OK FETCH completed.\r\n"},
		{"a03", "fetch 1045 (body)",
			`* 1045 FETCH (BODY ("text" "plain" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 1 1) FLAGS ())` + "\r\n" +
				"a03 OK FETCH completed.\r\n"},
		{"a04", "fetch 1045 (body.peek[header.fields (from subject)])",
			"* 1045 FETCH (BODY[HEADER.FIELDS (from subject)] {127}\r\n" + seedSubstitute + ")\r\n" +
				"a04 OK FETCH completed.\r\n"},
		// The killing session.
		{"b03", "fetch 1045 (uid)", "* 1045 FETCH (UID 15541)\r\nb03 OK FETCH completed.\r\n"},
		{"b04", "uid fetch 15541 (uid flags)", "* 1045 FETCH (UID 15541 FLAGS ())\r\nb04 OK FETCH completed.\r\n"},
		{"b05", `store 1045 +flags (\Deleted)`, "* 1045 FETCH (FLAGS (\\Deleted))\r\nb05 OK STORE completed.\r\n"},
		{"b06", "fetch 1045 (uid)", "* 1045 FETCH (UID 15541)\r\nb06 OK FETCH completed.\r\n"},
	}
	for _, st := range steps {
		if got := c.rawCmd(st.tag, st.cmd); got != st.want {
			t.Errorf("%s %s:\n got %q\nwant %q", st.tag, st.cmd, got, st.want)
		}
	}
	// Three other messages are \Deleted too (DefaultDeletedUIDs).
	if got, want := c.rawCmd("b07", "expunge"), "* 1100 EXPUNGE\r\n* 1048 EXPUNGE\r\n* 1045 EXPUNGE\r\n* 1040 EXPUNGE\r\n* 1230 EXISTS\r\nb07 OK EXPUNGE completed.\r\n"; got != want {
		t.Errorf("expunge:\n got %q\nwant %q", got, want)
	}
	if slices.Contains(x.UIDs("INBOX"), PoisonUID) {
		t.Error("the poison survived EXPUNGE")
	}
}

func TestExchangePoisonSeedItems(t *testing.T) {
	x, c := selected(t, ExchangeConfig{Poison: PoisonSeed, Capabilities: ExchangeCapabilities + " BINARY"}, "INBOX")
	dropped := []string{"RFC822.SIZE", "ENVELOPE", "BODY[]", "BODY.PEEK[]", "BODY[TEXT]", "BODY.PEEK[TEXT]", "BODY[HEADER]",
		"BODY.PEEK[HEADER]", "BODY.PEEK[HEADER.FIELDS.NOT (Subject)]", "BODY[1]", "BODY.PEEK[]<0.100>", "BODY[TEXT]<10.20>",
		"RFC822", "RFC822.TEXT", "RFC822.HEADER", "BINARY[1]", "BINARY.PEEK[1]", "BINARY.PEEK[]", "BINARY.SIZE[1]",
		"ALL", "FAST", "FULL"}
	for i, item := range dropped {
		for j, cmd := range []string{"FETCH 1045 " + item, "FETCH 1045 (UID FLAGS INTERNALDATE BODY " + item + ")",
			"UID FETCH 15541 (" + item + ")", "UID FETCH 15541 (BODY.PEEK[HEADER.FIELDS (FROM)] " + item + ")"} {
			if strings.HasPrefix(item, "A") || strings.HasPrefix(item, "F") {
				if j > 0 {
					continue // macros stand alone
				}
			}
			tag := fmt.Sprintf("d%d.%d", i, j)
			equalLines(t, cmd, c.cmd(tag, cmd), []string{tag + " OK FETCH completed."})
		}
	}
	if f := x.Flags("INBOX", PoisonUID); len(f) != 0 {
		t.Errorf("dropped fetches changed the poison's flags: %q", f)
	}
	answered := []struct{ cmd, want string }{
		{"FETCH 1045 (UID FLAGS INTERNALDATE)", `* 1045 FETCH (UID 15541 FLAGS () INTERNALDATE "19-Jan-2016 14:02:19 +0100")`},
		{"FETCH 1045 (BODYSTRUCTURE)", "* 1045 FETCH (BODYSTRUCTURE " + PoisonStructure + ")"},
		{"UID FETCH 15541 (BODY)", "* 1045 FETCH (BODY " + PoisonStructure + " FLAGS () UID 15541)"},
		{"FETCH 1045 (BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]<0.36>)", "* 1045 FETCH (BODY[HEADER.FIELDS (FROM SUBJECT)]<0> {36}\r\nFrom: Microsoft Exchange Server 2010)"},
	}
	for i, tc := range answered {
		tag := fmt.Sprintf("a%d", i)
		equalLines(t, tc.cmd, c.cmd(tag, tc.cmd), []string{tc.want, tag + " OK FETCH completed."})
	}
	// BODY[HEADER.FIELDS] without PEEK sets \Seen, as a delivered body
	// section does.
	got := c.cmd("s1", "FETCH 1045 (BODY[HEADER.FIELDS (X-PRIORITY)])")
	equalLines(t, "non-peek header fields", got, []string{"* 1045 FETCH (BODY[HEADER.FIELDS (X-PRIORITY)] {2}\r\n\r\n FLAGS (\\Seen))", "s1 OK FETCH completed."})
	// A range around the poison answers the others.
	got = c.cmd("r1", "FETCH 1044:1046 (UID RFC822.SIZE)")
	if len(got) != 3 || !strings.HasPrefix(got[0], "* 1044 FETCH (UID 15523 RFC822.SIZE ") ||
		!strings.HasPrefix(got[1], "* 1046 FETCH (UID 15544 RFC822.SIZE ") || got[2] != "r1 OK FETCH completed." {
		t.Errorf("range: %q", got)
	}
}

// TestExchangePoisonModesDefault: PoisonSubstitute still selects the
// substitute, and an explicit Poison wins over it.
func TestExchangePoisonModesDefault(t *testing.T) {
	for _, tc := range []struct {
		cfg  ExchangeConfig
		want string
	}{
		{ExchangeConfig{}, ""},
		{ExchangeConfig{Poison: PoisonWithholdBody}, ""},
		{ExchangeConfig{PoisonSubstitute: true}, "* 1045 FETCH (RFC822.SIZE 4821 BODY[HEADER.FIELDS (FROM)] {40}\r\nFrom: Microsoft Exchange Server 2010\r\n\r\n)"},
		{ExchangeConfig{Poison: PoisonSubstituteBody}, "* 1045 FETCH (RFC822.SIZE 4821 BODY[HEADER.FIELDS (FROM)] {40}\r\nFrom: Microsoft Exchange Server 2010\r\n\r\n)"},
		{ExchangeConfig{Poison: PoisonSeed, PoisonSubstitute: true}, ""},
	} {
		_, c := selected(t, tc.cfg, "INBOX")
		want := []string{"a1 OK FETCH completed."}
		if tc.want != "" {
			want = append([]string{tc.want}, want...)
		}
		equalLines(t, fmt.Sprintf("%+v", tc.cfg.Poison), c.cmd("a1", "FETCH 1045 (RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM)])"), want)
	}
}

func TestExchangePoisonText(t *testing.T) {
	x := NewExchange(t, ExchangeConfig{})
	text := x.Message("INBOX", PoisonUID)
	if len(text) != PoisonSize {
		t.Fatalf("poison text is %d octets, want PoisonSize %d", len(text), PoisonSize)
	}
	_, body := splitMessage(text)
	for _, l := range strings.Split(string(body), "\r\n") {
		if len(l) > 76 {
			t.Errorf("quoted-printable line of %d characters: %q", len(l), l)
		}
	}
	dec, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	if err != nil || !bytes.Contains(dec, []byte("f\xf6rel\xe4sningen")) {
		t.Errorf("decoded body %q, %v", dec, err)
	}
}

func TestExchangeBinary(t *testing.T) {
	_, c := selected(t, ExchangeConfig{Poison: PoisonCustom, Capabilities: ExchangeCapabilities + " BINARY"}, "INBOX")
	_, body := splitMessage(poisonText())
	dec, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	got := c.cmd("b1", "FETCH 1045 (BINARY.SIZE[1] BINARY.PEEK[1]<0.12>)")
	equalLines(t, "binary", got, []string{fmt.Sprintf("* 1045 FETCH (BINARY.SIZE[1] %d BINARY[1]<0> {12}\r\nHej!\r\n\r\nHej!)", len(dec)), "b1 OK FETCH completed."})
	if len(dec) == len(body) {
		t.Errorf("nothing decoded")
	}
	msg := "Subject: b\r\nContent-Transfer-Encoding: base64\r\n\r\naGVs\r\nbG8A\r\n"
	c.send(fmt.Sprintf("b2 APPEND INBOX {%d+}", len(msg)))
	c.nc.Write([]byte(msg + "\r\n"))
	c.until("b2")
	equalLines(t, "base64", c.cmd("b3", "FETCH * BINARY.PEEK[1]"), []string{"* 1235 FETCH (BINARY[1] ~{6}\r\nhello\x00)", "b3 OK FETCH completed."})
	msg = "Subject: b\r\nContent-Transfer-Encoding: x-uue\r\n\r\nbegin\r\n"
	c.send(fmt.Sprintf("b4 APPEND INBOX {%d+}", len(msg)))
	c.nc.Write([]byte(msg + "\r\n"))
	c.until("b4")
	equalLines(t, "unknown", c.cmd("b5", "FETCH 1235:* BINARY.SIZE[1]"), []string{"* 1235 FETCH (BINARY.SIZE[1] 6)",
		"b5 NO [UNKNOWN-CTE] The content transfer encoding cannot be decoded."})
	_, c = selected(t, ExchangeConfig{}, "INBOX")
	equalLines(t, "no BINARY capability", c.cmd("b6", "FETCH 1 BINARY[1]"), []string{"b6 BAD Command Argument Error. 11"})
}

// TestExchangePoisonItems runs every ItemBehavior on the poison message.
func TestExchangePoisonItems(t *testing.T) {
	text := string(poisonText())
	sub := string(substitute(PoisonUID, poisonDate))
	lit := func(s string) string { return fmt.Sprintf("{%d}\r\n%s", len(s), s) }
	const ok = "t OK FETCH completed."
	const cmd = "FETCH 1045 (UID RFC822.SIZE BODY.PEEK[])"
	tests := []struct {
		name  string
		items PoisonItems
		cmd   string // default cmd
		want  []string
	}{
		{"deliver", PoisonItems{}, "", []string{"* 1045 FETCH (UID 15541 RFC822.SIZE 4821 BODY[] " + lit(text) + ")", ok}},
		{"combined dropped by body", PoisonItems{Full: ItemDropFetch}, "", []string{ok}},
		{"combined dropped by size", PoisonItems{Size: ItemDropFetch}, "", []string{ok}},
		{"single dropped", PoisonItems{Size: ItemDropFetch}, "FETCH 1045 RFC822.SIZE", []string{ok}},
		{"single dropped, UID FETCH", PoisonItems{Size: ItemDropFetch}, "UID FETCH 15541 RFC822.SIZE", []string{ok}},
		{"omitted", PoisonItems{Full: ItemOmit}, "", []string{"* 1045 FETCH (UID 15541 RFC822.SIZE 4821)", ok}},
		{"single omitted", PoisonItems{Size: ItemOmit}, "FETCH 1045 RFC822.SIZE", []string{ok}},
		{"single omitted, UID FETCH", PoisonItems{Size: ItemOmit}, "UID FETCH 15541 RFC822.SIZE", []string{"* 1045 FETCH (UID 15541)", ok}},
		{"all omitted", PoisonItems{UID: ItemOmit, Size: ItemOmit, Full: ItemOmit}, "UID FETCH 15541 (UID RFC822.SIZE BODY.PEEK[])", []string{ok}},
		{"NIL", PoisonItems{Full: ItemNIL}, "", []string{"* 1045 FETCH (UID 15541 RFC822.SIZE 4821 BODY[] NIL)", ok}},
		{"NIL envelope", PoisonItems{Envelope: ItemNIL}, "FETCH 1045 ENVELOPE", []string{"* 1045 FETCH (ENVELOPE NIL)", ok}},
		{"NO", PoisonItems{Full: ItemNO}, "", []string{"t NO " + DefaultPoisonNoText}},
		{"NO with text", PoisonItems{Size: ItemNO, NoText: "[UNAVAILABLE] Try later."}, "", []string{"t NO [UNAVAILABLE] Try later."}},
		{"NO in a range", PoisonItems{UID: ItemNO}, "FETCH 1044:1046 UID", []string{"* 1044 FETCH (UID 15523)", "* 1046 FETCH (UID 15544)", "t NO " + DefaultPoisonNoText}},
		{"BAD", PoisonItems{Full: ItemBAD}, "", []string{"t BAD Command Argument Error. 11"}},
		{"BAD in a range", PoisonItems{Full: ItemBAD, BadText: "Invalid fetch."}, "FETCH 1044:1046 BODY.PEEK[]", []string{"t BAD Invalid fetch."}},
		{"substitute", PoisonItems{Full: ItemSubstitute}, "", []string{"* 1045 FETCH (UID 15541 RFC822.SIZE 4821 BODY[] " + lit(sub) + ")", ok}},
		{"substitute size", PoisonItems{Size: ItemSubstitute, Full: ItemSubstitute}, "", []string{fmt.Sprintf("* 1045 FETCH (UID 15541 RFC822.SIZE %d BODY[] %s)", len(sub), lit(sub)), ok}},
		{"short", PoisonItems{Full: ItemShort}, "", []string{"* 1045 FETCH (UID 15541 RFC822.SIZE 4821 BODY[] " + lit(text[:PoisonSize/2]) + ")", ok}},
		{"short text", PoisonItems{Text: ItemShort}, "FETCH 1045 (RFC822.SIZE BODY.PEEK[TEXT]<0.10>)", []string{"* 1045 FETCH (RFC822.SIZE 4821 BODY[TEXT]<0> {5}\r\nHej!\r)", ok}},
		{"precedence", PoisonItems{UID: ItemBAD, Size: ItemDropFetch, Full: ItemNO}, "", []string{"t BAD Command Argument Error. 11"}},
		{"precedence NO", PoisonItems{Size: ItemDropFetch, Full: ItemNO}, "", []string{"t NO " + DefaultPoisonNoText}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, c := selected(t, ExchangeConfig{Poison: PoisonCustom, PoisonItems: tc.items}, "INBOX")
			command := tc.cmd
			if command == "" {
				command = cmd
			}
			equalLines(t, command, c.cmd("t", command), tc.want)
			if f := x.Flags("INBOX", PoisonUID); len(f) != 0 {
				t.Errorf("BODY.PEEK changed flags: %q", f)
			}
		})
	}
}

// TestExchangePoisonSeen: a body item delivered in any form sets \Seen,
// a dropped, NIL or refused one does not.
func TestExchangePoisonSeen(t *testing.T) {
	for _, tc := range []struct {
		b    ItemBehavior
		seen bool
	}{{ItemDeliver, true}, {ItemShort, true}, {ItemSubstitute, true}, {ItemNIL, false}, {ItemDropFetch, false}, {ItemNO, false}, {ItemOmit, false}} {
		x, c := selected(t, ExchangeConfig{Poison: PoisonCustom, PoisonItems: PoisonItems{Text: tc.b}}, "INBOX")
		got := c.cmd("t", "FETCH 1045 BODY[TEXT]<0.4>")
		if seen := slices.Contains(x.Flags("INBOX", PoisonUID), `\Seen`); seen != tc.seen {
			t.Errorf("behaviour %d: \\Seen %v, want %v", tc.b, seen, tc.seen)
		}
		if flags := strings.HasSuffix(got[0], "FLAGS (\\Seen))"); flags != tc.seen {
			t.Errorf("behaviour %d: %q", tc.b, got)
		}
	}
}

func TestExchangePoisonCloseMidLiteral(t *testing.T) {
	text := string(poisonText())
	x := NewExchange(t, ExchangeConfig{Poison: PoisonCustom, PoisonItems: PoisonItems{Full: ItemCloseMidLiteral}})
	c := exchangeSession(t, x)
	c.cmd("s", "SELECT INBOX")
	c.send("t FETCH 1044:1046 (UID BODY.PEEK[])")
	first := c.line()
	if !strings.HasPrefix(first, "* 1044 FETCH (UID 15523 BODY[] {") {
		t.Fatalf("first line %q", first)
	}
	if got, want := c.rest(), "* 1045 FETCH (UID 15541 BODY[] {4821}\r\n"+text[:PoisonSize/2]; got != want {
		t.Errorf("before the close:\n got %q\nwant %q", got, want)
	}

	// Without a literal the line is cut before the item.
	x = NewExchange(t, ExchangeConfig{Poison: PoisonCustom, PoisonItems: PoisonItems{Size: ItemCloseMidLiteral}})
	c = exchangeSession(t, x)
	c.cmd("s", "SELECT INBOX")
	c.send("t UID FETCH 15541 (UID RFC822.SIZE)")
	if got := c.rest(); got != "* 1045 FETCH (UID 15541 " {
		t.Errorf("cut line %q", got)
	}
}
