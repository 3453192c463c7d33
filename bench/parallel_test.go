package bench

import (
	"fmt"
	"sync/atomic"
	"testing"

	geth "github.com/ethereum/go-ethereum/event"
	es "github.com/eventspec/eventspec/event"
)

// parallelBuffer is the channel capacity in BenchmarkSendParallel.
const parallelBuffer = 64

// BenchmarkSendParallel: GOMAXPROCS goroutines (b.RunParallel) Send to the
// same n subscribers, each drained by its own receiver goroutine. The floor
// sends from the same goroutines straight to the channels (non-blocking
// first, blocking if full), with no lock at all.
func BenchmarkSendParallel(b *testing.B) {
	b.Run("kind="+kindFeedOfInt, func(b *testing.B) {
		for _, n := range []int{1, 10, 100} {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				for _, im := range impls {
					b.Run("impl="+im, func(b *testing.B) { sendParallel(b, im, n) })
				}
			})
		}
	})
}

func sendParallel(b *testing.B, im string, n int) {
	chans := makeChans[int](n, parallelBuffer)
	var sent atomic.Int64
	b.ReportAllocs()
	drain := startDrainers(chans)
	defer drain.stopAndWait()
	switch im {
	case implFloor:
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			k := 0
			for pb.Next() {
				for _, c := range chans {
					put(c, 1)
					k++
				}
			}
			sent.Add(int64(k))
		})
	case implES:
		f := subscribed(b, new(es.FeedOf[int]), chans, func(f *es.FeedOf[int], c chan int) unsubscriber { return f.Subscribe(c) })
		sendsInParallel(b, &sent, f.Send)
	case implGeth:
		f := subscribed(b, new(geth.FeedOf[int]), chans, func(f *geth.FeedOf[int], c chan int) unsubscriber { return f.Subscribe(c) })
		sendsInParallel(b, &sent, f.Send)
	}
	b.StopTimer()
	checkSent(b, int(sent.Load()), b.N*n)
}

// sendsInParallel calls send(1) from every b.RunParallel goroutine for as
// long as it runs and adds the deliveries up in sent.
func sendsInParallel(b *testing.B, sent *atomic.Int64, send func(int) int) {
	b.RunParallel(func(pb *testing.PB) {
		k := 0
		for pb.Next() {
			k += send(1)
		}
		sent.Add(int64(k))
	})
}
