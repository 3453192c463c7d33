package stress

import (
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

// TestTypeMuxConcurrentStops runs rounds on fresh TypeMuxes, then two or
// three Stops at once: half the rounds have many subscriptions (some with no
// types), Posts blocked on them, readers and Unsubscribes from other
// goroutines; the other half have one to three subscriptions of distinct
// types, each with a Post blocked on it and an Unsubscribe racing the Stops.
func TestTypeMuxConcurrentStops(t *testing.T) {
	r := Start(t, 200_000,
		"MuxStopClosesEverySubscription: when each of the concurrent Stops returns, every channel is closed, subscriptions with no types and ones being unsubscribed included",
		"each Unsubscribe returns with its channel closed",
		"Posts return (nil before Stop, ErrMuxClosed after), Stop and Unsubscribe return; no panic")
	subsMade := r.Counter("subscriptions")
	untyped := r.Counter("untyped-subscriptions")
	stops := r.Counter("stop-calls")
	unsubs := r.Counter("concurrent-unsubscribes")
	posts := r.Counter("posts")
	r.Rounds(func(round int, rng *rand.Rand) {
		if round%2 == 1 {
			stopsRacingUnsubscribes(r, rng, subsMade, stops, unsubs, posts)
			return
		}
		var mux event.TypeMux //lint:ignore SA1019 the deprecated TypeMux is what this suite tests
		n := 100 + rng.IntN(1900)
		subs := make([]*event.TypeMuxSubscription, 0, n)
		for len(subs) < n && r.Next() {
			var s *event.TypeMuxSubscription
			switch rng.IntN(5) {
			case 0:
				s = mux.Subscribe()
				untyped.Add(1)
			case 1:
				s = mux.Subscribe(muxA{}, muxB{})
			default:
				s = mux.Subscribe(muxA{})
			}
			subs = append(subs, s)
		}
		subsMade.Add(int64(len(subs)))
		if len(subs) == 0 {
			return
		}
		var (
			wg      sync.WaitGroup
			stopped atomic.Bool // some Stop returned
			start   = make(chan struct{})
		)
		// Posters: blocked on subscriptions nobody reads until Stop drains them.
		for p := range 1 + rng.IntN(3) {
			wg.Go(func() {
				<-start
				for i := 0; ; i++ {
					after := stopped.Load()
					p := testkit.Catch(func() {
						if err := mux.Post(muxA{i, p}); errors.Is(err, event.ErrMuxClosed) {
							after = true
						} else if err != nil || after {
							r.Failf("Post returned %v after a Stop had returned", err)
							after = true
						}
					})
					posts.Add(1)
					if p != nil {
						r.Failf("Post panicked: %s", testkit.PanicText(p))
						return
					}
					if after {
						return
					}
				}
			})
		}
		// Readers of a few subscriptions.
		for range rng.IntN(3) {
			s := subs[rng.IntN(len(subs))]
			wg.Go(func() {
				for range s.Chan() {
				}
			})
		}
		// Unsubscribers racing the Stops.
		for u := range rng.IntN(3) {
			rng := r.Rand(2_000_000 + round*4 + u)
			wg.Go(func() {
				<-start
				for range 1 + rng.IntN(20) {
					s := subs[rng.IntN(len(subs))]
					s.Unsubscribe()
					unsubs.Add(1)
					if testkit.OpenChannels([]*event.TypeMuxSubscription{s}) != 0 {
						r.Failf("Unsubscribe returned with its channel open")
						return
					}
					Yield(rng.IntN(3))
				}
			})
		}
		stoppers := 2 + rng.IntN(2)
		wg.Go(func() {
			<-start
			Yield(rng.IntN(8))
			together(stoppers, func() {
				mux.Stop()
				stopped.Store(true)
				stops.Add(1)
				if open := testkit.OpenChannels(subs); open != 0 {
					r.Failf("MuxStopClosesEverySubscription: a Stop (of %d at once) returned with %d of %d channels open", stoppers, open, len(subs))
				}
			})
			if late := mux.Subscribe(muxA{}); testkit.OpenChannels([]*event.TypeMuxSubscription{late}) != 0 {
				r.Failf("Subscribe after Stop returned an open subscription")
			}
		})
		close(start)
		finished := make(chan struct{})
		go func() {
			wg.Wait()
			close(finished)
		}()
		r.Wait(finished, "Stops, Posts and Unsubscribes returning")
		r.Progress()
	})
}

// stopsRacingUnsubscribes is a small round of TestTypeMuxConcurrentStops:
// one to three subscriptions of distinct types, each with a Post blocked on
// it and an Unsubscribe, racing two or three Stops.
func stopsRacingUnsubscribes(r *Run, rng *rand.Rand, subsMade, stops, unsubs, posts *atomic.Int64) {
	if !r.Next() {
		return
	}
	var mux event.TypeMux //lint:ignore SA1019 the deprecated TypeMux is what this suite tests
	events := []any{muxA{}, muxB{}, muxC{}}[:1+rng.IntN(3)]
	subs := make([]*event.TypeMuxSubscription, len(events))
	for i, ev := range events {
		subs[i] = mux.Subscribe(ev)
	}
	subsMade.Add(int64(len(subs)))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, ev := range events {
		wg.Go(func() {
			if p := testkit.Catch(func() { mux.Post(ev) }); p != nil {
				r.Failf("Post panicked: %s", testkit.PanicText(p))
			}
			posts.Add(1)
		})
		wg.Go(func() {
			<-start
			subs[i].Unsubscribe()
			unsubs.Add(1)
		})
	}
	stoppers := 2 + rng.IntN(2)
	wg.Go(func() {
		<-start
		together(stoppers, func() {
			mux.Stop()
			stops.Add(1)
			if open := testkit.OpenChannels(subs); open != 0 {
				r.Failf("MuxStopClosesEverySubscription: a Stop (of %d at once, racing Unsubscribes) returned with %d of %d channels open", stoppers, open, len(subs))
			}
		})
	})
	close(start)
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	r.Wait(finished, "Stops, Posts and Unsubscribes returning")
}
