package stress

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

// flakyFn is a ResubscribeErrFunc that fails (with or without a
// subscription), succeeds, or blocks until its context is cancelled (then
// fails, or returns a subscription late, with or without an error), chosen
// per call from its own seed. Resubscribe calls it one call at a time, so its
// plain fields need no lock (the race detector checks that).
type flakyFn struct {
	live    *atomic.Int64 // optional: fn calls running + inner subscriptions live
	selfEnd bool          // never block; end the Resubscribe after a few calls
	seed    uint64

	fns, inners atomic.Int64 // fn calls running, inner subscriptions live (see liveSub)

	calls   int
	lastErr error           // error of the latest inner subscription that failed
	ctx     context.Context // the latest call's context
	// firstDone: the first call began with its context already done.
	firstDone bool

	target  int           // the call reached/blocked are about; earlier calls never block
	reached chan struct{} // optional: closed when call number target begins
	blocked chan struct{} // optional: call number target blocks on ctx and closes it
	once    sync.Once

	violated atomic.Pointer[string]
}

func (f *flakyFn) violate(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	f.violated.CompareAndSwap(nil, &msg)
}

// violation returns the first violation seen inside fn calls ("" if none).
func (f *flakyFn) violation() string {
	if p := f.violated.Load(); p != nil {
		return *p
	}
	return ""
}

func (f *flakyFn) counters(c *atomic.Int64) []*atomic.Int64 {
	if f.live != nil {
		return []*atomic.Int64{c, f.live}
	}
	return []*atomic.Int64{c}
}

// liveSub is an inner subscription that counts itself in every live counter
// from its creation until its first Unsubscribe call has returned (so its
// producer has returned too): one that failed or ended by itself stays live
// until Resubscribe unsubscribes it.
type liveSub struct {
	event.Subscription
	live []*atomic.Int64
	once sync.Once
}

func newLiveSub(sub event.Subscription, live ...*atomic.Int64) *liveSub {
	for _, l := range live {
		l.Add(1)
	}
	return &liveSub{Subscription: sub, live: live}
}

func (s *liveSub) Unsubscribe() {
	s.once.Do(func() {
		s.Subscription.Unsubscribe()
		for _, l := range s.live {
			l.Add(-1)
		}
	})
}

func (f *flakyFn) inner(kind producerKind, yields int, err error) event.Subscription {
	s := newLiveSub(instrumentedSub(kind, yields, err), f.counters(&f.inners)...)
	if n := f.inners.Load(); n > 1 {
		f.violate("AtMostOneInner: %d inner subscriptions live after call %d created one", n, f.calls)
	}
	return s
}

func (f *flakyFn) call(ctx context.Context, lastErr error, checkLast bool) (event.Subscription, error) {
	for _, c := range f.counters(&f.fns) {
		c.Add(1)
		defer c.Add(-1)
	}
	f.calls++
	f.ctx = ctx
	if f.calls == 1 && ctx.Err() != nil {
		f.firstDone = true
	}
	if n := f.fns.Load(); n != 1 {
		f.violate("AtMostOneInner: %d fn calls running at once", n)
	}
	if n := f.inners.Load(); n != 0 {
		f.violate("AtMostOneInner: fn call %d began while the previous inner subscription was still live", f.calls)
	}
	if checkLast && lastErr != f.lastErr {
		f.violate("ResubscribeErr passed %v to call %d, want the latest inner error %v", lastErr, f.calls, f.lastErr)
	}
	if f.reached != nil && f.calls == f.target {
		close(f.reached)
	}
	rng := rand.New(rand.NewPCG(f.seed, uint64(f.calls)))
	// Calls before the target call and all calls of a self-ending fn never
	// block, so the target call is reached (unless the subscription ends).
	noBlock := f.selfEnd || f.calls < f.target
	if f.selfEnd && f.calls > 3 {
		// An inner that ends with nil ends the Resubscribe subscription.
		return f.inner(produceNil, rng.IntN(4), nil), nil
	}
	x := rng.IntN(100)
	if noBlock {
		x %= 80
	}
	if f.blocked != nil && f.calls == f.target {
		x = 80 + rng.IntN(20)
	}
	return f.outcome(ctx, rng, x, noBlock)
}

// outcome makes call's result for the choice x (0-99): fail (25), return an
// inner subscription (50), fail after yielding (5), block until ctx is done
// and fail (10), or return an inner subscription late (10).
func (f *flakyFn) outcome(ctx context.Context, rng *rand.Rand, x int, noBlock bool) (event.Subscription, error) {
	switch {
	case x < 25:
		if rng.IntN(2) == 0 {
			// A subscription returned with an error: the call failed, and
			// Resubscribe must unsubscribe it (it never ends by itself).
			return f.inner(produceWait, 0, newErr("errored")), newErr("fn+sub")
		}
		return nil, newErr("fn")
	case x < 75:
		err := newErr("inner")
		pk := producerKind(rng.IntN(3))
		if pk == produceWait && noBlock {
			pk = produceErr
		}
		if pk == produceErr {
			f.lastErr = err
		}
		return f.inner(pk, rng.IntN(8), err), nil
	case x < 80:
		Yield(rng.IntN(8))
		return nil, newErr("fn-slow")
	case x < 90:
		f.markBlocked()
		<-ctx.Done()
		return nil, ctx.Err()
	default:
		// A subscription returned only after Unsubscribe cancelled ctx,
		// with or without an error: Resubscribe must unsubscribe it.
		f.markBlocked()
		<-ctx.Done()
		if rng.IntN(2) == 0 {
			return f.inner(produceWait, 0, newErr("late")), ctx.Err()
		}
		return f.inner(produceWait, 0, newErr("late")), nil
	}
}

func (f *flakyFn) markBlocked() {
	if f.blocked != nil {
		f.once.Do(func() { close(f.blocked) })
	}
}

// TestResubscribeUnsubscribeTerminates runs Resubscribe and ResubscribeErr
// over flaky fns and unsubscribes them (from 1-3 goroutines) at random
// points: right away (as a rule before the loop started: fn must still be
// called once), after random yields, once call k began, or while a call is
// blocked on its context.
func TestResubscribeUnsubscribeTerminates(t *testing.T) {
	r := Start(t, 20_000,
		"ResubscribeUnsubscribeTerminates (every Unsubscribe call returns, concurrent ones too)",
		"NoLeakedInner (each returning Unsubscribe: no fn call running, no inner subscription live, late-returned ones and ones returned with an error included)",
		"AtLeastOneCall (each returning Unsubscribe: fn was called, also when Unsubscribe came right away)",
		"CtxCancelledOnUnsubscribe (each returning Unsubscribe: the latest call's context is done)",
		"AtMostOneInner (each fn call: no other call running and no inner live; each inner creation: it is the only one; an inner is live until its Unsubscribe returned, failed or not)",
		"ResubscribeErr passes the latest inner error to each call (nil before any)",
		"SingleError/ErrClosedAfterUnsubscribe (Err never carries a value and is closed once Unsubscribe returns)")
	c := &resubCounters{
		late:      r.Counter("unsubscribed-while-fn-blocked"),
		atCall:    r.Counter("unsubscribed-at-call-k"),
		ended:     r.Counter("ended-before-unsubscribe"),
		firstDone: r.Counter("first-call-began-with-ctx-done"),
	}
	r.Workers(4, func(w int, rng *rand.Rand) {
		for r.Next() {
			if !resubRound(r, c, rng) {
				return
			}
		}
	})
}

// resubCounters are the counters of TestResubscribeUnsubscribeTerminates.
type resubCounters struct {
	late, atCall, ended, firstDone *atomic.Int64
}

// Modes of a resubRound: when Unsubscribe comes.
const (
	unsubAtOnce     = iota // right away
	unsubAfterYield        // after random yields
	unsubAtCall            // once call f.target began
	unsubBlocked           // once call f.target blocks on its context
)

// resubRound runs one Resubscribe or ResubscribeErr over a flaky fn,
// unsubscribes it at a random point and checks the Unsubscribe calls. It
// reports false when the failure bound was hit.
func resubRound(r *Run, c *resubCounters, rng *rand.Rand) bool {
	f := &flakyFn{seed: rng.Uint64()}
	mode := rng.IntN(4)
	switch mode {
	case unsubAtCall:
		f.target, f.reached = 1+rng.IntN(6), make(chan struct{})
	case unsubBlocked:
		f.target, f.blocked = 1+rng.IntN(4), make(chan struct{})
	}
	backoff := time.Duration(1+rng.IntN(100)) * time.Microsecond
	var sub event.Subscription
	if rng.IntN(2) == 0 {
		sub = event.ResubscribeErr(backoff, func(ctx context.Context, lastErr error) (event.Subscription, error) {
			return f.call(ctx, lastErr, true)
		})
	} else {
		sub = event.Resubscribe(backoff, func(ctx context.Context) (event.Subscription, error) {
			return f.call(ctx, nil, false)
		})
	}
	awaitMode(r, c, f, mode, sub.Err(), rng)
	// The Unsubscribe callers' findings are reported after those of the fn
	// calls, which say more about the cause.
	var found findings
	var wg sync.WaitGroup
	for range 1 + rng.IntN(3) {
		wg.Go(func() { checkResubUnsubscribe(&found, f, sub, mode) })
	}
	if !r.Wait(testkit.Go(wg.Wait), "ResubscribeUnsubscribeTerminates") {
		return false
	}
	if msg := f.violation(); msg != "" {
		r.Failf("%s", msg)
	}
	if f.firstDone {
		c.firstDone.Add(1)
	}
	found.report(r)
	return true
}

// awaitMode waits for the point mode unsubscribes at (or the end of the
// subscription by itself).
func awaitMode(r *Run, c *resubCounters, f *flakyFn, mode int, errc <-chan error, rng *rand.Rand) {
	wait, counter := f.reached, c.atCall
	switch mode {
	case unsubAtOnce:
		return
	case unsubAfterYield:
		Yield(rng.IntN(64))
		return
	case unsubBlocked:
		wait, counter = f.blocked, c.late
	}
	select {
	case <-wait:
		counter.Add(1)
		Yield(rng.IntN(4))
	case e, ok := <-errc:
		if ok {
			r.Failf("SingleError: Resubscribe Err carried %v", e)
		}
		c.ended.Add(1)
	}
}

// checkResubUnsubscribe calls sub.Unsubscribe and checks, once it
// returned, that nothing of it runs, that fn was called and its latest
// context is done, and that Err is closed.
func checkResubUnsubscribe(found *findings, f *flakyFn, sub event.Subscription, mode int) {
	sub.Unsubscribe()
	if n, m := f.fns.Load(), f.inners.Load(); n != 0 || m != 0 {
		found.add("NoLeakedInner: %d fn calls and %d inner subscriptions still live after Unsubscribe returned", n, m)
	}
	// Unsubscribe returned after the loop, and so every call of fn, did:
	// f's fields are safe to read.
	if f.calls == 0 {
		found.add("AtLeastOneCall: Unsubscribe (mode %d) returned and fn was never called", mode)
	} else if f.ctx.Err() == nil {
		found.add("CtxCancelledOnUnsubscribe: call %d's context not done after Unsubscribe returned", f.calls)
	}
	if p := errProblem(sub.Err()); p != "" {
		found.add("SingleError/ErrClosedAfterUnsubscribe: Resubscribe Err %s after Unsubscribe returned", p)
	}
}

// findings collects failures from several goroutines, to report later.
type findings struct {
	mu   sync.Mutex
	msgs []string
}

func (f *findings) add(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

// report fails r with each finding.
func (f *findings) report(r *Run) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, msg := range f.msgs {
		r.Failf("%s", msg)
	}
}

// backoffStep is one scripted fn call of TestResubscribeBackoffSynctest.
type backoffStep struct {
	takes     time.Duration // how long the call runs before returning
	fail      bool          // the call fails; else it returns an inner sub
	innerFail time.Duration // the inner sub fails this long after the call returned (0: never)
	gap       time.Duration // expected time from this call's start to the next call's start
}

// backoffScript is TestResubscribeBackoffSynctest's script, for
// backoffMax = 10s.
var backoffScript = []backoffStep{
	{fail: true, gap: 2 * time.Second},                             // 1s doubled
	{fail: true, gap: 4 * time.Second},                             //
	{fail: true, gap: 8 * time.Second},                             //
	{fail: true, gap: 10 * time.Second},                            // capped
	{fail: true, gap: 10 * time.Second},                            //
	{takes: 10 * time.Second, fail: true, gap: 20 * time.Second},   // exactly backoffMax: not a reset, 10s + 10s
	{takes: 11 * time.Second, fail: true, gap: 12 * time.Second},   // longer: reset to 1s, 11s + 1s
	{fail: true, gap: 2 * time.Second},                             //
	{takes: 3 * time.Second, fail: true, gap: 7 * time.Second},     // 3s + 4s
	{innerFail: 5 * time.Second, gap: 5 * time.Second},             // inner fails after 5s: no wait
	{fail: true, gap: 8 * time.Second},                             // the wait keeps doubling: 8s
	{takes: 2 * time.Second, innerFail: 1, gap: 2*time.Second + 1}, // inner fails at once: no wait
	{takes: 30 * time.Second, fail: true, gap: 31 * time.Second},   // long: reset, 30s + 1s
	{fail: true, gap: 2 * time.Second},                             //
	{},                                                             // inner never fails: Unsubscribe ends it
}

// TestResubscribeBackoffSynctest checks the exact backoff sequence of
// Resubscribe and ResubscribeErr with virtual time (testing/synctest), for
// backoffMax = 10s: the wait starts at 1s and doubles before each wait (so
// the first is 2s), is capped at 10s, is reset to 1s after a call that took
// longer than 10s (exactly 10s is not longer), and no wait follows the
// failure of an inner subscription.
func TestResubscribeBackoffSynctest(t *testing.T) {
	for _, withErr := range []bool{false, true} {
		name := "Resubscribe"
		if withErr {
			name = "ResubscribeErr"
		}
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { runBackoffScript(t, withErr) })
		})
	}
}

// runBackoffScript plays backoffScript through Resubscribe (ResubscribeErr
// if withErr), unsubscribes after the last call, and checks each call's
// start time.
func runBackoffScript(t *testing.T, withErr bool) {
	const bm = 10 * time.Second
	fn := &scriptedFn{t: t, start: time.Now(), withErr: withErr, last: make(chan struct{})}
	var sub event.Subscription
	if withErr {
		sub = event.ResubscribeErr(bm, fn.call)
	} else {
		sub = event.Resubscribe(bm, func(ctx context.Context) (event.Subscription, error) {
			return fn.call(ctx, nil)
		})
	}
	<-fn.last
	synctest.Wait()
	sub.Unsubscribe()
	if p := errProblem(sub.Err()); p != "" {
		t.Errorf("Err %s after Unsubscribe returned", p)
	}
	if len(fn.starts) != len(backoffScript) {
		t.Fatalf("%d calls, want %d", len(fn.starts), len(backoffScript))
	}
	var want time.Duration
	for i, st := range backoffScript {
		if fn.starts[i] != want {
			t.Errorf("call %d began at %v, want %v (gaps so far: %v)", i+1, fn.starts[i], want, gaps(fn.starts[:i+1]))
		}
		want += st.gap
	}
	t.Logf("call start times (virtual): %v; gaps %v", fn.starts, gaps(fn.starts))
}

// scriptedFn is the fn of runBackoffScript: call i does backoffScript[i].
type scriptedFn struct {
	t       *testing.T
	start   time.Time
	withErr bool
	starts  []time.Duration // each call's start, since start
	wantErr error           // the latest inner error
	last    chan struct{}   // closed when the last scripted call begins
}

func (f *scriptedFn) call(ctx context.Context, got error) (event.Subscription, error) {
	i := len(f.starts)
	f.starts = append(f.starts, time.Since(f.start))
	if i >= len(backoffScript) {
		f.t.Errorf("call %d beyond the script", i+1)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if f.withErr && got != f.wantErr {
		f.t.Errorf("call %d: lastErr %v, want %v", i+1, got, f.wantErr)
	}
	st := backoffScript[i]
	if i == len(backoffScript)-1 {
		close(f.last)
	}
	time.Sleep(st.takes)
	if st.fail {
		return nil, fmt.Errorf("call %d failed", i+1)
	}
	innerErr := fmt.Errorf("inner of call %d failed", i+1)
	if st.innerFail > 0 {
		f.wantErr = innerErr
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		if st.innerFail == 0 {
			<-quit
			return nil
		}
		timer := time.NewTimer(st.innerFail)
		defer timer.Stop()
		select {
		case <-timer.C:
			return innerErr
		case <-quit:
			return nil
		}
	}), nil
}

func gaps(starts []time.Duration) []time.Duration {
	var g []time.Duration
	for i := 1; i < len(starts); i++ {
		g = append(g, starts[i]-starts[i-1])
	}
	return g
}
