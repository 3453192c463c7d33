package proptest

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
	"github.com/eventspec/eventspec/model"
)

// idErr is an error that carries the model's error ID.
type idErr int

func (e idErr) Error() string { return fmt.Sprintf("error %d", int(e)) }

func toErr(id int) error {
	if id == 0 {
		return nil
	}
	return idErr(id)
}

func errID(err error) int {
	var e idErr
	if errors.As(err, &e) {
		return int(e)
	}
	if err != nil {
		return -1
	}
	return 0
}

// errGoexit, sent on a producer's ctl, makes it end its goroutine with
// runtime.Goexit instead of returning.
var errGoexit = errors.New("goexit")

// producer is a NewSubscription producer the test controls: it returns
// what is sent on ctl (ending its goroutine on errGoexit), or quitErr once
// quit is closed.
type producer struct {
	ctl      chan error
	returned chan struct{}
}

func newProducer(quitErr int) (*producer, func(<-chan struct{}) error) {
	p := &producer{ctl: make(chan error, 1), returned: make(chan struct{})}
	return p, func(quit <-chan struct{}) error {
		defer close(p.returned)
		select {
		case err := <-p.ctl:
			if err == errGoexit {
				runtime.Goexit()
			}
			return err
		case <-quit:
			return toErr(quitErr)
		}
	}
}

// hasReturned reports whether the producer function has returned.
func (p *producer) hasReturned() bool { return testkit.IsClosed(p.returned) }

func recvErr(s event.Subscription) model.ErrResult {
	select {
	case err, ok := <-s.Err():
		if !ok {
			return model.ErrResult{Closed: true}
		}
		return model.ErrResult{Err: errID(err)}
	default:
		return model.ErrResult{}
	}
}

// subKind is the kind of a NewSubscription/JoinSubscriptions operation.
type subKind uint8

const (
	subNew subKind = iota
	subReturn
	subGoexit
	subUnsubscribe
	subRace // Return racing Unsubscribe
	subReadErr
	subJoin
	subJoinReturn
	subJoinUnsubscribe
	subJoinReadErr
	subKindEnd
)

var subKindNames = [subKindEnd]string{"subNew", "subReturn", "subGoexit", "subUnsubscribe", "subRace", "subReadErr", "subJoin", "subJoinReturn", "subJoinUnsubscribe", "subJoinReadErr"}

func (k subKind) String() string { return kindName(subKindNames[:], k) }
func (subKind) end() subKind     { return subKindEnd }

// subOp is one operation of a NewSubscription/JoinSubscriptions case.
type subOp struct {
	Kind subKind
	Sub  int // which subscription (or which inner one of the join)
	Err  int // error ID to return (0: nil); for New, the error returned on quit
}

func (o subOp) String() string {
	return fmt.Sprintf("{Kind: %v, Sub: %d, Err: %d}", o.Kind, o.Sub, o.Err)
}

// subHarness drives NewSubscriptions and at most one JoinSubscriptions over
// fresh inner subscriptions.
type subHarness struct {
	driver[subOp]
	m    []*model.Sub
	quit []int
	sent []bool // a value was sent on ctl
	j    *model.Join

	// bubble only
	subs   []event.Subscription
	prods  []*producer
	join   event.Subscription
	jprods []*producer
	calls  []*call
}

func newSubHarness(t *testing.T, st *stats) *subHarness {
	return &subHarness{driver: newDriver(t, st, "subRegressions", opsReplay[subOp]("subOp"))}
}

func (h *subHarness) applicable(op subOp) bool {
	switch op.Kind {
	case subReturn, subGoexit, subRace:
		return op.Sub < len(h.m) && !h.sent[op.Sub] && !h.m[op.Sub].Returned
	case subUnsubscribe, subReadErr:
		return op.Sub < len(h.m)
	case subJoin:
		return h.j == nil && op.Sub > 0
	case subJoinReturn:
		return h.j != nil && op.Sub < len(h.j.Inners) && !h.j.Inners[op.Sub].Returned
	case subJoinUnsubscribe, subJoinReadErr:
		return h.j != nil
	}
	return true
}

func (h *subHarness) step(r reporter, op subOp) error {
	switch op.Kind {
	case subNew:
		return h.newSub(op)
	case subReturn:
		h.m[op.Sub].ProducerReturn(op.Err)
		h.sent[op.Sub] = true
		return h.b.do(func() { h.prods[op.Sub].ctl <- toErr(op.Err) })
	case subGoexit:
		// The producer's goroutine ends without a result: the model's
		// producer returns nil.
		h.m[op.Sub].ProducerReturn(0)
		h.sent[op.Sub] = true
		return h.b.do(func() { h.prods[op.Sub].ctl <- errGoexit })
	case subUnsubscribe:
		h.m[op.Sub].Unsubscribe(h.quit[op.Sub])
		return h.b.do(func() {
			h.calls = append(h.calls, goDo(h.subs[op.Sub].Unsubscribe))
		})
	case subRace:
		return h.race(r, op)
	case subReadErr:
		return h.readErr(r, op)
	case subJoin:
		return h.newJoin(op)
	case subJoinReturn:
		if op.Err == 0 {
			h.j.InnerEnd(op.Sub)
		} else {
			h.j.InnerFail(op.Sub, op.Err)
		}
		return h.b.do(func() { h.jprods[op.Sub].ctl <- toErr(op.Err) })
	case subJoinUnsubscribe:
		h.j.Unsubscribe()
		return h.b.do(func() {
			h.calls = append(h.calls, goDo(h.join.Unsubscribe))
		})
	case subJoinReadErr:
		return h.joinReadErr(r)
	}
	h.fail(r, "%v: no such operation", op)
	return nil
}

// newSub starts a NewSubscription whose producer returns error op.Err
// once quit is closed.
func (h *subHarness) newSub(op subOp) error {
	h.m = append(h.m, &model.Sub{})
	h.quit = append(h.quit, op.Err)
	h.sent = append(h.sent, false)
	return h.b.do(func() {
		p, f := newProducer(op.Err)
		h.prods = append(h.prods, p)
		h.subs = append(h.subs, event.NewSubscription(f))
	})
}

// race has sub op.Sub's producer return op.Err while an Unsubscribe runs,
// and checks that Err yields the error only if the model allows it.
func (h *subHarness) race(r reporter, op subOp) error {
	h.sent[op.Sub] = true
	var got model.ErrResult
	err := h.b.do(func() {
		s := h.subs[op.Sub]
		h.calls = append(h.calls, goDo(s.Unsubscribe))
		h.prods[op.Sub].ctl <- toErr(op.Err)
		syncWait()
		got = recvErr(s)
	})
	delivered := got.Err != 0
	if err == nil && (!h.m[op.Sub].RaceReturnUnsubscribe(op.Err, delivered) || (delivered && got.Err != op.Err)) {
		h.fail(r, "producer returning %d raced Unsubscribe: Err yielded %+v", op.Err, got)
	}
	if delivered {
		h.m[op.Sub].ReadErr()
	}
	return err
}

// readErr reads sub op.Sub's Err channel without blocking and compares it
// with the model's.
func (h *subHarness) readErr(r reporter, op subOp) error {
	want := h.m[op.Sub].ReadErr()
	var got model.ErrResult
	err := h.b.do(func() { got = recvErr(h.subs[op.Sub]) })
	if err == nil && got != want {
		h.fail(r, "SingleError/ErrClosedAfterUnsubscribe: Err of sub %d yielded %+v, model %+v", op.Sub, got, want)
	}
	return err
}

// newJoin joins op.Sub fresh subscriptions whose producers return nil on
// quit.
func (h *subHarness) newJoin(op subOp) error {
	h.j = model.NewJoin(op.Sub)
	return h.b.do(func() {
		var inner []event.Subscription
		for range op.Sub {
			p, f := newProducer(0)
			h.jprods = append(h.jprods, p)
			inner = append(inner, event.NewSubscription(f))
		}
		h.join = event.JoinSubscriptions(inner...)
	})
}

// joinReadErr reads the joined subscription's Err channel without blocking
// and compares it with the model's.
func (h *subHarness) joinReadErr(r reporter) error {
	want := h.j.Outer.ReadErr()
	var got model.ErrResult
	err := h.b.do(func() { got = recvErr(h.join) })
	if err == nil && got != want {
		h.fail(r, "Err of the joined subscription yielded %+v, model %+v", got, want)
	}
	return err
}

func (h *subHarness) invariants() error {
	for i, s := range h.m {
		if err := model.SubInvariants(s); err != nil {
			return fmt.Errorf("sub %d: %w", i, err)
		}
	}
	if h.j != nil {
		if err := model.JoinInvariants(h.j); err != nil {
			return fmt.Errorf("join: %w", err)
		}
	}
	return nil
}

// check compares which producers have returned and that every Unsubscribe
// call has returned (the model's invariants cover SingleError and
// ErrClosedAfterUnsubscribe).
func (h *subHarness) check(r reporter) {
	r.Helper()
	var ret, jret, calls []bool
	err := h.b.do(func() {
		for _, p := range h.prods {
			ret = append(ret, p.hasReturned())
		}
		for _, p := range h.jprods {
			jret = append(jret, p.hasReturned())
		}
		calls = returned(h.calls)
	})
	if err != nil {
		h.fail(r, "observe: %v", err)
	}
	for i, s := range h.m {
		if ret[i] != s.Returned {
			h.fail(r, "producer of sub %d returned=%v, model %v", i, ret[i], s.Returned)
		}
	}
	if h.j != nil {
		for i, s := range h.j.Inners {
			if jret[i] != s.Returned {
				h.fail(r, "producer of joined sub %d returned=%v, model %v", i, jret[i], s.Returned)
			}
		}
	}
	if i := slices.Index(calls, false); i >= 0 {
		h.fail(r, "UnsubscribeTerminates: Unsubscribe call %d has not returned", i)
	}
}

func (h *subHarness) cleanup() error {
	all := append([]event.Subscription(nil), h.subs...)
	if h.join != nil {
		all = append(all, h.join)
	}
	for _, s := range all {
		h.calls = append(h.calls, goDo(s.Unsubscribe))
	}
	syncWait()
	if err := blocked(h.calls, "Unsubscribe call %d never returned"); err != nil {
		return err
	}
	for i, p := range append(append([]*producer(nil), h.prods...), h.jprods...) {
		if !p.hasReturned() {
			return fmt.Errorf("producer %d still running after Unsubscribe", i)
		}
	}
	return nil
}

// end runs cleanup in the bubble and ends it.
func (h *subHarness) end() error { return h.b.close(h.cleanup) }
