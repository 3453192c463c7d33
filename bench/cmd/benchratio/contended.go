package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// contendedBench is the benchmark whose scenarios get their own table.
const contendedBench = "SendContended"

// contendedCols are the metrics of the contended table, in column order.
var contendedCols = []struct {
	unit, head string
	format     func(float64) string
}{
	{"sends/s", "sends/s", fmtRate},
	{"overtakes-max", "overtakes max", fmtCount},
	{"overtakes-p99", "overtakes p99", fmtCount},
	{"over-p-ppm", "overtaken > p (ppm)", fmtPPM},
	{"wait-p50-ns", "wait p50", fmtNum},
	{"wait-p99-ns", "wait p99", fmtNum},
	{"wait-max-ns", "wait max", fmtNum},
	{"allocs/op", "allocs/op", fmtCount},
}

// contendedChecks evaluates the targets of a SendContended scenario on the
// eventspec samples: no Send overtaken by more than p later Sends in any
// sample, and medians of the p99 wait and of the throughput no worse than
// go-ethereum's.
func (t *table) contendedChecks(scenario string) []check {
	s := t.rows[scenario]
	if len(s[implES]["overtakes-max"]) == 0 {
		return []check{{"no eventspec data", false}}
	}
	p, err := strconv.Atoi(param(scenario, "p"))
	if err != nil {
		return []check{{"no p= element", false}}
	}
	worst := slices.Max(s[implES]["overtakes-max"])
	wait := s.med(implES, "wait-p99-ns") / s.med(implGeth, "wait-p99-ns")
	rate := s.med(implES, "sends/s") / s.med(implGeth, "sends/s")
	return []check{
		{fmt.Sprintf("overtakes<=%d (worst %s)", p, fmtCount(worst)), worst <= float64(p)},
		{fmt.Sprintf("wait p99/geth %s<=1", fmtRatio(wait)), wait <= 1},
		{fmt.Sprintf("sends/s /geth %s>=1", fmtRatio(rate)), rate >= 1},
	}
}

// cell prints the median of xs and, for more than one sample, their range.
func cell(xs []float64, format func(float64) string) string {
	if len(xs) == 0 {
		return "-"
	}
	m := format(median(xs))
	if len(xs) == 1 {
		return m
	}
	return fmt.Sprintf("%s (%s–%s)", m, format(slices.Min(xs)), format(slices.Max(xs)))
}

// writeContended prints the SendContended scenarios, one row per
// implementation with every metric as median (min–max) over the samples,
// the verdict on the eventspec row, and returns the numbers of PASS and
// MISS scenarios. It prints nothing when there are none.
func (t *table) writeContended(w io.Writer) (pass, miss int) {
	var scs []string
	for _, sc := range t.order {
		if benchName(sc) == contendedBench {
			scs = append(scs, sc)
		}
	}
	if len(scs) == 0 {
		return 0, 0
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, "| scenario | impl | samples |")
	for _, c := range contendedCols {
		fmt.Fprintf(w, " %s |", c.head)
	}
	fmt.Fprintln(w, " target | result |")
	fmt.Fprint(w, "|---|---|---|")
	for range contendedCols {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w, "---|---|")
	for _, sc := range scs {
		s := t.rows[sc]
		for _, im := range []string{implGeth, implES} {
			if s[im] == nil {
				continue
			}
			fmt.Fprintf(w, "| %s | %s | %d |", sc, im, len(s[im]["ns/op"]))
			for _, c := range contendedCols {
				fmt.Fprintf(w, " %s |", cell(s[im][c.unit], c.format))
			}
			target, res := "", ""
			if im == implES {
				target, res = verdict(t.contendedChecks(sc))
				if res == "PASS" {
					pass++
				} else {
					miss++
				}
			}
			fmt.Fprintf(w, " %s | %s |\n", target, res)
		}
	}
	return pass, miss
}

// fmtRate prints a rate per second compactly.
func fmtRate(v float64) string {
	return fmtScaled(v, []scale{{1e6, 1e6, "%.2fM"}, {1e3, 1e3, "%.0fk"}, {math.Inf(-1), 1, "%.0f"}})
}

// fmtPPM prints parts per million with at most one decimal.
func fmtPPM(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}
