package stress

import (
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

// intFeed is the part of Feed and FeedOf[int] the feed scenarios drive.
type intFeed = testkit.IntFeed[event.Subscription]

// newFeed and newFeedOf return a fresh Feed and FeedOf[int] as an intFeed.
func newFeed() intFeed   { return testkit.AnyFeed(new(event.Feed)) }
func newFeedOf() intFeed { return testkit.TypedFeed(new(event.FeedOf[int])) }

// TestFeedChurn drives Feed with Subscribe/Unsubscribe churn against
// concurrent numbered Sends; see runChurn.
func TestFeedChurn(t *testing.T) { runChurn(t, newFeed()) }

// TestFeedOfChurn is TestFeedChurn for FeedOf[int].
func TestFeedOfChurn(t *testing.T) { runChurn(t, newFeedOf()) }

// churnEntry is one Subscribe call and the logical times its Subscribe and
// Unsubscribe began and returned (written by the owning goroutine only).
type churnEntry struct {
	sub                                    event.Subscription
	subBegin, subRet, unsubBegin, unsubRet int64
}

// churnChan is one subscriber channel with its entries (one, or two when the
// same channel is subscribed twice) and everything it received, in order.
type churnChan struct {
	ch      chan int
	entries []*churnEntry
	got     []int
	count   map[int]int
}

type churn struct {
	r        *Run
	f        intFeed
	sends    stampLog
	lastVal  atomic.Int64
	sent     atomic.Int64 // sum of the counts Send returned
	received atomic.Int64 // values taken out of subscriber channels
	subBegun atomic.Int64 // entries whose Subscribe began
	unsubRet atomic.Int64 // entries whose Unsubscribe returned
	done     chan struct{}

	mu      sync.Mutex
	retired []*churnChan

	deliveries, lateChecks, nilSubs, dualSubs, doubleUnsubs *atomic.Int64
}

const (
	churnSenders  = 3
	churnChurners = 5
)

// runChurn: churnChurners goroutines Subscribe buffered, unbuffered and nil
// channels (sometimes the same channel twice), receive at random speeds and
// Unsubscribe (sometimes from two goroutines at once), while churnSenders
// goroutines Send numbered values. A witness channel stays subscribed
// throughout. Every Send, Subscribe and Unsubscribe is stamped with the run's
// logical clock when it began and returned.
func runChurn(t *testing.T, f intFeed) {
	r := Start(t, 150_000,
		"NoDeliveryAfterUnsubscribe (each receive: some entry of the channel could still get the value; after Unsubscribe returned nothing more arrives)",
		"DeliveredExactlyOnce (each receive: copies <= entries that could get it; end: copies >= entries subscribed before the Send began and not unsubscribed before it returned)",
		"SendReachesAllSubscribed (the always-subscribed witness gets every value; each Send returns >= 1)",
		"SubscribersSeeSendOrder (each receive: no value whose Send returned before the previous value's Send began; end: every channel is a subsequence of the witness order)",
		"Send counts (each Send: n <= entries that may exist; end: sum of n == values received)",
		"ErrClosedAfterUnsubscribe (each Unsubscribe: Err closed, never a value)")
	c := &churn{
		r:            r,
		f:            f,
		done:         make(chan struct{}),
		deliveries:   r.Counter("deliveries"),
		lateChecks:   r.Counter("late-delivery-checks"),
		nilSubs:      r.Counter("nil-channel-subs"),
		dualSubs:     r.Counter("same-channel-twice"),
		doubleUnsubs: r.Counter("concurrent-double-unsubscribes"),
	}
	// The witness is subscribed before any Send and unsubscribed after the
	// last one returned, so it must get every value exactly once.
	witness := c.subscribe(make(chan int, 256), 1)
	witnessDone := testkit.Go(func() {
		receiveUntil(witness.ch, c.done, func(v int) { c.receive(witness, v) })
	})
	var senders, churners sync.WaitGroup
	for w := range churnSenders {
		senders.Go(func() { c.sender(r.Rand(100 + w)) })
	}
	for w := range churnChurners {
		churners.Go(func() { c.churner(r.Rand(200 + w)) })
	}
	senders.Wait()
	close(c.done)
	churners.Wait()
	if !r.Wait(witnessDone, "witness drain") {
		return
	}
	c.unsubscribe(witness.entries[0], nil)
	c.drain(witness)
	if !r.Failed() {
		c.finalCheck(witness)
	}
}

func (c *churn) subscribe(ch chan int, k int) *churnChan {
	cc := &churnChan{ch: ch, count: map[int]int{}}
	for range k {
		e := &churnEntry{}
		c.subBegun.Add(1)
		e.subBegin = c.r.Stamp()
		e.sub = c.f.Subscribe(ch)
		e.subRet = c.r.Stamp()
		cc.entries = append(cc.entries, e)
	}
	return cc
}

// unsubscribe unsubscribes e, from two goroutines at once when rng says so,
// and checks its Err channel is closed once Unsubscribe returned.
func (c *churn) unsubscribe(e *churnEntry, rng *rand.Rand) {
	e.unsubBegin = c.r.Stamp()
	if rng != nil && rng.IntN(8) == 0 {
		c.doubleUnsubs.Add(1)
		together(2, e.sub.Unsubscribe)
	} else {
		e.sub.Unsubscribe()
	}
	e.unsubRet = c.r.Stamp()
	c.unsubRet.Add(1)
	if p := errProblem(e.sub.Err()); p != "" {
		c.r.Failf("ErrClosedAfterUnsubscribe: feed subscription Err %s after Unsubscribe returned", p)
	}
}

func (c *churn) sender(rng *rand.Rand) {
	r := c.r
	for r.Next() {
		v := int(c.lastVal.Add(1))
		st := c.sends.at(v)
		gone := c.unsubRet.Load()
		st.begin.Store(r.Stamp())
		n := c.f.Send(v)
		st.ret.Store(r.Stamp())
		c.sent.Add(int64(n))
		// Entries that may have got v: those whose Subscribe began before
		// Send returned, minus those whose Unsubscribe returned before it began.
		upper := c.subBegun.Load() - gone
		if n < 1 {
			r.Failf("SendReachesAllSubscribed: Send(%d) returned %d, but the witness was subscribed throughout", v, n)
		}
		if int64(n) > upper {
			r.Failf("Send(%d) returned %d, more than the %d entries that could exist", v, n, upper)
		}
		if rng.IntN(8) == 0 {
			Yield(rng.IntN(4))
		}
	}
}

func (c *churn) churner(rng *rand.Rand) {
	r := c.r
	for r.Next() {
		var ch chan int
		k := 1
		switch x := rng.IntN(10); {
		case x < 3:
			ch = make(chan int)
		case x < 8:
			ch = make(chan int, 1+rng.IntN(8))
		default:
			// nil channel: blocks every Send until it is unsubscribed.
		}
		if ch != nil && rng.IntN(6) == 0 {
			k = 2
			c.dualSubs.Add(1)
		}
		cc := c.subscribe(ch, k)
		if ch == nil {
			c.nilSubs.Add(1)
			Yield(rng.IntN(16))
			c.unsubscribe(cc.entries[0], rng)
			continue
		}
		want := rng.IntN(40)
		pace := rng.IntN(3)
	recv:
		for i := 0; i < want; i++ {
			select {
			case v := <-ch:
				c.receive(cc, v)
			case <-c.done:
				break recv
			}
			switch pace {
			case 1:
				Yield(rng.IntN(4))
			case 2:
				if rng.IntN(8) == 0 {
					Yield(32)
				}
			}
			if k == 2 && i == want/2 {
				c.unsubscribe(cc.entries[0], rng)
			}
		}
		for _, e := range cc.entries {
			if e.unsubBegin == 0 {
				c.unsubscribe(e, rng)
			}
		}
		c.drain(cc)
	}
}

// drain takes what was buffered in cc when its last Unsubscribe returned and
// checks nothing more can be received.
func (c *churn) drain(cc *churnChan) {
	for range len(cc.ch) {
		c.receive(cc, <-cc.ch)
	}
	c.lateChecks.Add(1)
	select {
	case v := <-cc.ch:
		c.r.Failf("NoDeliveryAfterUnsubscribe: value %d arrived after every Unsubscribe of its channel returned", v)
	default:
	}
	c.mu.Lock()
	c.retired = append(c.retired, cc)
	c.mu.Unlock()
}

// receive checks one received value against what is known right now.
func (c *churn) receive(cc *churnChan, v int) {
	r := c.r
	c.received.Add(1)
	c.deliveries.Add(1)
	if v < 1 || int64(v) > c.lastVal.Load() {
		r.Failf("received %d, which no Send was given", v)
		return
	}
	st := c.sends.at(v)
	b, rt := st.begin.Load(), st.ret.Load()
	if b == 0 {
		r.Failf("received %d before its Send began", v)
		return
	}
	cc.count[v]++
	possible := 0
	for _, e := range cc.entries {
		if (rt == 0 || e.subBegin < rt) && (e.unsubRet == 0 || e.unsubRet > b) {
			possible++
		}
	}
	switch {
	case possible == 0:
		r.Failf("NoDeliveryAfterUnsubscribe: received %d (Send began at %d) on a channel whose entries were all unsubscribed or not yet subscribed then", v, b)
	case cc.count[v] > possible:
		r.Failf("DeliveredExactlyOnce: value %d received %d times on a channel with %d entries that could get it", v, cc.count[v], possible)
	}
	if n := len(cc.got); n > 0 {
		if last := cc.got[n-1]; last != v {
			if lb := c.sends.at(last).begin.Load(); rt != 0 && rt < lb {
				r.Failf("SubscribersSeeSendOrder: received %d after %d, but Send(%d) returned (%d) before Send(%d) began (%d)", v, last, v, rt, last, lb)
			}
		}
	}
	cc.got = append(cc.got, v)
}

// finalCheck runs once every goroutine is joined and every stamp is known.
func (c *churn) finalCheck(witness *churnChan) {
	r := c.r
	n := int(c.lastVal.Load())
	pos := make([]int32, n+1) // each value's index in the witness's order
	for i := range pos {
		pos[i] = -1
	}
	for i, v := range witness.got {
		pos[v] = int32(i)
	}
	for v := 1; v <= n; v++ {
		if pos[v] < 0 {
			r.Failf("SendReachesAllSubscribed: the witness never got %d", v)
			return
		}
	}
	if s, g := c.sent.Load(), c.received.Load(); s != g {
		r.Failf("Send counts: the Sends returned %d deliveries in total but %d values were received", s, g)
	}
	byBegin := make([]int, n) // the values in the order their Sends began
	for i := range byBegin {
		byBegin[i] = i + 1
	}
	sort.Slice(byBegin, func(i, j int) bool { return c.begin(byBegin[i]) < c.begin(byBegin[j]) })
	checked := r.Counter("final-required-deliveries")
	for _, cc := range c.retired { // the witness is among them
		r.Progress()
		if !c.checkRetired(cc, pos) || !c.checkRequired(cc, byBegin, checked) {
			return
		}
	}
}

// begin and ret return the logical times Send(v) began and returned.
func (c *churn) begin(v int) int64 { return c.sends.at(v).begin.Load() }
func (c *churn) ret(v int) int64   { return c.sends.at(v).ret.Load() }

// checkRetired checks a channel whose entries are all unsubscribed: empty,
// its values in the witness's order (pos), and no value more often than
// entries could get it. It reports false after a failure.
func (c *churn) checkRetired(cc *churnChan, pos []int32) bool {
	r := c.r
	if n := len(cc.ch); n != 0 {
		r.Failf("NoDeliveryAfterUnsubscribe: %d values (first %d) arrived after every Unsubscribe of their channel returned", n, <-cc.ch)
		return false
	}
	prev := int32(-1)
	for _, v := range cc.got {
		p := pos[v]
		if p < prev || (p == prev && len(cc.entries) == 1) {
			r.Failf("SubscribersSeeSendOrder: a channel got %d out of the witness order", v)
			return false
		}
		prev = p
	}
	for v, cnt := range cc.count {
		possible := 0
		for _, e := range cc.entries {
			if e.subBegin < c.ret(v) && e.unsubRet > c.begin(v) {
				possible++
			}
		}
		if cnt > possible {
			r.Failf("DeliveredExactlyOnce/NoDeliveryAfterUnsubscribe: %d received %d times, only %d entries could get it", v, cnt, possible)
			return false
		}
	}
	return true
}

// checkRequired checks that cc got each value once per entry subscribed
// before its Send began and unsubscribed only after it returned; byBegin
// lists the values in the order their Sends began. It reports false after
// a failure.
func (c *churn) checkRequired(cc *churnChan, byBegin []int, checked *atomic.Int64) bool {
	n := len(byBegin)
	req := map[int]int{}
	for _, e := range cc.entries {
		lo := sort.Search(n, func(i int) bool { return c.begin(byBegin[i]) > e.subRet })
		for i := lo; i < n && c.begin(byBegin[i]) < e.unsubBegin; i++ {
			if v := byBegin[i]; c.ret(v) < e.unsubBegin {
				req[v]++
			}
		}
	}
	for v, want := range req {
		checked.Add(int64(want))
		if cc.count[v] < want {
			c.r.Failf("DeliveredExactlyOnce: %d received %d times, but %d entries were subscribed before its Send began and unsubscribed only after it returned", v, cc.count[v], want)
			return false
		}
	}
	return true
}
