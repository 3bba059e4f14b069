package demo

import (
	"bytes"
	"encoding/base64"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
)

// message is one sample message: the fields its RFC 5322 text is rendered
// from, plus the IMAP state it is appended with.
type message struct {
	date      time.Time // the Date header; INTERNALDATE is deliveredAt(date)
	from      mail.Address
	to        []mail.Address
	cc        []mail.Address
	subject   string // Unicode; RFC 2047-encoded when rendered
	id        string // Message-ID without the angle brackets
	inReplyTo string // Message-ID of the parent, without angle brackets
	header    []field
	body      string // lines end in "\n"; rendered with CRLF
	latin1    bool   // body charset iso-8859-1 instead of utf-8
	attach    *attachment
	flags     []imap.Flag
}

type field struct{ key, value string }

// attachment is a text/plain file attached as the second part of a
// multipart/mixed message.
type attachment struct {
	name string
	body string
}

// serverZone is the sandbox's own time zone (Stockholm in winter), used for
// INTERNALDATE, like the Exchange server in the story.
var serverZone = time.FixedZone("CET", 1*60*60)

// deliveredAt is the INTERNALDATE of a message sent at t: a few seconds
// later, in the server's zone.
func deliveredAt(t time.Time) time.Time {
	return t.Add(4 * time.Second).In(serverZone)
}

// date returns a fixed instant in 2026 at the given UTC offset in hours.
func date(month time.Month, day, hour, min, sec, offset int) time.Time {
	return time.Date(2026, month, day, hour, min, sec, 0, time.FixedZone("", offset*60*60))
}

// render renders the message as RFC 5322 text with CRLF line endings.
// It doesn't perform I/O and returns the same bytes on every call.
func (m *message) render() []byte {
	var b bytes.Buffer
	h := func(key, value string) { writeField(&b, key, value) }

	h("Date", m.date.Format(time.RFC1123Z))
	h("From", m.from.String())
	h("To", addressList(m.to))
	if len(m.cc) > 0 {
		h("Cc", addressList(m.cc))
	}
	h("Subject", mime.QEncoding.Encode("utf-8", m.subject))
	h("Message-ID", "<"+m.id+">")
	if m.inReplyTo != "" {
		h("In-Reply-To", "<"+m.inReplyTo+">")
		h("References", "<"+m.inReplyTo+">")
	}
	for _, f := range m.header {
		h(f.key, f.value)
	}
	h("MIME-Version", "1.0")

	ctype, cte, text := m.textPart()
	if m.attach == nil {
		h("Content-Type", ctype)
		h("Content-Transfer-Encoding", cte)
		b.WriteString("\r\n")
		b.WriteString(text)
		return b.Bytes()
	}

	boundary := "=_imapsh_demo_" + strings.NewReplacer("@", "_", ".", "_").Replace(m.id)
	h("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	b.WriteString("\r\nThis is a multi-part message in MIME format.\r\n")

	b.WriteString("\r\n--" + boundary + "\r\n")
	h("Content-Type", ctype)
	h("Content-Transfer-Encoding", cte)
	b.WriteString("\r\n" + text)

	b.WriteString("\r\n--" + boundary + "\r\n")
	h("Content-Type", `text/plain; charset=utf-8; name="`+m.attach.name+`"`)
	h("Content-Disposition", `attachment; filename="`+m.attach.name+`"`)
	h("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n" + base64Lines(crlf(m.attach.body)))

	b.WriteString("\r\n--" + boundary + "--\r\n")
	return b.Bytes()
}

// textPart returns the Content-Type, Content-Transfer-Encoding and encoded
// text of the message body: 7bit when it is ASCII, else quoted-printable.
func (m *message) textPart() (ctype, cte, text string) {
	body := crlf(m.body)
	charset := "utf-8"
	if m.latin1 {
		charset = "iso-8859-1"
		body = toLatin1(body)
	}
	ctype = "text/plain; charset=" + charset
	if isASCII(body) && !m.latin1 {
		return ctype, "7bit", body
	}
	var b strings.Builder
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(body)) // a strings.Builder never fails
	w.Close()
	return ctype, "quoted-printable", b.String()
}

// writeField writes "key: value" CRLF, folded at spaces before column 78
// (RFC 5322 section 2.2.3).
func writeField(b *bytes.Buffer, key, value string) {
	line, words := key+":", 0
	for _, word := range strings.Split(value, " ") {
		if words > 0 && len(line)+1+len(word) > 78 {
			b.WriteString(line + "\r\n")
			line, words = "", 0
		}
		line += " " + word
		words++
	}
	b.WriteString(line + "\r\n")
}

func addressList(l []mail.Address) string {
	s := make([]string, len(l))
	for i := range l {
		s[i] = l[i].String()
	}
	return strings.Join(s, ", ")
}

// crlf turns the "\n" line endings of s into CRLF.
func crlf(s string) string {
	return strings.ReplaceAll(s, "\n", "\r\n")
}

func base64Lines(s string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// toLatin1 maps s to ISO 8859-1; every rune in the sample text is in range.
func toLatin1(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return string(b)
}

// addr is a short constructor for the sample tables.
func addr(name, address string) mail.Address {
	return mail.Address{Name: name, Address: address}
}
