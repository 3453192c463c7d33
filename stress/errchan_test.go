package stress

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

// errCase is one Subscription of some kind under test, with what its Err
// channel may carry.
type errCase struct {
	sub event.Subscription
	// may reports whether err is a value this subscription's Err may carry.
	may func(err error) bool
	// selfEnding: Err closes without Unsubscribe; wantValue then says
	// whether it must carry exactly one value first.
	selfEnding, wantValue bool
	// live counts producers, fn calls and inner subscriptions of this case
	// still running; it must be 0 once Unsubscribe returned.
	live *atomic.Int64
	// close is another way to end the subscription (SubscriptionScope.Close).
	close func()
	// check, when set, returns a violation seen inside the case ("" if none).
	check func() string
}

// producerKind is what a NewSubscription producer does.
type producerKind int

const (
	produceErr  producerKind = iota // return an error after a few yields
	produceNil                      // return nil after a few yields
	produceWait                     // wait for quit, then return an error (must not be delivered)
)

// instrumentedSub returns a NewSubscription whose producer does kind and
// counts itself in every live counter while it runs; err is what it returns.
func instrumentedSub(kind producerKind, yields int, err error, live ...*atomic.Int64) event.Subscription {
	for _, l := range live {
		l.Add(1)
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer func() {
			for _, l := range live {
				l.Add(-1)
			}
		}()
		switch kind {
		case produceErr:
			Yield(yields)
			return err
		case produceNil:
			Yield(yields)
			return nil
		default:
			<-quit
			return err
		}
	})
}

var errSeq atomic.Int64

func newErr(what string) error { return fmt.Errorf("%s failure #%d", what, errSeq.Add(1)) }

const (
	kindFeed = iota
	kindNewSubscription
	kindResubscribe
	kindResubscribeErr
	kindJoin
	kindScope
	numKinds
)

var kindNames = [numKinds]string{"feed", "NewSubscription", "Resubscribe", "ResubscribeErr", "JoinSubscriptions", "scope"}

// leakName is the guarantee that nothing a subscription of a kind started
// runs once its Unsubscribe returned.
var leakName = map[string]string{
	"feed":              "UnsubscribeTerminates",
	"NewSubscription":   "ErrClosedAfterUnsubscribe",
	"Resubscribe":       "NoLeakedInner",
	"ResubscribeErr":    "NoLeakedInner",
	"JoinSubscriptions": "JoinUnsubscribesAll",
	"scope":             "ScopeUnsubscribesOnce",
}

// TestSingleErrorAndErrClosedAfterUnsubscribe builds Subscriptions of every
// kind with producers that fail, end or wait, and either lets them end by
// themselves or unsubscribes them from up to four goroutines at random points
// while a monitor reads Err.
func TestSingleErrorAndErrClosedAfterUnsubscribe(t *testing.T) {
	r := Start(t, 40_000,
		"SingleError (each value read from Err, by any reader: at most one per subscription, and only an error the subscription may carry)",
		"ErrClosedAfterUnsubscribe (each returning Unsubscribe call: Err is closed, at most one buffered value before the close)",
		"UnsubscribeTerminates (Unsubscribe from 1-4 goroutines at once returns everywhere; scope Close racing it)",
		"NoLeakedInner, JoinUnsubscribesAll (each returning Unsubscribe: no producer, fn call or inner subscription of it still runs)",
		"self-ending subscriptions carry exactly the value they must (NewSubscription/Join/scope: the producer error; Resubscribe: none) and then close",
		"kinds: feed, NewSubscription, Resubscribe, ResubscribeErr, JoinSubscriptions, SubscriptionScope wrapper")
	var perKind [numKinds]*atomic.Int64
	for k := range perKind {
		perKind[k] = r.Counter("kind-" + kindNames[k])
	}
	values := r.Counter("err-values-seen")
	selfEnded := r.Counter("self-ended")
	r.Workers(4, func(w int, rng *rand.Rand) {
		var feed event.FeedOf[int]
		for r.Next() {
			kind := rng.IntN(numKinds)
			perKind[kind].Add(1)
			selfEnd := kind != kindFeed && rng.IntN(3) == 0
			c := buildErrCase(kind, selfEnd, rng, &feed)
			runErrCase(r, kindNames[kind], c, rng, values, selfEnded)
		}
	})
}

func buildErrCase(kind int, selfEnd bool, rng *rand.Rand, feed *event.FeedOf[int]) *errCase {
	c := &errCase{live: new(atomic.Int64), selfEnding: selfEnd}
	none := func(error) bool { return false }
	// A producer that ends by itself when selfEnd, anything otherwise.
	pick := func() producerKind {
		if selfEnd {
			return producerKind(rng.IntN(2))
		}
		return producerKind(rng.IntN(3))
	}
	switch kind {
	case kindFeed:
		c.sub = feed.Subscribe(make(chan int))
		c.may = none
	case kindNewSubscription, kindScope:
		pk := pick()
		err := newErr("producer")
		c.sub = instrumentedSub(pk, rng.IntN(8), err, c.live)
		c.may = func(e error) bool { return e == err && pk != produceWait }
		c.wantValue = pk == produceErr
		if kind == kindScope {
			scope := new(event.SubscriptionScope)
			c.sub = scope.Track(c.sub)
			c.close = scope.Close
		}
	case kindJoin:
		buildJoinCase(c, pick, rng)
	case kindResubscribe, kindResubscribeErr:
		c.may = none
		fn := &flakyFn{live: c.live, selfEnd: selfEnd, seed: rng.Uint64()}
		c.check = fn.violation
		backoff := time.Duration(1+rng.IntN(50)) * time.Microsecond
		if kind == kindResubscribe {
			c.sub = event.Resubscribe(backoff, func(ctx context.Context) (event.Subscription, error) {
				return fn.call(ctx, nil, false)
			})
		} else {
			c.sub = event.ResubscribeErr(backoff, func(ctx context.Context, lastErr error) (event.Subscription, error) {
				return fn.call(ctx, lastErr, true)
			})
		}
	}
	return c
}

// buildJoinCase makes c a JoinSubscriptions of one to three instrumented
// subscriptions whose producers pick chooses.
func buildJoinCase(c *errCase, pick func() producerKind, rng *rand.Rand) {
	n := 1 + rng.IntN(3)
	inner := make([]event.Subscription, n)
	errs := map[error]bool{}
	for i := range inner {
		pk := pick()
		if c.selfEnding && i == 0 {
			pk = produceErr // a Join ends by itself only through an error
		}
		err := newErr("joined")
		if pk != produceWait {
			errs[err] = pk == produceErr
		}
		inner[i] = instrumentedSub(pk, rng.IntN(8), err, c.live)
	}
	c.sub = event.JoinSubscriptions(inner...)
	c.may = func(e error) bool { return errs[e] }
	c.wantValue = true
}

// runErrCase monitors c's Err, waits for c to end by itself if it is
// self-ending, then unsubscribes it (or closes its scope) from one to four
// goroutines at once and checks what each saw once its call returned.
func runErrCase(r *Run, kind string, c *errCase, rng *rand.Rand, values, selfEnded *atomic.Int64) {
	e := &errRun{r: r, kind: kind, c: c, values: values, errc: c.sub.Err(), guarantee: "SingleError"}
	// A feed's Err never carries a value: that is its
	// ErrClosedAfterUnsubscribe (FeedImpl has no SingleError).
	if kind == kindNames[kindFeed] {
		e.guarantee = "ErrClosedAfterUnsubscribe"
	}
	monitorDone := testkit.Go(func() {
		for err := range e.errc {
			e.record(err)
		}
	})
	if c.selfEnding {
		if !r.Wait(monitorDone, kind+" Err closing by itself") {
			return
		}
		selfEnded.Add(1)
		e.checkSelfEnded()
	}
	callers := 1 + rng.IntN(4)
	closer := -1
	if c.close != nil && rng.IntN(2) == 0 {
		closer = rng.IntN(callers)
	}
	var wg sync.WaitGroup
	for i := range callers {
		yields := rng.IntN(16)
		wg.Go(func() { e.unsubscribe(i == closer, yields) })
	}
	if !r.Wait(testkit.Go(wg.Wait), "UnsubscribeTerminates: concurrent Unsubscribe of a "+kind) {
		return
	}
	if closer >= 0 {
		// Close ended the scope; one more Unsubscribe must still return.
		c.sub.Unsubscribe()
	}
	r.Wait(monitorDone, kind+" monitor")
	if c.check != nil {
		if msg := c.check(); msg != "" {
			r.Failf("%s: %s", kind, msg)
		}
	}
}

// errRun is the state of runErrCase.
type errRun struct {
	r         *Run
	kind      string
	c         *errCase
	guarantee string // the guarantee a wrong value on Err breaks
	values    *atomic.Int64
	errc      <-chan error
	unsubbed  atomic.Int32 // Unsubscribe calls that began

	mu   sync.Mutex
	seen []error // values read from Err
}

// record checks a value read from Err: the first and one it may carry.
func (e *errRun) record(err error) {
	e.values.Add(1)
	e.mu.Lock()
	e.seen = append(e.seen, err)
	n := len(e.seen)
	e.mu.Unlock()
	if n > 1 {
		e.r.Failf("%s: %s Err carried a second value %v", e.guarantee, e.kind, err)
	} else if !e.c.may(err) {
		e.r.Failf("%s: %s Err carried %v, which it may not carry", e.guarantee, e.kind, err)
	}
}

// checkSelfEnded checks, once Err closed by itself, that it carried a
// value exactly when it must.
func (e *errRun) checkSelfEnded() {
	e.mu.Lock()
	n := len(e.seen)
	e.mu.Unlock()
	if e.c.wantValue && n != 1 || !e.c.wantValue && n != 0 {
		e.r.Failf("%s ended by itself with %d values on Err, want %v", e.kind, n, e.c.wantValue)
	}
}

// unsubscribe calls Unsubscribe (or the case's close, if closes) after
// yields yields and checks, once it returned, that nothing of the case
// still runs and that Err is closed.
func (e *errRun) unsubscribe(closes bool, yields int) {
	Yield(yields)
	if closes {
		e.c.close()
		// A wrapper Unsubscribe that began before Close returned may have
		// taken the wrapper out of the scope before Close took the scope's
		// set; Close does not wait for that one.
		if e.unsubbed.Load() > 0 {
			return
		}
	} else {
		e.unsubbed.Add(1)
		e.c.sub.Unsubscribe()
	}
	if n := e.c.live.Load(); n != 0 {
		e.r.Failf("%s: %d producers/fn calls/inner subscriptions of a %s still run after Unsubscribe returned", leakName[e.kind], n, e.kind)
	}
	for {
		select {
		case err, ok := <-e.errc:
			if ok {
				e.record(err)
				continue
			}
		default:
			e.r.Failf("ErrClosedAfterUnsubscribe: %s Err still open after Unsubscribe returned", e.kind)
		}
		return
	}
}
