package repl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"sync/atomic"
)

// A file literal (APPEND INBOX <msg.eml) is read twice: once to count its
// octets (the count goes first, in the literal header), once to send them.
// Only a regular file reads the same twice; a FIFO or a device would be
// measured from one writer and sent from the next, or never end. Ctrl-C
// stops either reading.

// maxFileLiteral caps a literal read from a file: far above what servers
// take for a message (Gmail about 35 MB, Exchange Online 150 MB), low
// enough that a wrong file is refused at once rather than read for minutes.
const maxFileLiteral = 1 << 30

// fileProblem is why a file cannot be sent as a literal. why does not name
// the file, so it can be told about a file named in a LOGIN line.
type fileProblem struct{ path, why string }

func (e *fileProblem) Error() string { return e.path + " " + e.why }

// openRegular opens path for reading if it is a regular file (after
// symbolic links), without opening anything else: opening a FIFO would
// wait for a writer.
func openRegular(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	// The name may have been pointed elsewhere meanwhile.
	if fi2, err := f.Stat(); err != nil || !os.SameFile(fi, fi2) {
		f.Close()
		return nil, &fileProblem{path, "changed while it was being opened; try again"}
	}
	return f, nil
}

func checkRegular(path string, fi fs.FileInfo) error {
	m := fi.Mode()
	what := ""
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return &fileProblem{path, "is a directory, not a message file"}
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	default:
		what = "not a regular file"
	}
	return &fileProblem{path, fmt.Sprintf("is %s: a literal is read twice, once to count its octets and once to send them, so imapsh takes regular files only (save the data to a file first)", what)}
}

// measureFile counts the octets of a file literal and looks for NUL,
// reading the file once without holding it. It refuses, before reading,
// a file that is not regular, and one over the server's APPENDLIMIT (for a
// message) or over maxFileLiteral. At the terminal Ctrl-C stops it;
// nothing has been sent then.
func (sh *Shell) measureFile(l *litSource) error {
	f, err := openRegular(l.path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return fmt.Errorf("cannot read %s: %w", l.path, err)
		}
		return err
	}
	defer f.Close()
	limit, limitName := int64(maxFileLiteral), "imapsh's limit for one literal"
	if l.crlf {
		if v, ok := sh.st.CapValue("APPENDLIMIT"); ok && v != "" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n < limit {
				limit, limitName = n, "the server's APPENDLIMIT"
			}
		}
	}
	over := func(size int64, atLeast string) error {
		return &fileProblem{l.path, fmt.Sprintf("is %s%d octets, over %s of %d", atLeast, size, limitName, limit)}
	}
	if fi, err := f.Stat(); err == nil && fi.Size() > limit {
		// Line ends made CRLF only add octets.
		return over(fi.Size(), "")
	}
	intr, stop := sh.interrupts()
	defer stop()
	for {
		err := l.measure(f, intr, limit)
		switch {
		case errors.Is(err, errOverLimit):
			return over(l.size, "at least ")
		case errors.Is(err, errMeasureStopped):
			return &fileProblem{l.path, "was not measured: stopped (Ctrl-C) while imapsh counted its octets"}
		case err != nil:
			return fmt.Errorf("reading %s: %w", l.path, err)
		}
		if !(l.binary && l.crlf) {
			return nil
		}
		// Binary content is sent untouched: count the file as it is.
		l.crlf, l.size = false, 0
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("reading %s: %w", l.path, err)
		}
	}
}

var (
	errOverLimit      = errors.New("over the limit")
	errMeasureStopped = errors.New("measuring stopped")
)

// measure reads f to its end, counting octets into l.size and noting NUL;
// it stops when intr is closed or the count passes limit.
func (l *litSource) measure(f *os.File, intr <-chan struct{}, limit int64) error {
	var r io.Reader = f
	if l.crlf {
		r = newCRLFReader(f)
	}
	buf := make([]byte, 64<<10)
	for {
		select {
		case <-intr:
			return errMeasureStopped
		default:
		}
		n, err := r.Read(buf)
		if bytes.IndexByte(buf[:n], 0) >= 0 {
			l.binary = true
		}
		l.size += int64(n)
		if l.size > limit {
			return errOverLimit
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// openError says why a measured file cannot be opened again to be sent,
// without the name of a file named in a LOGIN line.
func (l *litSource) openError(err error) error {
	var pe *fs.PathError
	var fp *fileProblem
	switch {
	case l.secret && errors.As(err, &fp):
		err = errors.New(fp.why)
	case l.secret && errors.As(err, &pe):
		err = pe.Err
	}
	return fmt.Errorf("cannot read %s: %w", l.name(), err)
}

// sendLiteralStoppable sends a literal's octets. At the terminal Ctrl-C
// stops the sending by closing the connection: the server would take
// whatever came next as the rest of the literal, so the session cannot
// stay in step. stopped reports that it happened.
func (sh *Shell) sendLiteralStoppable(o *op, r io.Reader, n int64, desc string) (stopped bool, err error) {
	intr, stop := sh.interrupts()
	defer stop()
	var hit atomic.Bool
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case <-intr:
			hit.Store(true)
			sh.sess.Hangup() // closing is ours: no warning
		case <-done:
		}
	}()
	err = sh.sess.SendLiteral(o, r, n, desc, false)
	close(done)
	<-exited
	return hit.Load(), err
}
