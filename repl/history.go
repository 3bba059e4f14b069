package repl

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// historyPath is $XDG_STATE_HOME/imapsh/history, falling back to
// ~/.local/state/imapsh/history.
func historyPath(getenv func(string) string) string {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		if home == "" {
			return "-"
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "imapsh", "history")
}

// history appends redacted lines to the history file, which only its owner
// may read (mode 0600, directory 0700).
type history struct {
	f *os.File
}

// openHistory opens (creating) the history file and returns its lines.
func openHistory(path string) (*history, []string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm() != 0o600 {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s is readable by others and cannot be made private: %w", path, err)
		}
	}
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > 5000 {
		lines = lines[len(lines)-5000:]
	}
	return &history{f: f}, lines, nil
}

func (h *history) add(line string) {
	if strings.ContainsAny(line, "\r\n") || strings.TrimSpace(line) == "" {
		return
	}
	h.f.WriteString(line + "\n")
}

func (h *history) close() { h.f.Close() }

// redact returns line with any credential it carries replaced, for history
// and transcripts: LOGIN's password, AUTHENTICATE's initial response. Lines
// that carry no secret are returned unchanged.
func redact(line string) string {
	if isAuthenticateHelper(line) {
		return line // authenticate MECH USER holds no secret
	}
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
