package helpers

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// fileSink writes a literal's octets to the file being saved. It never
// fails (a failing sink would end the connection): it records the first
// error and drops the rest.
type fileSink struct {
	f   *os.File
	n   int64 // octets written
	err error
}

func (s *fileSink) Write(p []byte) (int, error) {
	if s.err == nil {
		k, err := s.f.Write(p)
		s.n += int64(k)
		s.err = err
	}
	return len(p), nil
}

// rollback drops what was written after offset n.
func (s *fileSink) rollback(n int64) {
	if s.err == nil && s.n != n {
		if s.err = s.f.Truncate(n); s.err == nil {
			_, s.err = s.f.Seek(n, io.SeekStart)
		}
		s.n = n
	}
}

// saveHelper writes a message as delivered by UID FETCH (BODY.PEEK[]),
// streamed to a temporary file that is renamed to FILE at the end. When
// the whole message cannot be had it saves what can be, and says what is
// missing.
func (t *tool) saveHelper(args string) error {
	words, err := helperArgs(args)
	if err != nil {
		return &LineError{"save: " + err.Error()}
	}
	rest, opts, err := takeFlags(words, "--force")
	if err != nil {
		return &LineError{"save: " + err.Error()}
	}
	if len(rest) != 2 {
		return &LineError{"usage: save UID FILE [--force] (or save #SEQ FILE; quote a FILE with spaces in double quotes)"}
	}
	if _, err := t.needSelected("save"); err != nil {
		return err
	}
	path := expandHome(rest[1])
	force := opts["--force"]
	if _, err := os.Lstat(path); err == nil && !force {
		return &LineError{fmt.Sprintf("save: %s exists: pass --force to overwrite it", path)}
	}
	// The temporary file is made first: a directory that cannot be
	// written to is found before anything is sent.
	f, err := os.CreateTemp(filepath.Dir(path), ".imapsh-save-*")
	if err != nil {
		return &LineError{fmt.Sprintf("save: cannot write next to %s: %v", path, err)}
	}
	kept := false
	defer func() {
		f.Close()
		if !kept {
			os.Remove(f.Name())
		}
	}()
	uid, err := t.targetUID("save", rest[0])
	if err != nil {
		return err
	}
	m, h, err := t.fetchUID(fetchSpec{uid: uid, items: "(UID RFC822.SIZE)"})
	switch {
	case err != nil:
		return err
	case h.Name != "OK":
		return t.refused("save", h)
	case m == nil:
		return t.notFound(uid)
	}
	out := &fileSink{f: f}
	pieces, complete, err := t.savePieces(m, out, path)
	if err != nil {
		return err
	}
	if out.err != nil {
		t.Error("save: writing %s: %v; nothing saved", path, out.err)
		return ErrFailed
	}
	if out.n == 0 && !complete {
		var b strings.Builder
		fmt.Fprintf(&b, "save: nothing of UID %d could be had, so no file was written:", uid)
		for _, p := range pieces {
			fmt.Fprintf(&b, "\n  %s: %s", p.item, p)
		}
		fmt.Fprintf(&b, "\nrun `probe %d` to see what the server does deliver", uid)
		t.Error("%s", b.String())
		return ErrFailed
	}
	if err := commitFile(f, path, force); err != nil {
		t.Error("save: %v; nothing saved", err)
		return ErrFailed
	}
	kept = true
	return t.saveReport(m, path, out.n, pieces, complete)
}

// savePieces fetches BODY[] into out or, when it does not come, what can
// be had of the message: header and text apart, else its first 4096
// octets. complete reports whether out holds the whole message.
func (t *tool) savePieces(m *msgInfo, out *fileSink, path string) (pieces []probeStep, complete bool, err error) {
	where := "written to " + path
	whole, err := t.savePiece(m, out, "(BODY.PEEK[])", "BODY[]", where)
	pieces = append(pieces, whole)
	switch {
	case err != nil:
		return pieces, false, err
	case whole.got == gotData, whole.got == gotEmpty && m.HasSize && m.Size == 0:
		return pieces, true, nil
	case whole.got == gotSubstitute:
		return pieces, false, nil // kept: it is what the server delivers
	}
	out.rollback(0)
	for _, s := range [][2]string{{"(BODY.PEEK[HEADER])", "BODY[HEADER]"}, {"(BODY.PEEK[TEXT])", "BODY[TEXT]"}} {
		start := out.n
		p, err := t.savePiece(m, out, s[0], s[1], where)
		if err != nil {
			return pieces, false, err
		}
		if p.got != gotData {
			out.rollback(start)
		}
		pieces = append(pieces, p)
	}
	if pieces[1].got == gotData && pieces[2].got == gotData {
		return pieces, true, nil // BODY[] is BODY[HEADER] followed by BODY[TEXT]
	}
	if out.n == 0 {
		p, err := t.savePiece(m, out, "(BODY.PEEK[]<0.4096>)", "BODY[]<0>", where)
		if p.got != gotData {
			out.rollback(0)
		}
		pieces = append(pieces, p)
		return pieces, false, err
	}
	return pieces, false, nil
}

// savePiece fetches one section into out and judges it.
func (t *tool) savePiece(m *msgInfo, out *fileSink, items, item, where string) (probeStep, error) {
	start := out.n
	sink := func(it string, size int64) (io.Writer, string) {
		if it != item || out.n != start {
			return nil, ""
		}
		return out, where
	}
	info, h, err := t.fetchUID(fetchSpec{uid: m.UID, seq: m.Seq, items: items, sink: sink})
	if err != nil {
		return probeStep{items: items, item: item}, err
	}
	p := judge(m, items, item, info, h)
	if sec := info.section(item); out.n == start && int64(len(sec.Head)) == sec.Size {
		out.Write(sec.Head) // sent as a quoted string, not a literal
	}
	return p, nil
}

// section returns a body section of m, if any.
func (m *msgInfo) section(item string) section {
	if m == nil {
		return section{}
	}
	return m.Sections[item]
}

// saveReport says what was saved and what is missing. An incomplete save
// is a failure.
func (t *tool) saveReport(m *msgInfo, path string, n int64, pieces []probeStep, complete bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "saved %d octets to %s: UID %d, sequence number %d of %s", n, path, m.UID, m.Seq, boxName(t.env.State()))
	switch {
	case complete && len(pieces) > 1:
		fmt.Fprintf(&b, "\nBODY[] did not come (%s); the file is BODY[HEADER] followed by BODY[TEXT], which is the whole message", pieces[0])
	case complete:
		b.WriteString(", exactly as BODY.PEEK[] delivered it")
	}
	if m.HasSize && n == m.Size {
		b.WriteString("\nits size matches RFC822.SIZE")
	}
	t.Plain("%s", b.String())
	if complete {
		if m.HasSize && n != m.Size {
			t.Warn("the server said RFC822.SIZE %d but delivered %d octets (some servers, Exchange among them, only estimate RFC822.SIZE)", m.Size, n)
		}
		return nil
	}
	var miss strings.Builder
	if pieces[0].got == gotSubstitute {
		fmt.Fprintf(&miss, "incomplete: %s holds what the server delivers for BODY[], which looks like a server-made substitute, not the message: %s", path, pieces[0].why)
	} else {
		fmt.Fprintf(&miss, "incomplete: %s holds only what could be had; missing:", path)
		for _, p := range pieces {
			if p.got != gotData {
				fmt.Fprintf(&miss, "\n  %s: %s", p.item, p)
			}
		}
	}
	if m.HasSize && n < m.Size {
		fmt.Fprintf(&miss, "\nabout %d of the %d octets RFC822.SIZE announces are missing", m.Size-n, m.Size)
	}
	t.Error("%s", miss.String())
	return ErrFailed
}

// commitFile makes the temporary file f the file at path, without
// overwriting an existing file unless force.
func commitFile(f *os.File, path string, force bool) error {
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if force {
		return os.Rename(f.Name(), path)
	}
	// A hard link fails if path has appeared meanwhile; not every file
	// system has them.
	err := os.Link(f.Name(), path)
	switch {
	case err == nil:
		os.Remove(f.Name())
		return nil
	case errors.Is(err, os.ErrExist):
		return fmt.Errorf("%s appeared while saving: pass --force to overwrite it", path)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s appeared while saving: pass --force to overwrite it", path)
	}
	return os.Rename(f.Name(), path)
}

// expandHome expands a leading ~/ to the home directory.
func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}
