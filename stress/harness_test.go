package stress

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventspec/eventspec/internal/testkit"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	flagOps      = testkit.CountBudget("stress.ops", "STRESS_OPS", "operation budget per stress test (default: the test's own)")
	flagDuration = testkit.DurationBudget("stress.duration", "STRESS_DURATION", "time budget per stress test (default 3s)")
	flagSeed     = testkit.CountBudget("stress.seed", "STRESS_SEED", "seed for the random choices (default: time-based)")
	flagStall    = testkit.DurationBudget("stress.stall", "STRESS_STALL", "fail when no operation starts for this long (default: testkit.FailureBound)")
)

// defaultDuration is the time budget of a test when neither flag nor env sets one.
const defaultDuration = 3 * time.Second

// maxReported bounds how many violations a run prints before it stops.
const maxReported = 20

// timeSeed is the seed of this test binary run when neither flag nor env
// sets one: the same for every test of the run, so one printed value
// replays any of them.
var timeSeed = time.Now().UnixNano()%1_000_000_007 + 1

// seed returns the seed for t's run: -stress.seed, else STRESS_SEED, else
// timeSeed. A bad value fails t.
func seed(t *testing.T) int64 {
	t.Helper()
	return flagSeed.Value(t, timeSeed)
}

// Run is one bounded stress run: it hands out operations until the
// operation budget or the time budget is spent, or a violation was reported,
// and reports seed, operations and rate when the test ends.
type Run struct {
	t        *testing.T
	seed     int64
	maxOps   int64
	budget   time.Duration
	stall    time.Duration // the watchdog's bound
	deadline time.Time
	start    time.Time
	checks   []string

	ops      atomic.Int64
	clock    atomic.Int64
	failures atomic.Int64
	stopped  atomic.Bool
	lastOp   atomic.Int64 // unix nanos of the last op start, for the stall watchdog

	mu       sync.Mutex
	counters map[string]*atomic.Int64

	watchStop chan struct{}
	watchDone chan struct{}
}

// Start begins a run for t with defOps as the default operation budget;
// checks names the guarantees the test verifies (printed in the report).
func Start(t *testing.T, defOps int64, checks ...string) *Run {
	t.Helper()
	r := &Run{
		t:         t,
		seed:      seed(t),
		maxOps:    flagOps.Value(t, defOps),
		budget:    flagDuration.Value(t, defaultDuration),
		stall:     flagStall.Value(t, testkit.FailureBound),
		checks:    checks,
		counters:  map[string]*atomic.Int64{},
		watchStop: make(chan struct{}),
		watchDone: make(chan struct{}),
	}
	r.start = time.Now()
	r.deadline = r.start.Add(r.budget)
	r.lastOp.Store(r.start.UnixNano())
	go r.watchdog()
	t.Cleanup(r.report)
	return r
}

// watchdog panics (dumping every goroutine) when no operation started for
// -stress.stall: a deadlock in the code under test would otherwise only show
// up at the go test timeout.
func (r *Run) watchdog() {
	defer close(r.watchDone)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-r.watchStop:
			return
		case now := <-tick.C:
			idle := now.Sub(time.Unix(0, r.lastOp.Load()))
			if idle > r.stall {
				buf := make([]byte, 1<<22)
				buf = buf[:runtime.Stack(buf, true)]
				fmt.Fprintf(os.Stderr, "%s", buf)
				panic(fmt.Sprintf("stress: %s: no operation started for %v (seed %d, ops %d): deadlock or lost wake-up",
					r.t.Name(), idle.Round(time.Millisecond), r.seed, r.ops.Load()))
			}
		}
	}
}

// Next reserves one operation; it reports false once a budget is spent or a
// violation was reported, and the caller must then stop starting operations.
func (r *Run) Next() bool {
	if r.stopped.Load() {
		return false
	}
	n := r.ops.Add(1)
	now := time.Now()
	r.lastOp.Store(now.UnixNano())
	if n > r.maxOps || now.After(r.deadline) {
		r.ops.Add(-1)
		r.stopped.Store(true)
		return false
	}
	return true
}

// Done reports whether the run stopped handing out operations.
func (r *Run) Done() bool { return r.stopped.Load() }

// Progress marks that the run is alive without spending an operation, so
// that long final checks do not trip the stall watchdog.
func (r *Run) Progress() { r.lastOp.Store(time.Now().UnixNano()) }

// Stamp returns the next value of the run's global logical clock; stamps are
// strictly increasing in real time across all goroutines.
func (r *Run) Stamp() int64 { return r.clock.Add(1) }

// Rand returns the deterministic random source of worker w.
func (r *Run) Rand(w int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(r.t.Name()))
	return rand.New(rand.NewPCG(uint64(r.seed), h.Sum64()+uint64(w)*0x9e3779b97f4a7c15))
}

// Counter returns the named counter printed in the report.
func (r *Run) Counter(name string) *atomic.Int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.counters[name]
	if !ok {
		c = new(atomic.Int64)
		r.counters[name] = c
	}
	return c
}

// Failf reports a violated guarantee (from any goroutine) and stops the run.
func (r *Run) Failf(format string, args ...any) {
	n := r.failures.Add(1)
	r.stopped.Store(true)
	if n <= maxReported {
		r.t.Errorf("seed %d: "+format, append([]any{r.seed}, args...)...)
	} else if n == maxReported+1 {
		r.t.Errorf("seed %d: more violations not shown", r.seed)
	}
}

// Failed reports whether a violation was reported.
func (r *Run) Failed() bool { return r.failures.Load() > 0 }

// Workers runs body in n goroutines (worker index and its random source) and
// waits for all of them.
func (r *Run) Workers(n int, body func(w int, rng *rand.Rand)) {
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() { body(w, r.Rand(w)) })
	}
	wg.Wait()
}

// Rounds calls round with i = 0, 1, ... and each round's own random source
// until the run is done (a budget is spent or a violation was reported),
// counting the rounds in the "rounds" counter.
func (r *Run) Rounds(round func(i int, rng *rand.Rand)) {
	rounds := r.Counter("rounds")
	for i := 0; !r.Done(); i++ {
		rounds.Add(1)
		round(i, r.Rand(-1-i))
	}
}

// Wait blocks until ch is closed or receives, failing the run (naming what)
// after the failure bound; it reports whether ch was ready.
func (r *Run) Wait(ch <-chan struct{}, what string) bool {
	select {
	case <-ch:
		return true
	default:
	}
	timer := time.NewTimer(testkit.FailureBound)
	defer timer.Stop()
	select {
	case <-ch:
		return true
	case <-timer.C:
		r.Failf("%s did not happen within %v", what, testkit.FailureBound)
		return false
	}
}

// errProblem reads errc, the Err channel of a subscription that must be
// over, without blocking: "" when it is closed, else what is wrong with it
// ("carried <value>" or "open").
func errProblem(errc <-chan error) string {
	select {
	case e, ok := <-errc:
		if ok {
			return fmt.Sprintf("carried %v", e)
		}
		return ""
	default:
		return "open"
	}
}

// together calls f from n goroutines at once (the caller's and n-1 new
// ones) and returns once every call has returned.
func together(n int, f func()) {
	var wg sync.WaitGroup
	for range n - 1 {
		wg.Go(f)
	}
	f()
	wg.Wait()
}

// receiveUntil passes every value received on ch to take until done is
// closed, then the values still buffered in ch, and returns.
func receiveUntil(ch <-chan int, done <-chan struct{}, take func(int)) {
	for {
		select {
		case v := <-ch:
			take(v)
		case <-done:
			for {
				select {
				case v := <-ch:
					take(v)
				default:
					return
				}
			}
		}
	}
}

// Trigger closes its channel C once: when the at-th operation of a round
// starts through Step, when the run stops handing out operations, or on
// Fire, whichever comes first. Rounds use it to start Close or Stop at a
// random point.
type Trigger struct {
	C    chan struct{}
	r    *Run
	at   int64
	ops  atomic.Int64
	once sync.Once
}

// NewTrigger returns a Trigger for a round of r that fires at its at-th
// operation.
func (r *Run) NewTrigger(at int64) *Trigger {
	return &Trigger{C: make(chan struct{}), r: r, at: at}
}

// Fire closes C unless it is already closed.
func (g *Trigger) Fire() { g.once.Do(func() { close(g.C) }) }

// Step reserves one operation of the run (Run.Next) and counts it toward
// the round's at-th; it reports whether the caller may start the operation.
func (g *Trigger) Step() bool {
	if !g.r.Next() {
		g.Fire()
		return false
	}
	if g.ops.Add(1) == g.at {
		g.Fire()
	}
	return true
}

// Yield gives up the processor n times (random pacing without sleeping).
func Yield(n int) {
	for range n {
		runtime.Gosched()
	}
}

func (r *Run) report() {
	close(r.watchStop)
	<-r.watchDone
	elapsed := time.Since(r.start)
	ops := r.ops.Load()
	rate := float64(ops) / elapsed.Seconds()
	r.mu.Lock()
	names := make([]string, 0, len(r.counters))
	for k := range r.counters {
		names = append(names, k)
	}
	sort.Strings(names)
	var extra []string
	for _, k := range names {
		extra = append(extra, fmt.Sprintf("%s=%d", k, r.counters[k].Load()))
	}
	r.mu.Unlock()
	bound := "ops"
	switch {
	case r.Failed():
		bound = "violation"
	case ops < r.maxOps:
		bound = "duration"
	}
	r.t.Logf("STRESS %s gomaxprocs=%d seed=%d ops=%d elapsed=%v ops/s=%.0f stopped-by=%s budget(ops=%d duration=%v) %s",
		r.t.Name(), runtime.GOMAXPROCS(0), r.seed, ops, elapsed.Round(time.Millisecond), rate, bound,
		r.maxOps, r.budget, strings.Join(extra, " "))
	r.t.Logf("STRESS %s checked: %s", r.t.Name(), strings.Join(r.checks, "; "))
	if r.Failed() {
		r.t.Logf("replay: go test -race -run '^%s$' ./stress -args -stress.seed=%d -stress.ops=%d (GOMAXPROCS %d)",
			r.t.Name(), r.seed, r.maxOps, runtime.GOMAXPROCS(0))
	}
}

// stampLog maps operation ids (1, 2, ...) to the logical times their call
// began and returned, lock-free, growing in chunks.
type stampLog struct {
	chunks [1 << 14]atomic.Pointer[stampChunk]
}

type stampChunk [1 << 12]opStamps

// opStamps holds the logical times an operation began and returned (0: not yet).
type opStamps struct {
	begin, ret atomic.Int64
}

func (l *stampLog) at(id int) *opStamps {
	c := id >> 12
	p := l.chunks[c].Load()
	if p == nil {
		l.chunks[c].CompareAndSwap(nil, new(stampChunk))
		p = l.chunks[c].Load()
	}
	return &p[id&(1<<12-1)]
}
