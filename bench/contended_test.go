package bench

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	geth "github.com/ethereum/go-ethereum/event"
	es "github.com/eventspec/eventspec/event"
)

// contendedSenders are the numbers of goroutines that Send at the same time
// in BenchmarkSendContended, and contendedSizes its subscriber counts.
var (
	contendedSenders = []int{2, 8}
	contendedSizes   = []int{1, 10}
)

// BenchmarkSendContended: p goroutines Send in a loop to one feed with n
// subscribers, one of them slow: its channel is unbuffered and its receiver
// spins slowWork rounds after each value, so that the feed is busy most of
// the time and almost every Send has to wait for the one before it. The
// other n-1 channels have capacity recvBuffer and are drained at once. One
// op is one Send; b.N Sends in all, shared among the p goroutines.
//
// Besides ns/op and sends/s (b.N over the elapsed time) it reports, per Send:
//
//   - overtakes: each Send takes a ticket from a shared counter immediately
//     before it is called, and the value it sends carries the ticket. The
//     slow subscriber receives every value, in the order in which the Sends
//     were served, and records the tickets in that order. A later Send (one
//     with a higher ticket) overtook Send t if its value arrived before t's.
//     overtakes-max and overtakes-p99 are over all b.N Sends; over-p-ppm
//     is how many Sends in a million were overtaken more than p times.
//   - wait: the time from just before the ticket was taken to the Send's
//     return; wait-p50-ns, wait-p99-ns, wait-max-ns.
//
// Overtakes are counted from the ticket, not from the moment the Send joins
// whatever queue the feed keeps: a sender whose thread is descheduled in the
// few instructions between its ticket and that moment can be overtaken by
// every Send the other senders make meanwhile, whatever the feed does. On a
// loaded machine with GOMAXPROCS > 1 this shows up as a few Sends overtaken
// thousands of times with a wait of milliseconds, in every implementation;
// over-p-ppm tells such outliers from a feed that lets newcomers pass
// waiting Sends as a rule. There is no floor implementation.
func BenchmarkSendContended(b *testing.B) {
	for _, kind := range []string{kindFeedOfInt, kindFeed} {
		for _, p := range contendedSenders {
			for _, n := range contendedSizes {
				b.Run(fmt.Sprintf("kind=%s/p=%d/n=%d", kind, p, n), func(b *testing.B) {
					for _, im := range []string{implES, implGeth} {
						b.Run("impl="+im, func(b *testing.B) { sendContended(b, kind, im, p, n) })
					}
				})
			}
		}
	}
}

// intTicket and payloadTicket turn a ticket into the value sent and back.
// Feed sends pointers into a slice allocated before the timer starts, so
// that neither kind allocates per value.
func intTicket(t int) int            { return t }
func intOfTicket(v int) int          { return v }
func payloadOfTicket(v *payload) int { return v.A }

func sendContended(b *testing.B, kind, im string, p, n int) {
	switch {
	case kind == kindFeedOfInt && im == implES:
		var f es.FeedOf[int]
		contended(b, p, n, intTicket, intOfTicket, func(c chan int) unsubscriber { return f.Subscribe(c) }, f.Send)
	case kind == kindFeedOfInt && im == implGeth:
		var f geth.FeedOf[int]
		contended(b, p, n, intTicket, intOfTicket, func(c chan int) unsubscriber { return f.Subscribe(c) }, f.Send)
	case kind == kindFeed:
		vals := make([]payload, b.N)
		for i := range vals {
			vals[i].A = i
		}
		value := func(t int) *payload { return &vals[t] }
		if im == implES {
			var f es.Feed
			contended(b, p, n, value, payloadOfTicket, func(c chan *payload) unsubscriber { return f.Subscribe(c) },
				func(v *payload) int { return f.Send(v) })
		} else {
			var f geth.Feed
			contended(b, p, n, value, payloadOfTicket, func(c chan *payload) unsubscriber { return f.Subscribe(c) },
				func(v *payload) int { return f.Send(v) })
		}
	default:
		b.Fatalf("no contended scenario for kind %s impl %s", kind, im)
	}
}

// contended runs the scenario described at BenchmarkSendContended on the
// feed behind subscribe and send, then reports its metrics.
func contended[T any](b *testing.B, p, n int, value func(int) T, ticketOf func(T) int,
	subscribe func(chan T) unsubscriber, send func(T) int) {
	total := b.N
	slow := make(chan T)
	fast := makeChans[T](n-1, recvBuffer)
	defer unsubscribeAll(append([]unsubscriber{subscribe(slow)}, subscribeEach(fast, subscribe)...))
	order := make([]int, 0, total) // tickets in the order the slow subscriber got them
	rec := startRecorder(slow, total, slowWork, ticketOf, &order)
	defer rec.stopAndWait()
	drain := startReceivers(fast, total, 0)
	defer drain.stopAndWait()
	waits := make([]time.Duration, total) // indexed by ticket

	var next, sent atomic.Int64
	var senders sync.WaitGroup
	base := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	senders.Add(p)
	for range p {
		go func() {
			defer senders.Done()
			k := 0
			for {
				start := time.Since(base)
				t := int(next.Add(1) - 1)
				if t >= total {
					break
				}
				k += send(value(t))
				waits[t] = time.Since(base) - start
			}
			sent.Add(int64(k))
		}()
	}
	senders.Wait()
	checkSent(b, int(sent.Load()), total*n) // before waiting for receivers that would never finish
	rec.wait()
	drain.wait()
	b.StopTimer()

	ov, err := overtakes(order, total)
	if err != nil {
		b.Fatal(err)
	}
	beyond := 0 // Sends overtaken by more than p later Sends
	for _, o := range ov {
		if o > p {
			beyond++
		}
	}
	slices.Sort(ov)
	slices.Sort(waits)
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "sends/s")
	b.ReportMetric(float64(ov[total-1]), "overtakes-max")
	b.ReportMetric(float64(nearestRank(ov, 0.99)), "overtakes-p99")
	b.ReportMetric(1e6*float64(beyond)/float64(total), "over-p-ppm")
	b.ReportMetric(float64(nearestRank(waits, 0.50)), "wait-p50-ns")
	b.ReportMetric(float64(nearestRank(waits, 0.99)), "wait-p99-ns")
	b.ReportMetric(float64(waits[total-1]), "wait-max-ns")
}

// startRecorder receives want values from c (or until c is closed),
// appending each value's ticket to *order and spinning work rounds after
// each one.
func startRecorder[T any](c chan T, want, work int, ticketOf func(T) int, order *[]int) *receivers {
	r := &receivers{close: func() { close(c) }}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		var acc uint64
		defer func() { spinSink.Add(acc) }()
		for len(*order) < want {
			v, ok := <-c
			if !ok {
				return
			}
			*order = append(*order, ticketOf(v))
			acc += spin(work)
		}
	}()
	return r
}

// overtakes returns, for every ticket t of 0..total-1, the number of higher
// tickets that come before t in order, which must hold each ticket exactly
// once. It counts with a Fenwick tree over the tickets seen so far, in
// O(total log total).
func overtakes(order []int, total int) ([]int, error) {
	if len(order) != total {
		return nil, fmt.Errorf("the slow subscriber got %d values, want %d", len(order), total)
	}
	tree := make([]int, total+1) // tree[i] covers tickets (i-i&-i, i], 1-based
	seen := make([]bool, total)
	ov := make([]int, total)
	for pos, t := range order {
		if t < 0 || t >= total || seen[t] {
			return nil, fmt.Errorf("ticket %d at position %d: out of range or delivered twice", t, pos)
		}
		seen[t] = true
		lower := 0 // tickets below t seen so far
		for i := t; i > 0; i -= i & -i {
			lower += tree[i]
		}
		ov[t] = pos - lower
		for i := t + 1; i <= total; i += i & -i {
			tree[i]++
		}
	}
	return ov, nil
}

// nearestRank returns the q-quantile of sorted by the nearest-rank method:
// the smallest value with at least q of all values at or below it.
func nearestRank[E any](sorted []E, q float64) E {
	k := int(math.Ceil(q*float64(len(sorted))-1e-9)) - 1
	return sorted[max(0, min(k, len(sorted)-1))]
}

// TestOvertakes checks the counting of BenchmarkSendContended against a
// direct count on hand-made orders.
func TestOvertakes(t *testing.T) {
	cases := []struct {
		order []int
		want  []int
	}{
		{[]int{0, 1, 2, 3}, []int{0, 0, 0, 0}},
		{[]int{3, 2, 1, 0}, []int{3, 2, 1, 0}},
		{[]int{1, 2, 3, 0, 5, 4}, []int{3, 0, 0, 0, 1, 0}},
		{[]int{2, 0, 1}, []int{1, 1, 0}},
	}
	for _, c := range cases {
		got, err := overtakes(c.order, len(c.order))
		if err != nil {
			t.Fatalf("order %v: %v", c.order, err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("order %v: overtakes %v, want %v", c.order, got, c.want)
		}
		// The same by definition, quadratically.
		for i, ti := range c.order {
			direct := 0
			for _, tj := range c.order[:i] {
				if tj > ti {
					direct++
				}
			}
			if got[ti] != direct {
				t.Errorf("order %v: ticket %d overtaken %d times, direct count %d", c.order, ti, got[ti], direct)
			}
		}
	}
	for _, bad := range [][]int{{0, 0}, {0, 2}, {0}} {
		if _, err := overtakes(bad, 2); err == nil {
			t.Errorf("order %v of 2 tickets: no error", bad)
		}
	}
}

// TestNearestRank pins the quantile convention of the reported metrics.
func TestNearestRank(t *testing.T) {
	xs := make([]int, 100)
	for i := range xs {
		xs[i] = i + 1
	}
	for _, c := range []struct {
		q    float64
		want int
	}{{0.5, 50}, {0.99, 99}, {1, 100}, {0.001, 1}} {
		if got := nearestRank(xs, c.q); got != c.want {
			t.Errorf("nearestRank(1..100, %v) = %d, want %d", c.q, got, c.want)
		}
	}
	if got := nearestRank([]int{7}, 0.99); got != 7 {
		t.Errorf("nearestRank([7], 0.99) = %d, want 7", got)
	}
}
