package bench

import (
	"fmt"
	"testing"

	geth "github.com/ethereum/go-ethereum/event"
	es "github.com/eventspec/eventspec/event"
)

// readySizes are the subscriber counts of the ready-subscriber scenarios.
var readySizes = []int{1, 10, 100, 1000, 10000}

// recvBuffer is the channel capacity of subscribers that have their own
// receiver goroutine and are meant to be ready.
const recvBuffer = 16

// perSize runs run for every n in sizes and every implementation, named
// n=<n>/impl=<impl>.
func perSize(b *testing.B, sizes []int, run func(b *testing.B, im string, n int)) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for _, im := range impls {
				b.Run("impl="+im, func(b *testing.B) { run(b, im, n) })
			}
		})
	}
}

// subscribeEach subscribes every channel through sub.
func subscribeEach[T any](chans []chan T, sub func(c chan T) unsubscriber) []unsubscriber {
	subs := make([]unsubscriber, len(chans))
	for i, c := range chans {
		subs[i] = sub(c)
	}
	return subs
}

// BenchmarkSendReady: one Send to n subscribers whose buffered channels
// always have room, drained by the sending goroutine after each Send. This
// isolates the cost of Send itself. The floor is a non-blocking send to each
// channel.
func BenchmarkSendReady(b *testing.B) {
	b.Run("kind="+kindFeed, func(b *testing.B) {
		perSize(b, readySizes, func(b *testing.B, im string, n int) { sendReady(b, kindFeed, im, n, ptrValue) })
	})
	b.Run("kind="+kindFeedOfInt, func(b *testing.B) {
		perSize(b, readySizes, func(b *testing.B, im string, n int) { sendReady(b, kindFeedOfInt, im, n, 42) })
	})
	b.Run("kind="+kindFeedOfPtr, func(b *testing.B) {
		perSize(b, readySizes, func(b *testing.B, im string, n int) { sendReady(b, kindFeedOfPtr, im, n, ptrValue) })
	})
	b.Run("kind="+kindFeedOfStruct, func(b *testing.B) {
		perSize(b, readySizes, func(b *testing.B, im string, n int) { sendReady(b, kindFeedOfStruct, im, n, struct64Val) })
	})
}

func sendReady[T any](b *testing.B, kind, im string, n int, v T) {
	chans := makeChans[T](n, 1)
	b.ReportAllocs()
	sent := 0
	switch {
	case im == implFloor:
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			sent += drained(chans, offerEach(chans, v))
		}
	case im == implES && kind == kindFeed:
		f := subscribed(b, new(es.Feed), chans, func(f *es.Feed, c chan T) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			sent += drained(chans, f.Send(v))
		}
	case im == implGeth && kind == kindFeed:
		f := subscribed(b, new(geth.Feed), chans, func(f *geth.Feed, c chan T) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			sent += drained(chans, f.Send(v))
		}
	case im == implES:
		f := subscribed(b, new(es.FeedOf[T]), chans, func(f *es.FeedOf[T], c chan T) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			sent += drained(chans, f.Send(v))
		}
	case im == implGeth:
		f := subscribed(b, new(geth.FeedOf[T]), chans, func(f *geth.FeedOf[T], c chan T) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			sent += drained(chans, f.Send(v))
		}
	}
	b.StopTimer()
	checkSent(b, sent, b.N*n)
}

// BenchmarkSendRecv: Sends to n subscribers with buffered channels, each
// drained by its own receiver goroutine; the time includes the receivers
// getting every value. The floor tries a non-blocking send and falls back to
// a blocking one, so that it delivers every value like the feeds do.
func BenchmarkSendRecv(b *testing.B) {
	b.Run("kind="+kindFeed, func(b *testing.B) {
		perSize(b, readySizes, func(b *testing.B, im string, n int) { sendRecv(b, kindFeed, im, n, 0, 0, ptrValue) })
	})
	b.Run("kind="+kindFeedOfInt, func(b *testing.B) {
		perSize(b, readySizes, func(b *testing.B, im string, n int) { sendRecv(b, kindFeedOfInt, im, n, 0, 0, 42) })
	})
	b.Run("kind="+kindFeedOfPtr, func(b *testing.B) {
		perSize(b, readySizes, func(b *testing.B, im string, n int) { sendRecv(b, kindFeedOfPtr, im, n, 0, 0, ptrValue) })
	})
	b.Run("kind="+kindFeedOfStruct, func(b *testing.B) {
		perSize(b, readySizes, func(b *testing.B, im string, n int) { sendRecv(b, kindFeedOfStruct, im, n, 0, 0, struct64Val) })
	})
}

// recvChans makes n channels, slowPct percent of them unbuffered and spread
// evenly, the others with capacity recvBuffer.
func recvChans[T any](n, slowPct int) []chan T {
	chans := make([]chan T, n)
	every := 0
	if slowPct > 0 {
		every = 100 / slowPct
	}
	for i := range chans {
		if every > 0 && i%every == 0 {
			chans[i] = make(chan T)
		} else {
			chans[i] = make(chan T, recvBuffer)
		}
	}
	return chans
}

func sendRecv[T any](b *testing.B, kind, im string, n, slowPct, work int, v T) {
	chans := recvChans[T](n, slowPct)
	b.ReportAllocs()
	recv := startReceivers(chans, b.N, work)
	defer recv.stopAndWait()
	sent := 0
	switch {
	case im == implFloor:
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for _, c := range chans {
				put(c, v)
				sent++
			}
		}
	case im == implES && kind == kindFeed:
		f := subscribed(b, new(es.Feed), chans, func(f *es.Feed, c chan T) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			sent += f.Send(v)
		}
	case im == implGeth && kind == kindFeed:
		f := subscribed(b, new(geth.Feed), chans, func(f *geth.Feed, c chan T) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			sent += f.Send(v)
		}
	case im == implES:
		f := subscribed(b, new(es.FeedOf[T]), chans, func(f *es.FeedOf[T], c chan T) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			sent += f.Send(v)
		}
	case im == implGeth:
		f := subscribed(b, new(geth.FeedOf[T]), chans, func(f *geth.FeedOf[T], c chan T) unsubscriber { return f.Subscribe(c) })
		for i := 0; i < b.N; i++ {
			sent += f.Send(v)
		}
	}
	recv.wait()
	b.StopTimer()
	checkSent(b, sent, b.N*n)
}

// slowSizes are the subscriber counts of the slow-subscriber scenario.
var slowSizes = []int{10, 100, 1000}

// slowWorks are the spin rounds a slow receiver does per value: 0 (it is
// back at its channel almost at once) and slowWork (it is busy for a while,
// so that the slow subscribers become ready one after the other).
var slowWorks = []int{0, slowWork}

// slowWork spin rounds take roughly half a microsecond.
const slowWork = 500

// BenchmarkSendSlow: like BenchmarkSendRecv, but slow=10 or slow=100 percent
// of the subscribers have unbuffered channels, so that Send must wait for
// their receivers; with work=W each of those receivers spins W rounds after
// each value.
func BenchmarkSendSlow(b *testing.B) {
	for _, pct := range []int{10, 100} {
		for _, work := range slowWorks {
			b.Run(fmt.Sprintf("kind=%s/slow=%d/work=%d", kindFeed, pct, work), func(b *testing.B) {
				perSize(b, slowSizes, func(b *testing.B, im string, n int) { sendRecv(b, kindFeed, im, n, pct, work, ptrValue) })
			})
			b.Run(fmt.Sprintf("kind=%s/slow=%d/work=%d", kindFeedOfInt, pct, work), func(b *testing.B) {
				perSize(b, slowSizes, func(b *testing.B, im string, n int) { sendRecv(b, kindFeedOfInt, im, n, pct, work, 42) })
			})
		}
	}
}
