package proptest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
	"github.com/eventspec/eventspec/model"
)

// call is a real call running in its own goroutine inside the bubble.
type call struct {
	done  chan struct{}
	n     int
	err   error
	panic string
}

// spawn starts a call whose body run records its result in c.
func spawn(run func(c *call)) *call {
	c := &call{done: make(chan struct{})}
	go func() {
		defer close(c.done)
		defer func() {
			if r := recover(); r != nil {
				c.panic = fmt.Sprint(r)
			}
		}()
		run(c)
	}()
	return c
}

// goCall starts a call that returns a count.
func goCall(f func() int) *call { return spawn(func(c *call) { c.n = f() }) }

// goCallErr is goCall for a call that returns an error.
func goCallErr(f func() error) *call { return spawn(func(c *call) { c.err = f() }) }

// goDo is goCall for a call without results (Unsubscribe, Close, Stop).
func goDo(f func()) *call { return spawn(func(*call) { f() }) }

// finished reports whether the call has returned.
func (c *call) finished() bool { return testkit.IsClosed(c.done) }

// returned reports, per call, whether it has returned.
func returned(calls []*call) []bool {
	done := make([]bool, len(calls))
	for i, c := range calls {
		done[i] = c.finished()
	}
	return done
}

// blocked returns an error made of format and the index of the first call
// that has not returned, or nil if all have.
func blocked(calls []*call, format string) error {
	if i := slices.Index(returned(calls), false); i >= 0 {
		return fmt.Errorf(format, i)
	}
	return nil
}

// feedHarness drives one real Feed or FeedOf[int] and its model. Fields
// under "bubble only" are touched only by closures run in the bubble.
type feedHarness struct {
	driver[feedOp]
	generic bool // FeedOf[int] instead of Feed
	m       *model.Feed
	types   model.FeedTypes

	// bubble only
	feed    *event.Feed
	feedOf  *event.FeedOf[int]
	chans   []chan int
	subs    []event.Subscription
	sends   []*call
	cancels map[int]context.CancelFunc // per SendContext
	unsubs  []*call
}

func newFeedHarness(t *testing.T, generic bool, st *stats) *feedHarness {
	h := &feedHarness{generic: generic, m: model.NewFeed(),
		driver: newDriver(t, st, "feedRegressions", func(ops []feedOp) any { return feedCase{Generic: generic, Ops: ops} })}
	h.b.do(func() {
		h.feed, h.feedOf = new(event.Feed), new(event.FeedOf[int])
		h.cancels = map[int]context.CancelFunc{}
	})
	return h
}

func (h *feedHarness) outstanding() int {
	n := len(h.m.Queue)
	if h.m.Active >= 0 {
		n++
	}
	return n
}

// applicable reports whether op may run in the current model state.
func (h *feedHarness) applicable(op feedOp) bool {
	switch op.Kind {
	case feedSubscribe:
		if op.Chan >= len(h.m.Chans) || (op.Chan < 0 && op.Cap == model.NilCap && !h.generic) {
			return false
		}
	case feedUnsubscribe:
		return op.Entry < len(h.m.Entries) && !h.m.Ambiguous(op.Entry)
	case feedSend, feedSendContext:
		return h.outstanding() < 3 // waiting Sends are served in arrival order
	case feedCancel:
		return op.Send < len(h.m.Sends) && h.m.Sends[op.Send].Ctx
	case feedReceive:
		return op.Chan < len(h.m.Chans)
	case feedCloseChan:
		return op.Chan < len(h.m.Chans) && !h.m.Chans[op.Chan].Closed && h.m.Chans[op.Chan].Cap != model.NilCap
	case feedWrong:
		if h.generic {
			return false
		}
		switch op.Wrong {
		case wrongSendUint64, wrongSubscribeUint64:
			return h.types.Elem == "int" && h.outstanding() == 0
		case wrongSendNil:
			return h.outstanding() == 0
		}
	}
	return true
}

// step runs op on the real feed and on the model and compares what it
// returns; check then compares the whole settled state.
func (h *feedHarness) step(r reporter, op feedOp) error {
	switch op.Kind {
	case feedSubscribe:
		return h.subscribe(r, op)
	case feedUnsubscribe:
		h.m.Unsubscribe(op.Entry)
		return h.b.do(func() {
			h.unsubs = append(h.unsubs, goDo(h.subs[op.Entry].Unsubscribe))
		})
	case feedSend:
		return h.send()
	case feedSendContext, feedSendContextDone:
		return h.sendContext(op)
	case feedCancel:
		h.m.CtxEnd(op.Send)
		return h.b.do(func() { h.cancels[op.Send]() })
	case feedReceive:
		return h.receive(r, op)
	case feedCloseChan:
		h.m.CloseChan(op.Chan)
		return h.b.do(func() { close(h.chans[op.Chan]) })
	case feedWrong:
		return h.applyWrong(r, op)
	}
	h.fail(r, "%v: no such operation", op)
	return nil
}

// subscribe subscribes channel op.Chan, or a new one of capacity op.Cap,
// and compares the panic, if any, with the model's.
func (h *feedHarness) subscribe(r reporter, op feedOp) error {
	ch := op.Chan
	if ch < 0 {
		ch = h.m.NewChan(op.Cap)
	}
	msg := ""
	if !h.generic {
		msg = h.types.Subscribe("int", true)
	}
	var got string
	err := h.b.do(func() {
		if op.Chan < 0 {
			var c chan int
			if op.Cap != model.NilCap {
				c = make(chan int, op.Cap)
			}
			h.chans = append(h.chans, c)
		}
		got = testkit.PanicText(testkit.Catch(func() {
			if h.generic {
				h.subs = append(h.subs, h.feedOf.Subscribe(h.chans[ch]))
			} else {
				h.subs = append(h.subs, h.feed.Subscribe(h.chans[ch]))
			}
		}))
	})
	if err == nil && got != msg {
		h.fail(r, "Subscribe panicked with %q, want %q", got, msg)
	}
	h.m.Subscribe(ch)
	return err
}

// send starts a Send of the model's next value.
func (h *feedHarness) send() error {
	if !h.generic {
		h.types.Send("int")
	}
	id := h.m.Send()
	return h.b.do(func() {
		h.sends = append(h.sends, goCall(func() int {
			if h.generic {
				return h.feedOf.Send(id)
			}
			return h.feed.Send(id)
		}))
	})
}

// sendContext starts a SendContext of the model's next value, with a ctx
// that Cancel may end (feedSendContext) or that is already done
// (feedSendContextDone).
func (h *feedHarness) sendContext(op feedOp) error {
	if !h.generic {
		h.types.Send("int")
	}
	var id int
	if op.Kind == feedSendContext {
		id = h.m.SendContext()
	} else {
		id = h.m.SendContextDone()
	}
	return h.b.do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		h.cancels[id] = cancel
		if op.Kind == feedSendContextDone {
			cancel()
		}
		h.sends = append(h.sends, spawn(func(c *call) {
			if h.generic {
				c.n, c.err = h.feedOf.SendContext(ctx, id)
			} else {
				c.n, c.err = h.feed.SendContext(ctx, id)
			}
		}))
	})
}

// receive takes one value from channel op.Chan without blocking and
// compares it with the model's.
func (h *feedHarness) receive(r reporter, op feedOp) error {
	want := h.m.Receive(op.Chan)
	var got model.RecvResult
	err := h.b.do(func() {
		select {
		case v, ok := <-h.chans[op.Chan]:
			got = model.RecvResult{OK: ok, Value: v, Closed: !ok}
		default:
		}
	})
	if err == nil && got != want {
		h.fail(r, "Receive on channel %d got %v, want %v", op.Chan, got, want)
	}
	return err
}

func (h *feedHarness) applyWrong(r reporter, op feedOp) error {
	r.Helper()
	var want string
	var f func()
	switch op.Wrong {
	case wrongSendUint64:
		want, _ = h.types.Send("uint64")
		f = func() { h.feed.Send(uint64(1)) }
	case wrongSendNil:
		want, _ = h.types.Send("")
		f = func() {
			if n := h.feed.Send(nil); n != 0 {
				panic(fmt.Sprintf("Send(nil) returned %d", n))
			}
		}
	case wrongSubscribeUint64:
		want = h.types.Subscribe("uint64", true)
		f = func() { h.feed.Subscribe(make(chan uint64, 1)) }
	case wrongSubscribeRecvOnly:
		want = h.types.Subscribe("int", false)
		f = func() { h.feed.Subscribe((<-chan int)(make(chan int))) }
	case wrongSubscribeNil:
		want = h.types.Subscribe("int", false)
		f = func() { h.feed.Subscribe(nil) }
	case wrongSubscribeNotChan:
		want = h.types.Subscribe("int", false)
		f = func() { h.feed.Subscribe(5) }
	default:
		h.fail(r, "%v: no such operation", op)
	}
	var got string
	if err := h.b.do(func() { got = testkit.PanicText(testkit.Catch(f)) }); err != nil {
		return err
	}
	if got != want && !(want == model.MsgNilPrefix && strings.HasPrefix(got, want)) {
		h.fail(r, "%s panicked with %q, want %q", op.Wrong, got, want)
	}
	return nil
}

func (h *feedHarness) invariants() error {
	return errors.Join(model.FeedInvariants(h.m), model.FeedTypesInvariants(&h.types))
}

// check compares the settled real state with the model: each entry's Err
// (closed exactly once unsubscribed, never a value), buffered values per
// channel, which Sends have returned and with what, which Unsubscribe calls
// have returned.
func (h *feedHarness) check(r reporter) {
	r.Helper()
	var lens []int
	var sends []call
	var unsubs []bool
	var errs []model.ErrResult
	err := h.b.do(func() {
		for _, s := range h.subs {
			errs = append(errs, recvErr(s))
		}
		for _, c := range h.chans {
			lens = append(lens, len(c))
		}
		for _, s := range h.sends {
			if s.finished() {
				sends = append(sends, *s)
			} else {
				sends = append(sends, call{n: -1})
			}
		}
		unsubs = returned(h.unsubs)
	})
	if err != nil {
		h.fail(r, "observe: %v", err)
	}
	for i, e := range h.m.Entries {
		if errs[i].Err != 0 || errs[i].Closed != e.ErrClosed {
			h.fail(r, "ErrClosedAfterUnsubscribe: Err of entry %d yielded %+v; model: never a value, closed=%v", i, errs[i], e.ErrClosed)
		}
	}
	for i, c := range h.m.Chans {
		if lens[i] != len(c.Buf) {
			h.fail(r, "DeliveredExactlyOnce/SendReachesAllSubscribed/NoDeliveryAfterUnsubscribe: channel %d holds %d values, model holds %v", i, lens[i], c.Buf)
		}
	}
	for i, s := range h.m.Sends {
		got := sends[i]
		switch {
		case got.n == -1 && s.Done:
			h.fail(r, "SendTerminates: Send %d has not returned; model: returned %d", i, s.N)
		case got.n != -1 && !s.Done:
			h.fail(r, "Send %d returned (%d, panic %q); model: still blocked, pending entries %v", i, got.n, got.panic, s.Pending)
		case got.n == -1:
		case s.Panicked && !strings.Contains(got.panic, testkit.ClosedChanMsg):
			h.fail(r, "Send %d returned %d, panic %q; model: panics with %q", i, got.n, got.panic, testkit.ClosedChanMsg)
		case !s.Panicked && (got.panic != "" || got.n != s.N):
			h.fail(r, "Send %d returned %d, panic %q; model: returns %d", i, got.n, got.panic, s.N)
		case !s.Panicked && s.Cut != (got.err != nil), got.err != nil && got.err != context.Canceled:
			h.fail(r, "SendContext %d returned error %v; model: ctx ended it early: %v", i, got.err, s.Cut)
		}
	}
	if i := slices.Index(unsubs, false); i >= 0 {
		h.fail(r, "UnsubscribeTerminates: Unsubscribe call %d has not returned", i)
	}
}

// cleanup (run in the bubble) unsubscribes every entry and reports any
// call of the test that is still blocked.
func (h *feedHarness) cleanup() error {
	for _, s := range h.subs {
		h.unsubs = append(h.unsubs, goDo(s.Unsubscribe))
	}
	for _, cancel := range h.cancels {
		cancel()
	}
	syncWait()
	return errors.Join(
		blocked(h.sends, "SendTerminates: Send %d still blocked after every entry was unsubscribed"),
		blocked(h.unsubs, "UnsubscribeTerminates: Unsubscribe call %d never returned"))
}

// end runs cleanup in the bubble and ends it.
func (h *feedHarness) end() error { return h.b.close(h.cleanup) }
