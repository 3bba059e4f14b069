package repl

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/imapsh/imapsh/repl/internal/render"
	"github.com/imapsh/imapsh/repl/internal/session"
	"github.com/imapsh/imapsh/repl/internal/teach"
)

// The teaching side of the shell: help, explain and caps. Explanations
// are one more observer of the hub (teach.Explainer); the printer knows
// nothing of them.

// setupTeach adds the explainer and the capability record to the hub.
// Notes are on at an interactive --demo session, off elsewhere (explain
// on turns them on, in a script too); at the terminal a BAD answer gets a
// hint even when they are off.
func (sh *Shell) setupTeach() {
	sh.caps = teach.NewCaps()
	sh.explain = teach.NewExplainer(sh.teachNote)
	sh.explain.SetHints(sh.interactive)
	sh.hub.Add(sh.caps)
	// Behind a filter as the terminal is: a keepalive's responses are
	// explained only when they are shown.
	sh.hub.Add(render.NewQuietFilter(sh.explain))
	if sh.interactive && sh.cfg.Demo {
		sh.explain.SetOn(true)
		sh.pr.Note("explain is on: a note under each response says what it means (explain off to stop; help COMMAND for more).")
	}
}

// teachNote shows an explanation. It runs while the hub delivers an event,
// so it hands the note to the observers that show or record a session
// directly: going through the hub from there would wait for itself.
func (sh *Shell) teachNote(text string) {
	e := &session.Event{Kind: session.Note, Level: session.LevelNote, Text: text}
	sh.term.Observe(e)
	if sh.transcript != nil {
		sh.transcript.Observe(e)
	}
}

// helperList is the helper table as teach.Index lists it.
func helperList() []teach.Helper {
	out := make([]teach.Helper, 0, len(helperTable))
	for _, h := range helperTable {
		out = append(out, teach.Helper{Name: h.Name, Usage: h.Usage, Summary: h.Summary})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// helpHelper prints the index of commands and helpers, or the entry of
// one command, response, response code, FETCH item or capability.
func (sh *Shell) helpHelper(args string) error {
	topic := strings.TrimSpace(args)
	if topic == "" {
		sh.pr.Plain("%s", teach.Index(helperList()))
		return nil
	}
	if h, ok := helperNamed(topic); ok && h.TypedAs(topic) {
		text := fmt.Sprintf("%s  (an imapsh helper, not an IMAP command)\n%s", h.Usage, h.Summary)
		if len(h.RFC) > 0 {
			text += "\nIMAP it uses: " + strings.Join(h.RFC, ", ")
		}
		sh.pr.Plain("%s", text)
		return nil
	}
	text, ok := teach.Help(topic)
	if !ok {
		return &lineError{text}
	}
	sh.pr.Plain("%s", text)
	return nil
}

// explainHelper turns notes on or off, or explains the responses since
// the last command.
func (sh *Shell) explainHelper(args string) error {
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "on":
		sh.explain.SetOn(true)
		sh.pr.Note("explain is on: a note under each response says what it means.")
	case "off":
		sh.explain.SetOn(false)
		sh.pr.Note("explain is off; explain alone still explains the last command's responses.")
	case "":
		last, more := sh.explain.Last()
		if len(last) == 0 {
			sh.pr.Note("nothing to explain yet: send a command first, then type explain.")
			return nil
		}
		var b strings.Builder
		for i, x := range last {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString("S: " + x.Line + "\n   " + strings.ReplaceAll(x.Note, "\n", "\n   "))
		}
		if more > 0 {
			b.WriteString("\n... and " + strconv.Itoa(more) + " more responses, not kept")
		}
		sh.pr.Plain("%s", b.String())
	default:
		return &lineError{"explain takes on, off, or nothing (to explain the responses of the last command)"}
	}
	return nil
}

// capsHelper lists the server's capabilities by group, and what changed
// after STARTTLS and login.
func (sh *Shell) capsHelper(string) error {
	if !sh.caps.Known() {
		if _, err := sh.exec(&Command{Text: "CAPABILITY", Internal: true}); err != nil {
			return err
		}
	}
	sh.pr.Plain("%s", sh.caps.Report())
	return nil
}
