package repl

import (
	"fmt"
	"strings"
)

// startCompress turns on COMPRESS=DEFLATE (RFC 4978) for --compress, when
// the server offers it.
func (sh *Shell) startCompress() error {
	if sh.conn.Compressed() {
		return nil
	}
	if err := sh.ensureCaps(); err != nil {
		return err
	}
	if !sh.st.Has("COMPRESS=DEFLATE") {
		sh.pr.Note("the server does not offer COMPRESS=DEFLATE: --compress has no effect")
		return nil
	}
	h, err := sh.execHead(&Command{Text: "COMPRESS DEFLATE", Internal: true})
	if err != nil {
		return err
	}
	switch h.Name {
	case "OK":
		sh.pr.Note("COMPRESS=DEFLATE is on: both directions are compressed from here (stats shows the octets)")
	case "":
	default:
		sh.pr.Warn("the server refused COMPRESS DEFLATE (%s): the session goes on uncompressed", h.Name)
	}
	return nil
}

// checkCompress vets a typed COMPRESS: imapsh inflates DEFLATE only, once,
// and the command must be alone on the connection, since everything after
// its OK is compressed.
func (sh *Shell) checkCompress(args string) error {
	if !strings.EqualFold(strings.TrimSpace(args), "DEFLATE") {
		return &lineError{fmt.Sprintf("COMPRESS is not sent: imapsh decodes COMPRESS DEFLATE only (RFC 4978), not %q", strings.TrimSpace(args))}
	}
	if sh.conn.Compressed() {
		return &lineError{"COMPRESS is not sent: compression is on already (a second one gets NO [COMPRESSIONACTIVE])"}
	}
	if sh.st.KnowsCaps() && !sh.st.Has("COMPRESS=DEFLATE") {
		return &lineError{"COMPRESS is not sent: the server does not offer COMPRESS=DEFLATE (RFC 4978)"}
	}
	if n := sh.sess.InFlight(); n > 0 {
		return &lineError{fmt.Sprintf("COMPRESS is not sent: %d command(s) you stopped waiting for are still in flight; wait for them to complete (compression would start in the middle of what they receive)", n)}
	}
	return nil
}
