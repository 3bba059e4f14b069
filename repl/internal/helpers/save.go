package helpers

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// saveWhere is how a body section on its way to save's file is shown. It
// names no file: the file exists only once the save is complete, and a
// save the user stops writes none.
const saveWhere = "received by save"

// saveHelper writes a message as delivered by UID FETCH (BODY.PEEK[]),
// streamed to a partial file next to FILE that is renamed to FILE at the
// end. When the whole message cannot be had it saves what can be, and says
// what is missing; when nothing can be had it writes no file.
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
	force := opts["--force"]
	path, err := saveTarget(rest[1], force)
	if err != nil {
		return err
	}
	// The partial file is made first: a directory that cannot be written
	// to is found before anything is sent.
	f, err := createPartial(path)
	if err != nil {
		return &LineError{fmt.Sprintf("save: cannot write next to %s: %v", path, err)}
	}
	out := &fileSink{f: f}
	kept := false
	defer func() {
		out.close()
		if !kept {
			os.Remove(f.Name())
		}
	}()
	if old := leftovers(path, f.Name()); old != "" {
		t.Note("%s", old)
	}
	uid, err := t.targetUID("save", rest[0])
	if err != nil {
		return err
	}
	t.start(uid)
	found, err := t.locate()
	switch {
	case err != nil:
		return err
	case !found:
		return t.notFound(uid)
	}
	res, err := t.fetch(fetchSpec{uid: uid, items: "(RFC822.SIZE)"})
	if err != nil {
		return err
	}
	size := judge("RFC822.SIZE", res, facts{})
	m := newInfo(t.tr.seq, uid)
	if res.info != nil {
		m.absorb(res.info)
	}
	pieces, complete, err := t.savePieces(m, out)
	if stopped(err) {
		out.close() // Abandon has returned: the reader writes no more.
		t.Error("save stopped before the message came: %s was not written, and what had come of it is deleted. The server may still be sending it; imapsh reads the rest and drops it.", path)
		return ErrFailed
	}
	lost := err != nil
	if werr := out.failed(); werr != nil {
		t.Error("save: writing %s: %v; nothing saved", path, werr)
		return ErrFailed
	}
	if out.n == 0 && !complete {
		if lost {
			t.Error("save: the connection ended before anything of UID %d came, so no file was written", uid)
			return err
		}
		var b strings.Builder
		fmt.Fprintf(&b, "save: nothing of UID %d could be had, so no file was written:", uid)
		for _, p := range pieces {
			fmt.Fprintf(&b, "\n  %s: %s", p.Name, p)
		}
		fmt.Fprintf(&b, "\nrun `probe %d` to see what the server does deliver", uid)
		t.Error("%s", b.String())
		return ErrFailed
	}
	if cerr := out.finish(); cerr != nil {
		t.Error("save: writing %s: %v; nothing saved", path, cerr)
		return ErrFailed
	}
	if cerr := commitFile(f.Name(), path, force); cerr != nil {
		t.Error("save: %v; nothing saved", cerr)
		return ErrFailed
	}
	kept = true
	rerr := t.saveReport(m, size, path, out.n, pieces, complete)
	if lost {
		return err
	}
	return rerr
}

// saveTarget checks FILE before anything is fetched: a name, not a
// directory, not an existing file unless force.
func saveTarget(name string, force bool) (string, error) {
	if strings.TrimSpace(name) == "" {
		return "", &LineError{"save: the file name is empty: give one, as in save 15541 poison.eml"}
	}
	path := expandHome(name)
	if strings.HasSuffix(name, "/") || strings.HasSuffix(name, string(filepath.Separator)) {
		return "", &LineError{fmt.Sprintf("save: %s names a directory: give a file name, as in save 15541 %s", name, filepath.Join(name, "message.eml"))}
	}
	if fi, err := os.Stat(filepath.Dir(path)); err == nil && !fi.IsDir() {
		return "", &LineError{fmt.Sprintf("save: %s is not a directory, so %s cannot be written", filepath.Dir(path), path)}
	}
	fi, err := os.Lstat(path)
	switch {
	case err != nil:
		return path, nil
	case fi.IsDir():
		return "", &LineError{fmt.Sprintf("save: %s is a directory: give a file name, as in save 15541 %s", path, filepath.Join(path, "message.eml"))}
	case !fi.Mode().IsRegular() && fi.Mode()&os.ModeSymlink == 0:
		return "", &LineError{fmt.Sprintf("save: %s exists and is not a regular file: give another name", path)}
	case !force:
		return "", &LineError{fmt.Sprintf("save: %s exists: pass --force to overwrite it", path)}
	}
	return path, nil
}

// savePieces fetches BODY[] into out or, when it does not come, what can
// be had of the message: header and text apart, else its first 4096
// octets. complete reports whether out holds the whole message: every
// octet each literal announced, and the verdict delivered.
func (t *tool) savePieces(m *msgInfo, out *fileSink) (pieces []Item, complete bool, err error) {
	f := factsOf(m)
	whole, err := t.savePiece(out, "(BODY.PEEK[])", "BODY[]", f)
	pieces = append(pieces, whole)
	switch {
	case err != nil:
		return pieces, false, err
	case whole.Good():
		return pieces, out.whole(), nil
	case whole.Outcome == Substitute, whole.Outcome == Short:
		return pieces, false, nil // kept: it is what the server delivers
	}
	out.rollback(0)
	for _, s := range [][2]string{{"(BODY.PEEK[HEADER])", "BODY[HEADER]"}, {"(BODY.PEEK[TEXT])", "BODY[TEXT]"}} {
		start := out.n
		p, err := t.savePiece(out, s[0], s[1], f)
		if err != nil {
			return append(pieces, p), false, err
		}
		if !p.Good() {
			out.rollback(start)
		}
		pieces = append(pieces, p)
	}
	if pieces[1].Good() && pieces[2].Good() {
		// BODY[] is BODY[HEADER] followed by BODY[TEXT].
		sum := pieces[1].Size + pieces[2].Size
		return pieces, out.whole() && (!f.hasSize || sum == f.size), nil
	}
	if out.n == 0 {
		p, err := t.savePiece(out, "(BODY.PEEK[]<0.4096>)", "BODY[]<0>", f)
		if !p.Good() {
			out.rollback(0)
		}
		return append(pieces, p), false, err
	}
	return pieces, false, nil
}

// savePiece fetches one section into out and judges it.
func (t *tool) savePiece(out *fileSink, items, item string, f facts) (Item, error) {
	start := out.n
	sink := func(it string, size int64) (io.Writer, string) {
		if it != item {
			return nil, ""
		}
		out.expect(size)
		return out, saveWhere
	}
	t.quietStop = true
	res, err := t.fetch(fetchSpec{uid: t.tr.uid, items: items, sink: sink})
	t.quietStop = false
	if res.stopped {
		return Item{Name: item}, err
	}
	p := judge(item, res, f)
	if _, foreign := res.foreign[item]; foreign {
		out.rollback(start) // another message's octets
	}
	if sec, ok := res.info.sectionOrNil(item); ok && !sec.Sunk && sec.Announced < 0 && out.n == start {
		out.expect(sec.Size)
		out.Write(sec.Head) // sent as a quoted string, not a literal
	}
	return p, err
}

// sectionOrNil is section on a message that may be nil.
func (m *msgInfo) sectionOrNil(item string) (section, bool) {
	if m == nil {
		return section{}, false
	}
	return m.section(item)
}
