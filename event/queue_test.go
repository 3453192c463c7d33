package event

import (
	"testing"
	"testing/synctest"

	"github.com/eventspec/eventspec/internal/testkit"
)

// TestSendsServedInArrivalOrder: Sends that find the feed busy are served in
// the order in which they began waiting, and a Send that begins while others
// wait joins the end of the queue instead of taking the fast pass. One
// unbuffered subscriber makes every Send block until the test receives.
func TestSendsServedInArrivalOrder(t *testing.T) {
	bothFeedsSynctest(t, func(t *testing.T, f intFeed) {
		for round := range 20 {
			ch := make(chan int)
			sub := f.Subscribe(ch)
			const waiting = 4
			var sends []<-chan struct{}
			for v := range waiting + 1 { // value 0 blocks; 1..waiting queue
				sends = append(sends, testkit.Go(func() { f.Send(v) }))
				synctest.Wait() // v is parked or queued before v+1 begins
			}
			want := make([]int, 0, waiting+2)
			for v := range waiting + 1 {
				want = append(want, v)
			}
			got := []int{<-ch}
			// A newcomer that begins while the first Send hands the feed
			// over must still come after every Send that waits.
			late := testkit.Go(func() { f.Send(waiting + 1) })
			want = append(want, waiting+1)
			for len(got) < len(want) {
				got = append(got, <-ch)
			}
			for _, s := range append(sends, late) {
				<-s
			}
			sub.Unsubscribe()
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("round %d: values arrived in order %v, want %v", round, got, want)
				}
			}
		}
	})
}

// TestSendTypeCheckBeforeWaiting: a Send of the wrong type panics at once,
// even while another Send holds the feed, instead of waiting for its turn.
func TestSendTypeCheckBeforeWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f Feed
		ch := make(chan int)
		f.Subscribe(ch)
		blocked := testkit.Go(func() { f.Send(1) })
		synctest.Wait()
		msg, _ := panicMessage(t, func() { f.Send("x") })
		if want := "event: wrong type in Send got string, want int"; msg != want {
			t.Fatalf("panic %q, want %q", msg, want)
		}
		if v := <-ch; v != 1 {
			t.Fatalf("subscriber got %d, want 1", v)
		}
		<-blocked
	})
}

// TestSubscribeHugeElementTypePanicReleasesFeed: a Subscribe whose channel
// does not match an element type too large for a channel panics with the
// type error, and the feed stays usable.
func TestSubscribeHugeElementTypePanicReleasesFeed(t *testing.T) {
	var f Feed
	type huge [1 << 16]byte
	if n := f.Send(huge{}); n != 0 { // fixes the element type
		t.Fatalf("Send = %d, want 0", n)
	}
	msg, isErr := panicMessage(t, func() { f.Subscribe(make(chan int)) })
	if want := "event: wrong type in Subscribe got chan int, want chan<- event.huge"; msg != want || !isErr {
		t.Fatalf("panic %q (error: %v), want the error %q", msg, isErr, want)
	}
	testkit.Within(t, testkit.Go(func() { f.Send(huge{}) }), "a Send after the panicking Subscribe")
}
