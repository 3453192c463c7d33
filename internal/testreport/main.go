// Command testreport reads the output of `go test -json` on standard input,
// prints what a plain `go test` would print (each package's ok or FAIL line,
// and the output of failing tests only), and appends per-package counts and
// the stress suites' operation counts to a summary file for the table that
// `make verify` and .ci/run end with.
//
//	go test -race -json ./... | go run ./internal/testreport -summary FILE
//
// Summary lines are tab-separated:
//
//	gotest PACKAGE RUN PASSED FAILED SKIPPED SUBTESTS SECONDS ok|FAIL|SKIP
//	stress PACKAGE TEST OPS OPS_PER_SECOND
//
// RUN, PASSED, FAILED and SKIPPED count top-level tests, examples and fuzz
// targets; SUBTESTS counts the subtests run beneath them. A STRESS line is
// the one the stress harness logs per run ("STRESS TestX gomaxprocs=2 ...
// ops=N ... ops/s=R ..."). The exit status is 1 when a test or package
// failed or the input held no test event, else 0.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action     string
	Package    string
	Test       string
	Elapsed    float64
	Output     string
	ImportPath string // build-output and build-fail events
}

type pkgStats struct {
	run, passed, failed, skipped, subtests int
	elapsed                                float64
	result                                 string // ok, FAIL, SKIP (no test files), or "" while running
	// out holds each running test's output until it ends; a failing test's
	// output is printed, a passing one's dropped, as plain `go test` does.
	out map[string][]string
}

type stressRun struct {
	pkg, test, ops, rate string
}

var stressLine = regexp.MustCompile(`STRESS (\S+) gomaxprocs=\d+ seed=-?\d+ ops=(\d+) elapsed=\S+ ops/s=(\d+)`)

type report struct {
	w      io.Writer
	pkgs   map[string]*pkgStats
	order  []string
	stress []stressRun
	events int
	failed bool
}

func newReport(w io.Writer) *report {
	return &report{w: w, pkgs: map[string]*pkgStats{}}
}

func (r *report) pkg(name string) *pkgStats {
	p := r.pkgs[name]
	if p == nil {
		p = &pkgStats{out: map[string][]string{}}
		r.pkgs[name] = p
		r.order = append(r.order, name)
	}
	return p
}

// top is the top-level test a (sub)test name belongs to.
func top(test string) string {
	name, _, _ := strings.Cut(test, "/")
	return name
}

// line handles one line of go test -json output.
func (r *report) line(raw []byte) {
	var e event
	if err := json.Unmarshal(raw, &e); err != nil || e.Action == "" {
		// Not a test2json event (go test prints some errors as plain text).
		fmt.Fprintln(r.w, string(raw))
		return
	}
	r.events++
	switch e.Action {
	case "build-output":
		fmt.Fprint(r.w, e.Output)
		return
	case "build-fail":
		r.failed = true
		return
	}
	p := r.pkg(e.Package)
	if e.Test == "" {
		r.pkgEvent(p, e)
	} else {
		r.testEvent(p, e)
	}
}

// pkgEvent handles an event of package p outside any test: its output and
// its result.
func (r *report) pkgEvent(p *pkgStats, e event) {
	switch e.Action {
	case "output":
		// The test binary's bare PASS line is not shown by plain go test.
		if strings.TrimSpace(e.Output) != "PASS" {
			fmt.Fprint(r.w, e.Output)
		}
	case "pass":
		p.result, p.elapsed = "ok", e.Elapsed
	case "fail":
		p.result, p.elapsed = "FAIL", e.Elapsed
		r.failed = true
	case "skip":
		p.result, p.elapsed = "SKIP", e.Elapsed
	}
}

// testEvent handles an event of a test or subtest of package p: it holds
// the output per top-level test, counts tests and subtests, and prints a
// top-level test's output when it fails.
func (r *report) testEvent(p *pkgStats, e event) {
	t := top(e.Test)
	sub := t != e.Test
	switch e.Action {
	case "output":
		if m := stressLine.FindStringSubmatch(e.Output); m != nil {
			r.stress = append(r.stress, stressRun{e.Package, m[1], m[2], m[3]})
		}
		if !strings.HasPrefix(e.Output, "=== ") {
			p.out[t] = append(p.out[t], e.Output)
		}
	case "run":
		if sub {
			p.subtests++
		} else {
			p.run++
		}
	case "pass", "skip", "fail":
		if !sub {
			r.testEnd(p, t, e.Action)
		}
	}
}

// testEnd counts the end of top-level test t of package p with action
// pass, skip or fail, prints the test's output if it failed, and drops it.
func (r *report) testEnd(p *pkgStats, t, action string) {
	switch action {
	case "pass":
		p.passed++
	case "skip":
		p.skipped++
	case "fail":
		p.failed++
		r.failed = true
		for _, l := range p.out[t] {
			fmt.Fprint(r.w, l)
		}
	}
	delete(p.out, t)
}

// finish prints the output of tests that never ended (a panic or timeout
// ends the binary mid-test) and writes the summary lines.
func (r *report) finish(summary io.Writer) {
	for _, name := range r.order {
		p := r.pkgs[name]
		if len(p.out) == 0 {
			continue
		}
		tests := make([]string, 0, len(p.out))
		for t := range p.out {
			tests = append(tests, t)
		}
		sort.Strings(tests)
		for _, t := range tests {
			if p.result == "FAIL" || p.result == "" {
				for _, l := range p.out[t] {
					fmt.Fprint(r.w, l)
				}
			}
		}
	}
	if summary == nil {
		return
	}
	for _, name := range r.order {
		p := r.pkgs[name]
		result := p.result
		if result == "" {
			result = "FAIL" // the package never reported an end
			r.failed = true
		}
		fmt.Fprintf(summary, "gotest\t%s\t%d\t%d\t%d\t%d\t%d\t%.1f\t%s\n",
			name, p.run, p.passed, p.failed, p.skipped, p.subtests, p.elapsed, result)
	}
	for _, s := range r.stress {
		fmt.Fprintf(summary, "stress\t%s\t%s\t%s\t%s\n", s.pkg, s.test, s.ops, s.rate)
	}
}

func run(in io.Reader, out io.Writer, summary io.Writer) int {
	r := newReport(out)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		r.line(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(out, "testreport: reading go test -json:", err)
		r.failed = true
	}
	r.finish(summary)
	if r.events == 0 {
		fmt.Fprintln(out, "testreport: no test events on standard input")
		return 1
	}
	if r.failed {
		return 1
	}
	return 0
}

func main() {
	path := flag.String("summary", "", "append summary lines to this file")
	flag.Parse()
	var summary io.Writer
	if *path != "" {
		f, err := os.OpenFile(*path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testreport:", err)
			os.Exit(2)
		}
		summary = f
	}
	code := run(os.Stdin, os.Stdout, summary)
	if f, ok := summary.(*os.File); ok {
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "testreport:", err)
			code = 2
		}
	}
	os.Exit(code)
}
