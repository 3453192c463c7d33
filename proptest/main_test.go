package proptest

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/eventspec/eventspec/internal/testkit"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		printTotals()
		os.Exit(code)
	}))
}

// budget is the real-time bound per property test; cases after it run no
// operations.
var budget = testkit.DurationBudget("proptest.budget", "PROPTEST_BUDGET", "real-time bound per property test (default 20s)")

// stats counts what one top-level test executed.
type stats struct {
	name   string
	start  time.Time
	cases  int
	ops    int
	seed   string
	capped bool          // the time budget ended the test early
	limit  time.Duration // the time budget
}

var (
	statsMu  sync.Mutex
	allStats []*stats
)

func newStats(t *testing.T, seed string) *stats {
	s := &stats{name: t.Name(), start: time.Now(), seed: seed, limit: budget.Value(t, 20*time.Second)}
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
	if time.Since(s.start) > s.limit {
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
