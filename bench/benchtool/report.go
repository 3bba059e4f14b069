package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// run is one measured run of a client, from bench/run's results file: a
// line "TEST CLIENT WALL_SECONDS BYTES TIMEFILE" (tab-separated), where
// TIMEFILE is what /usr/bin/time -v wrote.
type run struct {
	test, client string
	wall         float64 // seconds
	cpu          float64 // user + system seconds
	rssKB        int64
	bytes        int64
}

// report prints the medians of each test and client, the ratios the
// benchmark is about and whether they meet the targets.
func report(args []string, out io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: benchtool report RESULTS")
	}
	runs, err := readRuns(args[0])
	if err != nil {
		return err
	}
	st := summarize(runs)
	var tests []string
	for _, r := range runs {
		if !slices.Contains(tests, r.test) {
			tests = append(tests, r.test)
		}
	}
	fmt.Fprintf(out, "%-11s %-22s %5s %9s %9s %10s %12s %9s\n", "test", "client", "runs", "wall s", "MB/s", "CPU s", "CPU s/GB", "peak RSS")
	for _, t := range tests {
		for _, c := range st.clients(t) {
			m := st[key{t, c}]
			fmt.Fprintf(out, "%-11s %-22s %5d %9.2f %9.1f %10.2f %12.2f %6.1f MiB\n",
				t, c, m.n, m.wall, m.mbps(), m.cpu, m.cpuPerGB(), float64(m.maxRSS)/1024)
		}
	}
	fmt.Fprintln(out, "\n(medians of the runs; MB/s = octets the server sent / wall time; CPU = the client's user+sys; peak RSS = the largest of the runs)")
	fmt.Fprintln(out, "\nratios and targets:")
	check := func(what string, v float64, ok bool, target string) {
		verdict := "MET"
		if !ok {
			verdict = "NOT MET"
		}
		fmt.Fprintf(out, "  %-52s %7.3f   target %-8s %s\n", what, v, target, verdict)
	}
	// paired is the median, over the rounds, of a's MB/s over b's in
	// test t: the k-th runs of the two, made one after the other, shared
	// the machine's load of the moment, so the figure moves less with
	// load that comes and goes than the ratio of the medians does.
	paired := func(t, a, b string) (float64, bool) {
		var wa, wb []float64
		for _, r := range runs {
			switch {
			case r.test == t && r.client == a:
				wa = append(wa, r.wall)
			case r.test == t && r.client == b:
				wb = append(wb, r.wall)
			}
		}
		var ratios []float64
		for k := range min(len(wa), len(wb)) {
			ratios = append(ratios, wb[k]/wa[k])
		}
		if len(ratios) == 0 {
			return 0, false
		}
		return median(ratios), true
	}
	pairedLine := func(what, t, a, b string) {
		if v, ok := paired(t, a, b); ok {
			fmt.Fprintf(out, "  %-52s %7.3f   (the same ratio run by run, its median)\n", what, v)
		}
	}
	info := func(what string, v float64) {
		fmt.Fprintf(out, "  %-52s %7.3f   (no target)\n", what, v)
	}
	for _, t := range []string{"tls-1g", "tls-200m"} {
		im, sc := st[key{t, "imapsh"}], st[key{t, "s_client"}]
		if im.n > 0 && sc.n > 0 {
			check(t+": imapsh MB/s / s_client MB/s", im.mbps()/sc.mbps(), im.mbps() >= sc.mbps(), ">= 1.0")
			pairedLine(t+":   paired, round by round", t, "imapsh", "s_client")
			check(t+": imapsh CPU / s_client CPU", im.cpu/sc.cpu, im.cpu <= sc.cpu, "<= 1.0")
		}
	}
	for _, t := range []string{"plain-1g", "plain-200m"} {
		im, nc := st[key{t, "imapsh"}], st[key{t, "nc"}]
		if im.n > 0 && nc.n > 0 {
			check(t+": imapsh MB/s / nc MB/s", im.mbps()/nc.mbps(), im.mbps() >= 0.9*nc.mbps(), ">= 0.9")
			pairedLine(t+":   paired, round by round", t, "imapsh", "nc")
		}
		if gc := st[key{t, "go-copy"}]; gc.n > 0 && nc.n > 0 && im.n > 0 {
			info(t+": go-copy MB/s / nc MB/s (Go's floor)", gc.mbps()/nc.mbps())
			info(t+": imapsh MB/s / go-copy MB/s", im.mbps()/gc.mbps())
		}
	}
	var rss int64
	for k, m := range st {
		if k.client == "imapsh" || strings.HasPrefix(k.client, "imapsh ") {
			rss = max(rss, m.maxRSS)
		}
	}
	if rss > 0 {
		check("imapsh peak RSS over every run (MiB)", float64(rss)/1024, rss < 32<<10, "< 32")
	}
	col, plain := st[key{"lines", "imapsh --color always"}], st[key{"lines", "imapsh --color never"}]
	if col.n > 0 && plain.n > 0 {
		check("100,000 FETCH lines: wall with color / without", col.wall/plain.wall, col.wall < 1.2*plain.wall, "< 1.2")
		check("100,000 FETCH lines: CPU with color / without", col.cpu/plain.cpu, col.cpu < 1.2*plain.cpu, "< 1.2")
	}
	return nil
}

type key struct{ test, client string }

// medians is the summary of the runs of one client in one test.
type medians struct {
	n             int
	wall, cpu     float64
	bytes, maxRSS int64
}

func (m medians) mbps() float64     { return float64(m.bytes) / m.wall / 1e6 }
func (m medians) cpuPerGB() float64 { return m.cpu / (float64(m.bytes) / 1e9) }

type stats map[key]medians

func summarize(runs []run) stats {
	by := map[key][]run{}
	for _, r := range runs {
		k := key{r.test, r.client}
		by[k] = append(by[k], r)
	}
	st := stats{}
	for k, rs := range by {
		m := medians{n: len(rs), bytes: rs[0].bytes}
		var walls, cpus []float64
		for _, r := range rs {
			walls, cpus = append(walls, r.wall), append(cpus, r.cpu)
			m.maxRSS = max(m.maxRSS, r.rssKB)
		}
		m.wall, m.cpu = median(walls), median(cpus)
		st[k] = m
	}
	return st
}

// clients lists the clients of test t: imapsh first.
func (st stats) clients(t string) []string {
	var cs []string
	for k := range st {
		if k.test == t {
			cs = append(cs, k.client)
		}
	}
	slices.SortFunc(cs, func(a, b string) int {
		if ia, ib := strings.HasPrefix(a, "imapsh"), strings.HasPrefix(b, "imapsh"); ia != ib {
			if ia {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return cs
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func readRuns(path string) ([]run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var runs []run
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 5 {
			return nil, fmt.Errorf("%s: bad line %q", path, sc.Text())
		}
		r := run{test: fields[0], client: fields[1]}
		var err error
		if r.wall, err = strconv.ParseFloat(fields[2], 64); err != nil {
			return nil, err
		}
		if r.bytes, err = strconv.ParseInt(fields[3], 10, 64); err != nil {
			return nil, err
		}
		if err := readTime(fields[4], &r); err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, sc.Err()
}

// readTime reads the CPU times and the peak RSS from /usr/bin/time -v.
func readTime(path string, r *run) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	found := 0
	for _, l := range strings.Split(string(b), "\n") {
		name, val, ok := strings.Cut(strings.TrimSpace(l), ": ")
		if !ok {
			continue
		}
		switch name {
		case "User time (seconds)", "System time (seconds)":
			v, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return fmt.Errorf("%s: %q: %v", path, l, err)
			}
			r.cpu += v
			found++
		case "Maximum resident set size (kbytes)":
			v, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return fmt.Errorf("%s: %q: %v", path, l, err)
			}
			r.rssKB = v
			found++
		}
	}
	if found != 3 {
		return fmt.Errorf("%s: not the output of /usr/bin/time -v", path)
	}
	return nil
}
