package stress

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

// TestFeedSendPanicKeepsFeed runs runSendPanic on Feed.
func TestFeedSendPanicKeepsFeed(t *testing.T) { runSendPanic(t, newFeed()) }

// TestFeedOfSendPanicKeepsFeed runs runSendPanic on FeedOf[int].
func TestFeedOfSendPanicKeepsFeed(t *testing.T) { runSendPanic(t, newFeedOf()) }

// closerSlot is what one closer goroutine currently does: when it closed its
// still-subscribed channel and when it began to unsubscribe it (0: not yet).
type closerSlot struct {
	mu                  sync.Mutex
	closedAt, unsubFrom int64
}

// runSendPanic: closer goroutines subscribe channels (read until closed),
// close them while still subscribed, and unsubscribe them later, while sender
// goroutines Send numbered values and stable subscribers (unbuffered and
// buffered) read.
func runSendPanic(t *testing.T, f intFeed) {
	r := Start(t, 60_000,
		"a Send panics only with \"send on closed channel\", only if a closed channel may have been subscribed during it, and always if one was subscribed throughout it",
		"DeliveredExactlyOnce + SendReachesAllSubscribed for the stable subscribers, panicking Sends included (each receive: the next value of its sender, no gap, no duplicate; end: every value)",
		"SendTerminates (the feed stays usable: Sends keep completing after panics; stall watchdog)",
		"UnsubscribeTerminates for entries whose channel is closed")
	s := newSendPanic(r, f)
	var closers, senders sync.WaitGroup
	for w := range panicClosers {
		closers.Go(func() { s.closer(w) })
	}
	for w := range panicSenders {
		senders.Go(func() { s.sender(w) })
	}
	senders.Wait()
	closers.Wait()
	s.finalCheck()
}

const (
	panicSenders = 3 // goroutines sending numbered values
	panicClosers = 3 // goroutines closing subscribed channels
	panicStables = 3 // subscribers that stay subscribed throughout
)

// sendPanic is the state of runSendPanic.
type sendPanic struct {
	r *Run
	f intFeed
	// gate orders each close after the Sends that may send on the channel
	// and before the later ones: a close racing a send on the same channel
	// is itself a data race for the race detector. A Send therefore meets a
	// closed channel in its fast pass or retry rounds, while other entries
	// still take it through the blocking phase.
	gate       sync.RWMutex
	closedLive atomic.Int64 // closers between closing and Unsubscribe returned
	closes     atomic.Int64 // closes started
	slots      [panicClosers]closerSlot
	sendCount  [panicSenders]atomic.Int64
	firsts     [panicClosers]closerEntry
	stables    []*stableSub
	readers    sync.WaitGroup
	done       chan struct{}

	panicked, required *atomic.Int64
}

// closerEntry is a channel a closer subscribed and will close.
type closerEntry struct {
	ch  chan int
	sub event.Subscription
}

// stableSub is a stable subscriber: subscribed before any Send, never
// unsubscribed before the last Send returned. last and got are per sender.
type stableSub struct {
	ch   chan int
	sub  event.Subscription
	last [panicSenders]int
	got  [panicSenders]int
}

// newSendPanic subscribes the closers' first entries, then the stable
// subscribers (so that swap-removals move closed entries in between the
// stable ones), and starts the stable subscribers' readers.
func newSendPanic(r *Run, f intFeed) *sendPanic {
	s := &sendPanic{r: r, f: f, done: make(chan struct{}),
		panicked: r.Counter("panicking-sends"), required: r.Counter("sends-that-had-to-panic")}
	for i := range s.firsts {
		ch := make(chan int, 1)
		s.firsts[i] = closerEntry{ch, f.Subscribe(ch)}
	}
	for i := range panicStables {
		st := &stableSub{ch: make(chan int, []int{0, 1, 64}[i%3])}
		st.sub = f.Subscribe(st.ch)
		s.stables = append(s.stables, st)
		s.readers.Go(func() { receiveUntil(st.ch, s.done, func(v int) { s.take(st, v) }) })
	}
	return s
}

// take checks that v is the next value of its sender at st.
func (s *sendPanic) take(st *stableSub, v int) {
	w, k := v%panicSenders, v/panicSenders
	switch {
	case k <= st.last[w]:
		s.r.Failf("DeliveredExactlyOnce/SubscribersSeeSendOrder: stable subscriber got %d (sender %d #%d) after #%d", v, w, k, st.last[w])
	case k > st.last[w]+1:
		s.r.Failf("SendReachesAllSubscribed: stable subscriber got sender %d's #%d right after #%d: #%d..#%d lost", w, k, st.last[w], st.last[w]+1, k-1)
	}
	st.last[w] = k
	st.got[w]++
}

// closer w subscribes a channel (its first entry on the first cycle),
// closes it while subscribed, and unsubscribes it, until the run is done.
func (s *sendPanic) closer(w int) {
	rng := s.r.Rand(300 + w)
	first := true
	for s.r.Next() {
		e := s.firsts[w]
		if !first {
			e.ch = make(chan int, rng.IntN(3))
			e.sub = s.f.Subscribe(e.ch)
		}
		first = false
		s.closeCycle(&s.slots[w], e, rng)
	}
	if first {
		s.firsts[w].sub.Unsubscribe()
	}
}

// closeCycle closes e's channel while it is subscribed, then unsubscribes
// it, recording both times in slot.
func (s *sendPanic) closeCycle(slot *closerSlot, e closerEntry, rng *rand.Rand) {
	drained := testkit.Go(func() {
		for range e.ch {
		}
	})
	Yield(rng.IntN(8))
	s.closedLive.Add(1)
	s.closes.Add(1)
	s.gate.Lock()
	close(e.ch)
	s.gate.Unlock()
	<-drained
	slot.set(func() { slot.closedAt, slot.unsubFrom = s.r.Stamp(), 0 })
	Yield(rng.IntN(8))
	slot.set(func() { slot.unsubFrom = s.r.Stamp() })
	e.sub.Unsubscribe()
	s.closedLive.Add(-1)
	slot.set(func() { slot.closedAt = 0 })
}

// set runs f with the slot locked.
func (c *closerSlot) set(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f()
}

// sender w sends numbered values until the run is done, checking each
// Send's panic against what the closers did during it.
func (s *sendPanic) sender(w int) {
	rng := s.r.Rand(400 + w)
	for k := 1; s.r.Next(); k++ {
		v := k*panicSenders + w
		// closes first: a closer that starts a cycle after this read
		// changes it, one that is mid-cycle shows in closedLive.
		c0 := s.closes.Load()
		live := s.closedLive.Load()
		begin := s.r.Stamp()
		s.gate.RLock()
		p := testkit.Catch(func() { s.f.Send(v) })
		s.gate.RUnlock()
		end := s.r.Stamp()
		s.sendCount[w].Add(1)
		mayPanic := live != 0 || s.closes.Load() != c0
		s.checkSend(v, p, mayPanic, s.closedThroughout(begin, end))
		if rng.IntN(16) == 0 {
			Yield(2)
		}
	}
}

// closedThroughout reports whether some closer's channel was closed before
// begin and still subscribed at end.
func (s *sendPanic) closedThroughout(begin, end int64) bool {
	must := false
	for i := range s.slots {
		c := &s.slots[i]
		c.set(func() {
			must = must || c.closedAt != 0 && c.closedAt < begin && (c.unsubFrom == 0 || c.unsubFrom > end)
		})
	}
	return must
}

// checkSend checks the panic p of Send(v): it must be the closed-channel
// error, may happen only if mayPanic, and must happen if must.
func (s *sendPanic) checkSend(v int, p any, mayPanic, must bool) {
	if must {
		s.required.Add(1)
		if p == nil {
			s.r.Failf("Send(%d) returned normally though a closed channel was subscribed throughout it", v)
		}
	}
	if p == nil {
		return
	}
	s.panicked.Add(1)
	if msg := testkit.PanicText(p); msg != testkit.ClosedChanMsg {
		s.r.Failf("Send(%d) panicked with %q, want %q", v, msg, testkit.ClosedChanMsg)
	}
	if !mayPanic {
		s.r.Failf("Send(%d) panicked though no closed channel was subscribed during it", v)
	}
}

// finalCheck stops the stable readers and checks that each got every
// value of every sender.
func (s *sendPanic) finalCheck() {
	close(s.done)
	s.readers.Wait()
	for _, st := range s.stables {
		st.sub.Unsubscribe()
	}
	for i, st := range s.stables {
		for w := range panicSenders {
			if got, want := int64(st.got[w]), s.sendCount[w].Load(); got != want {
				s.r.Failf("SendReachesAllSubscribed: stable subscriber %d got %d of sender %d's %d values", i, got, w, want)
			}
		}
	}
}
