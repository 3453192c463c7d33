//go:build eventtrace

package event

import (
	"context"
	"reflect"
	"sync"
)

// tracing is true under the build tag eventtrace: the hooks record every
// step of the NewSubscription, Resubscribe and Feed engines as the action of
// spec/NewSubscription.tla, spec/Resubscribe.tla or spec/FeedImpl.tla that
// it is (see tracecheck/ and spec/README.md, "Trace validation").
const tracing = true

// TraceEvent is one step of an execution: an action of the specification
// taken by the code (recorded by a hook at the point where the code makes
// the step atomic), a step of the code's environment, or an observation,
// both recorded by the test driver. It exists only under the build tag
// eventtrace.
type TraceEvent struct {
	// Seq numbers the events of the process from 1, in the order in which
	// their steps took effect: every event is recorded under one lock,
	// together with the operation it stands for.
	Seq uint64
	// Obj is the address of the object whose step this is (the
	// subscription of NewSubscription or Resubscribe, the feed's core); 0
	// for events of the test driver.
	Obj uintptr
	// Action names the specification action or the observation.
	Action string
	// Args are the action's parameters, as name, value pairs.
	Args []any
}

var trace struct {
	mu   sync.Mutex // orders every event; held across the step it records
	seq  uint64
	sink func(TraceEvent)
}

// SetTraceSink makes sink receive every trace event from now on, or none if
// sink is nil. Sink is called with the trace lock held, in the order of the
// events' sequence numbers; it must not block or use this package.
func SetTraceSink(sink func(TraceEvent)) {
	trace.mu.Lock()
	trace.sink = sink
	trace.mu.Unlock()
}

// TraceDo runs observe and records the event it returns as one atomic step
// with it: both happen under the lock that every hook holds across the
// operation it records, so what observe sees is the state after exactly the
// events recorded before it. An empty action records nothing. Observe must
// not block or use this package.
func TraceDo(observe func() (action string, args []any)) {
	trace.mu.Lock()
	defer trace.mu.Unlock()
	action, args := observe()
	if action != "" {
		traceLocked(0, action, args)
	}
}

// TraceEmit records a step of the test driver (the engine's environment:
// a producer or fn returning, an inner subscription failing).
func TraceEmit(action string, args ...any) {
	trace.mu.Lock()
	defer trace.mu.Unlock()
	traceLocked(0, action, args)
}

// traceBegin takes the trace lock before an operation that traceEnd then
// records: the event's place in the trace is the operation's.
func traceBegin() { trace.mu.Lock() }

// traceEnd records the step of obj begun by traceBegin and releases the
// trace lock.
func traceEnd(obj any, action string, args ...any) {
	defer trace.mu.Unlock()
	traceLocked(traceObj(obj), action, args)
}

// traceStep records a step of obj under the trace lock alone, for a step
// whose effect no other recorded event can see between the step and this
// record: a receive just completed (what it received was recorded when it
// was sent or closed), or a close that follows at once and that only a
// receive waits for (funcSub's done).
func traceStep(obj any, action string, args ...any) {
	trace.mu.Lock()
	defer trace.mu.Unlock()
	traceLocked(traceObj(obj), action, args)
}

func traceLocked(obj uintptr, action string, args []any) {
	trace.seq++
	if trace.sink != nil {
		trace.sink(TraceEvent{Seq: trace.seq, Obj: obj, Action: action, Args: args})
	}
}

func traceObj(obj any) uintptr {
	if v := reflect.ValueOf(obj); v.Kind() == reflect.Pointer {
		return v.Pointer()
	}
	return 0
}

// The Feed engine (send.go, core.go). A Send has no object of
// its own, so its hooks name it by a token: its ctx when that is a pointer
// (which the test driver can name too, when it cancels the ctx or reports
// what the call returned; not its Done channel, which every ctx cancelled
// before Done was first called shares), else a fresh pointer (Send). feedTrace, guarded by trace.mu, remembers per feed core the Send
// that holds mu on arrival (holder) and the Send that owns the round
// (owner), and per turn channel the Send queued on it.
var feedTrace = struct {
	holder, owner map[any]any
	turns         map[chan struct{}]any
	fastEnded     map[any]bool // the owner's fast pass has ended: an attempt is a retry
}{map[any]any{}, map[any]any{}, map[chan struct{}]any{}, map[any]bool{}}

// traceSendID is the token of a Send whose ctx is never done.
type traceSendID struct{ _ byte }

// TraceSender returns the token by which the trace names a SendContext
// call with ctx (ctx must be the call's own, from context.WithCancel or
// another constructor that returns a pointer): the test driver uses it to
// record ctx's cancel (CtxDone) and what the call returned.
func TraceSender(ctx context.Context) any { return traceSendToken(ctx) }

func traceSendToken(ctx context.Context) any {
	if reflect.ValueOf(ctx).Kind() == reflect.Pointer {
		return ctx
	}
	return &traceSendID{}
}

// traceArrive records a Send that holds mu on arrival: if the feed is not
// busy its round begins (FastBegin); else it goes on to wait.
func traceArrive(c any, busy bool, ctx context.Context) {
	trace.mu.Lock()
	defer trace.mu.Unlock()
	tok := traceSendToken(ctx)
	feedTrace.holder[c] = tok
	if !busy {
		feedTrace.owner[c], feedTrace.fastEnded[c] = tok, false
		traceLocked(traceObj(c), "FastBegin", []any{"sender", tok})
	}
}

// traceHolderEnd records a step of the Send that holds mu on arrival (it
// found the feed busy) and releases the trace lock taken by traceBegin.
func traceHolderEnd(c any, action string) {
	defer trace.mu.Unlock()
	traceLocked(traceObj(c), action, []any{"sender", feedTrace.holder[c]})
}

// traceEnqueue records that the Send holding mu joined the queue with turn
// (Enqueue) and releases the trace lock taken by traceBegin.
func traceEnqueue(c any, turn chan struct{}) {
	defer trace.mu.Unlock()
	tok := feedTrace.holder[c]
	feedTrace.turns[turn] = tok
	traceLocked(traceObj(c), "Enqueue", []any{"sender", tok})
}

// traceTurn records the step of the Send queued on turn, with mu held
// again after its wait: HandedBegin (its round begins), LeaveQueue or
// PassTurn.
func traceTurn(c any, turn chan struct{}, action string) {
	trace.mu.Lock()
	defer trace.mu.Unlock()
	tok := feedTrace.turns[turn]
	delete(feedTrace.turns, turn)
	if action == "HandedBegin" {
		feedTrace.owner[c], feedTrace.fastEnded[c] = tok, false
	}
	traceLocked(traceObj(c), action, []any{"sender", tok})
}

// traceOwnerEnd records a step of the Send that owns the round, with
// args after its token, and releases the trace lock taken by traceBegin.
func traceOwnerEnd(c any, action string, args ...any) {
	defer trace.mu.Unlock()
	if action == "FastEnd" {
		feedTrace.fastEnded[c] = true
	}
	traceLocked(traceObj(c), action, append([]any{"sender", feedTrace.owner[c]}, args...))
}

// traceOwnerStep records a step of the Send that owns the round under the
// trace lock alone: a step under mu that involves no channel, or one just
// completed whose effect no other recorded event can see before this
// record.
func traceOwnerStep(c any, action string, args ...any) {
	trace.mu.Lock()
	traceOwnerEnd(c, action, args...)
}

// traceSubscribe records Subscribe of entry on channel ch (a channel, or a
// reflect.Value holding one), with the channel's capacity.
func traceSubscribe(c, entry, ch any) {
	if v, ok := ch.(reflect.Value); ok {
		ch = v.Interface()
	}
	traceStep(c, "Subscribe", "entry", entry, "ch", ch, "cap", reflect.ValueOf(ch).Cap())
}

// traceOffer records a non-blocking offer of the value to entry, made with
// the trace lock held since traceBegin, with its outcome r ("sent",
// "pending", or "panic" for a closed channel): an entry of the fast pass
// after one that panicked (FastStep), or of a retry round (RetryStep).
func traceOffer(c, entry any, r string) {
	action := "FastStep"
	if feedTrace.fastEnded[c] {
		action = "RetryStep"
	}
	traceOwnerEnd(c, action, "entry", entry, "r", r)
}

// traceDeliver records the outcome of a deliverer's blocking select, just
// after it returned: DeliverSend, DeliverPanic, or DeliverGaveUp (err or
// done was closed; the spec's DeliverDone decides the cut as the code does,
// by whether the entry is still subscribed).
func traceDeliver(c, entry any, delivered, panicked bool) {
	action := "DeliverGaveUp"
	switch {
	case delivered:
		action = "DeliverSend"
	case panicked:
		action = "DeliverPanic"
	}
	traceOwnerStep(c, action, "entry", entry)
}
