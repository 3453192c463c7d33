package proptest

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		printTotals()
		os.Exit(code)
	}))
}

func envInt(key string, def int64) int64 {
	if v, ok := os.LookupEnv(key); ok {
		if n, err := strconv.ParseInt(v, 0, 64); err == nil {
			return n
		}
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv(key); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

var (
	budget = flag.Duration("proptest.budget", envDuration("PROPTEST_BUDGET", 20*time.Second),
		"real-time bound per property test; cases after it run no operations")
	settleBound = flag.Duration("proptest.settle", envDuration("PROPTEST_SETTLE", 30*time.Second),
		"failure bound for one operation to settle")
)

// stats counts what one top-level test executed.
type stats struct {
	name   string
	start  time.Time
	cases  int
	ops    int
	seed   string
	capped bool // the time budget ended the test early
}

var (
	statsMu  sync.Mutex
	allStats []*stats
)

func newStats(t *testing.T, seed string) *stats {
	s := &stats{name: t.Name(), start: time.Now(), seed: seed}
	statsMu.Lock()
	allStats = append(allStats, s)
	statsMu.Unlock()
	t.Cleanup(func() {
		statsMu.Lock()
		defer statsMu.Unlock()
		el := time.Since(s.start)
		t.Logf("proptest: %s seed=%s cases=%d ops=%d elapsed=%v ops/s=%.0f budget-reached=%v",
			s.name, s.seed, s.cases, s.ops, el.Round(time.Millisecond), float64(s.ops)/el.Seconds(), s.capped)
	})
	return s
}

// overBudget reports whether the test has used up its real-time budget.
func (s *stats) overBudget() bool {
	statsMu.Lock()
	defer statsMu.Unlock()
	if time.Since(s.start) > *budget {
		s.capped = true
	}
	return s.capped
}

func (s *stats) addOp() {
	statsMu.Lock()
	s.ops++
	statsMu.Unlock()
}

func (s *stats) addCase() {
	statsMu.Lock()
	s.cases++
	statsMu.Unlock()
}

func printTotals() {
	statsMu.Lock()
	defer statsMu.Unlock()
	sort.Slice(allStats, func(i, j int) bool { return allStats[i].name < allStats[j].name })
	var ops, cases int
	for _, s := range allStats {
		ops += s.ops
		cases += s.cases
	}
	if len(allStats) > 0 {
		fmt.Printf("proptest: TOTAL tests=%d cases=%d ops=%d\n", len(allStats), cases, ops)
	}
}

// rapidSeed describes the rapid seed in use for the summary line.
func rapidSeed() string {
	if f := flag.Lookup("rapid.seed"); f != nil && f.Value.String() != "0" {
		return f.Value.String()
	}
	return "random(printed on failure)"
}
