package repl

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/imapsh/imapsh/tagger"
	"github.com/imapsh/imapsh/wire"
)

// The tour: a guided walk through IMAP against the sandbox (--demo), in
// short steps (tour_steps.go). Each step says what it is about, shows the
// command, runs it when the learner presses Enter (or lets them type it,
// or anything else, first), and explains the server's answer from what
// the server actually sent. In a script the steps run one after the other.
// tour N starts at step N, first bringing the session to the state the
// step needs (logged in or not, a mailbox selected), with the commands
// shown.

// tourState is the tour's state in the shell.
type tourState struct {
	rec     *tourRecorder
	next    int  // the step to resume at, 0 when the tour is not under way
	running bool // the tour is running its steps now
}

// touring reports whether the tour is running its steps.
func (sh *Shell) touring() bool { return sh.lessons.tour != nil && sh.lessons.tour.running }

// tourHelper runs the tour: tour, tour N, tour list.
func (sh *Shell) tourHelper(args string) error {
	if !sh.cfg.Demo {
		return &lineError{"tour walks through the sandbox's sample mail: start imapsh --demo (or --demo --login-yourself) and type tour there"}
	}
	if sh.lessons.tour == nil {
		sh.lessons.tour = &tourState{rec: &tourRecorder{}}
		sh.hub.Add(sh.lessons.tour.rec)
	}
	t := sh.lessons.tour
	args = strings.TrimSpace(args)
	first := 1
	switch {
	case strings.EqualFold(args, "list"):
		sh.pr.Plain("%s", tourList())
		return nil
	case args == "" && t.next > 1:
		first = t.next
		sh.pr.Note("the tour goes on at step %d (tour 1 starts it over)", first)
	case args != "":
		n, err := strconv.Atoi(args)
		if err != nil || n < 1 || n > len(tourSteps) {
			return &lineError{fmt.Sprintf("tour takes a step number from 1 to %d (tour list shows them), or nothing", len(tourSteps))}
		}
		first = n
	}
	if sh.cont != nil {
		return &lineError{fmt.Sprintf("%s still waits for a line (+): finish it first (DONE for IDLE, * to cancel AUTHENTICATE)", sh.cont.Tag)}
	}
	if first == 1 {
		sh.pr.Plain("%s", tourWelcome)
	}
	t.running = true
	defer func() { t.running = false }()
	// The tour explains each answer itself; explain's notes would say it
	// twice.
	if sh.explain != nil && sh.explain.On() {
		sh.explain.SetOn(false)
		defer func() {
			sh.explain.SetOn(true)
			sh.pr.Note("explain is on again.")
		}()
	}
	for i := first; i <= len(tourSteps); i++ {
		t.next = i
		done, err := sh.tourStep(i)
		if err != nil {
			return err
		}
		if !done {
			sh.pr.Note("the tour stopped at step %d: tour %d (or tour alone) goes on from there.", i, i)
			return nil
		}
		if err := sh.closedErr(); err != nil {
			return err
		}
	}
	t.next = 0
	sh.pr.Plain("%s", tourEnd)
	return nil
}

// tourStep runs step i. done is false when the learner stopped the tour.
func (sh *Shell) tourStep(i int) (done bool, err error) {
	st := &tourSteps[i-1]
	sh.pr.Plain("\n── tour %d of %d: %s ──\n%s", i, len(tourSteps), st.title, strings.TrimSpace(st.intro))
	if err := sh.tourPrepare(st.needs); err != nil {
		return false, err
	}
	cmd := st.cmd
	if !sh.interactive && st.script != "" {
		cmd = st.script
	}
	shown := cmd
	if st.show != "" {
		shown = st.show
	}
	sh.pr.Plain("Type:  %s", strings.ReplaceAll(shown, "\n", "\n       "))
	for {
		typed := ""
		if sh.interactive {
			line, err := sh.con.ReadLine(fmt.Sprintf("tour %d/%d (Enter runs it; skip, stop)> ", i, len(tourSteps)))
			switch {
			case errors.Is(err, errInterrupt):
				return false, nil
			case errors.Is(err, io.EOF):
				return false, sh.logout()
			case err != nil:
				return false, err
			}
			typed = strings.TrimSpace(line)
			switch strings.ToLower(typed) {
			case "skip":
				return true, nil
			case "stop":
				return false, nil
			}
			if typed != "" {
				sh.remember(line)
			}
		}
		rec := sh.lessons.tour.rec
		rec.start()
		var err error
		switch {
		case typed == "" && st.run != nil:
			err = st.run(sh)
		case typed == "":
			err = sh.handle(cmd)
		default:
			err = sh.handle(typed)
		}
		if err == nil && sh.cont != nil {
			err = sh.tourContinue(st)
		}
		res := rec.stop()
		if err != nil {
			return false, err
		}
		if cerr := sh.closedErr(); cerr != nil {
			return false, cerr
		}
		if sh.st.Snapshot().Conn == LoggedOut {
			return false, nil
		}
		if typed != "" && !sameCommand(typed, cmd) && !(st.accepts != nil && st.accepts(typed)) {
			sh.pr.Note("that was not this step's command; Enter runs %s", firstLine(cmd))
			continue
		}
		if st.explain != nil {
			if text := strings.TrimSpace(st.explain(sh, res)); text != "" {
				sh.pr.Plain("%s", text)
			}
		}
		return true, nil
	}
}

// tourContinue answers the continuation request a step's command left
// waiting (AUTHENTICATE, IDLE): with the step's own answer, else with the
// lines the learner types (in a script, the line that ends the command).
func (sh *Shell) tourContinue(st *tourStep) error {
	if st.answer != nil {
		return st.answer(sh)
	}
	for sh.cont != nil {
		if !sh.interactive {
			sh.pr.Note("%s waits for a line (+): the tour sends %s", sh.cont.Tag, endLine(sh.cont))
			return sh.continueWith(endLine(sh.cont))
		}
		sh.pr.Note("%s waits for a line (+): type it (DONE ends IDLE, * cancels AUTHENTICATE)", sh.cont.Tag)
		read := sh.con.ReadLine
		if sh.contSecret {
			read = sh.con.ReadPassword
		}
		line, err := read("+ ")
		if err != nil {
			line = endLine(sh.cont)
		}
		sh.remember(line)
		if err := sh.handle(line); err != nil {
			return err
		}
	}
	return nil
}

// sameCommand reports whether typed is the command want, tag, case and
// blanks aside.
func sameCommand(typed, want string) bool {
	_, text := tagger.Split(strings.TrimSpace(typed), wire.IsCommand)
	norm := func(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }
	return norm(text) == norm(firstLine(want))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// tourNeeds is the state a step starts from.
type tourNeeds struct {
	notAuth bool   // not logged in
	auth    bool   // logged in
	mailbox string // this mailbox selected (implies auth)
}

// tourPrepare brings the session to the state a step needs, with the
// commands shown and said why.
func (sh *Shell) tourPrepare(n tourNeeds) error {
	run := func(why, cmd string) error {
		sh.pr.Note("%s: the tour sends %s first", why, cmd)
		return sh.handle(cmd)
	}
	snap := sh.st.Snapshot()
	switch {
	case n.notAuth && snap.Conn != NotAuthenticated:
		return run("this step starts before login, and you are logged in; UNAUTHENTICATE (RFC 8437, which the sandbox offers) goes back", "UNAUTHENTICATE")
	case (n.auth || n.mailbox != "") && snap.Conn == NotAuthenticated:
		if err := run("this step needs you logged in", "LOGIN "+sh.cfg.DemoUser+" "+sh.cfg.DemoPassword); err != nil {
			return err
		}
	}
	snap = sh.st.Snapshot()
	if n.mailbox != "" && (snap.Conn != Selected || snap.Mailbox != n.mailbox) {
		return run("this step works in "+n.mailbox, "SELECT "+n.mailbox)
	}
	return nil
}
