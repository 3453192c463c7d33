package bench

import (
	"math"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Implementation names, the last element of every benchmark name.
const (
	implES    = "eventspec"
	implGeth  = "geth"
	implFloor = "floor"
)

var impls = [...]string{implES, implGeth, implFloor}

// Kinds of feed. kindFeed is the untyped Feed sending *payload values; the
// FeedOf kinds are FeedOf[T] for the named T.
const (
	kindFeed         = "Feed"
	kindFeedOfInt    = "FeedOf-int"
	kindFeedOfPtr    = "FeedOf-ptr"
	kindFeedOfStruct = "FeedOf-struct64"
)

// payload is the pointee of the pointer kinds.
type payload struct{ A, B int }

// struct64 is a 64-byte value type.
type struct64 struct{ A [8]uint64 }

var (
	ptrValue    = &payload{A: 1, B: 2}
	struct64Val = struct64{A: [8]uint64{1, 2, 3, 4, 5, 6, 7, 8}}
)

// unsubscriber is what both packages' subscriptions have in common.
type unsubscriber interface{ Unsubscribe() }

func unsubscribeAll(subs []unsubscriber) {
	for _, s := range subs {
		s.Unsubscribe()
	}
}

// subscribed returns feed f with every channel subscribed through sub, and
// resets the timer: the set-up of a feed benchmark. The subscriptions end
// once the benchmark function has returned (b.Cleanup, after each run).
func subscribed[F, T any](b *testing.B, f *F, chans []chan T, sub func(f *F, c chan T) unsubscriber) *F {
	subs := make([]unsubscriber, len(chans))
	for i, c := range chans {
		subs[i] = sub(f, c)
	}
	b.Cleanup(func() { unsubscribeAll(subs) })
	b.ResetTimer()
	return f
}

// drained receives one value from every channel and returns k: the sending
// goroutine drains its subscribers' buffers after each Send
// (sent += drained(chans, f.Send(v))). It is small enough to be inlined.
func drained[T any](chans []chan T, k int) int {
	for _, c := range chans {
		<-c
	}
	return k
}

// offerEach sends v to every channel that has room, without blocking, and
// returns how many took it: the floor of a Send to ready subscribers.
func offerEach[T any](chans []chan T, v T) int {
	k := 0
	for _, c := range chans {
		select {
		case c <- v:
			k++
		default:
		}
	}
	return k
}

// put sends v on c, without blocking if c has room, else blocking: the
// floor's send to a subscriber that has to be waited for.
func put[T any](c chan T, v T) {
	select {
	case c <- v:
	default:
		c <- v
	}
}

func makeChans[T any](n, capacity int) []chan T {
	chans := make([]chan T, n)
	for i := range chans {
		chans[i] = make(chan T, capacity)
	}
	return chans
}

// receivers is one goroutine per channel, each receiving want values with
// a plain receive (or until its channel is closed), so that a receiver costs
// as little as a goroutine that waits on a channel can. A receiver of an
// unbuffered channel spins slowWork rounds of arithmetic after each value
// (0: none), a stand-in for a subscriber that does some work per event.
type receivers struct {
	wg    sync.WaitGroup
	close func() // closes every channel, which ends the receivers
}

func startReceivers[T any](chans []chan T, want, slowWork int) *receivers {
	r := &receivers{close: func() {
		for _, c := range chans {
			close(c)
		}
	}}
	r.wg.Add(len(chans))
	for _, c := range chans {
		work := 0
		if cap(c) == 0 {
			work = slowWork
		}
		go func(c chan T) {
			defer r.wg.Done()
			var acc uint64
			defer func() { spinSink.Add(acc) }()
			for got := 0; got < want; got++ {
				if _, ok := <-c; !ok {
					return
				}
				if work > 0 {
					acc += spin(work)
				}
			}
		}(c)
	}
	return r
}

// spinSink keeps the spin results alive.
var spinSink atomic.Uint64

// spin does k rounds of a linear congruential step; its result must be used.
func spin(k int) uint64 {
	x := uint64(k)
	for i := 0; i < k; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

// wait returns once every receiver got its values.
func (r *receivers) wait() { r.wg.Wait() }

// stopAndWait ends every receiver, done or not, by closing the channels
// once no Send runs any more; deferred by each benchmark so that no
// goroutine outlives it.
func (r *receivers) stopAndWait() {
	r.close()
	r.wg.Wait()
}

// drainers is one goroutine per channel receiving until its channel is
// closed; for benchmarks where the number of values per channel is not known.
func startDrainers[T any](chans []chan T) *receivers {
	return startReceivers(chans, math.MaxInt, 0)
}

func checkSent(b *testing.B, got, want int) {
	b.Helper()
	if got != want {
		b.Fatalf("delivered %d values, want %d", got, want)
	}
}
