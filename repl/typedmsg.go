package repl

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// An APPEND's message typed by hand ({N} at the end of the line) is read
// before the command is sent, so that its count can be checked against
// what follows it. The atmail tutorial's hand-counted {88} for 89 octets
// is the lesson: the last "!" is left over, and since after a message only
// CRLF (or, with MULTIAPPEND, another message) may follow, the server
// would answer BAD, or store the truncated message and hang. imapsh says
// "your literal is 1 octet short: the text needs {89}" before anything is
// sent; at the terminal it offers to send it with the corrected count, in
// a script it refuses the line.
//
// Reading first is what keeps the protocol in step: once "{88}" has gone
// out, the server will take exactly 88 octets, and nothing imapsh does
// afterwards can change that.

// preRead is a typed message read before its command was sent.
type preRead struct {
	data []byte
	rest string // the rest of the command after the literal
}

// preReadMessage reads the typed message of an APPEND (or REPLACE) plan
// and checks what follows its count. done is true when nothing is to be
// sent (the user dropped it); the error refuses the line.
func (sh *Shell) preReadMessage(p *plan) (done bool, err error) {
	sh.lessons.pre = nil
	if p.typed == nil || !isMessageCommand(p.name) || len(p.lits) > 0 {
		return false, nil
	}
	n := p.typed.n
	if sh.interactive {
		sh.pr.Note("type the message, %d octets (each line counts its CRLF); imapsh reads it before sending %s, to check its count", n, p.name)
	}
	// A block pasted with its indentation (two blanks or more: one is more
	// likely a slip of the finger) loses it in the message's lines too.
	indent := sh.lessons.indent
	if len(indent) < 2 {
		indent = ""
	}
	inner := sh.con
	sh.con = &pastedLiteral{console: inner, sh: sh, indent: indent}
	data, rest, err := sh.readTyped(n, false)
	sh.con = inner
	if err != nil {
		return true, &lineError{fmt.Sprintf("%v: nothing was sent", err)}
	}
	if why, ok := messageRest(rest); !ok {
		short := int64(len(rest))
		need := n + short
		octets := "octets"
		if short == 1 {
			octets = "octet"
		}
		msg := fmt.Sprintf("your literal is %d %s short: the text needs {%d}", short, octets, need)
		detail := fmt.Sprintf("{%d} ends before %q, which is left over as the rest of the command, and %s", n, shorten(rest), why)
		if !sh.interactive {
			return true, &lineError{msg + ". " + detail + ": nothing was sent"}
		}
		sh.pr.Warn("%s. %s.", msg, detail)
		answer, err := sh.con.ReadLine(fmt.Sprintf("send it as {%d}? type y to send, Enter to drop it: ", need))
		if err != nil || !strings.EqualFold(strings.TrimSpace(answer), "y") && !strings.EqualFold(strings.TrimSpace(answer), "yes") {
			sh.pr.Note("nothing was sent")
			return true, nil
		}
		p.typed.n = need
		data, rest = append(data, rest...), ""
		if err := sh.checkAppendLimit("the typed message", need); err != nil {
			return true, err
		}
	}
	sh.lessons.pre = &preRead{data: data, rest: rest}
	return false, nil
}

// messageRest checks what follows a message literal: nothing (CRLF ends
// the command) or another message (MULTIAPPEND, RFC 3502: a blank, then
// its flags, date and literal).
func messageRest(rest string) (why string, ok bool) {
	if rest == "" {
		return "", true
	}
	if _, more := typedHeader(rest); more && strings.HasPrefix(rest, " ") {
		return "", true
	}
	return "after a message only CRLF (or another message) may follow", false
}

// shorten cuts s to about 40 octets, at a character boundary.
func shorten(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// readTypedOrPre returns the octets of a typed literal: the message read
// before its command was sent, or the lines typed now.
func (sh *Shell) readTypedOrPre(n int64, secret bool) ([]byte, string, error) {
	if pr := sh.takePreRead(); pr != nil {
		return pr.data, pr.rest, nil
	}
	return sh.readTyped(n, secret)
}

// takePreRead returns the message read before its command was sent, once.
func (sh *Shell) takePreRead() *preRead {
	pr := sh.lessons.pre
	sh.lessons.pre = nil
	return pr
}

// pastedLiteral reads the lines of a typed message: a line pasted with the
// command's own indentation loses it, and a continuation request pasted
// with the command ("+ OK", "+ Ready for literal data") before the first
// line is skipped with a note.
type pastedLiteral struct {
	console
	sh     *Shell
	indent string
	begun  bool
}

func (c *pastedLiteral) ReadLine(prompt string) (string, error) {
	for {
		line, err := c.console.ReadLine(prompt)
		if err != nil {
			return line, err
		}
		if !c.begun {
			t, _ := cutPrefix(strings.TrimSpace(line), serverPrefixes)
			if strings.HasPrefix(t, "+ ") || t == "+" {
				c.sh.pr.Note("skipped a pasted server line (never sent): %s", shorten(t))
				continue
			}
		}
		c.begun = true
		if c.indent != "" {
			line = strings.TrimPrefix(line, c.indent)
		}
		return line, nil
	}
}
