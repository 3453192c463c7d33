package proptest

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/model"
)

// countSub is an inner subscription that counts its Unsubscribe calls.
type countSub struct {
	n   atomic.Int32
	err chan error
}

func (s *countSub) Err() <-chan error { return s.err }
func (s *countSub) Unsubscribe()      { s.n.Add(1) }

// scopeOp is one operation of a SubscriptionScope case.
type scopeOp struct {
	Kind string // "Track", "TrackNil", "Unsubscribe", "Close", "RaceClose"
	W    int    // Unsubscribe, RaceClose: wrapper (index of the Track call)
}

func (o scopeOp) String() string { return fmt.Sprintf("{Kind: %q, W: %d}", o.Kind, o.W) }

type scopeHarness struct {
	ops []scopeOp
	b   *bubble
	st  *stats
	m   *model.Scope
	// wrappers[i] is the model wrapper ID of Track call i (-1: nil).
	wrappers []int

	// bubble only
	scope  *event.SubscriptionScope
	inner  []*countSub
	wsubs  []event.Subscription
	calls  []*call
	failed bool
}

func newScopeHarness(t *testing.T, st *stats) *scopeHarness {
	h := &scopeHarness{b: newBubble(t), st: st, m: model.NewScope()}
	h.b.do(func() { h.scope = new(event.SubscriptionScope) })
	return h
}

func (h *scopeHarness) fail(r reporter, format string, args ...any) {
	r.Helper()
	var b strings.Builder
	b.WriteString("[]scopeOp{\n")
	for _, o := range h.ops {
		fmt.Fprintf(&b, "\t%v,\n", o)
	}
	b.WriteString("}")
	r.Fatalf("%s\nreplay (paste into scopeRegressions):\n%s", fmt.Sprintf(format, args...), b.String())
}

func (h *scopeHarness) applicable(op scopeOp) bool {
	switch op.Kind {
	case "Unsubscribe", "RaceClose":
		return op.W < len(h.wrappers) && h.wrappers[op.W] >= 0
	}
	return true
}

func (h *scopeHarness) apply(r reporter, op scopeOp) {
	r.Helper()
	h.ops = append(h.ops, op)
	h.st.addOp()
	var err error
	switch op.Kind {
	case "Track":
		idx := len(h.wrappers)
		w := h.m.Track(idx)
		h.wrappers = append(h.wrappers, w)
		var isNil, sameErr bool
		err = h.b.do(func() {
			in := &countSub{err: make(chan error)}
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
	case "TrackNil":
		var got string
		err = h.b.do(func() { got = catch(func() { h.scope.Track(nil) }) })
		if err == nil && !strings.HasPrefix(got, "event: ") {
			h.fail(r, "Track(nil) panicked with %q, want an \"event: \" message", got)
		}
	case "Unsubscribe":
		h.m.Unsubscribe(h.wrappers[op.W])
		err = h.b.do(func() {
			s := h.wsubs[op.W]
			h.calls = append(h.calls, goCall(func() int { s.Unsubscribe(); return 0 }))
		})
	case "Close":
		h.m.Close()
		err = h.b.do(func() {
			h.calls = append(h.calls, goCall(func() int { h.scope.Close(); return 0 }))
		})
	case "RaceClose":
		h.m.Unsubscribe(h.wrappers[op.W])
		h.m.Close()
		err = h.b.do(func() {
			s := h.wsubs[op.W]
			h.calls = append(h.calls, goCall(func() int { s.Unsubscribe(); return 0 }))
			h.calls = append(h.calls, goCall(func() int { h.scope.Close(); return 0 }))
		})
	}
	if err != nil {
		h.fail(r, "%v: %v", op, err)
	}
	h.check(r)
}

// check compares Count, each inner subscription's Unsubscribe count, and
// that every call returned; and checks ScopeUnsubscribesOnce.
func (h *scopeHarness) check(r reporter) {
	r.Helper()
	if err := model.ScopeUnsubscribesOnce(h.m); err != nil {
		h.fail(r, "model invariant: %v", err)
	}
	var count int
	var unsubs []int
	var calls []bool
	err := h.b.do(func() {
		count = h.scope.Count()
		for _, in := range h.inner {
			unsubs = append(unsubs, int(in.n.Load()))
		}
		for _, c := range h.calls {
			calls = append(calls, c.finished())
		}
	})
	if err != nil {
		h.fail(r, "observe: %v", err)
	}
	if count != h.m.Count() {
		h.fail(r, "Count() = %d, model %d", count, h.m.Count())
	}
	for i, n := range unsubs {
		if n != h.m.InnerUnsubs[i] {
			h.fail(r, "inner subscription %d unsubscribed %d times, model %d", i, n, h.m.InnerUnsubs[i])
		}
	}
	for i, d := range calls {
		if !d {
			h.fail(r, "call %d has not returned", i)
		}
	}
}

func (h *scopeHarness) cleanup() error {
	h.scope.Close()
	syncWait()
	for i, c := range h.calls {
		if !c.finished() {
			return fmt.Errorf("call %d never returned", i)
		}
	}
	return nil
}

func (h *scopeHarness) finish(r reporter) {
	r.Helper()
	if err := h.b.close(h.cleanup); err != nil {
		h.fail(r, "cleanup: %v", err)
	}
}
