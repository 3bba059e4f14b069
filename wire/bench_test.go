package wire

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// BenchmarkReaderLines frames many small untagged responses, as after a
// FETCH FLAGS of a large mailbox.
func BenchmarkReaderLines(b *testing.B) {
	var buf bytes.Buffer
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&buf, "* %d FETCH (UID %d FLAGS (\\Seen $Forwarded))\r\n", i, 4000+i)
	}
	buf.WriteString("a1 OK Fetch completed (0.012 + 0.000 secs).\r\n")
	data := buf.Bytes()
	src := bytes.NewReader(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		src.Reset(data)
		r := NewReader(src)
		n := 0
		for {
			f, err := r.ReadFragment()
			if err == io.EOF {
				break
			}
			if err != nil || f.Literal >= 0 {
				b.Fatalf("%q %v", f.Text, err)
			}
			n++
		}
		if n != 10001 {
			b.Fatalf("%d lines", n)
		}
	}
}

// BenchmarkReaderLiteral streams a FETCH BODY[] literal to io.Discard. The
// allocations per operation stay the same whatever the literal's size (the
// Reader's buffer and a few small values): compare the sub-benchmarks.
func BenchmarkReaderLiteral(b *testing.B) {
	for _, size := range []int{1 << 20, 10 << 20} {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			data := literalMessage(size)
			src := bytes.NewReader(data)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				src.Reset(data)
				if err := readLiteralResponse(NewReader(src), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func lit(s string) string { return fmt.Sprintf("{%d}\r\n%s", len(s), s) }

// BenchmarkParseFetch tokenizes a FETCH response with UID, FLAGS, ENVELOPE,
// BODYSTRUCTURE and a header literal, as a client would after framing it.
func BenchmarkParseFetch(b *testing.B) {
	data := []byte(`* 12 FETCH (UID 4827 FLAGS (\Seen $Forwarded) RFC822.SIZE 44827 INTERNALDATE "14-Nov-2023 09:12:47 +0100" ` +
		`ENVELOPE ("Tue, 14 Nov 2023 09:12:45 +0100" "=?utf-8?q?R=C3=A9union?= \"Q4\"" (("Alice Martin" NIL "alice" "example.org")) (("Alice Martin" NIL "alice" "example.org")) (("Alice Martin" NIL "alice" "example.org")) ((NIL NIL "bob" "example.com") ("Carol" NIL "carol" "example.net")) NIL NIL NIL "<20231114081245.GA123@example.org>") ` +
		`BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "quoted-printable" 1234 40 NIL NIL NIL NIL)(("text" "html" ("charset" "utf-8") NIL NIL "base64" 5678 74 NIL NIL NIL NIL)("image" "png" ("name" "logo.png") "<logo@x>" NIL "base64" 9000 NIL ("inline" ("filename" "logo.png")) NIL NIL) "related" ("boundary" "b2") NIL NIL NIL) "alternative" ("boundary" "b1") NIL NIL NIL) ` +
		"BODY[HEADER.FIELDS (FROM TO SUBJECT DATE)] " + lit("From: Alice Martin <alice@example.org>\r\nTo: bob@example.com\r\n"+
		"Subject: =?utf-8?q?R=C3=A9union?=\r\nDate: Tue, 14 Nov 2023 09:12:45 +0100\r\n\r\n") + ")")
	if _, err := Parse(data); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		vals, err := Parse(data)
		if err != nil || len(vals) != 4 {
			b.Fatal(err)
		}
	}
}

// BenchmarkReaderItems frames FETCH responses whose literals the Reader
// must name: an ENVELOPE with two literals, then a header-fields section
// and BODY[]<0>, as after a FETCH of envelopes and headers.
func BenchmarkReaderItems(b *testing.B) {
	var buf bytes.Buffer
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&buf, "* %d FETCH (UID %d FLAGS (\\Seen) ENVELOPE (\"Tue, 14 Nov 2023 09:12:45 +0100\" %s "+
			"((\"Alice\" NIL \"alice\" \"example.org\")) NIL NIL NIL NIL NIL NIL %s) "+
			"BODY[HEADER.FIELDS (FROM TO SUBJECT DATE)] %s BODY[]<0> %s)\r\n",
			i, 4000+i, lit("R\xc3\xa9union"), lit("<id@example.org>"), lit("From: alice@example.org\r\n\r\n"), lit("Date"))
	}
	data := buf.Bytes()
	src := bytes.NewReader(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		src.Reset(data)
		r := NewReader(src)
		n := 0
		for {
			f, err := r.ReadFragment()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if f.Literal >= 0 {
				if len(f.Item) == 0 {
					b.Fatalf("no item in %q", f.Text)
				}
				if _, err := io.Copy(io.Discard, r.Literal()); err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		if n != 8000 {
			b.Fatalf("%d literals", n)
		}
	}
}
