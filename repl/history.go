package repl

import (
	"strings"

	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// redact returns line with any credential it carries replaced, for history
// and transcripts: LOGIN's password, AUTHENTICATE's initial response. Lines
// that carry no secret are returned unchanged.
func redact(line string) string {
	tag, text := tagger.Split(strings.TrimSpace(line), wire.IsCommand)
	name, args := commandName(text)
	prefix := ""
	if tag != "" {
		prefix = tag + " "
	}
	switch name {
	case "LOGIN":
		user, rest := firstAString(args)
		if strings.HasPrefix(user, "{") || strings.HasPrefix(user, "~{") {
			user = "[hidden]"
		}
		if strings.TrimSpace(rest) == "" {
			return prefix + "LOGIN " + user
		}
		return prefix + "LOGIN " + user + " [hidden]"
	case "AUTHENTICATE":
		mech, rest, _ := strings.Cut(args, " ")
		if strings.TrimSpace(rest) == "" {
			return prefix + "AUTHENTICATE " + mech
		}
		return prefix + "AUTHENTICATE " + mech + " [hidden]"
	}
	return line
}

// firstAString splits off the first argument of args: a quoted string
// (kept with its quotes) or a word.
func firstAString(args string) (first, rest string) {
	args = strings.TrimLeft(args, " ")
	if strings.HasPrefix(args, `"`) {
		j := skipQuoted(args, 0)
		return args[:j], args[j:]
	}
	first, rest, _ = strings.Cut(args, " ")
	return first, rest
}
