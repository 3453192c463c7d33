package bench

import (
	"fmt"
	"sync"
	"testing"
	"time"

	geth "github.com/ethereum/go-ethereum/event"
	es "github.com/eventspec/eventspec/event"
)

// xorshift is a tiny deterministic generator, the same for every
// implementation so that all of them unsubscribe the same sequence.
type xorshift uint64

func (x *xorshift) intn(n int) int {
	v := uint64(*x)
	v ^= v << 13
	v ^= v >> 7
	v ^= v << 17
	*x = xorshift(v)
	return int(v % uint64(n))
}

// floorRegistry is the least bookkeeping a subscription list can do: a
// mutex-guarded slice with O(1) swap-remove. It is the floor of the churn
// benchmarks.
type floorRegistry[T any] struct {
	mu    sync.Mutex
	chans []chan T
	subs  []*floorSub[T]
}

type floorSub[T any] struct {
	reg *floorRegistry[T]
	idx int
}

func (r *floorRegistry[T]) subscribe(c chan T) *floorSub[T] {
	r.mu.Lock()
	s := &floorSub[T]{reg: r, idx: len(r.chans)}
	r.chans = append(r.chans, c)
	r.subs = append(r.subs, s)
	r.mu.Unlock()
	return s
}

func (s *floorSub[T]) Unsubscribe() {
	r := s.reg
	r.mu.Lock()
	if i := s.idx; i >= 0 {
		last := len(r.chans) - 1
		r.chans[i], r.subs[i] = r.chans[last], r.subs[last]
		r.subs[i].idx = i
		r.chans[last], r.subs[last] = nil, nil
		r.chans, r.subs = r.chans[:last], r.subs[:last]
		s.idx = -1
	}
	r.mu.Unlock()
}

// BenchmarkChurn: with live=L subscriptions, one op unsubscribes a
// pseudo-randomly chosen one and subscribes its channel again, so L stays
// constant.
func BenchmarkChurn(b *testing.B) {
	for _, live := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("kind=%s/live=%d", kindFeedOfInt, live), func(b *testing.B) {
			for _, im := range impls {
				b.Run("impl="+im, func(b *testing.B) { churn(b, im, live) })
			}
		})
	}
}

func churn(b *testing.B, im string, live int) {
	chans := makeChans[int](live, 1)
	b.ReportAllocs()
	switch im {
	case implFloor:
		var r floorRegistry[int]
		churnOps(b, chans, r.subscribe)
		if len(r.chans) != live {
			b.Fatalf("%d live subscriptions, want %d", len(r.chans), live)
		}
	case implES:
		var f es.FeedOf[int]
		churnOps(b, chans, func(c chan int) es.Subscription { return f.Subscribe(c) })
		checkSent(b, f.Send(1), live)
	case implGeth:
		var f geth.FeedOf[int]
		churnOps(b, chans, func(c chan int) geth.Subscription { return f.Subscribe(c) })
		checkSent(b, f.Send(1), live)
	}
}

// churnOps subscribes every channel through subscribe; then, timed, each of
// the b.N ops unsubscribes a pseudo-randomly chosen subscription and
// subscribes its channel again. It returns with the timer stopped; the
// subscriptions end once the benchmark function has returned.
func churnOps[S unsubscriber](b *testing.B, chans []chan int, subscribe func(c chan int) S) {
	rng := xorshift(0x9e3779b97f4a7c15)
	subs := make([]S, len(chans))
	for i, c := range chans {
		subs[i] = subscribe(c)
	}
	b.Cleanup(func() {
		for _, s := range subs {
			s.Unsubscribe()
		}
	})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := rng.intn(len(chans))
		subs[k].Unsubscribe()
		subs[k] = subscribe(chans[k])
	}
	b.StopTimer()
}

// BenchmarkUnsubscribeBlocked: n-1 subscribers are ready and one has an
// unbuffered channel nobody receives from. Each op subscribes that channel,
// starts a Send in a goroutine, receives the value from every ready channel
// (so the Send can now only be waiting for the blocked subscriber) and then
// unsubscribes the blocked subscriber, which must let the Send finish.
// ns/op is the whole cycle; unsub-ns/op is the Unsubscribe call alone.
// The floor's Send is the non-blocking loop plus a select on the blocked
// channel and a quit channel; its Unsubscribe closes quit and waits for the
// sender to leave that select.
func BenchmarkUnsubscribeBlocked(b *testing.B) {
	const n = 10000
	b.Run(fmt.Sprintf("kind=%s/n=%d", kindFeedOfInt, n), func(b *testing.B) {
		for _, im := range impls {
			b.Run("impl="+im, func(b *testing.B) { unsubscribeBlocked(b, im, n) })
		}
	})
}

func unsubscribeBlocked(b *testing.B, im string, n int) {
	ready := makeChans[int](n-1, 1)
	blocked := make(chan int)
	var sent int
	var unsubTime time.Duration
	b.ReportAllocs()
	switch im {
	case implFloor:
		b.ResetTimer()
		sent, unsubTime = floorBlockedCycles(b.N, ready, blocked)
	case implES:
		f := subscribed(b, new(es.FeedOf[int]), ready, func(f *es.FeedOf[int], c chan int) unsubscriber { return f.Subscribe(c) })
		sent, unsubTime = blockedCycles(b.N, ready, func() unsubscriber { return f.Subscribe(blocked) }, f.Send)
	case implGeth:
		f := subscribed(b, new(geth.FeedOf[int]), ready, func(f *geth.FeedOf[int], c chan int) unsubscriber { return f.Subscribe(c) })
		sent, unsubTime = blockedCycles(b.N, ready, func() unsubscriber { return f.Subscribe(blocked) }, f.Send)
	}
	b.StopTimer()
	b.ReportMetric(float64(unsubTime.Nanoseconds())/float64(b.N), "unsub-ns/op")
	checkSent(b, sent, b.N*(n-1))
}

// blockedCycles runs the op of BenchmarkUnsubscribeBlocked ops times on a
// feed: subscribe the blocked channel, Send in a goroutine, receive from
// every ready channel, unsubscribe the blocked subscriber. It returns the
// deliveries and the time spent in Unsubscribe.
func blockedCycles(ops int, ready []chan int, subscribeBlocked func() unsubscriber, send func(int) int) (sent int, unsub time.Duration) {
	result := make(chan int)
	for i := 0; i < ops; i++ {
		sub := subscribeBlocked()
		go func(v int) { result <- send(v) }(i)
		drained(ready, 0)
		t0 := time.Now()
		sub.Unsubscribe()
		unsub += time.Since(t0)
		sent += <-result
	}
	return sent, unsub
}

// floorBlockedCycles is blockedCycles for the floor: its Send is the
// non-blocking loop plus a select on the blocked channel and a quit
// channel, and its Unsubscribe closes quit and waits for the Send to end.
func floorBlockedCycles(ops int, ready []chan int, blocked chan int) (sent int, unsub time.Duration) {
	result := make(chan int)
	for i := 0; i < ops; i++ {
		quit := make(chan struct{})
		go func(v int) {
			k := offerEach(ready, v)
			select {
			case blocked <- v:
				k++
			case <-quit:
			}
			result <- k
		}(i)
		drained(ready, 0)
		t0 := time.Now()
		close(quit)
		k := <-result
		unsub += time.Since(t0)
		sent += k
	}
	return sent, unsub
}
