package event

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eventspec/eventspec/internal/testkit"
)

// sendContextResult is what one SendContext returned.
type sendContextResult struct {
	n   int
	err error
}

// startSendContext runs SendContext in a new goroutine.
func startSendContext(f intFeed, ctx context.Context, v int) <-chan sendContextResult {
	c := make(chan sendContextResult, 1)
	go func() {
		n, err := f.SendContext(ctx, v)
		c <- sendContextResult{n, err}
	}()
	return c
}

// TestSendContextReturnsWhenDone: a SendContext blocked on subscribers that
// never read again returns once ctx is done, with the deliveries made and
// ctx's cause; the entries that missed the value keep their subscriptions.
func TestSendContextReturnsWhenDone(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		ready, stuck1, stuck2 := make(chan int, 1), make(chan int), make(chan int)
		f.Subscribe(ready)
		sub1 := f.Subscribe(stuck1)
		f.Subscribe(stuck2)
		cause := errors.New("subscriber too slow")
		ctx, cancel := context.WithCancelCause(context.Background())
		res := startSendContext(f, ctx, 7)
		synctest.Wait()
		select {
		case r := <-res:
			t.Fatalf("SendContext returned %v before ctx was done", r)
		default:
		}
		cancel(cause)
		r := <-res
		if r.n != 1 || r.err != cause {
			t.Fatalf("SendContext = (%d, %v), want (1, %v)", r.n, r.err, cause)
		}
		if v := <-ready; v != 7 {
			t.Fatalf("ready subscriber got %d", v)
		}
		// The stuck entries are still subscribed: the next Send reaches them.
		next := testkit.Go(func() { f.Send(8) })
		if v := <-stuck1; v != 8 {
			t.Fatalf("stuck1 got %d after the cancelled SendContext, want 8", v)
		}
		if v := <-stuck2; v != 8 {
			t.Fatalf("stuck2 got %d after the cancelled SendContext, want 8", v)
		}
		<-next
		sub1.Unsubscribe()
	})
}

// TestNoDeliveryAfterSendContextReturns: once SendContext has returned, none
// of its parked deliverers delivers its value, however the receivers behave
// afterwards.
func TestNoDeliveryAfterSendContextReturns(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		chans := make([]chan int, 4)
		for i := range chans {
			chans[i] = make(chan int)
			f.Subscribe(chans[i])
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		res := startSendContext(f, ctx, 1)
		if v := <-chans[0]; v != 1 { // one delivery before the deadline
			t.Fatalf("got %d", v)
		}
		r := <-res // the fake clock reaches the deadline once all block
		if r.n != 1 || !errors.Is(r.err, context.DeadlineExceeded) {
			t.Fatalf("SendContext = (%d, %v), want (1, deadline exceeded)", r.n, r.err)
		}
		synctest.Wait() // anything of the Send still running is blocked now
		// Receivers that turn up now must see nothing of value 1.
		for i, c := range chans {
			select {
			case v := <-c:
				t.Fatalf("subscriber %d got %d after SendContext returned", i, v)
			default:
			}
		}
		sent := testkit.Go(func() { f.Send(2) })
		for i, c := range chans {
			if v := <-c; v != 2 {
				t.Fatalf("subscriber %d got %d, want 2", i, v)
			}
		}
		<-sent
	})
}

// TestSendContextAlreadyDone: with a ctx done at the call, SendContext never
// waits: it offers the value once to every entry and reports ctx's error
// only if some entry was not ready, and while another Send holds the feed it
// delivers nothing.
func TestSendContextAlreadyDone(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		buf := make(chan int, 1)
		f.Subscribe(buf)
		if n, err := f.SendContext(ctx, 1); n != 1 || err != nil {
			t.Fatalf("SendContext to a ready entry = (%d, %v), want (1, nil)", n, err)
		}
		if n, err := f.SendContext(ctx, 2); n != 0 || err != context.Canceled {
			t.Fatalf("SendContext to a full entry = (%d, %v), want (0, canceled)", n, err)
		}
		if v := <-buf; v != 1 {
			t.Fatalf("got %d, want 1", v)
		}
		unbuf := make(chan int)
		f.Subscribe(unbuf)
		holder := testkit.Go(func() { f.Send(3) }) // fills buf, blocks on unbuf
		synctest.Wait()
		<-buf
		if n, err := f.SendContext(ctx, 4); n != 0 || err != context.Canceled {
			t.Fatalf("SendContext while another Send holds the feed = (%d, %v), want (0, canceled)", n, err)
		}
		if v := <-unbuf; v != 3 {
			t.Fatalf("got %d, want 3", v)
		}
		<-holder
		select {
		case v := <-buf:
			t.Fatalf("value %d delivered by a SendContext that did not run", v)
		default:
		}
	})
}

// TestSendContextLeavesQueue: a SendContext that ctx ends while it waits
// for its turn delivers nothing, and the Sends queued behind it keep their
// order.
func TestSendContextLeavesQueue(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		ch := make(chan int)
		f.Subscribe(ch)
		first := testkit.Go(func() { f.Send(1) })
		synctest.Wait()
		ctx, cancel := context.WithCancel(context.Background())
		res := startSendContext(f, ctx, 2)
		synctest.Wait()
		third := testkit.Go(func() { f.Send(3) })
		synctest.Wait()
		cancel()
		if r := <-res; r.n != 0 || r.err != context.Canceled {
			t.Fatalf("queued SendContext = (%d, %v), want (0, canceled)", r.n, r.err)
		}
		for _, want := range []int{1, 3} {
			if v := <-ch; v != want {
				t.Fatalf("got %d, want %d", v, want)
			}
		}
		<-first
		<-third
	})
}

// TestSendContextUnsubscribe: Unsubscribe during a SendContext interrupts
// the delivery to that entry only, returns, and is not counted as a cut.
// TestSendContextLeavesQueueBehindOthers: a SendContext that ctx ends while
// it waits behind another queued Send leaves the queue and hands nothing on;
// the Send ahead of it still waits for the Send that owns the feed.
func TestSendContextLeavesQueueBehindOthers(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		ch, ready := make(chan int), make(chan int, 1)
		f.Subscribe(ch)
		f.Subscribe(ready)
		first := testkit.Go(func() { f.Send(1) })
		synctest.Wait()
		<-ready // the first Send's fast pass delivered here; it blocks on ch
		second := testkit.Go(func() { f.Send(2) })
		synctest.Wait()
		ctx, cancel := context.WithCancel(context.Background())
		res := startSendContext(f, ctx, 3)
		synctest.Wait()
		cancel()
		if r := <-res; r.n != 0 || r.err != context.Canceled {
			t.Fatalf("queued SendContext = (%d, %v), want (0, canceled)", r.n, r.err)
		}
		synctest.Wait()
		if len(ready) != 0 {
			t.Fatalf("Send(2) began while Send(1) owned the feed: got %d", <-ready)
		}
		for _, want := range []int{1, 2} {
			if v := <-ch; v != want {
				t.Fatalf("got %d, want %d", v, want)
			}
		}
		<-first
		if v := <-ready; v != 2 {
			t.Fatalf("got %d, want 2", v)
		}
		<-second
	})
}

func TestSendContextUnsubscribe(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		a, b := make(chan int), make(chan int)
		subA := f.Subscribe(a)
		f.Subscribe(b)
		res := startSendContext(f, context.Background(), 5)
		synctest.Wait()
		subA.Unsubscribe()
		if v := <-b; v != 5 {
			t.Fatalf("got %d", v)
		}
		if r := <-res; r.n != 1 || r.err != nil {
			t.Fatalf("SendContext = (%d, %v), want (1, nil)", r.n, r.err)
		}
		select {
		case v := <-a:
			t.Fatalf("unsubscribed entry got %d", v)
		default:
		}
	})
}

// TestSendContextNilContext: a nil ctx is a programming error and panics.
func TestSendContextNilContext(t *testing.T) {
	var f FeedOf[int]
	//lint:ignore SA1012 the nil Context is what this test checks
	msg, _ := panicMessage(t, func() { f.SendContext(nil, 1) })
	if msg != "event: SendContext with a nil Context" {
		t.Fatalf("panic %q", msg)
	}
	var g Feed
	//lint:ignore SA1012 the nil Context is what this test checks
	msg, _ = panicMessage(t, func() { g.SendContext(nil, 1) })
	if msg != "event: SendContext with a nil Context" {
		t.Fatalf("panic %q", msg)
	}
}

// ExampleFeedOf_SendContext shows a producer that gives up on a stuck
// subscriber after a deadline and keeps serving the others.
func ExampleFeedOf_SendContext() {
	var feed FeedOf[string]
	healthy := make(chan string, 10)
	stuck := make(chan string) // its reader has gone away
	feed.Subscribe(healthy)
	feed.Subscribe(stuck)

	for _, v := range []string{"a", "b"} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		n, err := feed.SendContext(ctx, v)
		cancel()
		fmt.Println(v, "reached", n, "subscriber; error:", err)
	}
	fmt.Println("healthy got", <-healthy, <-healthy)
	// Output:
	// a reached 1 subscriber; error: context deadline exceeded
	// b reached 1 subscriber; error: context deadline exceeded
	// healthy got a b
}
