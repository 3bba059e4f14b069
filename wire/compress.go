package wire

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
)

// StartDeflate turns on COMPRESS=DEFLATE (RFC 4978): from now on both
// directions are raw DEFLATE streams (RFC 1951), each line the Writer
// writes is flushed with a sync flush, and the Reader reads the inflated
// stream. Call it as soon as the server's tagged OK to "COMPRESS DEFLATE"
// has been read, before anything else is read or written; the caller
// serializes it with writers.
//
// The server compresses everything after the CRLF of that OK, so octets it
// sent right after it may already be in the Reader's buffer: they are the
// start of the compressed stream and are inflated first. carried says how
// many there were (0 from a server that waits for the next command, as
// servers usually do).
func (c *Conn) StartDeflate() (carried int, err error) {
	if c.oct.compressed.Load() {
		return 0, errors.New("wire: COMPRESS=DEFLATE is already on")
	}
	if c.R.lit.left > 0 || c.R.mid {
		return 0, errors.New("wire: COMPRESS=DEFLATE cannot start in the middle of a response")
	}
	var head []byte
	if n := c.R.br.Buffered(); n > 0 {
		b, _ := c.R.br.Peek(n)
		head = bytes.Clone(b)
		// They were counted as IMAP octets on the way in; they are
		// compressed ones.
		c.oct.imapRecv.Add(-int64(n))
		c.oct.deflateRecv.Add(int64(n))
	}
	src := io.MultiReader(bytes.NewReader(head), countReader{c.nc, &c.oct.deflateRecv})
	in := &inflater{fr: flate.NewReader(src)}
	maxLine := c.R.maxLine
	c.R = NewReader(countReader{in, &c.oct.imapRecv})
	c.R.SetMaxLine(maxLine)
	fw, err := flate.NewWriter(countWriter{c.nc, &c.oct.deflateSent}, flate.DefaultCompression)
	if err != nil {
		return 0, err
	}
	c.W = newWriter(countWriter{syncFlusher{fw}, &c.oct.imapSent})
	c.oct.compressed.Store(true)
	return len(head), nil
}

// Compressed reports whether COMPRESS=DEFLATE is on.
func (c *Conn) Compressed() bool { return c.oct.compressed.Load() }

// ErrDeflate is wrapped by read errors of a corrupt compressed stream.
var ErrDeflate = errors.New("wire: the server's COMPRESS=DEFLATE stream is corrupt")

// inflater reads the server's DEFLATE stream. The stream never ends with a
// final block (the connection just closes), so the end of the connection
// at a point where flate wants more is the end of the stream: io.EOF. The
// Reader above notices a response cut short, as it does on a plain
// connection.
type inflater struct {
	fr io.ReadCloser
}

func (f *inflater) Read(p []byte) (int, error) {
	n, err := f.fr.Read(p)
	var corrupt flate.CorruptInputError
	switch {
	case err == io.ErrUnexpectedEOF:
		err = io.EOF
	case errors.As(err, &corrupt):
		err = fmt.Errorf("%w: %v", ErrDeflate, err)
	}
	return n, err
}

// syncFlusher compresses each write and flushes it at once (a sync flush),
// so the server can inflate every command as soon as it is sent.
type syncFlusher struct {
	fw *flate.Writer
}

func (s syncFlusher) Write(p []byte) (int, error) {
	n, err := s.fw.Write(p)
	if err != nil {
		return n, err
	}
	return n, s.fw.Flush()
}
