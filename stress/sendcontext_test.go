package stress

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSendContextChurn drives Feed.SendContext under churn; see runSendContextChurn.
func TestSendContextChurn(t *testing.T) { runSendContextChurn(t, newFeed()) }

// TestFeedOfSendContextChurn is TestSendContextChurn for FeedOf[int].
func TestFeedOfSendContextChurn(t *testing.T) { runSendContextChurn(t, newFeedOf()) }

// sendContextValue is what is known of one value: the deliveries its
// SendContext reported and the copies subscribers took out.
type sendContextValue struct {
	reported, taken atomic.Int64
}

const (
	sendContextSenders  = 3
	sendContextChurners = 3
)

// runSendContextChurn: sendContextSenders goroutines call SendContext with
// contexts that end by a short deadline, by a cancel from another goroutine
// or before the call, while sendContextChurners goroutines subscribe
// channels, receive a random number of values at random speeds and
// unsubscribe. One unbuffered channel stays subscribed throughout and is
// never read, so no SendContext can reach every entry: each must return
// because its ctx ended, with ctx's error.
func runSendContextChurn(t *testing.T, f intFeed) {
	r := Start(t, 60_000,
		"SendContextTerminates (every SendContext returns although one subscriber never reads; the stall watchdog fails a hang)",
		"NoDeliveryAfterSendContextReturns and DeliveredExactlyOnce (end: every value was taken exactly as many times as its SendContext reported)",
		"SendContext errors (each call: ctx's error or cause, never nil while an entry cannot take the value)")
	stuck := f.Subscribe(make(chan int))
	var (
		mu     sync.Mutex
		values = map[int]*sendContextValue{}
		last   atomic.Int64
	)
	value := func(v int) *sendContextValue {
		mu.Lock()
		defer mu.Unlock()
		rec, ok := values[v]
		if !ok {
			rec = new(sendContextValue)
			values[v] = rec
		}
		return rec
	}
	modes := [3]*atomic.Int64{r.Counter("deadline"), r.Counter("cancelled-by-other"), r.Counter("done-at-call")}
	cause := errors.New("producer gave up")
	stop := make(chan struct{})
	var churners sync.WaitGroup
	for w := range sendContextChurners {
		churners.Go(func() { sendContextChurner(r, f, r.Rand(100+w), stop, value) })
	}
	r.Workers(sendContextSenders, func(_ int, rng *rand.Rand) {
		for r.Next() {
			v := int(last.Add(1))
			mode := rng.IntN(3)
			modes[mode].Add(1)
			ctx, cancel := sendContextCtx(mode, rng, cause)
			n, err := f.SendContext(ctx, v)
			cancel(nil)
			value(v).reported.Store(int64(n))
			switch {
			case err == nil:
				r.Failf("SendContext(%d) returned (%d, nil) although an entry never reads", v, n)
			case !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) && err != cause:
				r.Failf("SendContext(%d) returned error %v, not ctx's", v, err)
			}
		}
	})
	close(stop)
	churners.Wait()
	stuck.Unsubscribe()
	for v, rec := range values {
		if got, want := rec.taken.Load(), rec.reported.Load(); got != want {
			r.Failf("value %d was taken %d times, its SendContext reported %d deliveries", v, got, want)
		}
	}
}

// sendContextCtx returns a context for mode 0 (a deadline of up to 200 µs),
// 1 (cancelled with cause by another goroutine after a few yields) or 2
// (cancelled before the call), and a function that releases it.
func sendContextCtx(mode int, rng *rand.Rand, cause error) (context.Context, context.CancelCauseFunc) {
	switch mode {
	case 0:
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rng.IntN(200))*time.Microsecond)
		return ctx, func(error) { cancel() }
	case 1:
		ctx, cancel := context.WithCancelCause(context.Background())
		yields := rng.IntN(8)
		go func() {
			Yield(yields)
			cancel(cause)
		}()
		return ctx, cancel
	default:
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(cause)
		return ctx, cancel
	}
}

// sendContextChurner subscribes a channel of capacity 0 to 2, takes a
// random number of values from it at a random pace, unsubscribes it and
// takes what its buffer still holds, until stop is closed.
func sendContextChurner(r *Run, f intFeed, rng *rand.Rand, stop <-chan struct{}, value func(int) *sendContextValue) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		ch := make(chan int, rng.IntN(3))
		sub := f.Subscribe(ch)
		for range rng.IntN(20) {
			select {
			case v := <-ch:
				value(v).taken.Add(1)
			case <-stop:
			}
			if rng.IntN(4) == 0 {
				Yield(rng.IntN(4))
			}
		}
		sub.Unsubscribe()
		for len(ch) > 0 {
			value(<-ch).taken.Add(1)
		}
		r.Progress()
	}
}
