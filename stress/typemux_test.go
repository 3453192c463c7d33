package stress

import (
	"errors"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

type (
	muxA struct{ id, poster int }
	muxB struct{ id, poster int }
	muxC struct{ id, poster int } // never subscribed
)

// muxPost is one Post call of a round: its type (0 A, 1 B, 2 C), poster and
// stamps; ok is set when it returned nil.
type muxPost struct {
	typ, poster int
	begin, ret  int64
	ok          bool
}

// muxSub is one Subscribe call of a round.
type muxSub struct {
	mask             int // bit t: subscribed to type t
	subBegin, subRet int64
	unsubBegin       int64 // 0: never unsubscribed (closed by Stop)
	got              map[int]bool
	lastFrom         [muxPosters]int
	closedByStop     bool
}

const (
	muxPosters     = 3
	muxSubscribers = 3
)

type muxRound struct {
	r     *Run
	mux   event.TypeMux //lint:ignore SA1019 the deprecated TypeMux is what this suite tests
	posts stampLog
	first stampLog // begin: earliest stamp taken right after some subscriber received the event
	ids   atomic.Int64

	stopTrigger       *Trigger
	stopBegin, stopRt atomic.Int64

	mu   sync.Mutex
	all  []*muxPost
	subs []*muxSub

	received, closedPosts, lateSubs, otherUnsubs *atomic.Int64
}

// TestTypeMuxRace runs rounds on fresh TypeMuxes: posters Post numbered
// events of three types, subscribers Subscribe to random type sets, read at
// random speeds and Unsubscribe (themselves or from another goroutine), and a
// stopper calls Stop (sometimes twice at once) at a random point.
func TestTypeMuxRace(t *testing.T) {
	r := Start(t, 60_000,
		"no send on a closed channel (no Post, Unsubscribe or Stop panics)",
		"each received event: of a subscribed type, not a duplicate, in per-poster order (SubscribersSeeSendOrder), Time set, not posted (Post returned) before the subscription's Subscribe began, and not already received by another subscriber before it began",
		"NoDeliveryAfterUnsubscribe (after Unsubscribe returned the channel is closed: nothing more arrives)",
		"each event reaches every subscription of its type subscribed before its Post began and not unsubscribed or stopped before it returned",
		"Post that began after Stop returned gets ErrMuxClosed; ErrMuxClosed only once Stop began; Subscribe after Stop returns a closed subscription",
		"Stop and Unsubscribe return (also Stop twice at once, Unsubscribe after Stop)")
	received := r.Counter("events-received")
	closedPosts := r.Counter("posts-after-stop")
	required := r.Counter("required-deliveries-checked")
	lateSubs := r.Counter("subscribes-after-stop")
	otherUnsubs := r.Counter("unsubscribes-from-another-goroutine")
	r.Rounds(func(round int, rng *rand.Rand) {
		m := &muxRound{r: r, stopTrigger: r.NewTrigger(int64(50 + rng.IntN(400))),
			received: received, closedPosts: closedPosts, lateSubs: lateSubs, otherUnsubs: otherUnsubs}
		m.run(round, rng)
		if r.Failed() {
			return
		}
		m.check(required)
	})
}

func (m *muxRound) run(round int, rng *rand.Rand) {
	r := m.r
	var wg sync.WaitGroup
	stopperDone := make(chan struct{})
	stoppers := 1 // Stop calls at once
	if rng.IntN(4) == 0 {
		stoppers = 2
	}
	go func() {
		defer close(stopperDone)
		<-m.stopTrigger.C
		m.stopBegin.Store(r.Stamp())
		together(stoppers, m.mux.Stop)
		m.stopRt.Store(r.Stamp())
	}()
	for p := range muxPosters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.poster(p, r.Rand(1_000_000+round*16+p))
		}()
	}
	for s := range muxSubscribers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.subscriber(r.Rand(1_000_000 + round*16 + 8 + s))
		}()
	}
	wg.Wait()
	m.stopTrigger.Fire()
	r.Wait(stopperDone, "Stop returning")
}

func (m *muxRound) poster(p int, rng *rand.Rand) {
	r := m.r
	afterStop := 0
	last := 0
	for afterStop < 3 && m.stopTrigger.Step() {
		id := int(m.ids.Add(1))
		if id <= last {
			r.Failf("ids not increasing")
		}
		last = id
		post := &muxPost{poster: p}
		if rng.IntN(10) == 0 {
			post.typ = 2
		} else {
			post.typ = rng.IntN(2)
		}
		var ev any
		switch post.typ {
		case 0:
			ev = muxA{id, p}
		case 1:
			ev = muxB{id, p}
		default:
			ev = muxC{id, p}
		}
		stoppedBefore := m.stopRt.Load() != 0
		st := m.posts.at(id)
		post.begin = r.Stamp()
		st.begin.Store(post.begin)
		var err error
		p := testkit.Catch(func() { err = m.mux.Post(ev) })
		post.ret = r.Stamp()
		st.ret.Store(post.ret)
		post.ok = p == nil && err == nil
		m.mu.Lock()
		for len(m.all) < id {
			m.all = append(m.all, nil)
		}
		m.all[id-1] = post
		m.mu.Unlock()
		switch {
		case p != nil:
			r.Failf("Post panicked: %s", testkit.PanicText(p))
		case errors.Is(err, event.ErrMuxClosed):
			afterStop++
			m.closedPosts.Add(1)
			if m.stopBegin.Load() == 0 {
				r.Failf("Post returned ErrMuxClosed before Stop began")
			}
		case err != nil:
			r.Failf("Post returned %v", err)
		case stoppedBefore:
			r.Failf("Post that began after Stop returned got nil, want ErrMuxClosed")
		}
		if rng.IntN(8) == 0 {
			Yield(rng.IntN(4))
		}
	}
}

// subscriber subscribes, reads and unsubscribes (itself or from another
// goroutine) until the round stops; a Subscribe after Stop returned ends it.
func (m *muxRound) subscriber(rng *rand.Rand) {
	r := m.r
	for m.stopTrigger.Step() {
		stopped := m.stopRt.Load() != 0
		s, sub := m.subscribe(rng)
		if stopped {
			// Subscribe after Stop returned: a closed subscription.
			s.closedByStop = true
			m.lateSubs.Add(1)
			checkClosed(r, sub, "", "for a Subscribe after Stop returned")
			sub.Unsubscribe()
			return
		}
		want := rng.IntN(30)
		pace := rng.IntN(3)
		if rng.IntN(3) == 0 { // Unsubscribe from another goroutine while reading
			if !m.readUnsubscribedByOther(s, sub, rng, want, pace) {
				return
			}
			continue
		}
		if m.read(s, sub, rng, want, pace, func() bool { return true }) {
			s.closedByStop = true
		}
		if !s.closedByStop {
			s.unsubBegin = r.Stamp()
		}
		sub.Unsubscribe()
		checkClosed(r, sub, "NoDeliveryAfterUnsubscribe: ", "after Unsubscribe returned")
	}
}

// subscribe subscribes to a random set of types and records the
// subscription.
func (m *muxRound) subscribe(rng *rand.Rand) (*muxSub, *event.TypeMuxSubscription) {
	s := &muxSub{mask: 1 + rng.IntN(3), got: map[int]bool{}}
	var types []any
	if s.mask&1 != 0 {
		types = append(types, muxA{})
	}
	if s.mask&2 != 0 {
		types = append(types, muxB{})
	}
	s.subBegin = m.r.Stamp()
	sub := m.mux.Subscribe(types...)
	s.subRet = m.r.Stamp()
	m.mu.Lock()
	m.subs = append(m.subs, s)
	m.mu.Unlock()
	return s, sub
}

// read receives s's events at pace; before the want-th receive it calls
// atWant, and stops if that returns true. It reports whether it stopped
// because the channel closed.
func (m *muxRound) read(s *muxSub, sub *event.TypeMuxSubscription, rng *rand.Rand, want, pace int, atWant func() bool) (closed bool) {
	ch := sub.Chan()
	for i := 0; ; i++ {
		if i == want && atWant() {
			return false
		}
		ev, ok := <-ch
		if !ok {
			return true
		}
		m.receive(s, ev)
		switch pace {
		case 1:
			Yield(rng.IntN(4))
		case 2:
			if rng.IntN(8) == 0 {
				Yield(16)
			}
		}
	}
}

// readUnsubscribedByOther reads s's events until the channel closes, and
// before the want-th receive starts an Unsubscribe in another goroutine.
// It reports false when that Unsubscribe did not return within the
// failure bound.
func (m *muxRound) readUnsubscribedByOther(s *muxSub, sub *event.TypeMuxSubscription, rng *rand.Rand, want, pace int) bool {
	r := m.r
	var unsubDone <-chan struct{}
	m.read(s, sub, rng, want, pace, func() bool {
		m.otherUnsubs.Add(1)
		unsubDone = testkit.Go(func() {
			s.unsubBegin = r.Stamp()
			sub.Unsubscribe()
			if !sub.Closed() {
				r.Failf("Closed() == false after Unsubscribe returned")
			}
		})
		return false
	})
	if unsubDone == nil {
		// Closed by Stop before this goroutine unsubscribed.
		s.closedByStop = true
		sub.Unsubscribe()
		return true
	}
	return r.Wait(unsubDone, "Unsubscribe from another goroutine")
}

// checkClosed checks that sub reports Closed and that its channel is closed
// with nothing left in it; when says at which point (for the messages) and
// prop names the guarantee an event still in the channel would violate.
func checkClosed(r *Run, sub *event.TypeMuxSubscription, prop, when string) {
	if !sub.Closed() {
		r.Failf("Closed() == false %s", when)
	}
	select {
	case ev, ok := <-sub.Chan():
		if ok {
			r.Failf("%sevent %v arrived %s", prop, ev.Data, when)
		}
	default:
		r.Failf("channel still open %s", when)
	}
}

func (m *muxRound) receive(s *muxSub, ev *event.TypeMuxEvent) {
	r := m.r
	m.received.Add(1)
	var id, typ, poster int
	switch d := ev.Data.(type) {
	case muxA:
		id, typ, poster = d.id, 0, d.poster
	case muxB:
		id, typ, poster = d.id, 1, d.poster
	default:
		r.Failf("received an event of type %T", ev.Data)
		return
	}
	if s.mask&(1<<typ) == 0 {
		r.Failf("received %T on a subscription to mask %b", ev.Data, s.mask)
	}
	if ev.Time.IsZero() {
		r.Failf("TypeMuxEvent.Time not set")
	}
	if s.got[id] {
		r.Failf("DeliveredExactlyOnce: event %d received twice", id)
	}
	s.got[id] = true
	if id <= s.lastFrom[poster] {
		r.Failf("event %d of poster %d received after its later event %d", id, poster, s.lastFrom[poster])
	}
	s.lastFrom[poster] = id
	if rt := m.posts.at(id).ret.Load(); rt != 0 && rt < s.subBegin {
		r.Failf("event %d delivered to a subscription whose Subscribe began (%d) after the Post returned (%d)", id, s.subBegin, rt)
	}
	// Once any subscriber received the event, its Post had taken its set of
	// subscriptions: a Subscribe that began later must not get it.
	now := r.Stamp()
	first := &m.first.at(id).begin
	if fr := first.Load(); fr != 0 && fr < s.subBegin {
		r.Failf("event %d delivered to a subscription whose Subscribe began (%d) after another subscriber had received it (%d)", id, s.subBegin, fr)
	}
	for {
		fr := first.Load()
		if fr != 0 && fr < now || first.CompareAndSwap(fr, now) {
			break
		}
	}
}

// check verifies, once the round is over, that every event reached every
// subscription that had to get it.
func (m *muxRound) check(required *atomic.Int64) {
	r := m.r
	byBegin := make([]*muxPost, 0, len(m.all))
	idOf := map[*muxPost]int{}
	for i, p := range m.all {
		if p != nil {
			byBegin = append(byBegin, p)
			idOf[p] = i + 1
		}
	}
	sort.Slice(byBegin, func(i, j int) bool { return byBegin[i].begin < byBegin[j].begin })
	stop := m.stopBegin.Load()
	for _, s := range m.subs {
		end := s.unsubBegin
		if end == 0 || stop < end {
			end = stop
		}
		lo := sort.Search(len(byBegin), func(i int) bool { return byBegin[i].begin > s.subRet })
		for _, p := range byBegin[lo:] {
			if p.begin >= end {
				break
			}
			if !p.ok || p.typ > 1 || s.mask&(1<<p.typ) == 0 || p.ret >= end {
				continue
			}
			required.Add(1)
			if id := idOf[p]; !s.got[id] {
				r.Failf("event %d (Post %d..%d) missed a subscription subscribed at %d and ended at %d", id, p.begin, p.ret, s.subRet, end)
				return
			}
		}
	}
}
