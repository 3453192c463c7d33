package stress

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

// TestUnsubscribeTerminatesWhileSendBlocked makes Sends block on channels
// nobody reads (unbuffered, full, nil), sometimes with a racing receiver, and
// unsubscribes those entries (from up to three goroutines at once) at random
// points, including after the Send is known to be past its fast pass.
func TestUnsubscribeTerminatesWhileSendBlocked(t *testing.T) {
	r := Start(t, 60_000,
		"UnsubscribeTerminates (every Unsubscribe of an entry a Send is blocked on returns, concurrent callers too)",
		"SendTerminates (the blocked Send returns once its blocked entries are unsubscribed)",
		"Send count (n == 1 bystander + values the racing receivers actually got)",
		"NoDeliveryAfterUnsubscribe (once Unsubscribe returned, the full channels are emptied and must stay empty; unbuffered ones have no sender)",
		"ErrClosedAfterUnsubscribe",
		"the feed stays usable: every worker reuses one feed for all its rounds")
	c := &blockedCounters{
		blocked:   r.Counter("blocked-entries"),
		afterFast: r.Counter("unsubscribed-after-fast-pass"),
		raced:     r.Counter("racing-receiver-got-value"),
	}
	r.Workers(4, func(w int, rng *rand.Rand) {
		f := newFeedOf()
		if w%2 == 1 {
			f = newFeed()
		}
		by := make(chan int, 1)
		bySub := f.Subscribe(by)
		defer bySub.Unsubscribe()
		for v := 1; r.Next(); v++ {
			b := &blockedRound{r: r, c: c, f: f, by: by, v: v}
			if !b.run(rng) {
				return
			}
		}
	})
}

// blockedCounters are the counters of TestUnsubscribeTerminatesWhileSendBlocked.
type blockedCounters struct {
	blocked, afterFast, raced *atomic.Int64
}

// blockedRound is one Send of v on f with a bystander channel by (buffer 1,
// read by the round) and one to three entries it blocks on.
type blockedRound struct {
	r     *Run
	c     *blockedCounters
	f     intFeed
	by    chan int
	v     int
	chans []chan int // nil, unbuffered, or full (holding -1)
	full  []bool
	subs  []event.Subscription
	errs  []<-chan error

	got      int // 1 if the racing receiver got v
	stopRecv chan struct{}
	recvDone <-chan struct{}
	n        int // what Send returned
	sendDone <-chan struct{}
	byRead   bool // the bystander was read while the Send ran
}

// run plays the round: subscribe the blocking entries, start a racing
// receiver (sometimes) and the Send, unsubscribe the entries from up to
// three goroutines each, and check what followed. It reports false when a
// failure bound was hit.
func (b *blockedRound) run(rng *rand.Rand) bool {
	b.subscribe(rng)
	b.startRacer(rng)
	b.sendDone = testkit.Go(func() { b.n = b.f.Send(b.v) })
	b.byRead = rng.IntN(2) == 0
	if b.byRead {
		// The bystander took the value: the Send is past its fast pass.
		b.checkBystander(<-b.by)
		b.c.afterFast.Add(1)
		Yield(rng.IntN(8))
	} else {
		Yield(rng.IntN(4))
	}
	if !b.r.Wait(b.unsubscribe(rng), "UnsubscribeTerminates: Unsubscribe of entries a Send is blocked on") {
		return false
	}
	b.checkUnsubscribed()
	if !b.r.Wait(b.sendDone, "SendTerminates: Send after its blocked entries were unsubscribed") {
		return false
	}
	close(b.stopRecv)
	<-b.recvDone
	b.checkSend()
	return true
}

// subscribe subscribes one to three channels nobody reads.
func (b *blockedRound) subscribe(rng *rand.Rand) {
	k := 1 + rng.IntN(3)
	b.chans, b.full = make([]chan int, k), make([]bool, k)
	for i := range b.chans {
		switch rng.IntN(3) {
		case 0:
			b.chans[i] = make(chan int)
		case 1:
			b.chans[i] = make(chan int, 1)
			b.chans[i] <- -1
			b.full[i] = true
		default: // nil channel
		}
	}
	for _, ch := range b.chans {
		s := b.f.Subscribe(ch)
		b.subs, b.errs = append(b.subs, s), append(b.errs, s.Err())
	}
	b.c.blocked.Add(int64(k))
}

// startRacer starts, sometimes, a receiver racing on the first channel.
func (b *blockedRound) startRacer(rng *rand.Rand) {
	b.stopRecv = make(chan struct{})
	if b.chans[0] == nil || b.full[0] || rng.IntN(4) != 0 {
		b.recvDone = testkit.Go(func() {})
		return
	}
	b.recvDone = testkit.Go(func() {
		select {
		case x := <-b.chans[0]:
			if x != b.v {
				b.r.Failf("racing receiver got %d, want %d", x, b.v)
			}
			b.got = 1
		case <-b.stopRecv:
		}
	})
}

// unsubscribe unsubscribes every entry from one to three goroutines at
// once; the channel returned is closed when all calls returned.
func (b *blockedRound) unsubscribe(rng *rand.Rand) <-chan struct{} {
	var unsubs sync.WaitGroup
	for _, i := range rng.Perm(len(b.subs)) {
		for range 1 + rng.IntN(3) {
			unsubs.Go(b.subs[i].Unsubscribe)
		}
	}
	return testkit.Go(unsubs.Wait)
}

// checkUnsubscribed empties the full channels (a deliverer that outlived
// Unsubscribe could now complete its send) and checks that every Err is
// closed.
func (b *blockedRound) checkUnsubscribed() {
	for i, ch := range b.chans {
		if b.full[i] {
			if x := <-ch; x != -1 {
				b.r.Failf("NoDeliveryAfterUnsubscribe: full channel %d held %d", i, x)
			}
		}
	}
	for i, e := range b.errs {
		if p := errProblem(e); p != "" {
			b.r.Failf("ErrClosedAfterUnsubscribe: entry %d Err %s after Unsubscribe returned (a feed's Err never carries a value)", i, p)
		}
	}
}

// checkBystander checks a value x the bystander received.
func (b *blockedRound) checkBystander(x int) {
	if x != b.v {
		b.r.Failf("bystander got %d, want %d", x, b.v)
	}
}

// checkSend checks, once the Send returned, the bystander (read here when
// it was not read before), the count Send returned, and that no channel
// got anything after Unsubscribe returned.
func (b *blockedRound) checkSend() {
	if b.got == 1 {
		b.c.raced.Add(1)
	}
	if !b.byRead {
		select {
		case x := <-b.by:
			b.checkBystander(x)
		default:
			b.r.Failf("SendReachesAllSubscribed: Send(%d) returned without delivering to the bystander", b.v)
		}
	}
	if b.n != 1+b.got {
		b.r.Failf("Send(%d) returned %d, want 1 (bystander) + %d (racing receiver)", b.v, b.n, b.got)
	}
	for i, ch := range b.chans {
		switch {
		case ch == nil:
		case b.full[i] && len(ch) != 0:
			b.r.Failf("NoDeliveryAfterUnsubscribe: channel %d got %d after Unsubscribe returned", i, <-ch)
		case b.full[i]:
		default:
			select {
			case x := <-ch:
				b.r.Failf("NoDeliveryAfterUnsubscribe: unbuffered channel %d delivered %d after Unsubscribe returned", i, x)
			default:
			}
		}
	}
}
