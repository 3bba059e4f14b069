package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chzyer/readline"
	"golang.org/x/term"
)

// errInterrupt is returned by ReadLine when the user pressed Ctrl-C: the
// line being typed is discarded.
var errInterrupt = errors.New("interrupted")

// errWoken is returned by ReadLine and ReadPassword after Wake: the
// connection ended, or an IDLE ended on its own, while the user was
// typing. The console stays usable.
var errWoken = errors.New("woken")

// console is where lines come from and output goes: readline at a
// terminal, plain lines from a pipe in script mode. The shell does not care
// which.
type console interface {
	// ReadLine reads one line without its line end. It returns io.EOF at
	// the end of input (Ctrl-D on an empty line) and errInterrupt on Ctrl-C.
	ReadLine(prompt string) (string, error)
	// ReadPassword reads a secret without echo.
	ReadPassword(prompt string) (string, error)
	// Remember adds a line, already redacted, to the history.
	Remember(line string)
	// Stdout is where all output goes; at a terminal writes to it redraw
	// the prompt and the half-typed line.
	Stdout() io.Writer
	// Wake makes the ReadLine or ReadPassword in progress, or the next one
	// if none is, return errWoken; the half-typed line is dropped and the
	// console stays usable. It is called when the connection ends. It is
	// safe for concurrent use.
	Wake()
	Close() error
}

func newConsole(sh *Shell) (console, error) {
	if !sh.interactive {
		return &plainConsole{in: bufio.NewReaderSize(sh.cfg.Stdin, 64<<10), out: sh.cfg.Stdout}, nil
	}
	return newReadlineConsole(sh)
}

// plainConsole reads lines from a pipe or file (script mode): no prompt, no
// history, no echo of input.
type plainConsole struct {
	in  *bufio.Reader
	out io.Writer
}

func (c *plainConsole) ReadLine(string) (string, error) {
	line, err := c.in.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil
	}
	if err != nil {
		return "", err
	}
	line = strings.TrimSuffix(line, "\n")
	return strings.TrimSuffix(line, "\r"), nil
}

// ReadPassword asks at the controlling terminal, since stdin is the script.
func (c *plainConsole) ReadPassword(prompt string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", errNoPassword
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	return string(b), nil
}

func (c *plainConsole) Remember(string)   {}
func (c *plainConsole) Wake()             {}
func (c *plainConsole) Stdout() io.Writer { return c.out }
func (c *plainConsole) Close() error      { return nil }

// readlineConsole is the interactive console.
type readlineConsole struct {
	rl      *readline.Instance
	raw     io.Writer   // the terminal itself
	editing atomic.Bool // a ReadLine is in progress
	wake    *wakeReader
	hist    *history
	close   sync.Once
	painter *secretPainter // hides secrets as they are typed (mask.go)
}

func newReadlineConsole(sh *Shell) (*readlineConsole, error) {
	painter := &secretPainter{}
	cfg := &readline.Config{
		AutoComplete:           quietCompleter{&completer{sh: sh}, painter},
		InterruptPrompt:        "^C",
		EOFPrompt:              "",
		HistoryLimit:           5000,
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
		FuncGetWidth:           readline.GetScreenWidth,
		Painter:                painter,
	}
	if sh.cfg.readlineIO != nil {
		sh.cfg.readlineIO(cfg)
	}
	cfg.FuncGetWidth = widthOr80(cfg.FuncGetWidth)
	var in io.Reader = os.Stdin
	if cfg.Stdin != nil {
		in = cfg.Stdin
	}
	wake := newWakeReader(in)
	cfg.Stdin = wake
	rl, err := readline.NewEx(cfg)
	if err != nil {
		return nil, fmt.Errorf("starting the line editor: %w", err)
	}
	var raw io.Writer = os.Stdout
	if cfg.Stdout != nil {
		raw = cfg.Stdout
	}
	c := &readlineConsole{rl: rl, wake: wake, raw: raw, painter: painter}
	path := sh.cfg.HistoryFile
	if path == "" {
		path = historyPath(sh.cfg.Getenv)
	}
	if path != "-" {
		h, lines, err := openHistory(path)
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

// result maps the line editor's answer to the console's.
func (c *readlineConsole) result(line string, err error) (string, error) {
	if c.wake.ended() {
		// The terminal went away: the line editor hands over the
		// half-typed line, which was never entered.
		return "", io.EOF
	}
	if c.wake.tookWake() {
		return "", errWoken
	}
	if errors.Is(err, readline.ErrInterrupt) {
		return "", errInterrupt
	}
	return line, err
}

// ReadPassword reads through the same line editor with nothing painted, so
// neither the secret nor its length shows. (readline's own password mode
// swaps its configuration while its input goroutine still reads it: a
// data race, and the password went through its history code.) The line is
// not saved in any history: the shell remembers only what it is given.
func (c *readlineConsole) ReadPassword(prompt string) (string, error) {
	c.painter.blank.Store(true)
	defer c.painter.blank.Store(false)
	return c.ReadLine(prompt)
}

func (c *readlineConsole) Remember(line string) {
	c.rl.SaveHistory(line)
	if c.hist != nil {
		c.hist.add(line)
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

// Wake ends the read in progress (or the next one) with errWoken.
func (c *readlineConsole) Wake() { c.wake.Wake() }

func (c *readlineConsole) Close() error {
	c.close.Do(func() {
		if c.hist != nil {
			c.hist.close()
		}
		c.rl.Close()
	})
	return nil
}

// wakeReader passes the terminal's input through a goroutine so that Close
// can end a Read in progress: the line editor then sees end of file. (A
// blocked read of the terminal itself cannot be interrupted.) Wake hands
// the line editor Ctrl-G Ctrl-C instead of what was typed, which ends the
// read in progress (leaving a completion list or a history search first)
// and leaves the editor usable; tookWake then reports it.
type wakeReader struct {
	in    io.Reader
	start sync.Once
	data  chan []byte
	done  chan struct{}
	stop  sync.Once
	rest  []byte
	kick  chan struct{} // a wake waiting to be handed to the editor
	woken atomic.Bool   // the wake keys were handed to the editor
}

// wakeKeys end a read of the line editor: Ctrl-G leaves a completion list
// or a history search, Ctrl-C drops the line.
var wakeKeys = []byte{0x07, 0x03}

func newWakeReader(in io.Reader) *wakeReader {
	return &wakeReader{in: in, data: make(chan []byte), done: make(chan struct{}), kick: make(chan struct{}, 1)}
}

// Wake ends the editor's read in progress, or its next one.
func (w *wakeReader) Wake() {
	select {
	case w.kick <- struct{}{}:
	default: // one is pending already
	}
}

// tookWake reports (once) that the last read was ended by Wake.
func (w *wakeReader) tookWake() bool { return w.woken.Swap(false) }

func (w *wakeReader) pump() {
	for {
		buf := make([]byte, 1024)
		n, err := w.in.Read(buf)
		if n > 0 {
			select {
			case w.data <- buf[:n]:
			case <-w.done:
				return
			}
		}
		if err != nil {
			w.Close()
			return
		}
	}
}

func (w *wakeReader) Read(p []byte) (int, error) {
	w.start.Do(func() { go w.pump() })
	if len(w.rest) == 0 {
		select {
		case w.rest = <-w.data:
		case <-w.kick:
			w.woken.Store(true)
			w.rest = wakeKeys
		case <-w.done:
			return 0, io.EOF
		}
	}
	n := copy(p, w.rest)
	w.rest = w.rest[n:]
	return n, nil
}

// ended reports whether the input has ended or Close was called.
func (w *wakeReader) ended() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// Close makes pending and later Reads return io.EOF.
func (w *wakeReader) Close() error {
	w.stop.Do(func() { close(w.done) })
	return nil
}
