package event

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eventspec/eventspec/internal/testkit"
)

type testEvent int
type otherEvent string

func TestTypeMuxDuplicateTypeRegistersNothing(t *testing.T) {
	var mux TypeMux
	msg, isErr := panicMessage(t, func() { mux.Subscribe(testEvent(0), otherEvent(""), testEvent(1)) })
	if want := "event: duplicate type event.testEvent in Subscribe"; msg != want || isErr {
		t.Fatalf("panic %q (error: %v), want string %q", msg, isErr, want)
	}
	// Nothing was registered: Posts of either type reach no one and return.
	if err := mux.Post(testEvent(1)); err != nil {
		t.Fatal(err)
	}
	if err := mux.Post(otherEvent("x")); err != nil {
		t.Fatal(err)
	}
	// The panic left the mux unlocked: it still subscribes and stops.
	sub := mux.Subscribe(testEvent(0))
	mux.Stop()
	if !closed(t, sub.Chan()) {
		t.Fatal("Stop after a panicking Subscribe left a channel open")
	}
}

func TestTypeMuxPost(t *testing.T) {
	var mux TypeMux
	sub := mux.Subscribe(testEvent(0))
	other := mux.Subscribe(otherEvent(""))
	before := time.Now()
	posted := make(chan error, 1)
	go func() { posted <- mux.Post(testEvent(5)) }()
	ev := testkit.Within(t, sub.Chan(), "delivery")
	if err := testkit.Within(t, posted, "Post"); err != nil {
		t.Fatal(err)
	}
	if ev.Data != testEvent(5) || ev.Time.Before(before) || ev.Time.After(time.Now()) {
		t.Fatalf("got %+v", ev)
	}
	select {
	case ev := <-other.Chan():
		t.Fatalf("subscription for another type got %+v", ev)
	default:
	}
	if err := mux.Post(int(5)); err != nil { // no subscriber for int
		t.Fatal(err)
	}
	mux.Stop()
}

// withBlockedPost runs test in a synctest bubble on a TypeMux with one
// subscription to testEvent, which nobody reads, and a Post of testEvent(1)
// durably blocked on it; posted is closed when that Post returns.
func withBlockedPost(t *testing.T, test func(t *testing.T, mux *TypeMux, sub *TypeMuxSubscription, posted <-chan struct{})) {
	synctest.Test(t, func(t *testing.T) {
		var mux TypeMux
		sub := mux.Subscribe(testEvent(0))
		posted := testkit.Go(func() { mux.Post(testEvent(1)) })
		synctest.Wait() // the Post is blocked on sub
		test(t, &mux, sub, posted)
	})
}

// TestTypeMuxNoStaleEvents: a subscription created while a Post is under way
// does not get that event.
func TestTypeMuxNoStaleEvents(t *testing.T) {
	withBlockedPost(t, func(t *testing.T, mux *TypeMux, first *TypeMuxSubscription, posted <-chan struct{}) {
		late := mux.Subscribe(testEvent(0))
		<-first.Chan()
		<-posted
		select {
		case ev := <-late.Chan():
			t.Fatalf("late subscription got stale event %+v", ev)
		default:
		}
		mux.Stop()
	})
}

func TestTypeMuxUnsubscribeUnblocksPost(t *testing.T) {
	withBlockedPost(t, func(t *testing.T, mux *TypeMux, sub *TypeMuxSubscription, posted <-chan struct{}) {
		if testkit.IsClosed(posted) {
			t.Fatal("Post returned before delivery")
		}
		sub.Unsubscribe()
		sub.Unsubscribe()
		<-posted
		if !sub.Closed() {
			t.Fatal("Closed() false after Unsubscribe")
		}
		if _, ok := <-sub.Chan(); ok {
			t.Fatal("channel open after Unsubscribe")
		}
		mux.Post(testEvent(2)) // nobody subscribed: returns at once
		mux.Stop()
	})
}

func TestTypeMuxStop(t *testing.T) {
	withBlockedPost(t, func(t *testing.T, mux *TypeMux, sub *TypeMuxSubscription, posted <-chan struct{}) {
		mux.Stop() // interrupts and waits for the delivery in progress
		<-posted
		if _, ok := <-sub.Chan(); ok || !sub.Closed() {
			t.Fatal("subscription not closed by Stop")
		}
		if err := mux.Post(testEvent(2)); err != ErrMuxClosed {
			t.Fatalf("Post after Stop = %v, want ErrMuxClosed", err)
		}
		after := mux.Subscribe(testEvent(0))
		if _, ok := <-after.Chan(); ok || !after.Closed() {
			t.Fatal("Subscribe after Stop returned an open subscription")
		}
		sub.Unsubscribe()
		after.Unsubscribe()
	})
}

func TestTypeMuxConcurrent(t *testing.T) {
	var mux TypeMux
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				sub := mux.Subscribe(testEvent(0))
				go func() {
					for range sub.Chan() {
					}
				}()
				mux.Post(testEvent(1))
				sub.Unsubscribe()
			}
		}()
	}
	wg.Wait()
	mux.Stop()
}

func ExampleTypeMux() {
	var mux TypeMux
	sub := mux.Subscribe(testEvent(0))
	go func() {
		mux.Post(testEvent(42))
		mux.Stop()
	}()
	for ev := range sub.Chan() {
		fmt.Println(ev.Data)
	}
	fmt.Println("closed:", sub.Closed())
	// Output:
	// 42
	// closed: true
}

// TestTypeMuxUnsubscribeKeepsOthers: unsubscribing one subscription of a
// type, first, middle or last in registration order, leaves the others
// receiving.
func TestTypeMuxUnsubscribeKeepsOthers(t *testing.T) {
	for gone := range 3 {
		var mux TypeMux
		subs := []*TypeMuxSubscription{mux.Subscribe(testEvent(0)), mux.Subscribe(testEvent(0)), mux.Subscribe(testEvent(0))}
		subs[gone].Unsubscribe()
		posted := testkit.Go(func() { mux.Post(testEvent(1)) })
		for i, sub := range subs {
			if i == gone {
				continue
			}
			if ev := testkit.Within(t, sub.Chan(), "delivery"); ev.Data != testEvent(1) {
				t.Fatalf("subscription %d got %+v", i, ev)
			}
		}
		testkit.Within(t, posted, "Post")
		mux.Stop()
	}
}

// TestTypeMuxUnsubscribeLeavesNoTrace: Unsubscribe removes the subscription
// from every type it was registered for, keeping the others in order.
func TestTypeMuxUnsubscribeLeavesNoTrace(t *testing.T) {
	var mux TypeMux
	a, b, c := mux.Subscribe(0, ""), mux.Subscribe(0, ""), mux.Subscribe(0, "")
	intT, strT := reflect.TypeOf(0), reflect.TypeOf("")
	for _, step := range []struct {
		gone *TypeMuxSubscription
		left []*TypeMuxSubscription
	}{{c, []*TypeMuxSubscription{a, b}}, {a, []*TypeMuxSubscription{b}}, {b, nil}} {
		step.gone.Unsubscribe()
		mux.mu.RLock()
		for _, typ := range []reflect.Type{intT, strT} {
			got, ok := mux.subm[typ]
			if len(step.left) == 0 && ok {
				t.Fatalf("type %v still registered with %d subscriptions", typ, len(got))
			}
			if !slices.Equal(got, step.left) {
				t.Fatalf("type %v: %d subscriptions registered, want %d", typ, len(got), len(step.left))
			}
		}
		mux.mu.RUnlock()
	}
	none := mux.Subscribe()
	none.Unsubscribe()
	mux.mu.RLock()
	if n := len(mux.live); n != 0 {
		t.Errorf("%d subscriptions left live after every one was unsubscribed", n)
	}
	mux.mu.RUnlock()
	mux.Stop()
}

// twoStops starts two Stops of mux once start is closed; the channel
// returned yields, as each Stop returns, how many of subs were open then.
func twoStops(mux *TypeMux, subs []*TypeMuxSubscription, start <-chan struct{}) <-chan int {
	open := make(chan int, 2)
	for range 2 {
		go func() {
			<-start
			mux.Stop()
			open <- testkit.OpenChannels(subs)
		}()
	}
	return open
}

// TestTypeMuxStopClosesEverySubscriptionConcurrentStops: with two Stops at
// once, each returns only once every channel is closed
// (MuxStopClosesEverySubscription), not just the Stop that came first.
func TestTypeMuxStopClosesEverySubscriptionConcurrentStops(t *testing.T) {
	const subs, tries = 2000, 10
	var early []string // try: channels open when a Stop returned
	for try := range tries {
		var mux TypeMux
		all := make([]*TypeMuxSubscription, subs)
		for i := range all {
			all[i] = mux.Subscribe(testEvent(0))
		}
		start := make(chan struct{})
		open := twoStops(&mux, all, start)
		close(start)
		for range 2 {
			if n := testkit.Within(t, open, "Stop"); n != 0 {
				early = append(early, fmt.Sprintf("try %d: %d", try, n))
			}
		}
	}
	if len(early) > 0 {
		t.Fatalf("a Stop returned with channels open (of %d): %s", subs, strings.Join(early, ", "))
	}
}

// TestTypeMuxStopClosesEverySubscriptionRacingUnsubscribe: a Stop racing
// Unsubscribes, of subscriptions with a Post blocked on them, returns only
// once every channel is closed, also the channels Unsubscribe is still
// closing (MuxStopClosesEverySubscription).
func TestTypeMuxStopClosesEverySubscriptionRacingUnsubscribe(t *testing.T) {
	const tries = 3000
	early := 0
	for range tries {
		var mux TypeMux
		subs := []*TypeMuxSubscription{mux.Subscribe(testEvent(0)), mux.Subscribe(otherEvent("")), mux.Subscribe(0)}
		start := make(chan struct{})
		ended := make(chan struct{}, 2*len(subs))
		for i, ev := range []any{testEvent(1), otherEvent("x"), 1} {
			go func() {
				mux.Post(ev) // blocked on subs[i] until it is closed
				ended <- struct{}{}
			}()
			go func() {
				<-start
				subs[i].Unsubscribe()
				ended <- struct{}{}
			}()
		}
		open := twoStops(&mux, subs, start)
		close(start)
		for range 2 {
			if testkit.Within(t, open, "Stop") != 0 {
				early++
			}
		}
		for range cap(ended) {
			testkit.Within(t, ended, "Post or Unsubscribe")
		}
	}
	if early > 0 {
		t.Fatalf("%d of %d Stops returned with a channel open", early, 2*tries)
	}
}

// TestTypeMuxStopClosesEverySubscriptionWithoutTypes: Stop closes the
// channel of a subscription made with no types as well
// (MuxStopClosesEverySubscription).
func TestTypeMuxStopClosesEverySubscriptionWithoutTypes(t *testing.T) {
	var mux TypeMux
	none := mux.Subscribe()
	typed := mux.Subscribe(testEvent(0))
	mux.Stop()
	for name, s := range map[string]*TypeMuxSubscription{"no types": none, "typed": typed} {
		if !closed(t, s.Chan()) || !s.Closed() {
			t.Errorf("subscription with %s: channel open after Stop returned", name)
		}
	}
	none.Unsubscribe()
	typed.Unsubscribe()
}
