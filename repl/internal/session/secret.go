package session

import "strings"

// CommandName returns the upper-cased command name of a command text
// without its tag ("UID FETCH" for UID commands) and the rest of the text.
// Spaces and tabs both separate words.
func CommandName(text string) (name, args string) {
	text = strings.TrimLeft(text, " \t")
	name, args = cutWord(text)
	name = strings.ToUpper(name)
	if name == "UID" {
		sub, rest := cutWord(strings.TrimLeft(args, " \t"))
		name, args = "UID "+strings.ToUpper(sub), rest
	}
	return name, strings.TrimSpace(args)
}

func cutWord(s string) (word, rest string) {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// SecretSpans marks the credentials in a command line (with or without its
// tag): LOGIN's password (everything after the user name, and the user name
// too when it is sent as a literal) and AUTHENTICATE's initial response. It
// performs no I/O.
func SecretSpans(line string) []Span {
	word := func(i int) (string, int) {
		i = skipBlank(line, i)
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		return strings.ToUpper(line[i:j]), j
	}
	name, i := word(0)
	if name != "LOGIN" && name != "AUTHENTICATE" {
		// The first word may be the line's own tag.
		if name, i = word(i); name != "LOGIN" && name != "AUTHENTICATE" {
			return nil
		}
	}
	i = skipBlank(line, i)
	if i >= len(line) {
		return nil
	}
	if name == "AUTHENTICATE" || !isLiteralHeader(line[i:]) {
		// The mechanism, and a user name typed in the line, are no
		// secret.
		i = skipBlank(line, skipAString(line, i))
	}
	if i >= len(line) {
		return nil
	}
	return []Span{{i, len(line)}}
}

func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// skipAString returns the index after the atom or quoted string at i.
func skipAString(s string, i int) int {
	if i < len(s) && s[i] == '"' {
		for j := i + 1; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return len(s)
	}
	for i < len(s) && s[i] != ' ' && s[i] != '\t' {
		i++
	}
	return i
}

func isLiteralHeader(s string) bool {
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "~{")
}

// Redact returns line with its secret spans replaced by "[hidden]".
func Redact(line string, spans []Span) string {
	if len(spans) == 0 {
		return line
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(line[last:sp.Start])
		b.WriteString("[hidden]")
		last = sp.End
	}
	b.WriteString(line[last:])
	return b.String()
}
