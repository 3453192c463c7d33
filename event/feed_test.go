package event

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/eventspec/eventspec/internal/testkit"
)

// intFeed is what the guarantees shared by Feed and FeedOf are tested on.
type intFeed = testkit.IntFeed[Subscription]

// bothFeeds runs test on a fresh Feed and a fresh FeedOf[int].
func bothFeeds(t *testing.T, test func(t *testing.T, f intFeed)) {
	t.Run("Feed", func(t *testing.T) { test(t, testkit.AnyFeed(new(Feed))) })
	t.Run("FeedOf", func(t *testing.T) { test(t, testkit.TypedFeed(new(FeedOf[int]))) })
}

// bothFeedsSynctest runs test on both feeds inside a synctest bubble, where
// synctest.Wait tells that a Send is durably blocked.
func bothFeedsSynctest(t *testing.T, test func(t *testing.T, f intFeed)) {
	bothFeeds(t, func(t *testing.T, f intFeed) {
		synctest.Test(t, func(t *testing.T) { test(t, f) })
	})
}

func TestFeedTypeFixedByFirstSend(t *testing.T) {
	var f Feed
	if n := f.Send(1); n != 0 {
		t.Fatalf("Send without subscribers = %d, want 0", n)
	}
	msg, isErr := panicMessage(t, func() { f.Subscribe(make(chan uint64)) })
	if want := "event: wrong type in Subscribe got chan uint64, want chan<- int"; msg != want || !isErr {
		t.Fatalf("panic %q (error: %v), want error %q", msg, isErr, want)
	}
	f.Subscribe(make(chan int, 1)) // the right type is still accepted
}

func TestFeedTypeFixedByFirstSubscribe(t *testing.T) {
	var f Feed
	ch := make(chan<- int, 1)
	f.Subscribe(ch)
	msg, isErr := panicMessage(t, func() { f.Send(uint64(1)) })
	if want := "event: wrong type in Send got uint64, want int"; msg != want || !isErr {
		t.Fatalf("panic %q (error: %v), want error %q", msg, isErr, want)
	}
	msg, _ = panicMessage(t, func() { f.Subscribe(make(chan<- uint64)) })
	if want := "event: wrong type in Subscribe got chan<- uint64, want chan<- int"; msg != want {
		t.Fatalf("panic %q, want %q", msg, want)
	}
	if n := f.Send(2); n != 1 {
		t.Fatalf("Send after type panics = %d, want 1 (feed must be unchanged)", n)
	}
}

func TestFeedTypesMustMatchExactly(t *testing.T) {
	var f Feed
	f.Subscribe(make(chan error, 1))
	msg, _ := panicMessage(t, func() { f.Send(errors.New("x")) })
	if want := "event: wrong type in Send got *errors.errorString, want error"; msg != want {
		t.Fatalf("panic %q, want %q", msg, want)
	}
	type myInt int
	var g Feed
	g.Subscribe(make(chan int))
	msg, _ = panicMessage(t, func() { g.Send(myInt(1)) })
	if want := "event: wrong type in Send got event.myInt, want int"; msg != want {
		t.Fatalf("panic %q, want %q", msg, want)
	}
}

func TestFeedBadChannel(t *testing.T) {
	var f Feed
	for _, arg := range []any{nil, 1, make(<-chan int), (*chan int)(nil)} {
		msg, isErr := panicMessage(t, func() { f.Subscribe(arg) })
		if want := "event: Subscribe argument does not have sendable channel type"; msg != want || !isErr {
			t.Fatalf("Subscribe(%T): panic %q (error: %v), want error %q", arg, msg, isErr, want)
		}
	}
	// No type was fixed by the rejected calls.
	ch := make(chan string, 1)
	f.Subscribe(ch)
	if n := f.Send("a"); n != 1 || <-ch != "a" {
		t.Fatalf("Send after bad Subscribe calls = %d", n)
	}
}

// checkNilErrorSent subscribes a channel with subscribe and checks that send
// delivers one nil error to it.
func checkNilErrorSent(t *testing.T, subscribe func(chan error), send func() int) {
	t.Helper()
	ch := make(chan error, 1)
	subscribe(ch)
	if n := send(); n != 1 {
		t.Fatalf("Send(nil) = %d, want 1", n)
	}
	if err := <-ch; err != nil {
		t.Fatalf("received %v, want nil", err)
	}
}

func TestFeedSendNil(t *testing.T) {
	t.Run("nillable element type", func(t *testing.T) {
		var f Feed
		checkNilErrorSent(t, func(ch chan error) { f.Subscribe(ch) }, func() int { return f.Send(nil) })
	})
	t.Run("non-nillable element type", func(t *testing.T) {
		var f Feed
		f.Subscribe(make(chan int, 1))
		msg, _ := panicMessage(t, func() { f.Send(nil) })
		if want := "event: wrong type in Send got nil, want int"; msg != want {
			t.Fatalf("panic %q, want %q", msg, want)
		}
		if n := f.Send(1); n != 1 {
			t.Fatalf("Send after nil panic = %d, want 1", n)
		}
	})
	t.Run("no type yet", func(t *testing.T) {
		var f Feed
		if n := f.Send(nil); n != 0 {
			t.Fatalf("Send(nil) = %d, want 0", n)
		}
		ch := make(chan string, 1)
		f.Subscribe(ch) // Send(nil) fixed no type
		f.Send("x")
		if v := <-ch; v != "x" {
			t.Fatalf("received %q", v)
		}
	})
}

func TestFeedOfInterfaceSendsNil(t *testing.T) {
	var f FeedOf[error]
	checkNilErrorSent(t, func(ch chan error) { f.Subscribe(ch) }, func() int { return f.Send(nil) })
	var g FeedOf[any]
	ach := make(chan any, 1)
	g.Subscribe(ach)
	if n := g.Send(nil); n != 1 || <-ach != nil {
		t.Fatal("FeedOf[any] did not deliver nil")
	}
}

// TestSendReachesAllSubscribed: each entry gets the value, the same channel
// once per Subscribe, and Send counts the deliveries.
func TestSendReachesAllSubscribed(t *testing.T) {
	bothFeeds(t, func(t *testing.T, f intFeed) {
		if n := f.Send(0); n != 0 {
			t.Fatalf("Send with no subscribers = %d", n)
		}
		a, b := make(chan int, 4), make(chan int, 4)
		f.Subscribe(a)
		f.Subscribe(b)
		f.Subscribe(b)
		if n := f.Send(7); n != 3 {
			t.Fatalf("Send = %d, want 3", n)
		}
		if len(a) != 1 || len(b) != 2 {
			t.Fatalf("a got %d, b got %d values; want 1 and 2", len(a), len(b))
		}
	})
}

// TestSendWaitsForSlowSubscribers: Send returns only when every entry took the
// value; unbuffered subscribers are never dropped.
func TestSendWaitsForSlowSubscribers(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		const n = 5
		chans := make([]chan int, n)
		for i := range chans {
			chans[i] = make(chan int)
			f.Subscribe(chans[i])
		}
		var count int
		sent := testkit.Go(func() { count = f.Send(42) })
		for i := range chans {
			synctest.Wait()
			if testkit.IsClosed(sent) {
				t.Fatalf("Send returned before subscriber %d received", i)
			}
			if v := <-chans[i]; v != 42 {
				t.Fatalf("subscriber %d got %d", i, v)
			}
		}
		<-sent
		if count != n {
			t.Fatalf("Send = %d, want %d", count, n)
		}
	})
}

// TestSendNeedsNoReceiveOrder: one goroutine receiving from two unbuffered
// subscribed channels in either order lets Send complete.
func TestSendNeedsNoReceiveOrder(t *testing.T) {
	bothFeeds(t, func(t *testing.T, f intFeed) {
		for round := range 50 {
			a, b := make(chan int), make(chan int)
			sa, sb := f.Subscribe(a), f.Subscribe(b)
			sent := testkit.Go(func() { f.Send(round) })
			if round%2 == 0 {
				<-b
				<-a
			} else {
				<-a
				<-b
			}
			testkit.Within(t, sent, "Send")
			sa.Unsubscribe()
			sb.Unsubscribe()
		}
	})
}

// TestSubscribersSeeSendOrder: concurrent Sends queue, so every subscriber
// sees the values in one common order.
func TestSubscribersSeeSendOrder(t *testing.T) {
	bothFeeds(t, func(t *testing.T, f intFeed) {
		const senders, perSender, subs = 4, 50, 3
		chans := make([]chan int, subs)
		got := make([][]int, subs)
		var receivers sync.WaitGroup
		for i := range chans {
			chans[i] = make(chan int, i) // capacities 0, 1, 2
			f.Subscribe(chans[i])
			receivers.Add(1)
			go func() {
				defer receivers.Done()
				for range senders * perSender {
					got[i] = append(got[i], <-chans[i])
				}
			}()
		}
		var wg sync.WaitGroup
		for s := range senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range perSender {
					if n := f.Send(s*perSender + k); n != subs {
						t.Errorf("Send = %d, want %d", n, subs)
					}
				}
			}()
		}
		wg.Wait()
		receivers.Wait()
		for i := 1; i < subs; i++ {
			if !slices.Equal(got[0], got[i]) {
				t.Fatalf("subscriber %d saw another order than subscriber 0:\n%v\n%v", i, got[i], got[0])
			}
		}
	})
}

// TestSubscribeDuringSendNotIncluded: an entry subscribed while a Send runs
// is not part of it; the next Send reaches it.
func TestSubscribeDuringSendNotIncluded(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		slow := make(chan int)
		f.Subscribe(slow)
		var count int
		sent := testkit.Go(func() { count = f.Send(1) })
		synctest.Wait() // Send is blocked on slow
		late := make(chan int, 2)
		f.Subscribe(late)
		<-slow
		<-sent
		if count != 1 || len(late) != 0 {
			t.Fatalf("Send = %d, late got %d values; want 1 and 0", count, len(late))
		}
		sent = testkit.Go(func() { f.Send(2) })
		<-slow
		<-sent
		if v := <-late; v != 2 {
			t.Fatalf("late got %d, want 2", v)
		}
	})
}

// sendUntilUnsubscribed starts send, checks that it blocks, unsubscribes sub
// and returns the count of the Send, which must then complete.
func sendUntilUnsubscribed(t *testing.T, send func() int, sub Subscription) int {
	t.Helper()
	var count int
	sent := testkit.Go(func() { count = send() })
	synctest.Wait()
	if testkit.IsClosed(sent) {
		t.Fatal("Send returned while an entry had not taken the value")
	}
	sub.Unsubscribe()
	<-sent
	return count
}

// TestUnsubscribeTerminates: Unsubscribe interrupts a Send blocked on that
// very channel, and the Send completes.
func TestUnsubscribeTerminates(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		f.Subscribe(make(chan int, 1))
		blocked := f.Subscribe(make(chan int))
		if n := sendUntilUnsubscribed(t, func() int { return f.Send(1) }, blocked); n != 1 {
			t.Fatalf("Send = %d, want 1 (the delivery made before Unsubscribe)", n)
		}
	})
}

// TestNilChannelBlocksSend: a nil channel blocks every Send until it is
// unsubscribed.
func TestNilChannelBlocksSend(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		sub := f.Subscribe(nil)
		if n := sendUntilUnsubscribed(t, func() int { return f.Send(1) }, sub); n != 0 {
			t.Fatalf("Send = %d, want 0", n)
		}
	})
}

// TestNoDeliveryAfterUnsubscribe: once Unsubscribe returns nothing more is
// sent to the entry, Err is closed and carried no value, and the channel
// itself is left open.
func TestNoDeliveryAfterUnsubscribe(t *testing.T) {
	bothFeeds(t, func(t *testing.T, f intFeed) {
		ch := make(chan int, 10)
		sub := f.Subscribe(ch)
		if closed(t, sub.Err()) {
			t.Fatal("Err closed before Unsubscribe")
		}
		f.Send(1)
		sub.Unsubscribe()
		if !closed(t, sub.Err()) {
			t.Fatal("Err not closed by Unsubscribe")
		}
		if n := f.Send(2); n != 0 {
			t.Fatalf("Send after Unsubscribe = %d, want 0", n)
		}
		if len(ch) != 1 {
			t.Fatalf("channel holds %d values, want 1", len(ch))
		}
		ch <- 3 // the feed did not close it
	})
}

// TestNoDeliveryAfterUnsubscribeRacingSend: an Unsubscribe racing a blocked
// Send either lets the delivery happen before it returns or prevents it.
func TestNoDeliveryAfterUnsubscribeRacingSend(t *testing.T) {
	bothFeeds(t, func(t *testing.T, f intFeed) {
		for i := range 200 {
			ch := make(chan int)
			sub := f.Subscribe(ch)
			sent := testkit.Go(func() { f.Send(i) })
			recv := make(chan int, 1)
			go func() {
				select {
				case v := <-ch:
					recv <- v
				case <-sub.Err():
					recv <- -1
				}
			}()
			sub.Unsubscribe()
			testkit.Within(t, sent, "Send")
			got := testkit.Within(t, recv, "receiver")
			select {
			case v := <-ch:
				t.Fatalf("delivery %d after Unsubscribe returned (receiver got %d)", v, got)
			default:
			}
		}
	})
}

// TestUnsubscribeIdempotentConcurrent: many goroutines may unsubscribe the
// same entry, even while a Send is blocked on it; all of them return.
func TestUnsubscribeIdempotentConcurrent(t *testing.T) {
	bothFeeds(t, func(t *testing.T, f intFeed) {
		sub := f.Subscribe(make(chan int))
		sent := testkit.Go(func() { f.Send(1) })
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sub.Unsubscribe()
				if !closed(t, sub.Err()) {
					t.Error("Err open after Unsubscribe returned")
				}
			}()
		}
		testkit.Within(t, testkit.Go(wg.Wait), "Unsubscribe calls")
		testkit.Within(t, sent, "Send")
		sub.Unsubscribe()
	})
}

// TestUnsubscribeOtherEntryDuringSend: a subscriber may unsubscribe one of
// its channels while a Send is blocked on another of its channels.
func TestUnsubscribeOtherEntryDuringSend(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		a, b := make(chan int, 1), make(chan int)
		sa := f.Subscribe(a)
		f.Subscribe(b)
		sent := testkit.Go(func() { f.Send(1) })
		synctest.Wait()
		sa.Unsubscribe() // must not wait for the Send, blocked on b
		<-b
		<-sent
	})
}

// TestSendPanicReleasesFeed: a subscriber that closed its channel makes Send
// panic after every other entry got the value; the feed stays usable.
func TestSendPanicReleasesFeed(t *testing.T) {
	bothFeeds(t, func(t *testing.T, f intFeed) {
		before, after := make(chan int, 4), make(chan int, 4)
		f.Subscribe(before)
		bad := make(chan int, 1)
		badSub := f.Subscribe(bad)
		f.Subscribe(after)
		close(bad)
		msg, _ := panicMessage(t, func() { f.Send(1) })
		if msg != testkit.ClosedChanMsg {
			t.Fatalf("panic %q", msg)
		}
		if len(before) != 1 || len(after) != 1 {
			t.Fatalf("other subscribers got %d and %d values, want 1 each", len(before), len(after))
		}
		badSub.Unsubscribe()
		f.Subscribe(make(chan int, 1))
		if n := f.Send(2); n != 3 {
			t.Fatalf("Send after panic = %d, want 3", n)
		}
	})
}

// TestSendPanicWhileBlocked: a channel closed while a Send is blocked on it
// makes that Send panic, after the others got the value, and releases the
// feed.
func TestSendPanicWhileBlocked(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		bad, slow := make(chan int), make(chan int)
		badSub := f.Subscribe(bad)
		f.Subscribe(slow)
		var p any
		sent := testkit.Go(func() { p = testkit.Catch(func() { f.Send(1) }) })
		synctest.Wait()
		close(bad)
		<-slow
		<-sent
		if err, ok := p.(error); !ok || err.Error() != testkit.ClosedChanMsg {
			t.Fatalf("Send panicked with %v", p)
		}
		badSub.Unsubscribe()
		sent = testkit.Go(func() { f.Send(2) })
		if v := <-slow; v != 2 {
			t.Fatalf("got %d", v)
		}
		<-sent
	})
}

// TestDeliveredExactlyOnce: many entries, some ready, some slow, some
// unsubscribed mid-Send: each receives each value at most once and Send's
// count matches the deliveries.
func TestDeliveredExactlyOnce(t *testing.T) {
	bothFeeds(t, func(t *testing.T, f intFeed) {
		const subs, sends = 20, 100
		type result struct {
			got []int
		}
		results := make([]result, subs)
		chans := make([]chan int, subs)
		stops := make([]chan struct{}, subs)
		var wg sync.WaitGroup
		for i := range subs {
			ch := make(chan int, i%3)
			chans[i] = ch
			sub := f.Subscribe(ch)
			stops[i] = make(chan struct{})
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer sub.Unsubscribe()
				for {
					select {
					case v := <-ch:
						results[i].got = append(results[i].got, v)
						if i%5 == 0 && len(results[i].got) == i+1 {
							return // leaves mid-stream
						}
					case <-stops[i]:
						return
					}
				}
			}()
		}
		total := 0
		for v := range sends {
			total += f.Send(v)
		}
		for _, s := range stops {
			close(s)
		}
		wg.Wait()
		delivered := 0
		for i, r := range results {
			for len(chans[i]) > 0 { // delivered, not yet read
				r.got = append(r.got, <-chans[i])
			}
			delivered += len(r.got)
			if !slices.IsSorted(r.got) || len(slices.Compact(slices.Clone(r.got))) != len(r.got) {
				t.Fatalf("subscriber %d got duplicates or disorder: %v", i, r.got)
			}
			if i%5 != 0 && len(r.got) != sends {
				t.Fatalf("subscriber %d got %d values, want %d", i, len(r.got), sends)
			}
		}
		if delivered != total {
			t.Fatalf("Send counted %d deliveries, subscribers got %d", total, delivered)
		}
	})
}

func ExampleFeedOf() {
	var feed FeedOf[string]
	ch := make(chan string, 1)
	sub := feed.Subscribe(ch)
	defer sub.Unsubscribe()

	n := feed.Send("hello")
	fmt.Println(n, <-ch)
	// Output: 1 hello
}

func ExampleFeed() {
	var feed Feed
	a, b := make(chan int, 2), make(chan int, 2)
	subA, subB := feed.Subscribe(a), feed.Subscribe(b)

	fmt.Println("delivered:", feed.Send(1))
	subB.Unsubscribe()
	fmt.Println("delivered:", feed.Send(2))
	fmt.Println(<-a, <-a, <-b)
	subA.Unsubscribe()
	// Output:
	// delivered: 2
	// delivered: 1
	// 1 2 1
}

// TestUnsubscribeWaitsForParkedDeliverer: every Unsubscribe of an entry on
// which a deliverer is parked returns only once that deliverer has left, so
// it cannot deliver after Unsubscribe returned.
func TestUnsubscribeWaitsForParkedDeliverer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f FeedOf[int]
		s := f.Subscribe(make(chan int)).(*feedSub[chan<- int])
		f.core.mu.Lock()
		s.blocked = true // as park does for a deliverer about to select
		f.core.mu.Unlock()
		first, second := testkit.Go(s.Unsubscribe), testkit.Go(s.Unsubscribe)
		synctest.Wait()
		if testkit.IsClosed(first) || testkit.IsClosed(second) {
			t.Fatal("Unsubscribe returned while a deliverer was parked on the entry")
		}
		interrupted := make(chan struct{})
		close(interrupted) // the deliverer leaves at once
		deliver(&f.core, typedOps[int]{1}, s, interrupted, &tally{})
		<-first
		<-second
		if !closed(t, s.Err()) {
			t.Fatal("Err open after Unsubscribe")
		}
	})
}

// TestFeedTypeFixedOnceConcurrent: the first Send and the first Subscribe of
// a fresh Feed race; the type is fixed exactly once, under the feed's lock, so
// with mismatched types exactly one of them panics, with its message.
func TestFeedTypeFixedOnceConcurrent(t *testing.T) {
	for range 200 {
		var f Feed
		var sendPanic, subPanic any
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			subPanic = testkit.Catch(func() { f.Subscribe(make(chan int, 1)) })
		}()
		go func() {
			defer wg.Done()
			sendPanic = testkit.Catch(func() { f.Send(uint64(1)) })
		}()
		wg.Wait()
		switch {
		case sendPanic != nil && subPanic == nil:
			if msg := sendPanic.(error).Error(); msg != "event: wrong type in Send got uint64, want int" {
				t.Fatalf("Send panic %q", msg)
			}
		case subPanic != nil && sendPanic == nil:
			if msg := subPanic.(error).Error(); msg != "event: wrong type in Subscribe got chan int, want chan<- uint64" {
				t.Fatalf("Subscribe panic %q", msg)
			}
		default:
			t.Fatalf("Send panicked with %v and Subscribe with %v: want exactly one", sendPanic, subPanic)
		}
	}
}
