package demo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// filterConn stands between a client and go-imap's server, reading the
// client's commands as the server will, without changing them, with one
// exception: the rest of the line after an APPEND's message literal.
//
// go-imap's server (imapserver, handleAppend) stores the message and then,
// when anything but CRLF follows the literal, returns without any response
// at all: a client that counted its literal one octet short ({88} for 89
// octets, the last "!" left over as the rest of the command) waits
// forever, and the truncated message is kept. The filter reads that rest
// before it hands the literal's last octets to the server; when it cannot
// end an APPEND, the filter gives the server a CRLF in its place, and the
// session (session.Append) refuses the message with a BAD that says what
// followed the literal. Nothing is stored, and the client gets its answer,
// as from Dovecot.
//
// The filter also remembers the name of the command being read, which the
// session needs to tell CLOSE (which expunges silently, and never in a
// read-only mailbox) from EXPUNGE.
//
// Read is called by the server's connection goroutine only; Write may be
// called from others (IDLE updates), so the few fields both touch are
// locked.
type filterConn struct {
	net.Conn
	in      *bufio.Reader
	pending []byte // classified octets not yet handed to the server

	lit       int64 // literal octets still to pass
	litSize   int64 // the size its header announced
	litAppend bool  // the literal being passed is an APPEND's message
	litUTF8   bool  // ... in the UTF8 (~{N}) form of RFC 6855
	inCommand bool  // a literal was passed: the next line continues the command
	midLine   bool  // the last piece passed was part of a line too long to inspect
	cmd       string

	// utf8 reports whether the client enabled UTF8=ACCEPT or IMAP4rev2,
	// after which quoted strings may hold UTF-8 (RFC 6855, RFC 9051).
	utf8 func() bool

	mu       sync.Mutex
	awaiting bool // a synchronizing literal header was passed; the server has not answered yet
	answered bool // the server has written something since
	accepted bool // ... and it was "+": the literal follows
	refusal  string
	command  string
}

func newFilterConn(c net.Conn) *filterConn {
	return &filterConn{Conn: c, in: bufio.NewReaderSize(c, 64<<10)}
}

// maxFilterLine caps a line the filter inspects; a longer one passes
// through uninspected.
const maxFilterLine = 64 << 10

var literalHeader = regexp.MustCompile(`~?\{(\d+)(\+?)\}\r?\n$`)

func (f *filterConn) Read(p []byte) (int, error) {
	for len(f.pending) == 0 {
		if err := f.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

// next classifies the next piece of client input: a line, or a chunk of a
// literal.
func (f *filterConn) next() error {
	if f.lit > 0 {
		return f.literal()
	}
	line, err := f.in.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		// A line longer than the buffer: pass it on in pieces,
		// uninspected but for a literal announced at its very end.
		f.pending = append(f.pending, line...)
		f.midLine = true
		return nil
	}
	if err != nil {
		if len(line) > 0 {
			f.pending = append(f.pending, line...)
			return nil
		}
		return err
	}
	first := !f.inCommand && !f.midLine
	f.midLine = false
	if first {
		if why := f.eightBit(line); why != "" {
			return f.refuseLine(line, why)
		}
		f.setCommand(commandOf(line))
		f.mu.Lock()
		f.refusal = "" // a refused APPEND the server never got to (not logged in)
		f.mu.Unlock()
	}
	f.pending = append(f.pending, line...)
	m := literalHeader.FindSubmatchIndex(line)
	if m == nil {
		f.inCommand = false
		return nil
	}
	n, err := strconv.ParseInt(string(line[m[2]:m[3]]), 10, 64)
	if err != nil {
		f.inCommand = false
		return nil
	}
	// An APPEND's literals are its message, except one that stands right
	// after the command name: that is the mailbox name.
	f.litAppend = f.cmd == "APPEND" && !(first && len(bytes.Fields(line[:m[0]])) == 2)
	f.litUTF8 = bytes.HasSuffix(bytes.ToUpper(bytes.TrimRight(line[:m[0]], " ")), []byte("UTF8 ("))
	f.lit, f.litSize, f.inCommand = n, n, true
	sync := m[4] == m[5]
	f.mu.Lock()
	f.awaiting, f.answered, f.accepted = sync, false, false
	f.mu.Unlock()
	return nil
}

// literal passes the next chunk of a literal. Before a synchronizing
// literal, the server has answered its header by now: with "+", or with a
// tagged response that refuses the literal (then the client sends none).
func (f *filterConn) literal() error {
	f.mu.Lock()
	refused := f.awaiting && f.answered && !f.accepted
	f.awaiting = false
	f.mu.Unlock()
	if refused {
		f.lit, f.litAppend, f.inCommand = 0, false, false
		return nil
	}
	buf := make([]byte, min(f.lit, 32<<10))
	n, err := f.in.Read(buf)
	if n == 0 {
		return err
	}
	f.lit -= int64(n)
	f.pending = append(f.pending, buf[:n]...)
	if f.lit == 0 && f.litAppend {
		f.litAppend = false
		return f.appendRest()
	}
	return nil
}

// appendRest reads what follows an APPEND's message literal: CRLF ends
// the command (go-imap also takes one space before it), ")" and CRLF end
// the UTF8 (~{N}) form of RFC 6855. Anything else is refused: the server
// gets what it takes as the end of the command, the session a reason, and
// the rest of the client's command (with any non-synchronizing literal it
// announces) is dropped.
func (f *filterConn) appendRest() error {
	rest, err := f.in.ReadSlice('\n')
	if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
		return err
	}
	text := strings.TrimRight(string(rest), "\r\n")
	end := strings.TrimPrefix(text, ")")
	if (end == "" || end == " ") && (f.litUTF8 == (len(end) < len(text))) {
		f.pending = append(f.pending, rest...)
		f.inCommand = false
		return nil
	}
	f.mu.Lock()
	f.refusal = appendRefusal(text, f.litSize)
	f.mu.Unlock()
	if f.litUTF8 {
		f.pending = append(f.pending, ')')
	}
	f.pending = append(f.pending, "\r\n"...)
	f.inCommand = false
	return f.drop(rest)
}

// appendRefusal explains a rest of line that cannot follow a message
// literal of size octets.
func appendRefusal(rest string, size int64) string {
	shown := rest
	if len(shown) > 40 {
		shown = shown[:40] + "..."
	}
	if strings.HasPrefix(rest, " ") {
		return fmt.Sprintf("APPEND takes one message: %q after its literal would be a second one (MULTIAPPEND), which this server does not offer; nothing was stored", shown)
	}
	octets := fmt.Sprintf("those %d octets are", len(rest))
	if len(rest) == 1 {
		octets = "that octet is"
	}
	return fmt.Sprintf("only CRLF may follow the message literal, and %q came: nothing was stored (if %s the end of the message, the literal is %d short: the text needs {%d})",
		shown, octets, len(rest), size+int64(len(rest)))
}

// takeRefusal returns and forgets why the last APPEND's message is refused
// ("" when it is not).
func (f *filterConn) takeRefusal() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.refusal
	f.refusal = ""
	return r
}

func (f *filterConn) setCommand(name string) {
	f.cmd = name
	f.mu.Lock()
	f.command = name
	f.mu.Unlock()
}

// currentCommand is the name of the command the server is reading or
// running: "CLOSE", "UID EXPUNGE" ...
func (f *filterConn) currentCommand() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.command
}

// commandOf returns the upper-case name of the command on a line that
// starts one: "tag NAME ..." or "tag UID NAME ...".
func commandOf(line []byte) string {
	fields := bytes.Fields(line)
	if len(fields) < 2 {
		return ""
	}
	name := strings.ToUpper(string(fields[1]))
	if name == "UID" && len(fields) > 2 {
		name += " " + strings.ToUpper(string(fields[2]))
	}
	return name
}

func (f *filterConn) Write(p []byte) (int, error) {
	f.mu.Lock()
	if f.awaiting && !f.answered && len(p) > 0 {
		f.answered, f.accepted = true, p[0] == '+'
	}
	f.mu.Unlock()
	return f.Conn.Write(p)
}

// filterListener wraps every accepted connection in a filterConn.
type filterListener struct{ net.Listener }

func (l filterListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return newFilterConn(c), nil
}

// drop discards the rest of a command whose line is rest: each {N+}
// literal it announces and the line after it.
func (f *filterConn) drop(rest []byte) error {
	for {
		m := literalHeader.FindSubmatch(rest)
		if m == nil || len(m[2]) == 0 {
			return nil
		}
		n, _ := strconv.ParseInt(string(m[1]), 10, 64)
		if _, err := f.in.Discard(int(min(n, 1<<30))); err != nil {
			return err
		}
		var err error
		if rest, err = f.in.ReadSlice('\n'); err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}
