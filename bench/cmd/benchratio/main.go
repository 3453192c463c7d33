// Command benchratio reads `go test -bench` output of the bench package and
// prints, per scenario, the median of each implementation, the ratios
// eventspec/floor and eventspec/geth, allocs/op, and the targets of
// bench/README.md checked as PASS or MISS. The SendContended scenarios get a
// table of their own, eventspec and geth side by side.
//
// Usage: benchratio [file ...] (standard input when no file is given).
// Benchmark names must carry an impl=<eventspec|geth|floor> element; the
// scenario is the name without it.
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

const (
	implES    = "eventspec"
	implGeth  = "geth"
	implFloor = "floor"
)

// samples holds the measurements of one scenario: impl -> unit -> values.
type samples map[string]map[string][]float64

// table is all scenarios in the order first seen.
type table struct {
	order []string
	rows  map[string]samples
}

var procSuffix = regexp.MustCompile(`-\d+$`)

// parse adds every benchmark result line of r to t.
func (t *table) parse(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		var impl string
		var parts []string
		for _, p := range strings.Split(name, "/") {
			if v, ok := strings.CutPrefix(p, "impl="); ok {
				impl = v
			} else {
				parts = append(parts, p)
			}
		}
		if impl == "" {
			continue
		}
		key := strings.Join(parts, "/")
		s, ok := t.rows[key]
		if !ok {
			s = samples{}
			t.rows[key] = s
			t.order = append(t.order, key)
		}
		if s[impl] == nil {
			s[impl] = map[string][]float64{}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return fmt.Errorf("%q: %v", sc.Text(), err)
			}
			s[impl][f[i+1]] = append(s[impl][f[i+1]], v)
		}
	}
	return sc.Err()
}

// median returns the median of xs, NaN for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

func (s samples) med(impl, unit string) float64 { return median(s[impl][unit]) }

// param returns the value of the key=value element named key in scenario.
func param(scenario, key string) string {
	for _, p := range strings.Split(scenario, "/") {
		if v, ok := strings.CutPrefix(p, key+"="); ok {
			return v
		}
	}
	return ""
}

// withParam returns scenario with the value of key replaced.
func withParam(scenario, key, val string) string {
	parts := strings.Split(scenario, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, key+"=") {
			parts[i] = key + "=" + val
		}
	}
	return strings.Join(parts, "/")
}

// check is one target evaluated on one row.
type check struct {
	target string
	ok     bool
}

func verdict(cs []check) (string, string) {
	if len(cs) == 0 {
		return "", ""
	}
	var ts []string
	all := true
	for _, c := range cs {
		ts = append(ts, c.target)
		all = all && c.ok
	}
	if all {
		return strings.Join(ts, "; "), "PASS"
	}
	var failed []string
	for _, c := range cs {
		if !c.ok {
			failed = append(failed, c.target)
		}
	}
	return strings.Join(ts, "; "), "MISS (" + strings.Join(failed, "; ") + ")"
}

// benchName is the first element of scenario, the benchmark's name.
func benchName(scenario string) string { return strings.SplitN(scenario, "/", 2)[0] }

// checks evaluates the targets that apply to scenario; unit is the metric
// of the row (ns/op or a custom one).
func (t *table) checks(scenario, unit string) []check {
	if unit != "ns/op" {
		return nil
	}
	s := t.rows[scenario]
	es, geth, floor := s.med(implES, unit), s.med(implGeth, unit), s.med(implFloor, unit)
	esAllocs := s.med(implES, "allocs/op")
	bench := benchName(scenario)
	kind := param(scenario, "kind")
	n := param(scenario, "n")
	var cs []check
	switch {
	case bench == "SendReady" && strings.HasPrefix(kind, "FeedOf"):
		limit := 1.2
		if n == "1" {
			limit = 1.4
		}
		cs = append(cs,
			check{fmt.Sprintf("/floor<=%.1f", limit), es/floor <= limit},
			check{"0 allocs", esAllocs == 0})
	case bench == "SendReady" && kind == "Feed":
		cs = append(cs,
			check{"/geth<=1", es/geth <= 1},
			check{"0 allocs", esAllocs == 0})
	case bench == "SendSlow" && param(scenario, "slow") == "100" && n == "100":
		cs = append(cs, check{"/geth<=0.5", es/geth <= 0.5})
	case bench == "SendSlow" && param(scenario, "slow") == "100" && n == "1000":
		base := t.rows[withParam(scenario, "n", "100")].med(implES, unit)
		g := es / base
		cs = append(cs, check{fmt.Sprintf("n100->1000 x%.1f<=15", g), g <= 15})
	case bench == "Churn" && param(scenario, "live") == "10000":
		base := t.rows[withParam(scenario, "live", "1000")].med(implES, unit)
		g := es / base
		cs = append(cs,
			check{"/geth<=0.05", es/geth <= 0.05},
			check{fmt.Sprintf("O(1): live1k->10k x%.2f<=2", g), g <= 2})
	case bench == "TypeMuxPost":
		cs = append(cs, check{"/geth<=1", es/geth <= 1})
	}
	if len(cs) > 0 && math.IsNaN(es) {
		return []check{{"no eventspec data", false}}
	}
	return cs
}

// scale is one row of a compact number format: values from min up are
// divided by div and printed with format.
type scale struct {
	min, div float64
	format   string
}

// fmtScaled prints v with the first row of scales (largest min first)
// whose min it reaches, "-" for NaN.
func fmtScaled(v float64, scales []scale) string {
	if math.IsNaN(v) {
		return "-"
	}
	for _, s := range scales {
		if v >= s.min {
			return fmt.Sprintf(s.format, v/s.div)
		}
	}
	last := scales[len(scales)-1]
	return fmt.Sprintf(last.format, v/last.div)
}

// fmtNum prints a duration-like number compactly.
func fmtNum(v float64) string {
	return fmtScaled(v, []scale{{1e6, 1e6, "%.2fms"}, {1e4, 1e3, "%.1fµs"}, {100, 1, "%.0fns"}, {math.Inf(-1), 1, "%.1fns"}})
}

func fmtRatio(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	if v < 0.1 {
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func fmtCount(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// write prints the markdown ratio table and returns the numbers of PASS and
// MISS rows.
func (t *table) write(w io.Writer) (pass, miss int) {
	if !slices.ContainsFunc(t.order, func(sc string) bool { return benchName(sc) != contendedBench }) {
		return 0, 0
	}
	fmt.Fprintln(w, "| scenario | unit | n(samples) | floor | geth | eventspec | es/floor | es/geth | allocs/op es (geth) | target | result |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
	for _, sc := range t.order {
		if benchName(sc) == contendedBench {
			continue
		}
		s := t.rows[sc]
		units := []string{"ns/op"}
		for _, u := range []string{implES, implGeth, implFloor} {
			for unit := range s[u] {
				if unit != "ns/op" && unit != "B/op" && unit != "allocs/op" && !contains(units, unit) {
					units = append(units, unit)
				}
			}
		}
		sort.Strings(units[1:])
		for _, unit := range units {
			es, geth, floor := s.med(implES, unit), s.med(implGeth, unit), s.med(implFloor, unit)
			allocs := "-"
			if unit == "ns/op" {
				allocs = fmt.Sprintf("%s (%s)", fmtCount(s.med(implES, "allocs/op")), fmtCount(s.med(implGeth, "allocs/op")))
			}
			target, res := verdict(t.checks(sc, unit))
			switch {
			case res == "PASS":
				pass++
			case strings.HasPrefix(res, "MISS"):
				miss++
			}
			fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				sc, unit, len(s[implES][unit]), fmtNum(floor), fmtNum(geth), fmtNum(es),
				fmtRatio(es/floor), fmtRatio(es/geth), allocs, target, res)
		}
	}
	return pass, miss
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func main() {
	t := &table{rows: map[string]samples{}}
	if len(os.Args) == 1 {
		if err := t.parse(os.Stdin); err != nil {
			fmt.Fprintln(os.Stderr, "benchratio:", err)
			os.Exit(1)
		}
	}
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err == nil {
			err = t.parse(f)
			f.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchratio:", err)
			os.Exit(1)
		}
	}
	if len(t.order) == 0 {
		fmt.Fprintln(os.Stderr, "benchratio: no benchmark lines with an impl= element")
		os.Exit(1)
	}
	pass, miss := t.write(os.Stdout)
	if p, m := t.writeContended(os.Stdout); p+m > 0 {
		pass, miss = pass+p, miss+m
	}
	fmt.Printf("\nmedians over the samples; es = eventspec; targets: %d PASS, %d MISS\n", pass, miss)
}
