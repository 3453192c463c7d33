package proptest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
	"github.com/eventspec/eventspec/model"
)

// resubKind is the kind of a Resubscribe operation.
type resubKind uint8

const (
	resubAdvance resubKind = iota
	resubInnerFail
	resubInnerEnd
	resubUnsubscribe
	resubKindEnd
)

var resubKindNames = [resubKindEnd]string{"resubAdvance", "resubInnerFail", "resubInnerEnd", "resubUnsubscribe"}

func (k resubKind) String() string { return kindName(resubKindNames[:], k) }
func (resubKind) end() resubKind   { return resubKindEnd }

// resubOp is one operation of a Resubscribe case after its creation.
type resubOp struct {
	Kind resubKind
	D    time.Duration // Advance
	Err  int           // InnerFail: error ID
}

func (o resubOp) String() string {
	return fmt.Sprintf("{Kind: %v, D: %d, Err: %d}", o.Kind, o.D, o.Err)
}

// resubCase is a replayable Resubscribe case.
type resubCase struct {
	WithErr bool // ResubscribeErr instead of Resubscribe
	// UnsubAtOnce: Unsubscribe right after Resubscribe returned, in the
	// same step, so (as a rule) before the loop goroutine started.
	UnsubAtOnce bool
	Max         time.Duration
	Script      []model.Step
	Ops         []resubOp
}

func (c resubCase) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resubCase{WithErr: %v, UnsubAtOnce: %v, Max: %d, Script: []model.Step{", c.WithErr, c.UnsubAtOnce, c.Max)
	for _, s := range c.Script {
		fmt.Fprintf(&b, "{B: %d, Delay: %d}, ", s.B, s.Delay)
	}
	fmt.Fprintf(&b, "}, Ops: %s}", opsLiteral("[]resubOp", c.Ops))
	return b.String()
}

// fnCall is what the real function observed about one of its calls.
type fnCall struct {
	at      time.Duration
	lastErr int
	ctx     context.Context
}

type resubHarness struct {
	driver[resubOp]
	c resubCase // without its Ops, which driver keeps
	m *model.Resub

	// bubble only
	start  time.Time
	sub    event.Subscription
	mu     sync.Mutex
	calls  []fnCall
	inners []*innerSub
	unsubs []*call
	// atMostOne holds the AtMostOneInner violations seen by fn when it was
	// called or created an inner subscription.
	atMostOne []string
	// created is the error of the step that created the subscription.
	created error
}

// innerSub is an inner subscription handed to Resubscribe. It counts as
// live from its creation until Unsubscribe has been called on it and its
// producer has returned: an inner subscription that failed by itself stays
// live until Resubscribe unsubscribes it.
type innerSub struct {
	event.Subscription
	p            *producer
	unsubscribed chan struct{} // closed by the first Unsubscribe call
	once         sync.Once
}

func (s *innerSub) Unsubscribe() {
	s.once.Do(func() { close(s.unsubscribed) })
	s.Subscription.Unsubscribe()
}

// live reports whether s was never unsubscribed or its producer still runs.
func (s *innerSub) live() bool { return !testkit.IsClosed(s.unsubscribed) || !s.p.hasReturned() }

// liveInners returns the indices of the live inner subscriptions; h.mu is held.
func (h *resubHarness) liveInners() []int {
	var l []int
	for i, s := range h.inners {
		if s.live() {
			l = append(l, i)
		}
	}
	return l
}

func newResubHarness(t *testing.T, st *stats, c resubCase) *resubHarness {
	replay := func(ops []resubOp) any {
		rc := c
		rc.Ops = ops
		return rc
	}
	c.Ops = nil
	h := &resubHarness{c: c, driver: newDriver(t, st, "resubRegressions", replay)}
	h.m = model.NewResub(c.Max, c.Script)
	if c.UnsubAtOnce {
		h.m.Unsubscribe()
	}
	h.created = h.b.do(func() {
		h.start = time.Now()
		if c.WithErr {
			h.sub = event.ResubscribeErr(c.Max, h.fn)
		} else {
			h.sub = event.Resubscribe(c.Max, func(ctx context.Context) (event.Subscription, error) { return h.fn(ctx, nil) })
		}
		if c.UnsubAtOnce {
			// Called here, not in a goroutine, so that it comes before the
			// loop goroutine runs (as a rule; the scheduler decides).
			u := &call{done: make(chan struct{})}
			h.unsubs = append(h.unsubs, u)
			h.sub.Unsubscribe()
			close(u.done)
		}
	})
	return h
}

// newInner starts an inner subscription whose producer the test controls.
func (h *resubHarness) newInner() event.Subscription {
	p, f := newProducer(0)
	s := &innerSub{Subscription: event.NewSubscription(f), p: p, unsubscribed: make(chan struct{})}
	h.mu.Lock()
	if l := h.liveInners(); len(l) > 0 {
		h.atMostOne = append(h.atMostOne, fmt.Sprintf("AtMostOneInner: inner subscription %d created while inner subscriptions %v were live (never unsubscribed)", len(h.inners), l))
	}
	h.inners = append(h.inners, s)
	h.mu.Unlock()
	return s
}

// fn is the function under Resubscribe: call k follows step k of the script.
func (h *resubHarness) fn(ctx context.Context, lastErr error) (event.Subscription, error) {
	h.mu.Lock()
	k := len(h.calls)
	h.calls = append(h.calls, fnCall{at: time.Since(h.start), lastErr: errID(lastErr), ctx: ctx})
	if l := h.liveInners(); len(l) > 0 {
		h.atMostOne = append(h.atMostOne, fmt.Sprintf("AtMostOneInner: fn call %d began while inner subscriptions %v were live (never unsubscribed)", k, l))
	}
	h.mu.Unlock()
	st := model.Step{B: model.Block}
	if k < len(h.c.Script) {
		st = h.c.Script[k]
	}
	failure := idErr(1000 + k)
	switch st.B {
	case model.Fail:
		return nil, failure
	case model.FailAfter:
		t := time.NewTimer(st.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		return nil, failure
	case model.Succeed:
		return h.newInner(), nil
	case model.BlockThenSub:
		<-ctx.Done()
		return h.newInner(), nil
	case model.FailWithSub:
		return h.newInner(), failure
	case model.BlockThenFailWithSub:
		<-ctx.Done()
		return h.newInner(), ctx.Err()
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

func (h *resubHarness) applicable(op resubOp) bool {
	if op.Kind == resubInnerFail || op.Kind == resubInnerEnd {
		return h.m.Phase == model.PhaseWaiting
	}
	return true
}

func (h *resubHarness) step(r reporter, op resubOp) error {
	var err error
	switch op.Kind {
	case resubAdvance:
		h.m.Advance(op.D)
		err = h.b.do(func() { time.Sleep(op.D) }) // fake time in the bubble
	case resubInnerFail, resubInnerEnd:
		i := len(h.m.Inners) - 1
		if op.Kind == resubInnerFail {
			h.m.InnerFail(op.Err)
		} else {
			h.m.InnerEnd()
		}
		err = h.b.do(func() {
			h.mu.Lock()
			p := h.inners[i].p
			h.mu.Unlock()
			p.ctl <- toErr(op.Err)
		})
	case resubUnsubscribe:
		h.m.Unsubscribe()
		err = h.b.do(func() {
			h.unsubs = append(h.unsubs, goDo(h.sub.Unsubscribe))
		})
	default:
		h.fail(r, "%v: no such operation", op)
	}
	return err
}

func (h *resubHarness) invariants() error { return model.ResubInvariants(h.m) }

// resubSeen is what check observes of the real Resubscribe in the bubble.
type resubSeen struct {
	calls     []fnCall
	ctxDone   []bool // per fn call: its context is done
	live      []bool // per inner subscription
	errRes    model.ErrResult
	unsubs    []bool // per Unsubscribe call: it returned
	atMostOne []string
}

// observe collects resubSeen in the bubble.
func (h *resubHarness) observe(r reporter) resubSeen {
	r.Helper()
	var s resubSeen
	err := h.b.do(func() {
		h.mu.Lock()
		s.calls = append(s.calls, h.calls...)
		for _, c := range h.calls {
			s.ctxDone = append(s.ctxDone, c.ctx.Err() != nil)
		}
		for _, in := range h.inners {
			s.live = append(s.live, in.live())
		}
		s.atMostOne = append(s.atMostOne, h.atMostOne...)
		h.mu.Unlock()
		s.errRes = recvErr(h.sub)
		s.unsubs = returned(h.unsubs)
	})
	if err != nil {
		h.fail(r, "observe: %v", err)
	}
	return s
}

// check compares the function calls (count, fake time, previous error,
// whether the context is done), which inner subscriptions are live (created
// and not yet unsubscribed), Err (closed, never a value) and that every
// Unsubscribe returned; and checks AtMostOneInner (also at each fn call and
// inner creation), AtLeastOneCall, CtxCancelledOnUnsubscribe and
// NoLeakedInner.
func (h *resubHarness) check(r reporter) {
	r.Helper()
	if h.created != nil {
		h.fail(r, "Resubscribe (UnsubAtOnce: %v): %v", h.c.UnsubAtOnce, h.created)
	}
	s := h.observe(r)
	if len(s.atMostOne) > 0 {
		h.fail(r, "%s", strings.Join(s.atMostOne, "; "))
	}
	if len(s.calls) == 0 && s.errRes.Closed {
		h.fail(r, "AtLeastOneCall: Err closed (UnsubAtOnce: %v) and fn never called", h.c.UnsubAtOnce)
	}
	h.checkCalls(r, s)
	if len(s.live) != len(h.m.Inners) {
		h.fail(r, "%d inner subscriptions created, model %d", len(s.live), len(h.m.Inners))
	}
	for i, l := range s.live {
		if l != h.m.Inners[i] {
			h.fail(r, "AtMostOneInner/NoLeakedInner: inner subscription %d live=%v, model %v", i, l, h.m.Inners[i])
		}
	}
	if s.errRes.Err != 0 {
		h.fail(r, "SingleError: Resubscribe's Err carried a value (%d)", s.errRes.Err)
	}
	if s.errRes.Closed != (h.m.Phase == model.PhaseExited) {
		h.fail(r, "Err closed=%v, model phase %s", s.errRes.Closed, h.m.Phase)
	}
	if i := slices.Index(s.unsubs, false); i >= 0 {
		h.fail(r, "ResubscribeUnsubscribeTerminates: Unsubscribe call %d has not returned", i)
	}
}

// checkCalls compares the fn calls seen with the model's: how many, at
// what fake time, with what previous error, and whether each context is
// done.
func (h *resubHarness) checkCalls(r reporter, s resubSeen) {
	r.Helper()
	if len(s.calls) != len(h.m.Calls) {
		h.fail(r, "fn called %d times, model %d (now %v)", len(s.calls), len(h.m.Calls), h.m.Now)
	}
	for i, c := range s.calls {
		want := h.m.Calls[i]
		if c.at != want.At {
			h.fail(r, "fn call %d at %v, model %v", i, c.at, want.At)
		}
		if h.c.WithErr && c.lastErr != want.LastErr {
			h.fail(r, "fn call %d got previous error %d, model %d", i, c.lastErr, want.LastErr)
		}
		if s.ctxDone[i] != want.CtxDone {
			what := "fn call %d's context done=%v, model %v"
			if h.m.Unsub {
				what = "CtxCancelledOnUnsubscribe: " + what
			}
			h.fail(r, what, i, s.ctxDone[i], want.CtxDone)
		}
	}
}

func (h *resubHarness) cleanup() error {
	h.unsubs = append(h.unsubs, goDo(h.sub.Unsubscribe))
	syncWait()
	if err := blocked(h.unsubs, "ResubscribeUnsubscribeTerminates: Unsubscribe call %d never returned"); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.atMostOne) > 0 {
		return fmt.Errorf("%s", strings.Join(h.atMostOne, "; "))
	}
	if l := h.liveInners(); len(l) > 0 {
		return fmt.Errorf("NoLeakedInner: inner subscriptions %v still live after Unsubscribe (never unsubscribed or producer running)", l)
	}
	if len(h.calls) == 0 {
		return fmt.Errorf("AtLeastOneCall: Unsubscribe returned and fn was never called")
	}
	for i, c := range h.calls {
		if c.ctx.Err() == nil {
			return fmt.Errorf("CtxCancelledOnUnsubscribe: fn call %d's context not done after Unsubscribe", i)
		}
	}
	return nil
}

// end runs cleanup in the bubble and ends it.
func (h *resubHarness) end() error { return h.b.close(h.cleanup) }
