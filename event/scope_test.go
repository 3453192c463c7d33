package event

import (
	"fmt"
	"sync"
	"testing"
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
