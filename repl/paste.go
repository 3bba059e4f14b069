package repl

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// Pasting a transcript. Tutorials, RFCs and imapsh itself write sessions
// as "C: a1 NOOP" / "S: a1 OK ...", or as the bare lines both sides sent;
// a book wraps long lines with " \". A line pasted from such a text is
// read as the client's line it was: the C: or Client: prefix goes, a
// wrapped line is joined, and a line the server sent (S: or Server:,
// "* ...", "+ ...", a tagged OK/NO/BAD, a ")" that ends a response, and
// the octets of a literal the server announced) is skipped with a note,
// never sent. A pasted tag is kept. A line of the page's own text ("3.
// Let's store a flag:") is not sent either.

// clientPrefixes and serverPrefixes are the transcript prefixes, compared
// without regard to case.
var (
	clientPrefixes = []string{"C:", "Client:"}
	serverPrefixes = []string{"S:", "Server:"}
)

// cutPrefix removes one of prefixes (followed by a blank or the end) from
// the start of t.
func cutPrefix(t string, prefixes []string) (string, bool) {
	for _, p := range prefixes {
		if len(t) >= len(p) && strings.EqualFold(t[:len(p)], p) {
			rest := t[len(p):]
			if rest == "" || rest[0] == ' ' || rest[0] == '\t' {
				return strings.TrimSpace(rest), true
			}
		}
	}
	return t, false
}

// unpaste reads one input line as pasted: it returns the command line to
// run (its indentation kept), or skip when the line was the server's.
// Wrapped lines and a server literal's octets are read from the input.
func (sh *Shell) unpaste(line string) (out string, skip bool) {
	indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
	t := strings.TrimSpace(line)
	sh.lessons.indent = indent
	if t == "" || strings.HasPrefix(t, "#") {
		return line, false
	}
	t, client := cutPrefix(t, clientPrefixes)
	server := false
	if !client {
		t, server = cutPrefix(t, serverPrefixes)
		server = server || isServerLine(t)
	}
	if server {
		sh.skipServerLine(t)
		return "", true
	}
	// A wrapped command line (" \" at the end) continues on the next.
	for strings.HasSuffix(t, ` \`) {
		next, err := sh.con.ReadLine("continued> ")
		if err != nil {
			break
		}
		next, _ = cutPrefix(strings.TrimSpace(next), clientPrefixes)
		t = strings.TrimSuffix(t, ` \`) + " " + next
	}
	if sh.cont == nil && looksLikeProse(t) {
		sh.pr.Note("not sent: %q starts with neither a command nor a tag and a command, and reads like text from a page", shorten(t))
		return "", true
	}
	return indent + t, false
}

// looksLikeProse recognizes a line copied with a transcript that is not a
// command: its first word ends in "." or ":" ("3. Let's store a flag",
// "3. Append the message like so:", "Subject: crash"), which no command
// name does and no tag a person picks does either; or it begins like a
// sentence, with a capitalized word that is no command ("The client asks",
// "Tag 00000001"); or it holds typographic quotes or apostrophes outside a
// quoted string, which a command line never does.
func looksLikeProse(t string) bool {
	f := strings.Fields(t)
	if len(f) == 0 || wire.IsCommand(f[0]) {
		return false
	}
	if _, helper := helperNamed(f[0]); helper {
		return false
	}
	if strings.HasSuffix(f[0], ".") || strings.HasSuffix(f[0], ":") {
		return true
	}
	if typographic(t) {
		return true
	}
	return capitalized(f[0]) && !(len(f) > 1 && wire.IsCommand(f[1]))
}

// capitalized reports a word like "The" or "Remember": one capital, then
// lower-case letters only.
func capitalized(w string) bool {
	if len(w) < 2 || w[0] < 'A' || w[0] > 'Z' {
		return false
	}
	for i := 1; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// typographic reports curly quotes, apostrophes, dashes or an ellipsis
// outside a quoted string.
func typographic(t string) bool {
	quoted := false
	for i, r := range t {
		switch {
		case r == '"' && (i == 0 || t[i-1] != '\\'):
			quoted = !quoted
		case !quoted && strings.ContainsRune("\u2018\u2019\u201c\u201d\u2013\u2014\u2026", r):
			return true
		}
	}
	return false
}

// isServerLine recognizes a line only a server sends: untagged ("* ..."),
// a continuation request ("+ ..." or "+"), a tagged status response
// ("a1 OK ...", "00000002 NO ..."), or the ")" that ends a response after
// a literal.
func isServerLine(t string) bool {
	if strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "+ ") || t == "+" || strings.HasPrefix(t, ")") {
		return true
	}
	f := strings.Fields(t)
	if len(f) < 2 || tagger.Valid(f[0]) != nil {
		return false
	}
	switch strings.ToUpper(f[1]) {
	case "OK", "NO", "BAD", "BYE", "PREAUTH":
		return true
	}
	return false
}

// skipServerLine notes a skipped server line, and skips what belongs to
// it: the lines a " \" wraps it onto, and the octets of a literal it
// announces ({N} at its end), counted as typed (each line and its CRLF),
// up to the end of the response.
func (sh *Shell) skipServerLine(t string) {
	shown := t
	if sh.cont != nil && sh.contSecret {
		shown = "[hidden]"
	} else if len(shown) > 72 {
		cut := 72
		for cut > 0 && !utf8.RuneStart(shown[cut]) {
			cut--
		}
		shown = shown[:cut] + "..."
	}
	extra := 0
	for strings.HasSuffix(t, ` \`) {
		next, err := sh.con.ReadLine("continued> ")
		if err != nil {
			break
		}
		t = strings.TrimSpace(next)
		extra++
	}
	octets := int64(0)
	for {
		h, ok := typedHeader(t)
		if !ok {
			break
		}
		octets += h.n
		rest, err := sh.skipPastedOctets(h.n)
		if err != nil {
			break
		}
		t = rest
	}
	note := "skipped a pasted server line (never sent): " + shown
	switch {
	case octets > 0:
		note += fmt.Sprintf(" (and the %d octets of its literal)", octets)
	case extra > 0:
		note += fmt.Sprintf(" (and %d wrapped line(s))", extra)
	}
	sh.pr.Note("%s", note)
}

// skipPastedOctets reads n octets of pasted lines, each line counting its
// CRLF, and returns the rest of the line where the count ends.
func (sh *Shell) skipPastedOctets(n int64) (rest string, err error) {
	for n > 0 {
		line, err := sh.con.ReadLine(fmt.Sprintf("pasted server literal, %d octets left> ", n))
		if err != nil {
			return "", err
		}
		line = strings.TrimPrefix(line, sh.lessons.indent)
		if int64(len(line)) >= n {
			return line[n:], nil
		}
		n -= int64(len(line)) + 2
	}
	// The count ended with a line end: the response goes on on the next
	// line (usually a lone ")").
	line, err := sh.con.ReadLine("pasted server response> ")
	return strings.TrimPrefix(line, sh.lessons.indent), err
}
