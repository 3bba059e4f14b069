package term

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestHistoryPath(t *testing.T) {
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}
	if got, want := HistoryPath(env(map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"})), filepath.Join("/s", "imapsh", "history"); got != want {
		t.Errorf("with XDG_STATE_HOME: %q, want %q", got, want)
	}
	if got, want := HistoryPath(env(map[string]string{"HOME": "/h"})), filepath.Join("/h", ".local", "state", "imapsh", "history"); got != want {
		t.Errorf("with HOME: %q, want %q", got, want)
	}
}

func writeHistory(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", "imapsh", "history")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestHistorySkipsOverlongLine(t *testing.T) {
	huge := strings.Repeat("x", maxHistoryLine+1)
	for _, tail := range []string{"\n", ""} { // the long line last, with or without its LF
		path := writeHistory(t, "SELECT INBOX\n"+huge+"\nNOOP\n"+huge+tail)
		h, lines, warns, err := openHistory(path, 100)
		if err != nil {
			t.Fatal(err)
		}
		h.close()
		if strings.Join(lines, "|") != "SELECT INBOX|NOOP" {
			t.Errorf("lines %.80q", lines)
		}
		if len(warns) != 2 || !strings.Contains(warns[0], "line 2 is over 1048576 bytes: skipped") ||
			!strings.Contains(warns[1], "line 4 ") {
			t.Errorf("warnings %q", warns)
		}
	}
	// A line of exactly the limit is kept.
	edge := strings.Repeat("y", maxHistoryLine)
	path := writeHistory(t, edge+"\nLOGOUT\n")
	h, lines, warns, err := openHistory(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	h.close()
	if len(lines) != 2 || lines[0] != edge || len(warns) != 0 {
		t.Errorf("%d lines, warnings %q", len(lines), warns)
	}
}

func TestHistoryKeepsTheLastEntries(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "NOOP %d\n", i)
	}
	path := writeHistory(t, b.String())
	if runtime.GOOS != "windows" {
		os.Chmod(path, 0o644)
	}
	h, lines, warns, err := openHistory(path, 4)
	if err != nil || len(warns) > 0 {
		t.Fatal(err, warns)
	}
	if strings.Join(lines, "|") != "NOOP 7|NOOP 8|NOOP 9|NOOP 10" {
		t.Errorf("loaded %q", lines)
	}
	checkFile(t, path, "NOOP 7\nNOOP 8\nNOOP 9\nNOOP 10\n")
	// Appending goes on in the new file, and it is shortened again once it
	// is a quarter over the limit (here 4 + 1).
	for _, l := range []string{"A", "", "B\nC"} {
		if warn, err := h.add(l); err != nil || warn != "" {
			t.Fatal(warn, err)
		}
	}
	checkFile(t, path, "NOOP 7\nNOOP 8\nNOOP 9\nNOOP 10\nA\n")
	h.add("B")
	checkFile(t, path, "NOOP 9\nNOOP 10\nA\nB\n")
	h.add("C")
	h.add("D")
	h.close()
	checkFile(t, path, "A\nB\nC\nD\n")
	// Another imapsh's lines, appended meanwhile, are not lost when the
	// file is shortened.
	h, _, _, err = openHistory(path, 4)
	if err != nil {
		t.Fatal(err)
	}
	other, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	other.WriteString("OTHER 1\nOTHER 2\n")
	other.Close()
	h.add("E")
	checkFile(t, path, "A\nB\nC\nD\nOTHER 1\nOTHER 2\nE\n")
	h.add("F")
	h.close()
	checkFile(t, path, "OTHER 1\nOTHER 2\nE\nF\n")
}

func checkFile(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("history file:\n%q\nwant\n%q", got, want)
	}
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestHistoryThroughTheConsole(t *testing.T) {
	path := writeHistory(t, "SELECT INBOX\n"+strings.Repeat("z", maxHistoryLine+5)+"\nNOOP\n")
	v := newVT(t, Config{HistoryFile: path, HistoryLimit: 3})
	v.waitFor("line 2 is over 1048576 bytes: skipped")
	// Up twice recalls the line before the overlong one.
	ch := v.readLine("> ")
	v.typeKeys("\x1b[A\x1b[A\r")
	if r := v.get(ch); r.line != "SELECT INBOX" {
		t.Errorf("recalled %q, %v", r.line, r.err)
	}
	v.con.Remember("LOGIN alice [hidden]")
	v.con.Remember("CAPABILITY")
	v.con.Close()
	// Four entries are over the limit of 3: the file is shortened to the
	// last three (the overlong line goes with the rest).
	checkFile(t, path, "NOOP\nLOGIN alice [hidden]\nCAPABILITY\n")
	if r := v.get(v.readLine("> ")); !errors.Is(r.err, io.EOF) {
		t.Errorf("after Close: %q, %v", r.line, r.err)
	}
}
