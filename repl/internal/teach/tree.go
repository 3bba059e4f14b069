package teach

import (
	"fmt"
	"mime"
	"strconv"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// envelopeLines lays out an ENVELOPE (RFC 9051 section 7.5.2): date,
// subject, from, sender, reply-to, to, cc, bcc, in-reply-to, message-id.
func envelopeLines(v wire.Value) []string {
	env, ok := wire.ParseEnvelope(v)
	if !ok {
		return []string{"(not a valid ENVELOPE: " + clip(valueText(v), 80) + ")"}
	}
	l := v.List
	var out []string
	add := func(label, value string) {
		if value != "" {
			// A value sent as a literal may hold line ends (a folded
			// Subject): one line per field.
			value = strings.Join(strings.Fields(value), " ")
			out = append(out, fmt.Sprintf("%-12s %s", label+":", value))
		}
	}
	add("Date", env.Date)
	add("Subject", env.Subject)
	// The address lists are formatted here rather than taken from
	// env.From and env.To, to show RFC 5322 groups.
	from := strings.Join(addressList(l[2]), ", ")
	add("From", from)
	// Sender and Reply-To default to From; show them when they differ.
	if s := strings.Join(addressList(l[3]), ", "); s != from {
		add("Sender", s)
	}
	if s := strings.Join(addressList(l[4]), ", "); s != from {
		add("Reply-To", s)
	}
	add("To", strings.Join(addressList(l[5]), ", "))
	add("Cc", strings.Join(addressList(l[6]), ", "))
	add("Bcc", strings.Join(addressList(l[7]), ", "))
	add("In-Reply-To", l[8].String())
	add("Message-ID", env.MessageID)
	if len(out) == 0 {
		out = append(out, "(every field is NIL)")
	}
	return out
}

// addressList formats an address list: (name route mailbox host) entries,
// with RFC 5322 groups marked by a NIL host.
func addressList(v wire.Value) []string {
	var out []string
	for _, a := range v.List {
		if a.Kind != wire.List || len(a.List) < 4 {
			continue
		}
		name, mbox, host := decodeWords(a.List[0].String()), a.List[2].String(), a.List[3]
		switch {
		case host.IsNIL() && mbox != "":
			out = append(out, "group "+mbox+":")
			continue
		case host.IsNIL():
			continue // end of a group
		}
		addr := mbox + "@" + host.String()
		if name != "" {
			addr = fmt.Sprintf("%s <%s>", name, addr)
		}
		out = append(out, addr)
	}
	return out
}

// maxParts caps the lines of a body tree.
const maxParts = 100

// bodyLines draws a BODYSTRUCTURE (or BODY) as a tree with part numbers
// (RFC 9051 section 6.4.5 on part numbering).
func bodyLines(v wire.Value) []string {
	var out []string
	if isMultipart(v) {
		out = append(out, "(whole message) "+describePart(v))
		children(v, "", "  ", &out, 0)
	} else {
		part(v, "1", "", &out, 0)
	}
	return out
}

func isMultipart(v wire.Value) bool {
	return v.Kind == wire.List && len(v.List) > 0 && v.List[0].Kind == wire.List
}

func isMessage(v wire.Value) bool {
	return v.Kind == wire.List && len(v.List) > 8 &&
		strings.EqualFold(v.List[0].String(), "message") &&
		(strings.EqualFold(v.List[1].String(), "rfc822") || strings.EqualFold(v.List[1].String(), "global"))
}

func children(v wire.Value, prefix, indent string, out *[]string, depth int) {
	n := 0
	for _, c := range v.List {
		if c.Kind != wire.List {
			break
		}
		n++
		part(c, prefix+strconv.Itoa(n), indent, out, depth+1)
	}
}

func part(v wire.Value, num, indent string, out *[]string, depth int) {
	if len(*out) >= maxParts || depth > 30 {
		if len(*out) == maxParts {
			*out = append(*out, indent+"... (more parts not shown)")
		}
		return
	}
	*out = append(*out, fmt.Sprintf("%s%-6s %s", indent, num, describePart(v)))
	switch {
	case isMultipart(v):
		children(v, num+".", indent+"  ", out, depth)
	case isMessage(v):
		inner := v.List[8]
		if isMultipart(inner) {
			children(inner, num+".", indent+"  ", out, depth)
		} else {
			part(inner, num+".1", indent+"  ", out, depth+1)
		}
	}
}

// describePart says what one part is: type, parameters, encoding, size,
// lines, disposition.
func describePart(v wire.Value) string {
	if v.Kind != wire.List {
		return "(not a body structure: " + clip(valueText(v), 60) + ")"
	}
	l := v.List
	if isMultipart(v) {
		i := 0
		for i < len(l) && l[i].Kind == wire.List {
			i++
		}
		sub := "?"
		if i < len(l) {
			sub = strings.ToLower(l[i].String())
		}
		return "multipart/" + sub + " (a container: its parts follow)"
	}
	if len(l) < 7 {
		return "(a body structure too short to read: " + clip(valueText(v), 60) + ")"
	}
	typ := strings.ToLower(l[0].String()) + "/" + strings.ToLower(l[1].String())
	var details []string
	if p := params(l[2], "charset", "name"); p != "" {
		typ += "; " + p
	}
	if enc := strings.ToLower(l[5].String()); enc != "" {
		details = append(details, enc)
	}
	details = append(details, l[6].String()+" octets")
	ext := 7 // where the extension data begins
	switch {
	case strings.EqualFold(l[0].String(), "text") && len(l) > 7:
		details = append(details, l[7].String()+" lines")
		ext = 8
	case isMessage(v):
		if len(l) > 9 {
			details = append(details, l[9].String()+" lines")
		}
		details = append(details, "an attached message")
		ext = 10
	}
	// Extension data: md5, then disposition.
	if len(l) > ext+1 && l[ext+1].Kind == wire.List && len(l[ext+1].List) > 0 {
		d := l[ext+1].List
		disp := strings.ToLower(d[0].String())
		if len(d) > 1 {
			if p := params(d[1], "filename"); p != "" {
				disp += "; " + p
			}
		}
		details = append(details, disp)
	}
	return typ + "  " + strings.Join(details, ", ")
}

// params returns the wanted parameters of a (name value ...) list.
func params(v wire.Value, want ...string) string {
	var out []string
	for i := 0; i+1 < len(v.List); i += 2 {
		name := strings.ToLower(v.List[i].String())
		for _, w := range want {
			if name == w {
				out = append(out, fmt.Sprintf("%s=%s", name, v.List[i+1].String()))
			}
		}
	}
	return strings.Join(out, " ")
}

var wordDecoder mime.WordDecoder

// decodeWords decodes RFC 2047 encoded words; text that does not decode
// is kept as it is.
func decodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		return d
	}
	return s
}
