package repl

import (
	"fmt"
	"strings"

	"github.com/imapsh/imapsh/wire"
)

// idHelper sends ID (RFC 2971) with imapsh's name and version and shows
// the server's answer field by field.
func (sh *Shell) idHelper(string) error { return sh.sendID(false) }

// sendID sends ID. auto (--id, after login) turns a server without ID into
// a note rather than a failure.
func (sh *Shell) sendID(auto bool) error {
	if err := sh.ensureCaps(); err != nil {
		return err
	}
	if !sh.st.Has("ID") {
		const why = "the server does not offer ID (RFC 2971)"
		if auto {
			sh.pr.Note("%s: --id not sent", why)
			return nil
		}
		return &lineError{why + ": type ID NIL to send one anyway"}
	}
	version := sh.cfg.Version
	if version == "" {
		version = "unknown"
	}
	o, err := sh.exec(&Command{Text: "ID (" + idString("name") + " " + idString("imapsh") + " " + idString("version") + " " + idString(version) + ")", Collect: true, Internal: auto})
	if err != nil {
		return err
	}
	h := doneStatus(o)
	if h.Name != "OK" {
		if h.Name == "" || auto {
			return nil
		}
		return errHelperFailed
	}
	for _, r := range o.Result().Data {
		if r.Head.Name == "ID" {
			sh.pr.Plain("%s", describeID(r.Raw))
		}
	}
	return nil
}

// idString is s as an IMAP quoted string (ID values are nstrings).
func idString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			b.WriteByte('?')
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// describeID lays out "* ID (field value ...)" one field a line.
func describeID(raw []byte) string {
	vals, err := wire.Parse(raw)
	if err != nil || len(vals) < 3 {
		return "the server's ID response cannot be read (shown above as sent)"
	}
	params := vals[2]
	if params.Kind != wire.List {
		return "the server identifies itself with nothing (ID NIL)"
	}
	var b strings.Builder
	b.WriteString("the server identifies itself as:")
	for i := 0; i+1 < len(params.List); i += 2 {
		v := string(params.List[i+1].Bytes)
		if params.List[i+1].Kind == wire.Atom && strings.EqualFold(v, "NIL") {
			v = "(none)"
		}
		fmt.Fprintf(&b, "\n  %-12s %s", string(params.List[i].Bytes), v)
	}
	if len(params.List)%2 != 0 {
		b.WriteString("\n  (an odd number of strings: the last has no value, against RFC 2971)")
	}
	return b.String()
}
