package helpers

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// fileSink writes a literal's octets to the file being saved. It never
// fails (a failing sink would end the connection): it records the first
// error and drops the rest. The reader goroutine writes it; the helper
// reads it, under mu, once the command is done or abandoned.
type fileSink struct {
	mu       sync.Mutex
	f        *os.File
	n        int64 // octets written
	expected int64 // octets the literals announced
	err      error
	closed   bool
}

func (s *fileSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil && !s.closed {
		k, err := s.f.Write(p)
		s.n += int64(k)
		s.err = err
	}
	return len(p), nil
}

// expect adds the size a literal announces.
func (s *fileSink) expect(n int64) {
	s.mu.Lock()
	s.expected += n
	s.mu.Unlock()
}

// whole reports whether every octet announced was written.
func (s *fileSink) whole() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err == nil && s.n == s.expected
}

func (s *fileSink) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// rollback drops what was written after offset n.
func (s *fileSink) rollback(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil && s.n != n {
		if s.err = s.f.Truncate(n); s.err == nil {
			_, s.err = s.f.Seek(n, io.SeekStart)
		}
	}
	s.n, s.expected = n, n
}

// finish flushes the file to disk and closes it, for the rename.
func (s *fileSink) finish() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if err := s.f.Sync(); err != nil {
		s.f.Close()
		return err
	}
	return s.f.Close()
}

// close stops the writes (a late chunk is dropped) and closes the file.
func (s *fileSink) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.f.Close()
	}
}

// partialMark is in the name of the file a save writes before it is
// complete: .FILE.imapsh-partial-PID, next to FILE.
const partialMark = ".imapsh-partial-"

// createPartial creates the partial file of a save to path, named so a
// person who finds it (after a kill -9) knows what it is.
func createPartial(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	name := filepath.Join(dir, "."+base+partialMark+fmt.Sprint(os.Getpid()))
	for i := 2; ; i++ {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if !errors.Is(err, os.ErrExist) || i > 100 {
			return f, err
		}
		name = filepath.Join(dir, fmt.Sprintf(".%s%s%d-%d", base, partialMark, os.Getpid(), i))
	}
}

// leftovers points out the partial files earlier saves left in path's
// directory (a save killed with -9 cannot remove its own), or "".
func leftovers(path, own string) string {
	dir := filepath.Dir(path)
	found, _ := filepath.Glob(filepath.Join(dir, ".*"+partialMark+"*"))
	old, _ := filepath.Glob(filepath.Join(dir, ".imapsh-save-*")) // the name before
	found = append(found, old...)
	sort.Strings(found)
	var list []string
	for _, p := range found {
		fi, err := os.Lstat(p)
		if p == own || err != nil || !fi.Mode().IsRegular() {
			continue
		}
		list = append(list, fmt.Sprintf("%s (%s, %s)", filepath.Base(p), octets(fi.Size()), fi.ModTime().Format(time.DateTime)))
	}
	if len(list) == 0 {
		return ""
	}
	more := ""
	if len(list) > 5 {
		more = fmt.Sprintf("\n  and %d more", len(list)-5)
		list = list[:5]
	}
	return fmt.Sprintf("%s holds what earlier saves left unfinished (imapsh was killed before it could remove them); unless another imapsh is saving there now, they are incomplete and can be deleted:\n  %s%s",
		dir, strings.Join(list, "\n  "), more)
}

// commitFile makes the partial file (closed) the file at path, without
// overwriting an existing file unless force.
func commitFile(partial, path string, force bool) error {
	if force {
		return os.Rename(partial, path)
	}
	// A hard link fails if path has appeared meanwhile; not every file
	// system has them.
	err := os.Link(partial, path)
	switch {
	case err == nil:
		os.Remove(partial)
		return nil
	case errors.Is(err, os.ErrExist):
		return fmt.Errorf("%s appeared while saving: pass --force to overwrite it", path)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s appeared while saving: pass --force to overwrite it", path)
	}
	return os.Rename(partial, path)
}

// expandHome expands a leading ~/ to the home directory.
// ExpandHome expands a leading ~/ to the home directory.
func ExpandHome(p string) string { return expandHome(p) }

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// saveReport says what was saved and what is missing. An incomplete save
// is a failure.
func (t *tool) saveReport(m *msgInfo, size Item, path string, n int64, pieces []Item, complete bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "saved %s to %s: UID %d, %s of %s", octets(n), path, m.UID, where(t.tr.seq), boxName(t.env.State()))
	switch {
	case complete && len(pieces) > 1:
		fmt.Fprintf(&b, "\nBODY[] did not come (%s); the file is BODY[HEADER] followed by BODY[TEXT], which is the whole message", pieces[0])
	case complete:
		b.WriteString(", exactly as BODY.PEEK[] delivered it")
	}
	hasSize := size.Good()
	if hasSize && n == m.Size {
		b.WriteString("\nits size matches RFC822.SIZE")
	}
	if !hasSize {
		fmt.Fprintf(&b, "\nRFC822.SIZE: %s, so the size cannot be checked", size)
	}
	t.Plain("%s", b.String())
	if complete {
		if why := pieces[0].Why; why != "" && pieces[0].Good() {
			t.Note("BODY[]: %s", why)
		}
		return nil
	}
	var miss strings.Builder
	switch p := pieces[0]; p.Outcome {
	case Substitute:
		fmt.Fprintf(&miss, "incomplete: %s holds what the server delivers for BODY[], which looks like a server-made substitute, not the message: %s", path, p.Why)
	case Short:
		fmt.Fprintf(&miss, "incomplete: %s holds what the server delivers for BODY[]: %s", path, p)
	case Lost:
		fmt.Fprintf(&miss, "incomplete: %s holds what came before the connection ended: BODY[]: %s", path, p)
	default:
		fmt.Fprintf(&miss, "incomplete: %s holds only what could be had; missing:", path)
		listed := false
		for _, p := range pieces {
			if !p.Good() {
				fmt.Fprintf(&miss, "\n  %s: %s", p.Name, p)
				listed = true
			}
		}
		if !listed {
			fmt.Fprintf(&miss, "\n  the octets the server announced: only %s of them were written", octets(n))
		}
	}
	if hasSize && n < m.Size {
		fmt.Fprintf(&miss, "\nabout %d of the %s RFC822.SIZE announces are missing", m.Size-n, octets(m.Size))
	}
	t.Error("%s", miss.String())
	return ErrFailed
}
