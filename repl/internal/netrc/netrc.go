// Package netrc reads credentials from a .netrc file, as ftp, curl and
// fetchmail do: "machine HOST login USER password PASS" entries, a
// "default" entry, "account" and "macdef" (skipped), double-quoted values
// with backslash escapes, and lines that start with # as comments. Load
// refuses a file that others may read or that another user owns.
package netrc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Entry is one machine (or the default) of a .netrc file.
type Entry struct {
	Machine  string // "" for the default entry
	Login    string
	Password string
	Default  bool
}

// ErrInsecure is wrapped by Load's error for a file others may read.
var ErrInsecure = errors.New("insecure .netrc")

// Load reads and parses the file at path. A missing file gives no entries
// and no error. A file that others may read or write, or that another user
// owns, is refused with an error wrapping ErrInsecure that says how to fix
// it; its content is not read.
func Load(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s is readable or writable by others (mode %04o): imapsh takes no password from it; make it private with chmod 600 %s", ErrInsecure, path, perm, path)
	}
	if uid, ok := owner(fi); ok && uid != os.Geteuid() {
		return nil, fmt.Errorf("%w: %s belongs to another user (uid %d): imapsh takes no password from it", ErrInsecure, path, uid)
	}
	data := make([]byte, 0, fi.Size())
	buf := make([]byte, 32<<10)
	for {
		n, err := f.Read(buf)
		data = append(data, buf[:n]...)
		if err != nil {
			break
		}
		if len(data) > 1<<20 {
			return nil, fmt.Errorf("%s is larger than 1 MiB: not a .netrc file", path)
		}
	}
	entries, err := Parse(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entries, nil
}

// Parse parses the text of a .netrc file. It performs no I/O.
func Parse(text string) ([]Entry, error) {
	toks, err := tokens(text)
	if err != nil {
		return nil, err
	}
	var out []Entry
	var cur *Entry
	for i := 0; i < len(toks); i++ {
		word := toks[i]
		value := func() (string, error) {
			if i+1 >= len(toks) {
				return "", fmt.Errorf("%q at the end of the file has no value", word.text)
			}
			i++
			return toks[i].text, nil
		}
		switch {
		case word.quoted:
			return nil, fmt.Errorf("line %d: unexpected %q (a keyword was expected: machine, default, login, password, account, macdef)", word.line, word.text)
		case word.text == "machine":
			v, err := value()
			if err != nil {
				return nil, err
			}
			out = append(out, Entry{Machine: v})
			cur = &out[len(out)-1]
		case word.text == "default":
			out = append(out, Entry{Default: true})
			cur = &out[len(out)-1]
		case word.text == "login", word.text == "password", word.text == "account":
			v, err := value()
			if err != nil {
				return nil, err
			}
			if cur == nil {
				return nil, fmt.Errorf("line %d: %s before any machine or default", word.line, word.text)
			}
			switch word.text {
			case "login":
				cur.Login = v
			case "password":
				cur.Password = v
			}
		case word.text == "macdef":
			if _, err := value(); err != nil {
				return nil, err
			}
			// The macro runs to the next empty line: skip its tokens.
			end := macroEnd(text, toks[i].end)
			for i+1 < len(toks) && toks[i+1].start < end {
				i++
			}
		default:
			return nil, fmt.Errorf("line %d: unknown keyword %q (expected machine, default, login, password, account or macdef)", word.line, word.text)
		}
	}
	return out, nil
}

// Find returns the entry for host and, when login is not "", that login: a
// machine entry first (host names compare without case), else the default
// entry.
func Find(entries []Entry, host, login string) (Entry, bool) {
	match := func(e Entry) bool { return login == "" || e.Login == "" || e.Login == login }
	for _, e := range entries {
		if !e.Default && strings.EqualFold(e.Machine, host) && match(e) {
			return e, true
		}
	}
	for _, e := range entries {
		if e.Default && match(e) {
			return e, true
		}
	}
	return Entry{}, false
}

type token struct {
	text       string
	quoted     bool
	line       int
	start, end int
}

// tokens splits the text into words and quoted strings, skipping comment
// lines.
func tokens(s string) ([]token, error) {
	var out []token
	line := 1
	bol := true
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n':
			line++
			bol = true
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '#' && bol:
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		}
		bol = false
		start := i
		if c == '"' {
			var b strings.Builder
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				if s[i] == '\n' {
					line++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("line %d: a quoted string is not closed", line)
			}
			i++
			out = append(out, token{b.String(), true, line, start, i})
			continue
		}
		for i < len(s) && !strings.ContainsRune(" \t\r\n\f\v", rune(s[i])) {
			i++
		}
		out = append(out, token{s[start:i], false, line, start, i})
	}
	return out, nil
}

// macroEnd returns the offset of the empty line that ends a macro whose
// name ends at i.
func macroEnd(s string, i int) int {
	if j := strings.Index(s[i:], "\n\n"); j >= 0 {
		return i + j + 2
	}
	if j := strings.Index(s[i:], "\n\r\n"); j >= 0 {
		return i + j + 3
	}
	return len(s)
}
