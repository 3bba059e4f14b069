package term

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// maxHistoryLine is the longest history line loaded; a longer one (a file
// edited by hand, or damaged) is skipped with a warning.
const maxHistoryLine = 1 << 20

// HistoryPath returns where the history is kept:
// $XDG_STATE_HOME/imapsh/history, or ~/.local/state/imapsh/history; ""
// when there is no home directory. getenv reads the environment.
func HistoryPath(getenv func(string) string) string {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "imapsh", "history")
}

// history appends lines to the history file, which only its owner may read
// (mode 0600, directory 0700), and keeps it to its last limit lines: the
// file is rewritten with those when it has grown a quarter past the limit
// (and when it is opened over the limit). It is not safe for concurrent
// use.
type history struct {
	path  string
	f     *os.File
	limit int
	lines int // lines in the file
}

// openHistory opens (creating) the history file and returns its last limit
// lines, and warnings about lines it skipped.
func openHistory(path string, limit int) (*history, []string, []string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := makePrivate(f, path); err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	lines, warns, err := readHistory(f, path)
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	h := &history{path: path, f: f, limit: limit, lines: len(lines)}
	if len(lines) > limit {
		lines = lines[len(lines)-limit:]
	}
	if h.lines > limit {
		if err := h.rewrite(lines); err != nil {
			warns = append(warns, fmt.Sprintf("the history file %s could not be shortened: %v", path, err))
		}
	}
	return h, lines, warns, nil
}

// readHistory reads every line of r, skipping (with a warning) those over
// maxHistoryLine.
func readHistory(r io.Reader, path string) (lines, warns []string, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var cur []byte
	long := false
	n := 0
	for {
		frag, err := br.ReadSlice('\n')
		if len(frag) > 0 && !long {
			cur = append(cur, frag...)
			if len(bytes.TrimSuffix(cur, []byte("\n"))) > maxHistoryLine {
				long, cur = true, nil
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, nil, fmt.Errorf("reading %s: %w", path, err)
		}
		if len(frag) > 0 || long {
			n++
			if long {
				warns = append(warns, fmt.Sprintf("%s: line %d is over %d bytes: skipped (delete it from the file to silence this)", path, n, maxHistoryLine))
			} else if l := strings.TrimSuffix(string(cur), "\n"); l != "" {
				lines = append(lines, l)
			}
		}
		cur, long = cur[:0], false
		if err == io.EOF {
			return lines, warns, nil
		}
	}
}

// makePrivate makes the file readable by its owner only.
func makePrivate(f *os.File, path string) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			return fmt.Errorf("%s is readable by others and cannot be made private: %w", path, err)
		}
	}
	return nil
}

// add appends a line. Lines with a line break, and blank lines, are not
// kept. err is a failure to write; warn says the file could not be
// shortened (it is tried again after another quarter of the limit).
func (h *history) add(line string) (warn string, err error) {
	if strings.ContainsAny(line, "\r\n") || strings.TrimSpace(line) == "" {
		return "", nil
	}
	if _, err := h.f.WriteString(line + "\n"); err != nil {
		return "", err
	}
	h.lines++
	if h.lines > h.limit+h.limit/4 {
		if err := h.compact(); err != nil {
			h.lines = h.limit // try again later
			return fmt.Sprintf("the history file %s could not be shortened: %v", h.path, err), nil
		}
	}
	return "", nil
}

// compact rewrites the file with its last limit lines. It reads the file
// again, so that lines another imapsh appended meanwhile are kept.
func (h *history) compact() error {
	if _, err := h.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	lines, _, err := readHistory(h.f, h.path)
	if err != nil {
		return err
	}
	if len(lines) > h.limit {
		lines = lines[len(lines)-h.limit:]
	}
	return h.rewrite(lines)
}

// rewrite replaces the file by lines: a new file is written beside it and
// renamed over it, so that a crash leaves one or the other whole.
func (h *history) rewrite(lines []string) error {
	tmp, err := os.CreateTemp(filepath.Dir(h.path), ".history-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is none
	w := bufio.NewWriter(tmp)
	for _, l := range lines {
		w.WriteString(l)
		w.WriteByte('\n')
	}
	err = w.Flush()
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// Windows cannot rename over an open file: close it first.
	h.f.Close()
	rerr := os.Rename(tmp.Name(), h.path)
	f, err := os.OpenFile(h.path, os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	h.f = f
	if rerr != nil {
		return rerr
	}
	h.lines = len(lines)
	return nil
}

func (h *history) close() { h.f.Close() }
