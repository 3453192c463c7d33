package stress

import (
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
	const (
		senders  = 3
		closers  = 3
		stables  = 3
		msgClose = testkit.ClosedChanMsg
	)
	var (
		// gate orders each close after the Sends that may send on the
		// channel and before the later ones: a close racing a send on the
		// same channel is itself a data race for the race detector. A Send
		// therefore meets a closed channel in its fast pass or retry rounds,
		// while other entries still take it through the blocking phase.
		gate       sync.RWMutex
		closedLive atomic.Int64 // closers between closing and Unsubscribe returned
		closes     atomic.Int64 // closes started
		slots      [closers]closerSlot
		sendCount  [senders]atomic.Int64
		done       = make(chan struct{})
	)
	panicked := r.Counter("panicking-sends")
	required := r.Counter("sends-that-had-to-panic")
	// Stable subscribers: subscribed before any Send, never unsubscribed
	// before the last Send returned.
	type stable struct {
		ch   chan int
		last [senders]int
		got  [senders]int
	}
	// The closers' first entries are subscribed before the stable ones, so
	// that swap-removals move closed entries in between the stable ones.
	type closerEntry struct {
		ch  chan int
		sub event.Subscription
	}
	firsts := make([]closerEntry, closers)
	for i := range firsts {
		ch := make(chan int, 1)
		firsts[i] = closerEntry{ch, f.Subscribe(ch)}
	}
	var readers sync.WaitGroup
	stableSubs := make([]interface{ Unsubscribe() }, stables)
	st := make([]*stable, stables)
	for i := range st {
		s := &stable{ch: make(chan int, []int{0, 1, 64}[i%3])}
		st[i] = s
		stableSubs[i] = f.Subscribe(s.ch)
		readers.Go(func() {
			take := func(v int) {
				w, k := v%senders, v/senders
				switch {
				case k <= s.last[w]:
					r.Failf("DeliveredExactlyOnce/SubscribersSeeSendOrder: stable subscriber got %d (sender %d #%d) after #%d", v, w, k, s.last[w])
				case k > s.last[w]+1:
					r.Failf("SendReachesAllSubscribed: stable subscriber got sender %d's #%d right after #%d: #%d..#%d lost", w, k, s.last[w], s.last[w]+1, k-1)
				}
				s.last[w] = k
				s.got[w]++
			}
			receiveUntil(s.ch, done, take)
		})
	}
	var wg sync.WaitGroup
	for w := range closers {
		wg.Go(func() {
			rng := r.Rand(300 + w)
			slot := &slots[w]
			first := true
			for r.Next() {
				ch, sub := firsts[w].ch, firsts[w].sub
				if !first {
					ch = make(chan int, rng.IntN(3))
					sub = f.Subscribe(ch)
				}
				first = false
				drained := make(chan struct{})
				go func() {
					defer close(drained)
					for range ch {
					}
				}()
				Yield(rng.IntN(8))
				closedLive.Add(1)
				closes.Add(1)
				gate.Lock()
				close(ch)
				gate.Unlock()
				<-drained
				slot.mu.Lock()
				slot.closedAt, slot.unsubFrom = r.Stamp(), 0
				slot.mu.Unlock()
				Yield(rng.IntN(8))
				slot.mu.Lock()
				slot.unsubFrom = r.Stamp()
				slot.mu.Unlock()
				sub.Unsubscribe()
				closedLive.Add(-1)
				slot.mu.Lock()
				slot.closedAt = 0
				slot.mu.Unlock()
			}
			if first {
				firsts[w].sub.Unsubscribe()
			}
		})
	}
	var sendersWG sync.WaitGroup
	for w := range senders {
		sendersWG.Go(func() {
			rng := r.Rand(400 + w)
			for k := 1; r.Next(); k++ {
				v := k*senders + w
				// closes first: a closer that starts a cycle after this read
				// changes it, one that is mid-cycle shows in closedLive.
				c0 := closes.Load()
				live := closedLive.Load()
				begin := r.Stamp()
				gate.RLock()
				p := testkit.Catch(func() { f.Send(v) })
				msg, didPanic := testkit.PanicText(p), p != nil
				gate.RUnlock()
				end := r.Stamp()
				sendCount[w].Add(1)
				must := false
				for i := range slots {
					s := &slots[i]
					s.mu.Lock()
					must = must || s.closedAt != 0 && s.closedAt < begin && (s.unsubFrom == 0 || s.unsubFrom > end)
					s.mu.Unlock()
				}
				if must {
					required.Add(1)
					if !didPanic {
						r.Failf("Send(%d) returned normally though a closed channel was subscribed throughout it", v)
					}
				}
				if didPanic {
					panicked.Add(1)
					if msg != msgClose {
						r.Failf("Send(%d) panicked with %q, want %q", v, msg, msgClose)
					}
					if live == 0 && closes.Load() == c0 {
						r.Failf("Send(%d) panicked though no closed channel was subscribed during it", v)
					}
				}
				if rng.IntN(16) == 0 {
					Yield(2)
				}
			}
		})
	}
	sendersWG.Wait()
	wg.Wait()
	close(done)
	readers.Wait()
	for _, s := range stableSubs {
		s.Unsubscribe()
	}
	for i, s := range st {
		for w := range senders {
			if got, want := int64(s.got[w]), sendCount[w].Load(); got != want {
				r.Failf("SendReachesAllSubscribed: stable subscriber %d got %d of sender %d's %d values", i, got, w, want)
			}
		}
	}
}
