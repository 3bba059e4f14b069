package repl

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
