package proptest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
	"github.com/eventspec/eventspec/model"
)

type (
	evA int
	evB int
	evC int
)

// muxTypes are the event types a TypeMux case uses, by index.
var muxTypes = []any{evA(0), evB(0), evC(0)}

func muxTypeName(i int) string { return reflect.TypeOf(muxTypes[i]).String() }

func muxEvent(typ, post int) any {
	switch typ {
	case 0:
		return evA(post)
	case 1:
		return evB(post)
	}
	return evC(post)
}

// muxKind is the kind of a TypeMux operation.
type muxKind uint8

const (
	muxSubscribe muxKind = iota
	muxPost
	muxReceive
	muxUnsubscribe
	muxStop
	muxStopTwice // two Stop calls at once
	muxKindEnd
)

var muxKindNames = [muxKindEnd]string{"muxSubscribe", "muxPost", "muxReceive", "muxUnsubscribe", "muxStop", "muxStopTwice"}

func (k muxKind) String() string { return kindName(muxKindNames[:], k) }
func (muxKind) end() muxKind     { return muxKindEnd }

// muxOp is one operation of a TypeMux case, printed as a Go literal.
type muxOp struct {
	Kind  muxKind
	Types []int // Subscribe: indexes into muxTypes (may repeat: duplicate type; may be empty)
	Type  int   // Post
	Sub   int   // Receive, Unsubscribe
}

func (o muxOp) String() string {
	return fmt.Sprintf("{Kind: %v, Types: %#v, Type: %d, Sub: %d}", o.Kind, o.Types, o.Type, o.Sub)
}

type muxHarness struct {
	driver[muxOp]
	m *model.Mux
	// subs maps model subscription IDs to real ones (bubble only).
	mux   *event.TypeMux //lint:ignore SA1019 the deprecated TypeMux is what this harness tests
	subs  []*event.TypeMuxSubscription
	posts []*call
	calls []*call
	// stops are the Stop calls; each reports in n how many channels of the
	// subscriptions made before it were open when it returned.
	stops []*call
}

func newMuxHarness(t *testing.T, st *stats) *muxHarness {
	h := &muxHarness{driver: newDriver(t, st, "muxRegressions", opsReplay[muxOp]("muxOp")), m: &model.Mux{}}
	h.b.do(func() { h.mux = new(event.TypeMux) }) //lint:ignore SA1019 the deprecated TypeMux is what this harness tests
	return h
}

func (h *muxHarness) applicable(op muxOp) bool {
	switch op.Kind {
	case muxPost:
		return h.m.Outstanding() == nil // two blocked Posts may reach a subscriber in either order
	case muxReceive, muxUnsubscribe:
		return op.Sub < len(h.m.Subs)
	}
	return true
}

// goStop starts a Stop call that counts, when it returns, the open channels
// of the subscriptions made so far.
func (h *muxHarness) goStop() {
	subs := slices.Clone(h.subs)
	h.stops = append(h.stops, goCall(func() int {
		h.mux.Stop()
		return testkit.OpenChannels(subs)
	}))
}

func (h *muxHarness) step(r reporter, op muxOp) error {
	switch op.Kind {
	case muxSubscribe:
		return h.subscribe(r, op)
	case muxPost:
		p := h.m.Post(muxTypeName(op.Type))
		return h.b.do(func() {
			ev := muxEvent(op.Type, p.ID)
			h.posts = append(h.posts, goCallErr(func() error { return h.mux.Post(ev) }))
		})
	case muxReceive:
		return h.receive(r, op)
	case muxUnsubscribe:
		h.m.Unsubscribe(op.Sub)
		return h.b.do(func() {
			h.calls = append(h.calls, goDo(h.subs[op.Sub].Unsubscribe))
		})
	case muxStop:
		h.m.Stop()
		return h.b.do(h.goStop)
	case muxStopTwice:
		// Two Stops at once: the model takes them one after the other.
		h.m.Stop()
		h.m.Stop()
		return h.b.do(func() {
			h.goStop()
			h.goStop()
		})
	}
	h.fail(r, "%v: no such operation", op)
	return nil
}

// subscribe subscribes to the types op.Types and compares the panic, if
// any, with the model's.
func (h *muxHarness) subscribe(r reporter, op muxOp) error {
	names := make([]string, len(op.Types))
	args := make([]any, len(op.Types))
	for i, ti := range op.Types {
		names[i], args[i] = muxTypeName(ti), muxTypes[ti]
	}
	_, want := h.m.Subscribe(names...)
	var got string
	err := h.b.do(func() {
		got = testkit.PanicText(testkit.Catch(func() { h.subs = append(h.subs, h.mux.Subscribe(args...)) }))
	})
	if err == nil && got != want {
		h.fail(r, "Subscribe%v panicked with %q, want %q", names, got, want)
	}
	return err
}

// receive takes one event from sub op.Sub's channel without blocking and
// checks the outcome is one the model allows and the event the one posted.
func (h *muxHarness) receive(r reporter, op muxOp) error {
	allowed := h.m.CanReceive(op.Sub)
	var got model.MuxRecv
	var data any
	err := h.b.do(func() {
		select {
		case ev, ok := <-h.subs[op.Sub].Chan():
			if !ok {
				got = model.RecvClosedCh
			} else {
				got, data = model.RecvEvent, ev.Data
			}
		default:
			got = model.RecvNothing
		}
	})
	if err == nil && got&allowed == 0 {
		h.fail(r, "Receive on sub %d got outcome %d (data %v), model allows %d", op.Sub, got, data, allowed)
	}
	if got == model.RecvEvent {
		p := h.m.Outstanding()
		if want := muxEvent(typeIndex(p.Type), p.ID); data != want {
			h.fail(r, "Receive on sub %d got %#v, want %#v", op.Sub, data, want)
		}
		h.m.Receive(op.Sub)
	}
	return err
}

func typeIndex(name string) int {
	for i := range muxTypes {
		if muxTypeName(i) == name {
			return i
		}
	}
	return -1
}

func (h *muxHarness) invariants() error { return model.MuxInvariants(h.m) }

// check compares Closed() of every subscription, which Posts returned and
// with what error, that every Unsubscribe/Stop returned, and that no Stop
// returned while a channel was open.
func (h *muxHarness) check(r reporter) {
	r.Helper()
	var closed, postDone, callDone, stopDone []bool
	var errs []error
	var openAtStop []int
	err := h.b.do(func() {
		for _, s := range h.subs {
			closed = append(closed, s.Closed())
		}
		postDone = returned(h.posts)
		for i, p := range h.posts {
			errs = append(errs, nil)
			if postDone[i] {
				errs[i] = p.err
			}
		}
		callDone = returned(h.calls)
		stopDone = returned(h.stops)
		for i, c := range h.stops {
			if stopDone[i] {
				openAtStop = append(openAtStop, c.n)
			}
		}
	})
	if err != nil {
		h.fail(r, "observe: %v", err)
	}
	for i, s := range h.m.Subs {
		if closed[i] != s.Closed {
			h.fail(r, "sub %d Closed() = %v, model %v", i, closed[i], s.Closed)
		}
	}
	for i, p := range h.m.Posts {
		if postDone[i] != p.Done {
			h.fail(r, "Post %d returned=%v, model %v (pending subs %v)", i, postDone[i], p.Done, p.Pending)
		}
		if p.Done && errors.Is(errs[i], event.ErrMuxClosed) != p.Err {
			h.fail(r, "Post %d returned %v, model ErrMuxClosed=%v", i, errs[i], p.Err)
		}
		if p.Done && !p.Err && errs[i] != nil {
			h.fail(r, "Post %d returned %v", i, errs[i])
		}
	}
	if i := slices.Index(callDone, false); i >= 0 {
		h.fail(r, "Unsubscribe call %d has not returned", i)
	}
	if i := slices.Index(stopDone, false); i >= 0 {
		h.fail(r, "Stop call %d has not returned", i)
	}
	for i, n := range openAtStop {
		if n != 0 {
			h.fail(r, "MuxStopClosesEverySubscription: Stop call %d returned with %d channels open, model %v", i, n, h.m.Open())
		}
	}
}

func (h *muxHarness) cleanup() error {
	h.mux.Stop()
	syncWait()
	return errors.Join(
		blocked(h.posts, "Post %d still blocked after Stop"),
		blocked(h.calls, "Unsubscribe call %d never returned"),
		blocked(h.stops, "Stop call %d never returned"))
}

// end runs cleanup in the bubble and ends it.
func (h *muxHarness) end() error { return h.b.close(h.cleanup) }
