package term

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/chzyer/readline"
)

// readlineConsole is the console at a terminal: chzyer/readline over a
// keyReader.
type readlineConsole struct {
	rl      *readline.Instance
	keys    *keyReader
	raw     io.Writer   // the terminal itself
	editing atomic.Bool // a ReadLine or ReadPassword is in progress
	hist    *history
	close   sync.Once
	// blank is set while a secret is read: nothing of the line is drawn
	// and Tab completes nothing.
	blank atomic.Bool
	mask  func(line []rune) []rune // Config.Mask
}

// NewReadline returns the console for a terminal: a line editor with Tab
// completion, a history and the fixes described at keyReader. The caller
// must call Close, which gives the terminal back in its normal mode.
func NewReadline(cfg Config) (Console, error) {
	c := &readlineConsole{mask: cfg.Mask}
	width := cfg.Width
	if width == nil {
		width = readline.GetScreenWidth
	}
	rc := &readline.Config{
		InterruptPrompt:        "^C",
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
		FuncGetWidth:           widthOr80(width),
		Listener:               readline.FuncListener(c.onChange),
		Painter:                consolePainter{c},
		Stdout:                 cfg.Stdout,
		Stderr:                 cfg.Stderr,
	}
	if cfg.Completer != nil {
		query := cfg.CompletionQuery
		if query <= 0 {
			query = DefaultCompletionQuery
		}
		rc.AutoComplete = quietCompleter{c, &queryCompleter{inner: cfg.Completer, query: query, out: c.Stdout}}
	}
	if cfg.Virtual {
		rc.FuncIsTerminal = func() bool { return true }
		rc.FuncMakeRaw = func() error { return nil }
		rc.FuncExitRaw = func() error { return nil }
	}
	var in io.Reader = readline.Stdin // on Windows, console events as keys
	if cfg.Stdin != nil {
		in = cfg.Stdin
	}
	c.keys = newKeyReader(in)
	rc.Stdin = c.keys
	limit := cfg.HistoryLimit
	if limit <= 0 {
		limit = DefaultHistoryLimit
	}
	rc.HistoryLimit = limit // in memory; the file is kept by history
	rl, err := readline.NewEx(rc)
	if err != nil {
		return nil, fmt.Errorf("starting the line editor: %w", err)
	}
	c.rl = rl
	c.raw = readline.Stdout
	if cfg.Stdout != nil {
		c.raw = cfg.Stdout
	}
	if cfg.HistoryFile != "" {
		h, lines, warns, err := openHistory(cfg.HistoryFile, limit)
		for _, w := range warns {
			fmt.Fprintf(rl.Stderr(), "# warning: %s\n", w)
		}
		if err != nil {
			fmt.Fprintf(rl.Stderr(), "# warning: history disabled: %v\n", err)
		} else {
			c.hist = h
			for _, l := range lines {
				rl.SaveHistory(l)
			}
		}
	}
	return c, nil
}

// widthOr80 wraps a width source: a width of 0 or less (unknown, or a
// terminal that reports none) is taken as 80 columns.
func widthOr80(width func() int) func() int {
	return func() int {
		if w := width(); w > 0 {
			return w
		}
		return 80
	}
}

func (c *readlineConsole) ReadLine(prompt string) (string, error) {
	c.rl.SetPrompt(prompt)
	c.editing.Store(true)
	line, err := c.rl.Readline()
	c.editing.Store(false)
	return c.result(line, err)
}

// result maps the editor's answer to the console's.
func (c *readlineConsole) result(line string, err error) (string, error) {
	woken, ended := c.keys.took()
	switch {
	case ended:
		// The terminal went away: the half-typed line was never entered.
		return "", io.EOF
	case woken:
		return "", ErrWoken
	case errors.Is(err, readline.ErrInterrupt):
		return "", ErrInterrupt
	}
	return line, err
}

// ReadPassword reads through the same line editor with nothing painted, so
// neither the secret nor its length shows, and Tab completes nothing.
// (readline's own password mode swaps its configuration while its input
// goroutine still reads it: a data race.) The line is not saved in any
// history: the shell remembers only what it is given.
func (c *readlineConsole) ReadPassword(prompt string) (string, error) {
	c.blank.Store(true)
	line, err := c.ReadLine(prompt)
	c.blank.Store(false)
	// Nothing was painted, the line end included: end the prompt's line.
	c.raw.Write([]byte("\r\n"))
	return line, err
}

// consolePainter draws the line being typed: nothing while a secret is
// read, else without paste marks and with Config.Mask applied.
type consolePainter struct{ c *readlineConsole }

func (p consolePainter) Paint(line []rune, pos int) []rune {
	if p.c.blank.Load() {
		return nil
	}
	line = hideMark{}.Paint(line, pos)
	if p.c.mask != nil {
		line = p.c.mask(line)
	}
	return line
}

// quietCompleter completes nothing while a secret is being read.
type quietCompleter struct {
	c     *readlineConsole
	inner readline.AutoCompleter
}

func (q quietCompleter) Do(line []rune, pos int) ([][]rune, int) {
	if q.c.blank.Load() {
		return nil, 0
	}
	return q.inner.Do(line, pos)
}

// hideMark paints the line without a pasteMark waiting for its text.
type hideMark struct{}

func (hideMark) Paint(line []rune, _ int) []rune {
	for i, r := range line {
		if r == pasteMark {
			out := append([]rune(nil), line[:i]...)
			for _, r := range line[i+1:] {
				if r != pasteMark {
					out = append(out, r)
				}
			}
			return out
		}
	}
	return line
}

// onChange is the editor's listener: it replaces a pasteMark by the text it
// stands for, in one step.
func (c *readlineConsole) onChange(line []rune, pos int, key rune) ([]rune, int, bool) {
	if key != pasteMark {
		return nil, 0, false
	}
	text, ok := c.keys.takePaste()
	if !ok {
		return nil, 0, false
	}
	at := pos - 1
	if at < 0 || at >= len(line) || line[at] != pasteMark {
		at = -1
		for i, r := range line {
			if r == pasteMark {
				at = i
				break
			}
		}
		if at < 0 {
			return nil, 0, false
		}
	}
	out := make([]rune, 0, len(line)-1+len(text))
	out = append(out, line[:at]...)
	out = append(out, text...)
	out = append(out, line[at+1:]...)
	return out, at + len(text), true
}

func (c *readlineConsole) Remember(line string) {
	c.rl.SaveHistory(line)
	if c.hist == nil {
		return
	}
	warn, err := c.hist.add(line)
	if warn != "" {
		fmt.Fprintf(c.rl.Stderr(), "# warning: %s\n", warn)
	}
	if err != nil {
		fmt.Fprintf(c.rl.Stderr(), "# warning: history disabled: %v\n", err)
		c.hist.close()
		c.hist = nil
	}
}

// Stdout writes above the prompt, redrawing it and the half-typed line,
// while a line is being edited, and straight to the terminal otherwise (the
// line editor may still believe it is reading for a moment after a line
// is entered, and would draw a stale prompt).
func (c *readlineConsole) Stdout() io.Writer { return consoleWriter{c} }

type consoleWriter struct{ c *readlineConsole }

func (w consoleWriter) Write(p []byte) (int, error) {
	if w.c.editing.Load() {
		return w.c.rl.Stdout().Write(p)
	}
	return w.c.raw.Write(p)
}

func (c *readlineConsole) Wake() { c.keys.Wake() }

func (c *readlineConsole) SetPrompt(prompt string) {
	if !c.editing.Load() || c.blank.Load() {
		return
	}
	c.rl.SetPrompt(prompt)
	c.rl.Refresh()
}

func (c *readlineConsole) Close() error {
	c.close.Do(func() {
		if c.hist != nil {
			c.hist.close()
		}
		c.keys.Close()
		c.rl.Close()
	})
	return nil
}
