package event

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

var errFail = errors.New("fail")

// TestResubscribeBackoff checks the wait sequence with virtual time: waits
// start at backoffMax/10 and double before each wait, capped at backoffMax,
// and reset to backoffMax/10 after a call that took longer than backoffMax.
func TestResubscribeBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const max = 10 * time.Second
		start := time.Now()
		var calls []time.Duration
		last := make(chan struct{})
		sub := Resubscribe(max, func(ctx context.Context) (Subscription, error) {
			calls = append(calls, time.Since(start))
			switch len(calls) {
			case 6:
				time.Sleep(max + time.Second) // a long attempt
			case 9:
				close(last)
				<-ctx.Done()
			}
			return nil, errFail
		})
		<-last
		sub.Unsubscribe()
		var gaps []time.Duration
		for i := 1; i < len(calls); i++ {
			gaps = append(gaps, calls[i]-calls[i-1])
		}
		s := time.Second
		want := []time.Duration{2 * s, 4 * s, 8 * s, 10 * s, 10 * s, 11*s + 1*s, 2 * s, 4 * s}
		if !slices.Equal(gaps, want) {
			t.Fatalf("gaps between calls %v, want %v", gaps, want)
		}
	})
}

func TestNextBackoff(t *testing.T) {
	const max = 100 * time.Millisecond
	for _, c := range []struct{ prev, took, want time.Duration }{
		{10 * time.Millisecond, 0, 20 * time.Millisecond},
		{60 * time.Millisecond, 0, max},
		{max, max, max},
		{max, max + 1, 10 * time.Millisecond},
	} {
		if got := nextBackoff(c.prev, max, c.took); got != c.want {
			t.Errorf("nextBackoff(%v, %v, took %v) = %v, want %v", c.prev, max, c.took, got, c.want)
		}
	}
}

// TestResubscribeErrPassesError: after an inner subscription fails, fn is
// called again at once with its error; an inner subscription that ends with
// nil closes Err, with no value.
func TestResubscribeErrPassesError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		first, second := newCountingSub(), newCountingSub()
		var got []error
		sub := ResubscribeErr(time.Second, func(ctx context.Context, prev error) (Subscription, error) {
			got = append(got, prev)
			if len(got) == 1 {
				return first, nil
			}
			return second, nil
		})
		first.end(errFail)
		synctest.Wait()
		second.end(nil)
		if _, ok := <-sub.Err(); ok {
			t.Fatal("Resubscribe Err carried a value")
		}
		if !slices.Equal(got, []error{nil, errFail}) {
			t.Fatalf("fn got %v, want [nil fail]", got)
		}
		if time.Since(start) != 0 {
			t.Fatalf("fn was called again after %v, want at once", time.Since(start))
		}
		if first.unsub.Load() == 0 || second.unsub.Load() == 0 {
			t.Fatal("ended inner subscriptions not unsubscribed")
		}
		sub.Unsubscribe()
	})
}

// TestNoLeakedInner: Unsubscribe cancels fn's context, waits for fn, and
// unsubscribes the subscription fn returns after Unsubscribe began.
func TestNoLeakedInner(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		late := newCountingSub()
		var fnReturned atomic.Bool
		sub := Resubscribe(time.Second, func(ctx context.Context) (Subscription, error) {
			<-ctx.Done()
			fnReturned.Store(true)
			return late, nil
		})
		synctest.Wait()
		sub.Unsubscribe()
		if !fnReturned.Load() {
			t.Fatal("Unsubscribe returned while fn was running")
		}
		if late.unsub.Load() != 1 {
			t.Fatalf("late inner subscription unsubscribed %d times, want 1", late.unsub.Load())
		}
		if !closed(t, sub.Err()) {
			t.Fatal("Err open after Unsubscribe")
		}
	})
}

// TestNoLeakedInnerReturnedWithError: a subscription that fn returns
// together with an error counts as a failed call: it is unsubscribed before
// the backoff wait (so before fn is called again), also when Unsubscribe
// comes while fn is running, and nothing else of it is used.
func TestNoLeakedInnerReturnedWithError(t *testing.T) {
	t.Run("failed-call", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			errored, good := newCountingSub(), newCountingSub()
			var calls []time.Duration
			var unsubBeforeSecond int32
			second := make(chan struct{})
			sub := Resubscribe(10*time.Second, func(ctx context.Context) (Subscription, error) {
				calls = append(calls, time.Since(start))
				if len(calls) == 1 {
					return errored, errFail
				}
				unsubBeforeSecond = errored.unsub.Load()
				close(second)
				return good, nil
			})
			defer sub.Unsubscribe()
			<-second
			synctest.Wait() // the second call returned good; the loop waits on it
			if len(calls) != 2 || calls[1] != 2*time.Second {
				t.Fatalf("calls at %v, want [0s 2s] (a failed call, then the backoff wait)", calls)
			}
			if unsubBeforeSecond != 1 {
				t.Fatalf("NoLeakedInner: subscription returned with an error unsubscribed %d times before fn was called again, want 1", unsubBeforeSecond)
			}
			sub.Unsubscribe()
			if n := errored.unsub.Load(); n != 1 {
				t.Fatalf("NoLeakedInner: subscription returned with an error unsubscribed %d times, want 1", n)
			}
			if n := good.unsub.Load(); n != 1 {
				t.Fatalf("inner subscription unsubscribed %d times, want 1", n)
			}
		})
	})
	t.Run("during-unsubscribe", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			late := newCountingSub()
			sub := Resubscribe(time.Second, func(ctx context.Context) (Subscription, error) {
				<-ctx.Done()
				return late, ctx.Err()
			})
			synctest.Wait()
			sub.Unsubscribe()
			if n := late.unsub.Load(); n != 1 {
				t.Fatalf("NoLeakedInner: subscription returned with an error after Unsubscribe began unsubscribed %d times, want 1", n)
			}
		})
	})
}

// TestAtMostOneInner: fn is never called while an inner subscription is
// live, and Unsubscribe leaves none live.
func TestAtMostOneInner(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var live atomic.Int32
		var current *countingSub
		calls := 0
		sub := Resubscribe(time.Second, func(ctx context.Context) (Subscription, error) {
			if live.Load() != 0 {
				t.Error("fn called while an inner subscription is live")
			}
			calls++
			if calls%3 == 0 {
				return nil, errFail
			}
			live.Add(1)
			current = newCountingSub()
			s := current
			return NewSubscription(func(quit <-chan struct{}) error {
				defer live.Add(-1)
				select {
				case <-quit:
					return nil
				case err := <-s.Err():
					return err
				}
			}), nil
		})
		for range 10 {
			synctest.Wait()
			current.end(errFail)
		}
		synctest.Wait()
		sub.Unsubscribe()
		if live.Load() != 0 {
			t.Fatalf("%d inner subscriptions live after Unsubscribe", live.Load())
		}
	})
}

// TestAtLeastOneCall: fn is called exactly once when Unsubscribe follows
// Resubscribe at once, and a fn that waits for its context to be done and
// then signals is not left hanging (go-ethereum's own test of this ran into
// its timeout against the code before issue 11, which called fn only when
// the loop started before Unsubscribe). Fake time bounds the wait: a fn
// whose context is not done within a minute reports it. Repeated, because
// whether Unsubscribe comes before the loop starts is up to the scheduler.
func TestAtLeastOneCall(t *testing.T) {
	const runs = atLeastOneCallRuns
	for _, withErr := range []bool{false, true} {
		name := "Resubscribe"
		if withErr {
			name = "ResubscribeErr"
		}
		t.Run(name, func(t *testing.T) {
			doneAtEntry := 0
			for run := range runs {
				synctest.Test(t, func(t *testing.T) {
					if unsubscribeAtOnce(t, run, withErr) {
						doneAtEntry++
					}
				})
				if t.Failed() {
					return
				}
			}
			// A call that begins after Unsubscribe gets a context that is
			// already done; whether it begins after is up to the scheduler,
			// but in 200 runs it nearly always is.
			t.Logf("%d of %d first calls began with their context already done", doneAtEntry, runs)
			if doneAtEntry == 0 {
				t.Errorf("CtxCancelledOnUnsubscribe: no first call of %d began with a done context", runs)
			}
		})
	}
}

// atLeastOneCallRuns is how many runs TestAtLeastOneCall makes per
// function.
const atLeastOneCallRuns = 200

// unsubscribeAtOnce is one run of TestAtLeastOneCall: Resubscribe (or
// ResubscribeErr) and at once Unsubscribe, which must return after exactly
// one call of fn, whose context it cancels. It reports whether that call
// began with its context already done.
func unsubscribeAtOnce(t *testing.T, run int, withErr bool) (doneAtEntry bool) {
	var calls atomic.Int32
	var atEntry atomic.Bool
	signal := make(chan error, atLeastOneCallRuns) // room for every call's signals
	fn := func(ctx context.Context, lastErr error) (Subscription, error) {
		if calls.Add(1) == 1 && ctx.Err() != nil {
			atEntry.Store(true)
		}
		if lastErr != nil {
			signal <- fmt.Errorf("first call got lastErr %v, want nil", lastErr)
		}
		timeout := time.NewTimer(time.Minute)
		defer timeout.Stop()
		select {
		case <-ctx.Done():
			signal <- nil
		case <-timeout.C:
			signal <- errors.New("fn's context not done a minute after Unsubscribe")
		}
		return nil, nil // after Unsubscribe: discarded, no panic
	}
	var sub Subscription
	if withErr {
		sub = ResubscribeErr(time.Second, fn)
	} else {
		sub = Resubscribe(time.Second, func(ctx context.Context) (Subscription, error) { return fn(ctx, nil) })
	}
	sub.Unsubscribe()
	if n := calls.Load(); n != 1 {
		t.Fatalf("run %d: AtLeastOneCall: fn called %d times before Unsubscribe returned, want exactly 1", run, n)
	}
	// Unsubscribe waited for that call: its signal is there.
	select {
	case err := <-signal:
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
	default:
		t.Fatalf("run %d: Unsubscribe returned before fn did", run)
	}
	if !closed(t, sub.Err()) {
		t.Fatalf("run %d: Err open after Unsubscribe", run)
	}
	return atEntry.Load()
}

// TestCtxCancelledOnUnsubscribe: Unsubscribe cancels the context of a call
// of fn in progress before that call returns, even one that waits for
// something other than its context.
func TestCtxCancelledOnUnsubscribe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		ctxErr := make(chan error, 1)
		sub := Resubscribe(time.Second, func(ctx context.Context) (Subscription, error) {
			<-release
			ctxErr <- ctx.Err()
			return nil, errFail
		})
		synctest.Wait() // fn is waiting for release
		unsubscribed := make(chan struct{})
		go func() {
			sub.Unsubscribe()
			close(unsubscribed)
		}()
		synctest.Wait() // Unsubscribe is waiting for fn
		close(release)
		<-unsubscribed
		if err := <-ctxErr; err != context.Canceled {
			t.Fatalf("fn's context after Unsubscribe was called: %v, want %v", err, context.Canceled)
		}
	})
}

func TestResubscribeUnsubscribeDuringBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		sub := Resubscribe(time.Hour, func(context.Context) (Subscription, error) { return nil, errFail })
		synctest.Wait() // waiting out the backoff
		sub.Unsubscribe()
		if time.Since(start) != 0 {
			t.Fatalf("Unsubscribe waited %v for the backoff", time.Since(start))
		}
	})
}

func TestResubscribeContextCancelledWhenFnReturns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var fnCtx context.Context
		inner := newCountingSub()
		sub := Resubscribe(time.Second, func(ctx context.Context) (Subscription, error) {
			fnCtx = ctx
			return inner, nil
		})
		synctest.Wait()
		if fnCtx.Err() != context.Canceled {
			t.Fatalf("fn's context: %v, want cancelled once fn returned", fnCtx.Err())
		}
		sub.Unsubscribe()
		if inner.unsub.Load() != 1 {
			t.Fatal("inner subscription not unsubscribed")
		}
	})
}

// TestResubscribeNilSubscriptionAfterUnsubscribe: (nil, nil) from fn after
// Unsubscribe began is discarded, not a panic.
func TestResubscribeNilSubscriptionAfterUnsubscribe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sub := Resubscribe(time.Second, func(ctx context.Context) (Subscription, error) {
			<-ctx.Done()
			return nil, nil
		})
		synctest.Wait()
		sub.Unsubscribe()
	})
}

// TestResubscribeNilSubscriptionPanics runs itself in a child process, where
// the loop goroutine's panic ends the program.
func TestResubscribeNilSubscriptionPanics(t *testing.T) {
	if os.Getenv("EVENTSPEC_NIL_SUBSCRIPTION_CHILD") == "1" {
		Resubscribe(time.Second, func(context.Context) (Subscription, error) { return nil, nil })
		select {} // the panic ends the process
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestResubscribeNilSubscriptionPanics$")
	cmd.Env = append(os.Environ(), "EVENTSPEC_NIL_SUBSCRIPTION_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("child did not fail")
	}
	if want := "panic: event: ResubscribeFunc returned nil subscription and no error"; !strings.Contains(string(out), want) {
		t.Fatalf("child output lacks %q:\n%s", want, out)
	}
}

func ExampleResubscribe() {
	var feed FeedOf[int]
	values := make(chan int, 1)
	subscribed := make(chan struct{})
	attempts := 0
	sub := Resubscribe(time.Millisecond, func(ctx context.Context) (Subscription, error) {
		attempts++
		if attempts < 3 {
			return nil, errors.New("not yet")
		}
		defer close(subscribed)
		return feed.Subscribe(values), nil
	})
	<-subscribed
	fmt.Println("attempts:", attempts, "delivered:", feed.Send(1))
	fmt.Println("received", <-values)
	sub.Unsubscribe()
	fmt.Println("after Unsubscribe:", feed.Send(2))
	// Output:
	// attempts: 3 delivered: 1
	// received 1
	// after Unsubscribe: 0
}
