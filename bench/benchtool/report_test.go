package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// timeV writes what /usr/bin/time -v writes, with the numbers given.
func timeV(t *testing.T, dir string, n int, user, sys float64, rssKB int) string {
	t.Helper()
	p := filepath.Join(dir, fmt.Sprintf("time.%d", n))
	body := fmt.Sprintf("\tCommand being timed: \"x\"\n\tUser time (seconds): %.2f\n\tSystem time (seconds): %.2f\n\tPercent of CPU this job got: 50%%\n\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:01.00\n\tMaximum resident set size (kbytes): %d\n\tExit status: 0\n", user, sys, rssKB)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReport(t *testing.T) {
	dir := t.TempDir()
	var res strings.Builder
	add := func(test, client string, wall float64, bytes int64, user, sys float64, rss int) {
		fmt.Fprintf(&res, "%s\t%s\t%.3f\t%d\t%s\n", test, client, wall, bytes, timeV(t, dir, strings.Count(res.String(), "\n"), user, sys, rss))
	}
	const gb = 1_000_000_000
	// imapsh: walls 10, 12, 11 -> median 11; s_client 12, 13, 14 -> 13.
	for i, w := range []float64{10, 12, 11} {
		add("tls-1g", "imapsh", w, gb, 3, 1+float64(i), 14000+i*1000)
	}
	for _, w := range []float64{12, 13, 14} {
		add("tls-1g", "s_client", w, gb, 4, 2, 7000)
	}
	add("plain-1g", "imapsh", 4, gb, 1, 1, 12000)
	add("plain-1g", "nc", 3, gb, 0, 1, 2000)
	add("lines", "imapsh --color always", 1.1, 5e6, 1, 0, 15000)
	add("lines", "imapsh --color never", 1.0, 5e6, 1, 0, 40000)
	path := filepath.Join(dir, "results")
	os.WriteFile(path, []byte(res.String()), 0o600)
	var out bytes.Buffer
	if err := report([]string{path}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"tls-1g      imapsh                     3     11.00      90.9       5.00         5.00   15.6 MiB",
		"tls-1g      s_client                   3     13.00      76.9       6.00",
		"tls-1g: imapsh MB/s / s_client MB/s                    1.182   target >= 1.0   MET",
		"tls-1g: imapsh CPU / s_client CPU                      0.833   target <= 1.0   MET",
		// rounds: 12/10, 13/12, 14/11 -> 1.2, 1.083, 1.273: median 1.2
		"tls-1g:   paired, round by round                       1.200   (the same ratio run by run, its median)",
		"plain-1g: imapsh MB/s / nc MB/s                        0.750   target >= 0.9   NOT MET",
		"imapsh peak RSS over every run (MiB)                  39.062   target < 32     NOT MET",
		"100,000 FETCH lines: wall with color / without         1.100   target < 1.2    MET",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}

func TestReadTimeRefusesOtherFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x")
	os.WriteFile(p, []byte("real 0m1.0s\n"), 0o600)
	if err := readTime(p, &run{}); err == nil {
		t.Error("a file without /usr/bin/time -v's fields was read")
	}
}
