//go:build eventtrace

package tracecheck

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eventspec/eventspec/event"
)

var (
	errFn    = errors.New("fn failed")
	errInner = errors.New("inner subscription failed")
)

// backoffMax of every Resubscribe run; TraceResubscribe.tla checks the
// logged waits against Backoff.tla with Max = 1000 (milliseconds).
const backoffMax = time.Second

// patience bounds every wait of the driver and of fn in fake time: a fn
// waiting for its context gives up after an hour (and reports the context
// it sees), the driver waiting for a trigger after two.
const patience = time.Hour

// callPlan is what one call of fn does.
type callPlan struct {
	result string        // "err", "sub", "suberr" (a subscription and an error), or "block"
	took   time.Duration // "err", "sub", "suberr": how long the call takes (fake time)
	late   string        // "block": what it returns once its context is done: "err", "nilsub", "sub", "suberr"
	inner  string        // "sub": the inner subscription "fail"s, "end"s (Err closed), stays "live", or fails just as it is unsubscribed ("race")
	after  time.Duration // "sub": when it fails or ends
}

func (c callPlan) String() string {
	switch c.result {
	case "block":
		return "block->" + c.late
	case "sub":
		if c.inner == "live" || c.inner == "race" {
			return "sub(" + c.inner + ")"
		}
		return fmt.Sprintf("sub(%s@%v)", c.inner, c.after)
	}
	if c.took > 0 {
		return fmt.Sprintf("%s@%v", c.result, c.took)
	}
	return c.result
}

// resubPlan is a Resubscribe scenario: fn's calls, then when the
// Unsubscribe callers start.
type resubPlan struct {
	withErr bool       // ResubscribeErr, else Resubscribe
	calls   []callPlan // calls after these return a subscription that stays live
	trigger string     // callers start "now"; when call k has "started", has "returned", its inner subscription has failed or ended ("inner"), the backoff wait after it ends ("backoff"); or at the "end"
	k       int
	settle  bool // after the trigger, let every goroutine block before the callers start
	callers int
}

func (p resubPlan) String() string {
	calls := make([]string, len(p.calls))
	for i, c := range p.calls {
		calls[i] = c.String()
	}
	name := "Resubscribe"
	if p.withErr {
		name = "ResubscribeErr"
	}
	trigger := p.trigger
	switch trigger {
	case "started", "returned":
		trigger = fmt.Sprintf("call %d %s", p.k, p.trigger)
	case "inner":
		trigger = fmt.Sprintf("the end of call %d's inner subscription", p.k)
	case "backoff":
		if d, ok := p.backoffEnd(p.k); ok {
			trigger = fmt.Sprintf("the end of the backoff wait after call %d (%v)", p.k, d)
		} else {
			trigger = "the end"
		}
	}
	return fmt.Sprintf("%s; calls [%s]; %d Unsubscribe callers start at %s; settle %v",
		name, strings.Join(calls, " "), p.callers, trigger, p.settle)
}

func (p resubPlan) call(i int) callPlan {
	if i <= len(p.calls) {
		return p.calls[i-1]
	}
	return callPlan{result: "sub", inner: "live"}
}

func newResubPlan(rng *rand.Rand) resubPlan {
	p := resubPlan{
		withErr: rng.IntN(2) == 0,
		settle:  rng.IntN(3) != 0,
		callers: 1 + rng.IntN(3),
	}
	durations := []time.Duration{0, 0, 300 * time.Millisecond, 1500 * time.Millisecond}
	for range 1 + rng.IntN(5) {
		c := callPlan{result: []string{"err", "err", "sub", "suberr", "block"}[rng.IntN(5)]}
		switch c.result {
		case "block":
			c.late = []string{"err", "nilsub", "sub", "suberr"}[rng.IntN(4)]
		case "sub":
			c.inner = []string{"fail", "fail", "end", "live", "race"}[rng.IntN(5)]
			c.after = []time.Duration{0, 50 * time.Millisecond, 2 * time.Second}[rng.IntN(3)]
			c.took = durations[rng.IntN(len(durations))]
		default:
			c.took = durations[rng.IntN(len(durations))]
		}
		p.calls = append(p.calls, c)
	}
	p.trigger = []string{"now", "started", "returned", "returned", "inner", "backoff", "end"}[rng.IntN(7)]
	p.k = 1 + rng.IntN(len(p.calls)+1)
	// The racing triggers: the callers start the moment an inner
	// subscription ends or a backoff wait ends, on a call that has one.
	var ks []int
	for k, c := range p.calls {
		switch {
		case p.trigger == "inner" && c.result == "sub" && (c.inner == "fail" || c.inner == "end"):
			ks = append(ks, k+1)
		case p.trigger == "backoff":
			if _, ok := p.backoffEnd(k + 1); ok {
				ks = append(ks, k+1)
			}
		}
	}
	if p.trigger == "inner" || p.trigger == "backoff" {
		if len(ks) == 0 {
			p.trigger = "returned"
		} else {
			p.k, p.settle = ks[rng.IntN(len(ks))], false
		}
	}
	return p
}

// backoffEnd is when the backoff wait after call k ends, if the calls up
// to k all fail at once or after their planned time; it assumes the rule
// that the check validates, and only picks the instant at which the driver
// races the timer.
func (p resubPlan) backoffEnd(k int) (time.Duration, bool) {
	var now time.Duration
	wait := backoffMax / 10
	for j := 1; j <= k; j++ {
		c := p.call(j)
		if c.result != "err" && c.result != "suberr" {
			return 0, false
		}
		now += c.took
		if c.took > backoffMax {
			wait = backoffMax / 10
		} else {
			wait = min(2*wait, backoffMax)
		}
		now += wait
	}
	return now, true
}

// TestTraceResubscribe records Resubscribe and ResubscribeErr runs in fake
// time: calls of fn that fail (quickly, or slower than backoffMax), return
// a subscription (that fails, ends or stays live), return a subscription
// with an error, or block until their context is done and then return late;
// one to three Unsubscribe callers that start at once, during a call, once
// a call has returned (during the backoff wait, or while the inner
// subscription is live), or at the end.
func TestTraceResubscribe(t *testing.T) {
	forSeeds(t, "Resubscribe", func(t *testing.T, seed uint64, write func(*Run)) {
		p := newResubPlan(rand.New(rand.NewPCG(seed, 0x526573756273)))
		synctest.Test(t, func(t *testing.T) {
			rec := Record(t)
			d := newResubDriver(p)
			sub := d.subscribe()
			ended := make(chan struct{}) // Err is closed: the loop has exited
			go func() {
				drainErr(sub)
				close(ended)
			}()
			d.unsubscribe(sub, ended)
			<-ended
			synctest.Wait() // every goroutine of the run has ended
			events, err := rec.Events()
			if err != nil {
				t.Fatal(err)
			}
			write(&Run{Seed: seed, Scenario: p.String(), Events: events, Params: []Field{
				{"callers", p.callers},
				{"calls", int(d.calls.Load())},
				{"backoffMax", int(backoffMax / time.Millisecond)},
			}})
		})
	})
}

// resubDriver plays fn and the inner subscriptions of one run.
type resubDriver struct {
	plan      resubPlan
	calls     atomic.Int32
	started   []chan struct{} // closed when call k+1 has begun
	returned  []chan struct{} // closed when call k+1 has returned
	innerDone []chan struct{} // closed when call k+1's inner subscription has failed or ended
}

func newResubDriver(p resubPlan) *resubDriver {
	d := &resubDriver{plan: p}
	for range len(p.calls) + 1 {
		d.started = append(d.started, make(chan struct{}))
		d.returned = append(d.returned, make(chan struct{}))
		d.innerDone = append(d.innerDone, make(chan struct{}))
	}
	return d
}

// subscribe starts the plan's Resubscribe or ResubscribeErr over d.fn.
func (d *resubDriver) subscribe() event.Subscription {
	if d.plan.withErr {
		return event.ResubscribeErr(backoffMax, d.fn)
	}
	return event.Resubscribe(backoffMax, func(ctx context.Context) (event.Subscription, error) {
		return d.fn(ctx, nil)
	})
}

// unsubscribe runs the plan's Unsubscribe callers on sub and returns once
// they all have returned. The callers wait for the trigger (with settle,
// the driver does, lets every goroutine block, then lets them go) and call
// Unsubscribe at once, racing the loop; ended is closed when the loop has
// exited.
func (d *resubDriver) unsubscribe(sub event.Subscription, ended <-chan struct{}) {
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range d.plan.callers {
		wg.Go(func() {
			if d.plan.settle {
				<-release
			} else {
				d.awaitTrigger(ended)
			}
			sub.Unsubscribe()
		})
	}
	if d.plan.settle {
		d.awaitTrigger(ended)
		synctest.Wait()
	}
	close(release)
	wg.Wait()
}

// awaitTrigger returns when the plan's trigger has happened: at once for
// "now"; when call k has started or returned or its inner subscription has
// ended; when the backoff wait after call k ends; or else when the loop has
// exited (ended), or after twice the patience.
func (d *resubDriver) awaitTrigger(ended <-chan struct{}) {
	p := d.plan
	var at <-chan struct{}
	var timer <-chan time.Time
	switch p.trigger {
	case "now":
		return
	case "started":
		at = d.started[p.k-1]
	case "returned":
		at = d.returned[p.k-1]
	case "inner":
		at = d.innerDone[p.k-1]
	case "backoff":
		if end, ok := p.backoffEnd(p.k); ok {
			t := time.NewTimer(end) // fires with the loop's backoff timer
			defer t.Stop()
			timer = t.C
		}
	}
	giveUp := time.NewTimer(2 * patience)
	defer giveUp.Stop()
	select {
	case <-at:
	case <-timer:
	case <-ended:
	case <-giveUp.C:
	}
}

// observeCtx records what ctx looks like, atomically with the steps that
// could change it (Unsub1 cancels the parent under the trace lock).
func observeCtx(ctx context.Context) bool {
	var done bool
	event.TraceDo(func() (string, []any) {
		done = ctx.Err() != nil
		return "ObsCtx", []any{"done", done}
	})
	return done
}

func (d *resubDriver) fn(ctx context.Context, _ error) (event.Subscription, error) {
	i := int(d.calls.Add(1))
	c := d.plan.call(i)
	observeCtx(ctx)
	if i <= len(d.started) {
		close(d.started[i-1])
		defer close(d.returned[i-1])
	}
	r := c.result
	if r == "block" {
		giveUp := time.NewTimer(patience)
		select {
		case <-ctx.Done():
			event.TraceEmit("ObsCtx", "done", true)
			r = c.late
		case <-giveUp.C:
			r = c.late
			if !observeCtx(ctx) && r == "nilsub" {
				r = "err" // (nil, nil) with a live context would panic the loop
			}
		}
		giveUp.Stop()
	} else if c.took > 0 {
		time.Sleep(c.took) // a slow call, in fake time
	}
	var sub *fakeSub
	var err error
	switch r {
	case "err":
		err = errFn
	case "sub":
		sub = newFakeSub()
		sub.failOnUnsubscribe = c.inner == "race"
	case "suberr":
		sub, err = newFakeSub(), errFn
	}
	event.TraceEmit("FnReturn", "r", r)
	if sub == nil {
		return nil, err
	}
	if r == "sub" && (c.inner == "fail" || c.inner == "end") {
		var done chan struct{}
		if i <= len(d.innerDone) {
			done = d.innerDone[i-1]
		}
		go sub.endAfter(c.inner, c.after, done)
	}
	return sub, err
}

// fakeSub is an inner subscription. Its steps are the spec's InnerFail,
// InnerEnd and UnsubInner (the loop's call of Unsubscribe), recorded under
// its lock.
type fakeSub struct {
	mu                sync.Mutex
	err               chan error
	quit              chan struct{}
	unsubscribed      bool
	closed            bool
	failed            bool
	failOnUnsubscribe bool // it fails just before Unsubscribe takes effect
}

func newFakeSub() *fakeSub {
	return &fakeSub{err: make(chan error, 1), quit: make(chan struct{})}
}

func (f *fakeSub) Err() <-chan error { return f.err }

func (f *fakeSub) Unsubscribe() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.unsubscribed {
		return
	}
	if f.failOnUnsubscribe && !f.failed && !f.closed {
		f.failed = true
		event.TraceDo(func() (string, []any) {
			f.err <- errInner
			return "InnerFail", nil
		})
	}
	f.unsubscribed = true
	event.TraceDo(func() (string, []any) {
		close(f.quit)
		if !f.closed {
			f.closed = true
			close(f.err)
		}
		return "UnsubInner", nil
	})
}

// endAfter fails or ends the subscription after d, unless it is
// unsubscribed first, and then closes done (if not nil).
func (f *fakeSub) endAfter(how string, d time.Duration, done chan struct{}) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-f.quit:
		return
	case <-timer.C:
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.unsubscribed {
		return
	}
	if done != nil {
		defer close(done)
	}
	event.TraceDo(func() (string, []any) {
		if how == "fail" {
			f.failed = true
			f.err <- errInner
			return "InnerFail", nil
		}
		f.closed = true
		close(f.err)
		return "InnerEnd", nil
	})
}
