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
	c := &muxStopCounters{
		subsMade: r.Counter("subscriptions"),
		untyped:  r.Counter("untyped-subscriptions"),
		stops:    r.Counter("stop-calls"),
		unsubs:   r.Counter("concurrent-unsubscribes"),
		posts:    r.Counter("posts"),
	}
	r.Rounds(func(round int, rng *rand.Rand) {
		m := &muxStopRound{r: r, c: c, start: make(chan struct{})}
		if round%2 == 1 {
			m.stopsRacingUnsubscribes(rng)
			return
		}
		if !m.subscribeMany(rng) {
			return
		}
		// Posters: blocked on subscriptions nobody reads until Stop drains them.
		for p := range 1 + rng.IntN(3) {
			m.wg.Go(func() { m.poster(p) })
		}
		// Readers of a few subscriptions.
		for range rng.IntN(3) {
			s := m.subs[rng.IntN(len(m.subs))]
			m.wg.Go(func() {
				for range s.Chan() {
				}
			})
		}
		// Unsubscribers racing the Stops.
		for u := range rng.IntN(3) {
			rng := r.Rand(2_000_000 + round*4 + u)
			m.wg.Go(func() { m.unsubscriber(rng) })
		}
		stoppers := 2 + rng.IntN(2)
		yields := rng.IntN(8)
		m.wg.Go(func() {
			<-m.start
			Yield(yields)
			m.stopAll(stoppers, "")
			if late := m.mux.Subscribe(muxA{}); testkit.OpenChannels([]*event.TypeMuxSubscription{late}) != 0 {
				r.Failf("Subscribe after Stop returned an open subscription")
			}
		})
		m.run()
		r.Progress()
	})
}

// muxStopCounters are the counters of TestTypeMuxConcurrentStops.
type muxStopCounters struct {
	subsMade, untyped, stops, unsubs, posts *atomic.Int64
}

// muxStopRound is one round of TestTypeMuxConcurrentStops on a fresh
// TypeMux: goroutines started on wg wait for start.
type muxStopRound struct {
	r       *Run
	c       *muxStopCounters
	mux     event.TypeMux //lint:ignore SA1019 the deprecated TypeMux is what this suite tests
	subs    []*event.TypeMuxSubscription
	stopped atomic.Bool // some Stop returned
	start   chan struct{}
	wg      sync.WaitGroup
}

// subscribeMany makes 100 to 2000 subscriptions (one operation each), some
// with no types; it reports whether it made any.
func (m *muxStopRound) subscribeMany(rng *rand.Rand) bool {
	n := 100 + rng.IntN(1900)
	for len(m.subs) < n && m.r.Next() {
		var s *event.TypeMuxSubscription
		switch rng.IntN(5) {
		case 0:
			s = m.mux.Subscribe()
			m.c.untyped.Add(1)
		case 1:
			s = m.mux.Subscribe(muxA{}, muxB{})
		default:
			s = m.mux.Subscribe(muxA{})
		}
		m.subs = append(m.subs, s)
	}
	m.c.subsMade.Add(int64(len(m.subs)))
	return len(m.subs) > 0
}

// poster p posts until a Post returns ErrMuxClosed, or any error or value
// after a Stop returned.
func (m *muxStopRound) poster(p int) {
	<-m.start
	for i := 0; ; i++ {
		after := m.stopped.Load()
		v := testkit.Catch(func() {
			if err := m.mux.Post(muxA{i, p}); errors.Is(err, event.ErrMuxClosed) {
				after = true
			} else if err != nil || after {
				m.r.Failf("Post returned %v after a Stop had returned", err)
				after = true
			}
		})
		m.c.posts.Add(1)
		if v != nil {
			m.r.Failf("Post panicked: %s", testkit.PanicText(v))
			return
		}
		if after {
			return
		}
	}
}

// unsubscriber unsubscribes random subscriptions, each of which must
// return with its channel closed.
func (m *muxStopRound) unsubscriber(rng *rand.Rand) {
	<-m.start
	for range 1 + rng.IntN(20) {
		s := m.subs[rng.IntN(len(m.subs))]
		s.Unsubscribe()
		m.c.unsubs.Add(1)
		if testkit.OpenChannels([]*event.TypeMuxSubscription{s}) != 0 {
			m.r.Failf("Unsubscribe returned with its channel open")
			return
		}
		Yield(rng.IntN(3))
	}
}

// stopAll calls Stop from stoppers goroutines at once; each must return
// with every channel closed. what qualifies the round in the failure.
func (m *muxStopRound) stopAll(stoppers int, what string) {
	together(stoppers, func() {
		m.mux.Stop()
		m.stopped.Store(true)
		m.c.stops.Add(1)
		if open := testkit.OpenChannels(m.subs); open != 0 {
			m.r.Failf("MuxStopClosesEverySubscription: a Stop (of %d at once%s) returned with %d of %d channels open", stoppers, what, open, len(m.subs))
		}
	})
}

// run releases the round's goroutines and waits for them all.
func (m *muxStopRound) run() {
	close(m.start)
	m.r.Wait(testkit.Go(m.wg.Wait), "Stops, Posts and Unsubscribes returning")
}

// stopsRacingUnsubscribes is a small round of TestTypeMuxConcurrentStops:
// one to three subscriptions of distinct types, each with a Post blocked on
// it and an Unsubscribe, racing two or three Stops.
func (m *muxStopRound) stopsRacingUnsubscribes(rng *rand.Rand) {
	if !m.r.Next() {
		return
	}
	events := []any{muxA{}, muxB{}, muxC{}}[:1+rng.IntN(3)]
	for _, ev := range events {
		m.subs = append(m.subs, m.mux.Subscribe(ev))
	}
	m.c.subsMade.Add(int64(len(m.subs)))
	for i, ev := range events {
		m.wg.Go(func() {
			if p := testkit.Catch(func() { m.mux.Post(ev) }); p != nil {
				m.r.Failf("Post panicked: %s", testkit.PanicText(p))
			}
			m.c.posts.Add(1)
		})
		m.wg.Go(func() {
			<-m.start
			m.subs[i].Unsubscribe()
			m.c.unsubs.Add(1)
		})
	}
	stoppers := 2 + rng.IntN(2)
	m.wg.Go(func() {
		<-m.start
		m.stopAll(stoppers, ", racing Unsubscribes")
	})
	m.run()
}
