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
		n := 1 + rng.IntN(3)
		inner := make([]event.Subscription, n)
		errs := map[error]bool{}
		for i := range inner {
			pk := pick()
			if selfEnd && i == 0 {
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

func runErrCase(r *Run, kind string, c *errCase, rng *rand.Rand, values, selfEnded *atomic.Int64) {
	var (
		mu   sync.Mutex
		seen []error
	)
	// A feed's Err never carries a value: that is its
	// ErrClosedAfterUnsubscribe (FeedImpl has no SingleError).
	guarantee := "SingleError"
	if kind == kindNames[kindFeed] {
		guarantee = "ErrClosedAfterUnsubscribe"
	}
	record := func(e error) {
		values.Add(1)
		mu.Lock()
		seen = append(seen, e)
		n := len(seen)
		mu.Unlock()
		if n > 1 {
			r.Failf("%s: %s Err carried a second value %v", guarantee, kind, e)
		} else if !c.may(e) {
			r.Failf("%s: %s Err carried %v, which it may not carry", guarantee, kind, e)
		}
	}
	errc := c.sub.Err()
	monitorDone := make(chan struct{})
	go func() {
		defer close(monitorDone)
		for e := range errc {
			record(e)
		}
	}()
	if c.selfEnding {
		if !r.Wait(monitorDone, kind+" Err closing by itself") {
			return
		}
		selfEnded.Add(1)
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if c.wantValue && n != 1 || !c.wantValue && n != 0 {
			r.Failf("%s ended by itself with %d values on Err, want %v", kind, n, c.wantValue)
		}
	}
	callers := 1 + rng.IntN(4)
	closer := -1
	if c.close != nil && rng.IntN(2) == 0 {
		closer = rng.IntN(callers)
	}
	var (
		wg       sync.WaitGroup
		unsubbed atomic.Int32 // Unsubscribe calls that began
	)
	for i := range callers {
		yields := rng.IntN(16)
		wg.Add(1)
		go func() {
			defer wg.Done()
			Yield(yields)
			if i == closer {
				c.close()
				// A wrapper Unsubscribe that began before Close returned may
				// have taken the wrapper out of the scope before Close took
				// the scope's set; Close does not wait for that one.
				if unsubbed.Load() > 0 {
					return
				}
			} else {
				unsubbed.Add(1)
				c.sub.Unsubscribe()
			}
			if n := c.live.Load(); n != 0 {
				r.Failf("%s: %d producers/fn calls/inner subscriptions of a %s still run after Unsubscribe returned", leakName[kind], n, kind)
			}
			for {
				select {
				case e, ok := <-errc:
					if ok {
						record(e)
						continue
					}
				default:
					r.Failf("ErrClosedAfterUnsubscribe: %s Err still open after Unsubscribe returned", kind)
				}
				return
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	if !r.Wait(done, "UnsubscribeTerminates: concurrent Unsubscribe of a "+kind) {
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
