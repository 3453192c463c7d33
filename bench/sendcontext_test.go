package bench

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	es "github.com/eventspec/eventspec/event"
)

// sendContextSizes are the subscriber counts of BenchmarkSendContextReady.
var sendContextSizes = []int{1, 10, 1000}

// BenchmarkSendContextReady is BenchmarkSendReady for this package only,
// comparing call=Send with call=SendContext whose ctx is never done (a
// cancellable one, the kind a caller that may give up holds). SendContext's
// target is at most 1.05x Send and no allocation.
func BenchmarkSendContextReady(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, kind := range []string{kindFeedOfInt, kindFeed} {
		for _, n := range sendContextSizes {
			b.Run(fmt.Sprintf("kind=%s/n=%d", kind, n), func(b *testing.B) {
				for _, call := range []string{"Send", "SendContext"} {
					b.Run("call="+call, func(b *testing.B) { sendContextReady(b, ctx, kind, call, n) })
				}
			})
		}
	}
}

// sendContextReady measures one call kind in its own loop, so that no
// indirect call enters the measured loop.
func sendContextReady(b *testing.B, ctx context.Context, kind, call string, n int) {
	chans := makeChans[int](n, 1)
	b.ReportAllocs()
	sent := 0
	switch {
	case kind == kindFeed && call == "Send":
		f := subscribed(b, new(es.Feed), chans, func(f *es.Feed, c chan int) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			sent += drained(chans, f.Send(42))
		}
	case kind == kindFeed:
		f := subscribed(b, new(es.Feed), chans, func(f *es.Feed, c chan int) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			k, _ := f.SendContext(ctx, 42)
			sent += drained(chans, k)
		}
	case call == "Send":
		f := subscribed(b, new(es.FeedOf[int]), chans, func(f *es.FeedOf[int], c chan int) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			sent += drained(chans, f.Send(42))
		}
	default:
		f := subscribed(b, new(es.FeedOf[int]), chans, func(f *es.FeedOf[int], c chan int) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			k, _ := f.SendContext(ctx, 42)
			sent += drained(chans, k)
		}
	}
	b.StopTimer()
	checkSent(b, sent, b.N*n)
}

// BenchmarkSendContextCancel: a SendContext to n subscribers that never
// read, parked on all of them, is cancelled; one op is one such SendContext,
// and cancel-to-return-ns is the time from cancel to its return (median over
// the ops of the run).
func BenchmarkSendContextCancel(b *testing.B) {
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("kind=%s/n=%d", kindFeedOfInt, n), func(b *testing.B) {
			chans := makeChans[int](n, 0)
			var f es.FeedOf[int]
			defer unsubscribeAll(subscribeEach(chans, func(c chan int) unsubscriber { return f.Subscribe(c) }))
			lat := make([]time.Duration, 0, b.N)
			base := runtime.NumGoroutine()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ctx, cancel := context.WithCancel(context.Background())
				returned := make(chan time.Time, 1)
				go func() {
					if k, err := f.SendContext(ctx, i); k != 0 || err == nil {
						panic(fmt.Sprintf("SendContext = (%d, %v), want (0, canceled)", k, err))
					}
					returned <- time.Now()
				}()
				// Parked once a deliverer runs per entry but the first (the
				// sender serves that one itself).
				for runtime.NumGoroutine() < base+n {
					runtime.Gosched()
				}
				start := time.Now()
				cancel()
				lat = append(lat, (<-returned).Sub(start))
			}
			b.StopTimer()
			b.ReportMetric(float64(median(lat).Nanoseconds()), "cancel-to-return-ns")
		})
	}
}

// median returns the middle of d, which it sorts.
func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	for i := 1; i < len(d); i++ { // insertion sort: b.N is small here
		for j := i; j > 0 && d[j] < d[j-1]; j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
	return d[len(d)/2]
}
