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
	tracked := r.Counter("tracked")
	nilTracks := r.Counter("track-after-close")
	counts := r.Counter("count-checks")
	booms := r.Counter("panicking-inners")
	raisedAll := r.Counter("panics-raised")
	r.Rounds(func(round int, rng *rand.Rand) {
		var raised atomic.Int64
		var (
			scope          event.SubscriptionScope
			mu             sync.Mutex
			recs           []*scopeRec
			wrappers       atomic.Int64 // Tracks that returned a wrapper
			closeBegin     atomic.Int64
			closeRet       atomic.Int64
			closeTrigger   = r.NewTrigger(int64(20 + rng.IntN(300)))
			trackersDone   = make(chan struct{})
			closers        = 1 // Close calls at once
			wg, trackersWG sync.WaitGroup
		)
		if rng.IntN(4) == 0 {
			closers = 2
		}
		checkClosed := func(where string) {
			mu.Lock()
			snapshot := append([]*scopeRec(nil), recs...)
			mu.Unlock()
			for _, rec := range snapshot {
				if rec.wrapper != nil && !rec.unsubBegun.Load() && rec.inner.unsubs.Load() != 1 {
					r.Failf("%s: a tracked subscription was unsubscribed %d times once Close returned", where, rec.inner.unsubs.Load())
					return
				}
			}
		}
		closer := func() {
			closeBegin.CompareAndSwap(0, r.Stamp())
			unsubscribeCatching(r, &raised, "Close", scope.Close)
			closeRet.CompareAndSwap(0, r.Stamp())
			if n := scope.Count(); n != 0 {
				r.Failf("Count() == %d after Close returned", n)
			}
			checkClosed("Close")
		}
		wg.Go(func() {
			<-closeTrigger.C
			together(closers, closer)
		})
		wg.Go(func() {
			for {
				select {
				case <-trackersDone:
					return
				default:
				}
				after := closeRet.Load() != 0
				n := scope.Count()
				counts.Add(1)
				if n < 0 || int64(n) > wrappers.Load() {
					r.Failf("Count() == %d with %d wrappers ever returned", n, wrappers.Load())
				}
				if after && n != 0 {
					r.Failf("Count() == %d after Close returned", n)
				}
				Yield(8)
			}
		})
		for w := range 3 {
			trackersWG.Add(1)
			go func() {
				defer trackersWG.Done()
				rng := r.Rand(1_000_000 + round*4 + w)
				for nils := 0; nils < 3 && closeTrigger.Step(); {
					if rng.IntN(50) == 0 {
						p := testkit.Catch(func() { scope.Track(nil) })
						if err, ok := p.(error); !ok || !strings.HasPrefix(err.Error(), "event: ") {
							r.Failf("Track(nil) panicked with %#v, want an event: error", p)
						}
						continue
					}
					rec := &scopeRec{inner: &countingSub{r: r, yields: rng.IntN(3), boom: rng.IntN(8) == 0, err: make(chan error)}}
					closedBefore := closeRet.Load() != 0
					wrappers.Add(1) // before Track, so Count can never exceed it
					rec.wrapper = scope.Track(rec.inner)
					if rec.wrapper == nil {
						nils++
						wrappers.Add(-1)
						nilTracks.Add(1)
						if closeBegin.Load() == 0 {
							r.Failf("Track returned nil before Close began")
						}
					} else {
						tracked.Add(1)
						if closedBefore {
							r.Failf("Track after Close returned gave a wrapper, want nil")
						}
						if rec.wrapper.Err() != rec.inner.Err() {
							r.Failf("wrapper Err is not the inner Err")
						}
					}
					mu.Lock()
					recs = append(recs, rec)
					mu.Unlock()
					if rec.wrapper == nil || rng.IntN(3) == 0 {
						continue // left for Close
					}
					Yield(rng.IntN(4))
					together(1+rng.IntN(2), func() {
						rec.unsubBegun.Store(true)
						unsubscribeCatching(r, &raised, "wrapper Unsubscribe", rec.wrapper.Unsubscribe)
						if n := rec.inner.unsubs.Load(); n != 1 {
							r.Failf("wrapper Unsubscribe returned with the inner unsubscribed %d times, want 1", n)
						}
					})
				}
			}()
		}
		trackersWG.Wait()
		closeTrigger.Fire()
		close(trackersDone)
		wg.Wait()
		if r.Failed() {
			return
		}
		ranBoom := false
		for _, rec := range recs {
			want := int32(1)
			if rec.wrapper == nil {
				want = 0
			}
			if rec.inner.boom && rec.wrapper != nil {
				ranBoom = true
				booms.Add(1)
			}
			if n := rec.inner.unsubs.Load(); n != want {
				r.Failf("end of round: a subscription tracked (wrapper %v) was unsubscribed %d times, want %d", rec.wrapper != nil, n, want)
				return
			}
		}
		if n := scope.Count(); n != 0 {
			r.Failf("end of round: Count() == %d", n)
		}
		raisedAll.Add(raised.Load())
		if ranBoom != (raised.Load() > 0) {
			r.Failf("end of round: %d panics raised, with panicking inner subscriptions unsubscribed: %v", raised.Load(), ranBoom)
		}
	})
}
