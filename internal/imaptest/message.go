package imaptest

import (
	"bytes"
	"fmt"
	"maps"
	"mime"
	"net/mail"
	"slices"
	"strconv"
	"strings"
)

// splitMessage splits an RFC 5322 message into its header (with the blank
// line that ends it) and its body.
func splitMessage(msg []byte) (header, body []byte) {
	if i := bytes.Index(msg, []byte("\r\n\r\n")); i >= 0 {
		return msg[:i+4], msg[i+4:]
	}
	if i := bytes.Index(msg, []byte("\n\n")); i >= 0 {
		return msg[:i+2], msg[i+2:]
	}
	return msg, nil
}

// headerField is one header field, continuation lines included.
type headerField struct {
	name string
	raw  []byte // "Name: value\r\n" (folded lines kept)
}

func headerFields(header []byte) []headerField {
	var out []headerField
	for len(header) > 0 {
		i := bytes.IndexByte(header, '\n')
		if i < 0 {
			i = len(header) - 1
		}
		line := header[:i+1]
		header = header[i+1:]
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1].raw = append(out[len(out)-1].raw, line...)
			continue
		}
		name, _, _ := bytes.Cut(line, []byte(":"))
		out = append(out, headerField{name: strings.TrimSpace(string(name)), raw: append([]byte(nil), line...)})
	}
	return out
}

// selectFields returns the fields named (or, with not, not named) in names,
// in message order, followed by the blank line: BODY[HEADER.FIELDS (...)].
func selectFields(header []byte, names []string, not bool) []byte {
	var b []byte
	for _, f := range headerFields(header) {
		in := false
		for _, n := range names {
			if strings.EqualFold(n, f.name) {
				in = true
			}
		}
		if in != not {
			b = append(b, f.raw...)
		}
	}
	return append(b, "\r\n"...)
}

// quote renders s as an IMAP string: NIL when empty and nilEmpty, a quoted
// string when that is possible, otherwise a literal.
func quote(s string, nilEmpty bool, eol string) string {
	if s == "" && nilEmpty {
		return "NIL"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' || c == 0 || c >= 0x80 {
			return fmt.Sprintf("{%d}%s%s", len(s), eol, s)
		}
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// envelope renders the ENVELOPE of msg (RFC 3501 section 7.4.2).
func envelope(msg []byte, eol string) string {
	hdr, _ := splitMessage(msg)
	m, err := mail.ReadMessage(bytes.NewReader(append(append([]byte(nil), hdr...), "\r\n"...)))
	get := func(k string) string { return "" }
	if err == nil {
		get = func(k string) string { return m.Header.Get(k) }
	}
	from := addrList(get("From"), eol)
	sender, replyTo := addrList(get("Sender"), eol), addrList(get("Reply-To"), eol)
	if sender == "NIL" {
		sender = from
	}
	if replyTo == "NIL" {
		replyTo = from
	}
	parts := []string{
		quote(get("Date"), true, eol), quote(get("Subject"), true, eol), from, sender, replyTo,
		addrList(get("To"), eol), addrList(get("Cc"), eol), addrList(get("Bcc"), eol),
		quote(get("In-Reply-To"), true, eol), quote(get("Message-Id"), true, eol),
	}
	return "(" + strings.Join(parts, " ") + ")"
}

func addrList(v, eol string) string {
	if strings.TrimSpace(v) == "" {
		return "NIL"
	}
	list, err := mail.ParseAddressList(v)
	if err != nil {
		// Exchange's own notices carry a bare display name.
		return "((" + quote(strings.TrimSpace(v), true, eol) + " NIL NIL NIL))"
	}
	var b strings.Builder
	b.WriteString("(")
	for _, a := range list {
		local, domain, _ := strings.Cut(a.Address, "@")
		fmt.Fprintf(&b, "(%s NIL %s %s)", quote(a.Name, true, eol), quote(local, true, eol), quote(domain, true, eol))
	}
	return b.String() + ")"
}

// bodyStructure renders BODY (ext false) or BODYSTRUCTURE (ext true) for a
// single-part message. Multipart messages are described as one part of
// their own type (good enough for a test fake).
func bodyStructure(msg []byte, ext bool, eol string) string {
	hdr, body := splitMessage(msg)
	typ, sub, params := "text", "plain", map[string]string{"charset": "us-ascii"}
	enc := "7bit"
	for _, f := range headerFields(hdr) {
		_, v, _ := strings.Cut(string(f.raw), ":")
		v = strings.TrimSpace(strings.Join(strings.Fields(v), " "))
		switch strings.ToLower(f.name) {
		case "content-type":
			if mt, p, err := mime.ParseMediaType(v); err == nil {
				t, s, _ := strings.Cut(mt, "/")
				typ, sub, params = t, s, p
			}
		case "content-transfer-encoding":
			enc = strings.ToLower(v)
		}
	}
	var ps []string
	for _, k := range slices.Sorted(maps.Keys(params)) {
		ps = append(ps, quote(k, false, eol), quote(params[k], false, eol))
	}
	plist := "NIL"
	if len(ps) > 0 {
		plist = "(" + strings.Join(ps, " ") + ")"
	}
	s := fmt.Sprintf("(%s %s %s NIL NIL %s %d", quote(typ, false, eol), quote(sub, false, eol), plist,
		quote(enc, false, eol), len(body))
	if strings.EqualFold(typ, "text") {
		s += " " + strconv.Itoa(bytes.Count(body, []byte("\n")))
	}
	if ext {
		s += " NIL NIL NIL NIL"
	}
	return s + ")"
}
