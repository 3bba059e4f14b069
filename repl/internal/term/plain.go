package term

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	xterm "golang.org/x/term"
)

// plainConsole reads lines from a pipe or a file (script mode): no prompt,
// no history, no echo of input.
type plainConsole struct {
	in  *bufio.Reader
	out io.Writer
}

// NewPlain returns the console for script mode: lines from in (LF or CRLF
// ends), output to out, no prompt, no history. Passwords are asked for at
// the controlling terminal, if there is one.
func NewPlain(in io.Reader, out io.Writer) Console {
	return &plainConsole{in: bufio.NewReaderSize(in, 64<<10), out: out}
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
	in, out, err := openTTY()
	if err != nil {
		return "", ErrNoTerminal
	}
	defer in.Close()
	if out != in {
		defer out.Close()
	}
	fmt.Fprint(out, prompt)
	b, err := xterm.ReadPassword(int(in.Fd()))
	fmt.Fprint(out, "\r\n")
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	return string(b), nil
}

func (c *plainConsole) Remember(string)   {}
func (c *plainConsole) Wake()             {}
func (c *plainConsole) SetPrompt(string)  {}
func (c *plainConsole) Stdout() io.Writer { return c.out }
func (c *plainConsole) Close() error      { return nil }
