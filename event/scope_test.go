package event

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/eventspec/eventspec/internal/testkit"
)

func TestScopeTrackUnsubscribe(t *testing.T) {
	var sc SubscriptionScope
	inner := newCountingSub()
	w := sc.Track(inner)
	if sc.Count() != 1 {
		t.Fatalf("Count = %d, want 1", sc.Count())
	}
	if w.Err() != inner.Err() {
		t.Fatal("wrapper Err is not the inner Err")
	}
	w.Unsubscribe()
	w.Unsubscribe()
	if sc.Count() != 0 || inner.unsub.Load() != 1 {
		t.Fatalf("Count = %d, inner unsubscribed %d times; want 0 and 1", sc.Count(), inner.unsub.Load())
	}
}

func TestScopeClose(t *testing.T) {
	var sc SubscriptionScope
	inners := []*countingSub{newCountingSub(), newCountingSub(), newCountingSub()}
	wrappers := make([]Subscription, len(inners))
	for i, s := range inners {
		wrappers[i] = sc.Track(s)
	}
	wrappers[0].Unsubscribe()
	sc.Close()
	sc.Close()
	for _, w := range wrappers {
		w.Unsubscribe()
	}
	for i, s := range inners {
		if n := s.unsub.Load(); n != 1 {
			t.Fatalf("inner %d unsubscribed %d times, want exactly once", i, n)
		}
	}
	late := newCountingSub()
	if w := sc.Track(late); w != nil {
		t.Fatalf("Track after Close = %v, want nil", w)
	}
	if late.unsub.Load() != 0 || sc.Count() != 0 {
		t.Fatal("Track after Close touched the subscription or the count")
	}
}

// TestScopeExactlyOnceConcurrent: wrapper Unsubscribe and Close racing
// unsubscribe each tracked subscription exactly once, and every caller
// returns after it.
func TestScopeExactlyOnceConcurrent(t *testing.T) {
	for range 100 {
		var sc SubscriptionScope
		inners := make([]*countingSub, 8)
		wrappers := make([]Subscription, len(inners))
		for i := range inners {
			inners[i] = newCountingSub()
			wrappers[i] = sc.Track(inners[i])
		}
		var wg sync.WaitGroup
		for i := range wrappers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				wrappers[i].Unsubscribe()
				if !closed(t, inners[i].Err()) {
					t.Error("wrapper Unsubscribe returned before the inner one")
				}
			}()
		}
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sc.Close()
				for _, s := range inners {
					if !closed(t, s.Err()) {
						t.Error("Close returned before an inner Unsubscribe")
					}
				}
			}()
		}
		wg.Wait()
		for i, s := range inners {
			if n := s.unsub.Load(); n != 1 {
				t.Fatalf("inner %d unsubscribed %d times", i, n)
			}
		}
	}
}

func TestScopeTrackNil(t *testing.T) {
	var sc SubscriptionScope
	msg, _ := panicMessage(t, func() { sc.Track(nil) })
	if msg != "event: SubscriptionScope.Track of a nil Subscription" {
		t.Fatalf("panic %q", msg)
	}
}

func ExampleSubscriptionScope() {
	var (
		scope SubscriptionScope
		feed  FeedOf[int]
	)
	for i := 0; i < 3; i++ {
		scope.Track(feed.Subscribe(make(chan int, 1)))
	}
	fmt.Println("tracked:", scope.Count(), "delivered:", feed.Send(1))
	scope.Close()
	fmt.Println("tracked:", scope.Count(), "delivered:", feed.Send(2))
	// Output:
	// tracked: 3 delivered: 3
	// tracked: 0 delivered: 0
}

// panicSub is an inner subscription whose Unsubscribe panics with value; if
// release is set, it first closes entered (once) and waits for release.
type panicSub struct {
	countingSub
	value   any
	entered chan struct{}
	release chan struct{}
}

func newPanicSub(value any) *panicSub {
	return &panicSub{countingSub: countingSub{err: make(chan error)}, value: value}
}

// slow makes Unsubscribe wait for release, closing entered when it begins.
func (s *panicSub) slow() *panicSub {
	s.entered, s.release = make(chan struct{}), make(chan struct{})
	return s
}

func (s *panicSub) Unsubscribe() {
	s.unsub.Add(1)
	if s.release != nil {
		close(s.entered)
		<-s.release
	}
	panic(s.value)
}

// TestScopeCloseTerminatesAfterPanic: when an inner Unsubscribe panics,
// Close still unsubscribes every other tracked subscription and closes the
// scope, then re-raises the first panic; later Close calls return at once
// (ScopeCloseTerminates).
func TestScopeCloseTerminatesAfterPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sc SubscriptionScope
		boom1, boom2 := errors.New("boom 1"), errors.New("boom 2")
		bad := []*panicSub{newPanicSub(boom1), newPanicSub(boom2)}
		var good []*countingSub
		for range 4 {
			good = append(good, newCountingSub())
			sc.Track(good[len(good)-1])
		}
		sc.Track(bad[0])
		sc.Track(bad[1])
		if v := testkit.Catch(sc.Close); v != boom1 && v != boom2 {
			t.Fatalf("Close panicked with %v, want one of the inner panics", v)
		}
		for i, s := range good {
			if n := s.unsub.Load(); n != 1 {
				t.Errorf("inner %d unsubscribed %d times, want 1", i, n)
			}
		}
		for i, s := range bad {
			if n := s.unsub.Load(); n != 1 {
				t.Errorf("panicking inner %d unsubscribed %d times, want 1", i, n)
			}
		}
		if n := sc.Count(); n != 0 {
			t.Errorf("Count = %d after Close", n)
		}
		if w := sc.Track(newCountingSub()); w != nil {
			t.Error("Track after a panicking Close returned a wrapper")
		}
		later := testkit.Go(func() {
			if v := testkit.Catch(sc.Close); v != nil {
				t.Errorf("later Close panicked with %v", v)
			}
		})
		synctest.Wait()
		if !testkit.IsClosed(later) {
			t.Fatal("a Close after the panicking one is blocked")
		}
	})
}

// TestScopeCloseTerminatesReleasesWaiters: a Close waiting for a first Close
// whose inner Unsubscribe panics returns once the first has finished, and
// only the first re-raises the panic (ScopeCloseTerminates).
func TestScopeCloseTerminatesReleasesWaiters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sc SubscriptionScope
		boom := errors.New("boom")
		bad := newPanicSub(boom).slow()
		good := newCountingSub()
		sc.Track(bad)
		sc.Track(good)
		var firstPanic, secondPanic any
		first := testkit.Go(func() { firstPanic = testkit.Catch(sc.Close) })
		<-bad.entered
		second := testkit.Go(func() { secondPanic = testkit.Catch(sc.Close) })
		synctest.Wait()
		if testkit.IsClosed(second) {
			t.Fatal("a second Close returned while the first is unsubscribing")
		}
		close(bad.release)
		<-first
		synctest.Wait()
		if !testkit.IsClosed(second) {
			t.Fatal("the second Close is still blocked after the first returned")
		}
		if firstPanic != boom || secondPanic != nil {
			t.Fatalf("first Close panicked with %v, second with %v; want %v and nothing", firstPanic, secondPanic, boom)
		}
		if good.unsub.Load() != 1 {
			t.Fatal("the other inner subscription was not unsubscribed")
		}
	})
}

// TestScopeCloseTerminatesAfterGoexit: an inner Unsubscribe that ends its
// goroutine (runtime.Goexit, as t.FailNow does) does not leave later Close
// calls blocked.
func TestScopeCloseTerminatesAfterGoexit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sc SubscriptionScope
		exiting := NewSubscription(func(quit <-chan struct{}) error { <-quit; return nil })
		sc.Track(goexitSub{exiting})
		<-testkit.Go(sc.Close) // its goroutine exits inside Close
		later := testkit.Go(sc.Close)
		synctest.Wait()
		if !testkit.IsClosed(later) {
			t.Fatal("Close after a Close whose goroutine exited is blocked")
		}
	})
}

// goexitSub unsubscribes its inner subscription, then ends the goroutine.
type goexitSub struct{ Subscription }

func (s goexitSub) Unsubscribe() {
	s.Subscription.Unsubscribe()
	runtime.Goexit()
}

// TestScopeWrapperPanicLeavesScope: a wrapper whose inner Unsubscribe panics
// raises the panic to its caller, still leaves the scope, and never
// unsubscribes the inner subscription again.
func TestScopeWrapperPanicLeavesScope(t *testing.T) {
	var sc SubscriptionScope
	boom := errors.New("boom")
	bad := newPanicSub(boom)
	w := sc.Track(bad)
	if v := testkit.Catch(w.Unsubscribe); v != boom {
		t.Fatalf("wrapper Unsubscribe panicked with %v, want %v", v, boom)
	}
	if n := sc.Count(); n != 0 {
		t.Fatalf("Count = %d after the wrapper's Unsubscribe panicked, want 0", n)
	}
	if v := testkit.Catch(w.Unsubscribe); v != nil {
		t.Fatalf("second wrapper Unsubscribe panicked with %v", v)
	}
	if v := testkit.Catch(sc.Close); v != nil {
		t.Fatalf("Close panicked with %v", v)
	}
	if n := bad.unsub.Load(); n != 1 {
		t.Fatalf("inner unsubscribed %d times, want 1", n)
	}
}

// TestScopeWrapperPanicRacingClose: a wrapper Unsubscribe and Close racing
// for an inner Unsubscribe that panics both return; the one that called the
// inner Unsubscribe raises its panic, the other returns normally, and a
// later Close returns at once.
func TestScopeWrapperPanicRacingClose(t *testing.T) {
	for _, wrapperFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("wrapperFirst=%v", wrapperFirst), func(t *testing.T) {
			var sc SubscriptionScope
			boom := errors.New("boom")
			bad := newPanicSub(boom).slow()
			good := newCountingSub()
			w := sc.Track(bad)
			sc.Track(good)
			var wPanic, cPanic any
			unsub := func() { wPanic = testkit.Catch(w.Unsubscribe) }
			closeScope := func() { cPanic = testkit.Catch(sc.Close) }
			first, second := unsub, closeScope
			if !wrapperFirst {
				first, second = closeScope, unsub
			}
			firstDone := testkit.Go(first)
			testkit.Within(t, bad.entered, "the inner Unsubscribe")
			secondDone := testkit.Go(second)
			close(bad.release)
			testkit.Within(t, firstDone, "the first call")
			testkit.Within(t, secondDone, "the second call")
			want := []any{boom, nil}
			if !wrapperFirst {
				want = []any{nil, boom}
			}
			if wPanic != want[0] || cPanic != want[1] {
				t.Fatalf("wrapper panicked with %v, Close with %v; want %v and %v", wPanic, cPanic, want[0], want[1])
			}
			testkit.Within(t, testkit.Go(sc.Close), "a later Close")
			if sc.Count() != 0 || bad.unsub.Load() != 1 || good.unsub.Load() != 1 {
				t.Fatalf("Count %d, inner Unsubscribe calls %d and %d; want 0, 1, 1", sc.Count(), bad.unsub.Load(), good.unsub.Load())
			}
		})
	}
}
