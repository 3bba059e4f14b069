package watchdog_test

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/repl/internal/watchdog"
	"github.com/imapsh/imapsh/wire"
)

// feed plays a recorded session into w as the engine would report it.
// Script lines:
//
//	C: a1 SELECT INBOX   imapsh sends a command line (tag first)
//	C(a1) DONE           imapsh sends a later line of command a1
//	L(a1) 5              imapsh sends a 5-octet literal for a1
//	S: * 3 EXISTS        the server sends a line ending in CRLF; "\r\n"
//	                     inside it frames literals as on the wire
//	S| * 3 EXISTS        the same line ending in a bare LF
//	X                    the connection closes
//
// After each server response's End it records "end <first line>", and the
// sink records "<rule>" (or "note:<rule>") for each finding, so a test
// can see when a finding came.
func feed(t *testing.T, w *watchdog.Watchdog, log *[]string, script []string) {
	t.Helper()
	var server bytes.Buffer
	flush := func() {
		if server.Len() == 0 {
			return
		}
		r := wire.NewReader(bytes.NewReader(server.Bytes()))
		for {
			if err := respond(w, r, log); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				t.Fatalf("framing the server lines: %v", err)
			}
		}
		server.Reset()
	}
	for _, line := range script {
		switch {
		case strings.HasPrefix(line, "S: "):
			server.WriteString(line[3:] + "\r\n")
			continue
		case strings.HasPrefix(line, "S| "):
			server.WriteString(line[3:] + "\n")
			continue
		}
		flush()
		switch {
		case strings.HasPrefix(line, "C: "):
			text := line[3:]
			tag, _, _ := strings.Cut(text, " ")
			w.Observe(&session.Event{Kind: session.Sent, Tag: tag, Line: text, Secrets: session.SecretSpans(text)})
		case strings.HasPrefix(line, "C("):
			tag, text, _ := strings.Cut(line[2:], ") ")
			w.Observe(&session.Event{Kind: session.Sent, Tag: tag, Line: text})
		case strings.HasPrefix(line, "L("):
			tag, size, _ := strings.Cut(line[2:], ") ")
			n, _ := strconv.Atoi(size)
			w.Observe(&session.Event{Kind: session.SentLiteral, Tag: tag, Size: int64(n)})
			w.Observe(&session.Event{Kind: session.SentData, Tag: tag, Data: bytes.Repeat([]byte("x"), n)})
		case line == "X":
			w.Observe(&session.Event{Kind: session.Closed})
		default:
			t.Fatalf("bad script line %q", line)
		}
	}
	flush()
}

// respond frames one response the way the engine does and reports it.
func respond(w *watchdog.Watchdog, r *wire.Reader, log *[]string) error {
	f, err := r.ReadFragment()
	if err != nil {
		return err
	}
	h := wire.ParseHead(f.Text)
	first := string(f.Text)
	w.Observe(&session.Event{Kind: session.Begin, Head: &h})
	var raw []byte
	var sizes []int64
	for {
		w.Observe(&session.Event{Kind: session.Text, Data: f.Text, BareLF: f.BareLF})
		raw = append(raw, f.Text...)
		if f.Literal < 0 {
			break
		}
		raw = append(raw, "\r\n"...)
		w.Observe(&session.Event{Kind: session.Text, Data: []byte("\r\n")})
		w.Observe(&session.Event{Kind: session.Literal, Head: &h, Size: f.Literal})
		lit, err := io.ReadAll(r.Literal())
		if err != nil {
			return err
		}
		w.Observe(&session.Event{Kind: session.LiteralData, Data: lit})
		w.Observe(&session.Event{Kind: session.LiteralEnd, Size: int64(len(lit))})
		raw = append(raw, lit...)
		sizes = append(sizes, f.Literal)
		if f, err = r.ReadFragment(); err != nil {
			return err
		}
	}
	*log = append(*log, "end "+first)
	w.Observe(&session.Event{Kind: session.End, Resp: &session.Response{Head: h, Raw: raw, Sizes: sizes}})
	return nil
}

// run feeds script to a new Watchdog and returns the rules it reported,
// notes as "note:<rule>", in order.
func run(t *testing.T, script []string) ([]string, *watchdog.Watchdog) {
	t.Helper()
	var log, rules []string
	w := watchdog.New(func(f watchdog.Finding) {
		r := f.Rule
		if f.Note {
			r = "note:" + r
		}
		rules = append(rules, r)
		log = append(log, "finding "+r)
	})
	feed(t, w, &log, script)
	return rules, w
}
