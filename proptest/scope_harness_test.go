package proptest

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
	"github.com/eventspec/eventspec/model"
)

// countSub is an inner subscription that counts its Unsubscribe calls; a
// slow one (release != nil) returns from Unsubscribe only once released; a
// panicking one (boom != "") panics with boom.
type countSub struct {
	n       atomic.Int32
	err     chan error
	release chan struct{}
	boom    string
}

func (s *countSub) Err() <-chan error { return s.err }
func (s *countSub) Unsubscribe() {
	s.n.Add(1)
	if s.release != nil {
		<-s.release
	}
	if s.boom != "" {
		panic(s.boom)
	}
}

// boomOf is the panic value of the Unsubscribe of the inner subscription of
// Track call i.
func boomOf(i int) string { return fmt.Sprintf("inner %d boom", i) }

// scopeKind is the kind of a SubscriptionScope operation.
type scopeKind uint8

const (
	scopeTrack       scopeKind = iota
	scopeTrackSlow             // an inner subscription whose Unsubscribe waits for Release
	scopeTrackPanic            // an inner subscription whose Unsubscribe panics
	scopeRelease               // lets the slow Unsubscribe return
	scopeTrackNil              // Track(nil)
	scopeUnsubscribe           // W
	scopeClose
	scopeRaceClose // W's Unsubscribe and Close at once
	scopeKindEnd
)

var scopeKindNames = [scopeKindEnd]string{"scopeTrack", "scopeTrackSlow", "scopeTrackPanic", "scopeRelease", "scopeTrackNil", "scopeUnsubscribe", "scopeClose", "scopeRaceClose"}

func (k scopeKind) String() string { return kindName(scopeKindNames[:], k) }
func (scopeKind) end() scopeKind   { return scopeKindEnd }

// scopeOp is one operation of a SubscriptionScope case.
type scopeOp struct {
	Kind scopeKind
	W    int // Unsubscribe, RaceClose: wrapper (index of the Track call)
}

func (o scopeOp) String() string { return fmt.Sprintf("{Kind: %v, W: %d}", o.Kind, o.W) }

type scopeHarness struct {
	driver[scopeOp]
	m *model.Scope
	// wrappers[i] is the model wrapper ID of Track call i (-1: nil).
	wrappers []int
	// slow is the Track call of the one slow inner subscription (-1: none);
	// a call that waits for its Unsubscribe returns only after Release.
	slow      int
	released  bool
	closeSlow bool // the first Close waits for the slow inner subscription
	// slowTriggered: the slow inner Unsubscribe has been called.
	slowTriggered bool
	slowByWrapper bool   // ... by the slow wrapper's own Unsubscribe
	closeCalls    int    // Close calls so far
	waitsSlow     []bool // per call: it must wait for the slow inner subscription
	callOps       []scopeOp
	// panics, per call: the Track calls whose inner panic the call may
	// raise; it must raise one of them if there are any, except in a
	// RaceClose over a panicking wrapper, where exactly one of the pair
	// raises it (see pairs).
	panics [][]int
	pairs  map[int]int // a RaceClose's wrapper call -> its Close call

	// bubble only
	scope *event.SubscriptionScope
	inner []*countSub
	wsubs []event.Subscription
	calls []*call
}

func newScopeHarness(t *testing.T, st *stats) *scopeHarness {
	h := &scopeHarness{driver: newDriver(t, st, "scopeRegressions", opsReplay[scopeOp]("scopeOp")), m: model.NewScope(), slow: -1, pairs: map[int]int{}}
	h.b.do(func() { h.scope = new(event.SubscriptionScope) })
	return h
}

// slowBlocking reports whether the slow inner subscription exists, is not
// released and is still tracked.
func (h *scopeHarness) slowTracked() bool {
	return h.slow >= 0 && !h.released && h.wrappers[h.slow] >= 0 && h.m.Tracked[h.wrappers[h.slow]]
}

func (h *scopeHarness) applicable(op scopeOp) bool {
	// Close visits tracked subscriptions in map order: while it waits for
	// the slow one, which others it has already unsubscribed is unknown.
	closeOK := (!h.slowTracked() || h.m.Count() == 1) && !h.slowLeaving()
	// A second caller of the slow subscription's sync.Once would wait on a
	// mutex, which synctest does not count as durably blocked: the bubble
	// could not settle. So while the slow inner Unsubscribe runs, it has
	// exactly one caller (later Close calls wait on a channel, which is fine).
	slowBusy := h.slow >= 0 && !h.released && (h.slowTriggered || h.slowTracked())
	switch op.Kind {
	case scopeUnsubscribe:
		return op.W < len(h.wrappers) && h.wrappers[op.W] >= 0 && !(op.W == h.slow && h.slowTriggered && !h.released)
	case scopeRaceClose:
		// Who runs a panicking inner Unsubscribe is up to the race: allowed
		// only when its panic is the only one the pair can meet.
		return op.W < len(h.wrappers) && h.wrappers[op.W] >= 0 && closeOK && !(op.W == h.slow && slowBusy) &&
			(!h.panicky(op.W) || len(h.trackedPanicky()) == 1)
	case scopeClose:
		return closeOK
	case scopeTrackSlow:
		return h.slow < 0
	case scopeRelease:
		return h.slow >= 0 && !h.released
	}
	return true
}

// panicky reports whether the inner subscription of Track call i panics
// and its wrapper is still tracked.
func (h *scopeHarness) panicky(i int) bool {
	w := h.wrappers[i]
	return w >= 0 && h.m.Tracked[w] && h.m.Panics[i]
}

// trackedPanicky returns the Track calls whose inner subscription panics
// and is still tracked.
func (h *scopeHarness) trackedPanicky() []int {
	var calls []int
	for i := range h.wrappers {
		if h.panicky(i) {
			calls = append(calls, i)
		}
	}
	return calls
}

// slowLeaving reports whether a wrapper Unsubscribe of the slow subscription
// is in progress. The wrapper leaves the scope only after its inner
// Unsubscribe returned (as in go-ethereum), so it is still counted, and a
// Close would call its sync.Once a second time (see applicable).
func (h *scopeHarness) slowLeaving() bool {
	return h.slowByWrapper && !h.released
}

// expectCall records whether the call about to start must wait for the
// slow inner subscription.
func (h *scopeHarness) expectCall(unsubW int, isClose bool) {
	wait := false
	if unsubW >= 0 && unsubW == h.slow && !h.released {
		wait, h.slowTriggered = true, true
		h.slowByWrapper = h.slowByWrapper || !isClose
	}
	if isClose {
		h.closeCalls++
		if h.closeCalls == 1 {
			h.closeSlow = h.slowTracked()
			h.slowTriggered = h.slowTriggered || h.closeSlow
		}
		wait = wait || (h.closeSlow && !h.released)
	}
	h.waitsSlow = append(h.waitsSlow, wait)
	h.callOps = append(h.callOps, h.ops[len(h.ops)-1])
	var panics []int
	switch {
	case isClose:
		panics = h.trackedPanicky()
	case h.panicky(unsubW):
		panics = []int{unsubW}
	}
	h.panics = append(h.panics, panics)
}

func (h *scopeHarness) step(r reporter, op scopeOp) error {
	switch op.Kind {
	case scopeTrack, scopeTrackSlow, scopeTrackPanic:
		return h.track(r, op)
	case scopeTrackNil:
		var got string
		err := h.b.do(func() { got = testkit.PanicText(testkit.Catch(func() { h.scope.Track(nil) })) })
		if err == nil && !strings.HasPrefix(got, "event: ") {
			h.fail(r, "Track(nil) panicked with %q, want an \"event: \" message", got)
		}
		return err
	case scopeRelease:
		h.released = true
		return h.b.do(func() { close(h.inner[h.slow].release) })
	case scopeUnsubscribe:
		h.expectCall(op.W, false)
		h.m.Unsubscribe(h.wrappers[op.W])
		return h.b.do(func() {
			h.calls = append(h.calls, goDo(h.wsubs[op.W].Unsubscribe))
		})
	case scopeClose:
		h.expectCall(-1, true)
		h.m.Close()
		return h.b.do(func() {
			h.calls = append(h.calls, goDo(h.scope.Close))
		})
	case scopeRaceClose:
		return h.raceClose(op)
	}
	h.fail(r, "%v: no such operation", op)
	return nil
}

// track tracks a new inner subscription (slow for scopeTrackSlow,
// panicking for scopeTrackPanic) and checks that Track returns nil exactly
// when the model says so, and otherwise a subscription with the inner Err.
func (h *scopeHarness) track(r reporter, op scopeOp) error {
	idx := len(h.wrappers)
	var w int
	if op.Kind == scopeTrackPanic {
		w = h.m.TrackPanicking(idx)
	} else {
		w = h.m.Track(idx)
	}
	h.wrappers = append(h.wrappers, w)
	slow := op.Kind == scopeTrackSlow
	if slow {
		h.slow = idx
	}
	var isNil, sameErr bool
	err := h.b.do(func() {
		in := &countSub{err: make(chan error)}
		if slow {
			in.release = make(chan struct{})
		}
		if op.Kind == scopeTrackPanic {
			in.boom = boomOf(idx)
		}
		h.inner = append(h.inner, in)
		ws := h.scope.Track(in)
		h.wsubs = append(h.wsubs, ws)
		isNil = ws == nil
		sameErr = isNil || ws.Err() == in.Err()
	})
	if err == nil && isNil != (w < 0) {
		h.fail(r, "Track returned nil=%v, model nil=%v", isNil, w < 0)
	}
	if err == nil && !sameErr {
		h.fail(r, "tracked subscription's Err is not the inner one's")
	}
	return err
}

// raceClose starts wrapper op.W's Unsubscribe and the scope's Close at
// once.
func (h *scopeHarness) raceClose(op scopeOp) error {
	if h.panicky(op.W) {
		h.pairs[len(h.calls)] = len(h.calls) + 1
	}
	h.expectCall(op.W, false)
	h.expectCall(-1, true)
	h.m.Unsubscribe(h.wrappers[op.W])
	h.m.Close()
	return h.b.do(func() {
		s := h.wsubs[op.W]
		h.calls = append(h.calls, goCall(func() int { s.Unsubscribe(); return 0 }))
		h.calls = append(h.calls, goDo(h.scope.Close))
	})
}

func (h *scopeHarness) invariants() error { return model.ScopeInvariants(h.m) }

// check compares Count, each inner subscription's Unsubscribe count, that
// every call returned, and which panic each raised.
func (h *scopeHarness) check(r reporter) {
	r.Helper()
	var count int
	var unsubs []int
	var calls []bool
	var raised []string
	err := h.b.do(func() {
		count = h.scope.Count()
		for _, in := range h.inner {
			unsubs = append(unsubs, int(in.n.Load()))
		}
		calls = returned(h.calls)
		for i, c := range h.calls {
			raised = append(raised, "")
			if calls[i] {
				raised[i] = c.panic
			}
		}
	})
	if err != nil {
		h.fail(r, "observe: %v", err)
	}
	want := h.m.Count()
	if h.slowLeaving() {
		want++
	}
	if count != want {
		h.fail(r, "Count() = %d, model %d", count, want)
	}
	for i, n := range unsubs {
		if n != h.m.InnerUnsubs[i] {
			h.fail(r, "inner subscription %d unsubscribed %d times, model %d", i, n, h.m.InnerUnsubs[i])
		}
	}
	for i, d := range calls {
		if want := !h.waitsSlow[i] || h.released; d != want {
			h.fail(r, "UnsubscribeTerminates/ScopeCloseTerminates: call %d (%v) returned=%v, want %v (it waits for the slow inner subscription: %v)",
				i, h.callOps[i], d, want, h.waitsSlow[i])
		}
	}
	h.checkPanics(r, calls, raised)
}

// checkPanics compares the panic each returned call raised with the model:
// a call raises the panic of one of the panicking inner subscriptions it
// unsubscribed, if any, and nothing else; of a RaceClose pair over a
// panicking wrapper, exactly one call raises its panic.
func (h *scopeHarness) checkPanics(r reporter, done []bool, raised []string) {
	r.Helper()
	allowed := func(i int) bool {
		for _, t := range h.panics[i] {
			if raised[i] == boomOf(t) {
				return true
			}
		}
		return false
	}
	for i := range raised {
		if !done[i] {
			continue
		}
		if j, ok := h.pairs[i]; ok {
			if done[j] && (raised[i] == "") == (raised[j] == "") {
				h.fail(r, "ScopeCloseTerminates: RaceClose over a panicking inner: wrapper call raised %q, Close raised %q; want exactly one", raised[i], raised[j])
			}
			for _, k := range []int{i, j} {
				if done[k] && raised[k] != "" && !allowed(k) {
					h.fail(r, "ScopeCloseTerminates: call %d (%v) raised %q, model allows %v", k, h.callOps[k], raised[k], h.panics[k])
				}
			}
			continue
		}
		if isPairClose(h.pairs, i) {
			continue
		}
		switch {
		case len(h.panics[i]) == 0 && raised[i] != "":
			h.fail(r, "ScopeCloseTerminates: call %d (%v) raised %q, model: no panic", i, h.callOps[i], raised[i])
		case len(h.panics[i]) > 0 && !allowed(i):
			h.fail(r, "ScopeCloseTerminates: call %d (%v) raised %q, model: the panic of one of Track calls %v", i, h.callOps[i], raised[i], h.panics[i])
		}
	}
}

// isPairClose reports whether call i is the Close call of a RaceClose pair.
func isPairClose(pairs map[int]int, i int) bool {
	for _, j := range pairs {
		if j == i {
			return true
		}
	}
	return false
}

func (h *scopeHarness) cleanup() error {
	if h.slow >= 0 && !h.released {
		close(h.inner[h.slow].release)
	}
	var want []int // the first Close raises one of these panics
	if h.closeCalls == 0 {
		want = h.trackedPanicky()
	}
	got := testkit.PanicText(testkit.Catch(h.scope.Close))
	syncWait()
	ok := got == "" && len(want) == 0
	for _, i := range want {
		ok = ok || got == boomOf(i)
	}
	if !ok {
		return fmt.Errorf("ScopeCloseTerminates: the final Close raised %q, want the panic of one of Track calls %v", got, want)
	}
	return blocked(h.calls, "call %d never returned")
}

// end runs cleanup in the bubble and ends it.
func (h *scopeHarness) end() error { return h.b.close(h.cleanup) }
