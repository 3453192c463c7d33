package stress

import (
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

// countingSub is a fake inner Subscription that counts its Unsubscribe
// calls; its Unsubscribe yields a little before counting, so that a caller
// that does not wait for it returns while the count is still 0, and then
// panics with scopeBoom if boom is set.
type countingSub struct {
	r      *Run
	unsubs atomic.Int32
	yields int
	boom   bool
	err    chan error
}

// scopeBoom is the panic of a panicking fake's Unsubscribe.
const scopeBoom = "stress: inner Unsubscribe boom"

func (c *countingSub) Err() <-chan error { return c.err }

func (c *countingSub) Unsubscribe() {
	Yield(c.yields)
	if n := c.unsubs.Add(1); n > 1 {
		c.r.Failf("a tracked subscription was unsubscribed %d times", n)
	}
	if c.boom {
		panic(scopeBoom)
	}
}

// unsubscribeCatching calls Unsubscribe (of a wrapper or of Close) and
// counts the panic it raises; any panic but scopeBoom fails the run.
func unsubscribeCatching(r *Run, raised *atomic.Int64, what string, f func()) {
	if p := testkit.Catch(f); p != nil {
		raised.Add(1)
		if msg := testkit.PanicText(p); msg != scopeBoom {
			r.Failf("%s panicked with %q", what, msg)
		}
	}
}

// scopeRec is one Track call.
type scopeRec struct {
	inner      *countingSub
	wrapper    event.Subscription // nil when Track returned nil
	unsubBegun atomic.Bool        // some wrapper Unsubscribe began
}

// TestScopeRace runs rounds on fresh SubscriptionScopes: trackers Track
// counting fakes (some of which panic in Unsubscribe) and unsubscribe some
// wrappers (from one or two goroutines), a monitor calls Count, and a closer
// calls Close (sometimes twice at once) at a random point.
func TestScopeRace(t *testing.T) {
	r := Start(t, 100_000,
		"Count never negative, never above the Tracks that returned a wrapper, 0 once Close returned (each Count call)",
		"everything tracked is unsubscribed exactly once (each inner Unsubscribe: count <= 1; each wrapper Unsubscribe return: count == 1; each Close return: count == 1 unless a wrapper Unsubscribe of it began; end of round: exactly 1)",
		"Track after Close returned gives nil, and nil only once Close began; a nil Track never unsubscribes its argument",
		"Track(nil) panics with an event: error",
		"UnsubscribeTerminates for wrappers, ScopeCloseTerminates: Close returns (also twice at once) even when inner Unsubscribes panic",
		"only panicking inner Unsubscribes raise a panic, and a round that ran one raised at least one")
	c := &scopeCounters{
		tracked:   r.Counter("tracked"),
		nilTracks: r.Counter("track-after-close"),
		counts:    r.Counter("count-checks"),
		booms:     r.Counter("panicking-inners"),
		raised:    r.Counter("panics-raised"),
	}
	r.Rounds(func(round int, rng *rand.Rand) {
		s := &scopeRound{r: r, c: c, closeTrigger: r.NewTrigger(int64(20 + rng.IntN(300)))}
		closers := 1 // Close calls at once
		if rng.IntN(4) == 0 {
			closers = 2
		}
		var wg, trackers sync.WaitGroup
		trackersDone := make(chan struct{})
		wg.Go(func() {
			<-s.closeTrigger.C
			together(closers, s.close)
		})
		wg.Go(func() { s.monitor(trackersDone) })
		for w := range 3 {
			trackers.Go(func() { s.tracker(r.Rand(1_000_000 + round*4 + w)) })
		}
		trackers.Wait()
		s.closeTrigger.Fire()
		close(trackersDone)
		wg.Wait()
		if !r.Failed() {
			s.endCheck()
		}
	})
}

// scopeCounters are TestScopeRace's counters, over all rounds.
type scopeCounters struct {
	tracked, nilTracks, counts, booms, raised *atomic.Int64
}

// scopeRound is one round of TestScopeRace on a fresh SubscriptionScope.
type scopeRound struct {
	r            *Run
	c            *scopeCounters
	scope        event.SubscriptionScope
	closeTrigger *Trigger
	raised       atomic.Int64 // panics raised by Close and wrapper Unsubscribes
	wrappers     atomic.Int64 // Tracks that returned a wrapper
	closeBegin   atomic.Int64
	closeRet     atomic.Int64

	mu   sync.Mutex
	recs []*scopeRec
}

// close calls Close and checks Count and the tracked subscriptions after it.
func (s *scopeRound) close() {
	s.closeBegin.CompareAndSwap(0, s.r.Stamp())
	unsubscribeCatching(s.r, &s.raised, "Close", s.scope.Close)
	s.closeRet.CompareAndSwap(0, s.r.Stamp())
	if n := s.scope.Count(); n != 0 {
		s.r.Failf("Count() == %d after Close returned", n)
	}
	s.mu.Lock()
	snapshot := append([]*scopeRec(nil), s.recs...)
	s.mu.Unlock()
	for _, rec := range snapshot {
		if rec.wrapper != nil && !rec.unsubBegun.Load() && rec.inner.unsubs.Load() != 1 {
			s.r.Failf("Close: a tracked subscription was unsubscribed %d times once Close returned", rec.inner.unsubs.Load())
			return
		}
	}
}

// monitor checks Count until stop is closed.
func (s *scopeRound) monitor(stop <-chan struct{}) {
	for !testkit.IsClosed(stop) {
		after := s.closeRet.Load() != 0
		n := s.scope.Count()
		s.c.counts.Add(1)
		if n < 0 || int64(n) > s.wrappers.Load() {
			s.r.Failf("Count() == %d with %d wrappers ever returned", n, s.wrappers.Load())
		}
		if after && n != 0 {
			s.r.Failf("Count() == %d after Close returned", n)
		}
		Yield(8)
	}
}

// tracker calls Track (sometimes Track(nil)) and unsubscribes some of the
// wrappers, until its third nil Track or the close trigger's end.
func (s *scopeRound) tracker(rng *rand.Rand) {
	for nils := 0; nils < 3 && s.closeTrigger.Step(); {
		if rng.IntN(50) == 0 {
			p := testkit.Catch(func() { s.scope.Track(nil) })
			if err, ok := p.(error); !ok || !strings.HasPrefix(err.Error(), "event: ") {
				s.r.Failf("Track(nil) panicked with %#v, want an event: error", p)
			}
			continue
		}
		rec := s.track(rng)
		if rec.wrapper == nil {
			nils++
			continue
		}
		if rng.IntN(3) == 0 {
			continue // left for Close
		}
		Yield(rng.IntN(4))
		together(1+rng.IntN(2), func() {
			rec.unsubBegun.Store(true)
			unsubscribeCatching(s.r, &s.raised, "wrapper Unsubscribe", rec.wrapper.Unsubscribe)
			if n := rec.inner.unsubs.Load(); n != 1 {
				s.r.Failf("wrapper Unsubscribe returned with the inner unsubscribed %d times, want 1", n)
			}
		})
	}
}

// track tracks a new fake and checks what Track returned against Close.
func (s *scopeRound) track(rng *rand.Rand) *scopeRec {
	rec := &scopeRec{inner: &countingSub{r: s.r, yields: rng.IntN(3), boom: rng.IntN(8) == 0, err: make(chan error)}}
	closedBefore := s.closeRet.Load() != 0
	s.wrappers.Add(1) // before Track, so Count can never exceed it
	rec.wrapper = s.scope.Track(rec.inner)
	switch {
	case rec.wrapper == nil:
		s.wrappers.Add(-1)
		s.c.nilTracks.Add(1)
		if s.closeBegin.Load() == 0 {
			s.r.Failf("Track returned nil before Close began")
		}
	case closedBefore:
		s.r.Failf("Track after Close returned gave a wrapper, want nil")
	case rec.wrapper.Err() != rec.inner.Err():
		s.r.Failf("wrapper Err is not the inner Err")
	}
	if rec.wrapper != nil {
		s.c.tracked.Add(1)
	}
	s.mu.Lock()
	s.recs = append(s.recs, rec)
	s.mu.Unlock()
	return rec
}

// endCheck checks, once every call returned, that each wrapper's inner
// subscription was unsubscribed exactly once (nil Tracks: never), that
// Count is 0, and that panics were raised exactly when a panicking inner
// subscription was unsubscribed.
func (s *scopeRound) endCheck() {
	ranBoom := false
	for _, rec := range s.recs {
		want := int32(1)
		if rec.wrapper == nil {
			want = 0
		}
		if rec.inner.boom && rec.wrapper != nil {
			ranBoom = true
			s.c.booms.Add(1)
		}
		if n := rec.inner.unsubs.Load(); n != want {
			s.r.Failf("end of round: a subscription tracked (wrapper %v) was unsubscribed %d times, want %d", rec.wrapper != nil, n, want)
			return
		}
	}
	if n := s.scope.Count(); n != 0 {
		s.r.Failf("end of round: Count() == %d", n)
	}
	s.c.raised.Add(s.raised.Load())
	if ranBoom != (s.raised.Load() > 0) {
		s.r.Failf("end of round: %d panics raised, with panicking inner subscriptions unsubscribed: %v", s.raised.Load(), ranBoom)
	}
}
