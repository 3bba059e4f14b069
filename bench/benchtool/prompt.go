package main

import (
	"flag"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"time"
)

// prompt runs a command in a pseudo-terminal, as a person does, and times
// it from the start to its first prompt (the first output the -prompt
// pattern matches), then ends it with Ctrl-D. It prints each run and the
// median.
func prompt(args []string) error {
	fs := flag.NewFlagSet("prompt", flag.ExitOnError)
	runs := fs.Int("runs", 5, "how many runs")
	pat := fs.String("prompt", `(\)|[0-9])> `, "what the prompt looks like (a regular expression)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on a run after this long")
	fs.Parse(args)
	if fs.NArg() == 0 {
		return fmt.Errorf("no command")
	}
	re, err := regexp.Compile(*pat)
	if err != nil {
		return err
	}
	var times []time.Duration
	for i := range *runs {
		d, err := timePrompt(fs.Args(), re, *timeout)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		fmt.Printf("prompt run %d: %.1f ms\n", i+1, float64(d.Microseconds())/1000)
		times = append(times, d)
	}
	slices.Sort(times)
	fmt.Printf("prompt median: %.1f ms\n", float64(times[len(times)/2].Microseconds())/1000)
	return nil
}

// timePrompt runs argv once in a pseudo-terminal.
func timePrompt(argv []string, re *regexp.Regexp, timeout time.Duration) (time.Duration, error) {
	master, slave, err := openPTY()
	if err != nil {
		return 0, err
	}
	defer master.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = ttyAttr()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		slave.Close()
		return 0, err
	}
	slave.Close()
	found := make(chan time.Duration, 1)
	go func() {
		var out []byte
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			out = append(out, buf[:n]...)
			if re.Match(out) {
				found <- time.Since(start)
				// Keep draining, so that the command never blocks on
				// a full terminal.
				for err == nil {
					_, err = master.Read(buf)
				}
				return
			}
			if err != nil {
				close(found)
				return
			}
		}
	}()
	var d time.Duration
	var ok bool
	select {
	case d, ok = <-found:
	case <-time.After(timeout):
	}
	if ok {
		master.Write([]byte{4}) // Ctrl-D: log out and leave
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
	if !ok {
		return 0, fmt.Errorf("no prompt matching %q within %v", re, timeout)
	}
	return d, nil
}
