//go:build eventtrace

package event

import (
	"reflect"
	"sync"
)

// tracing is true under the build tag eventtrace: the hooks record every
// step of the NewSubscription and Resubscribe engines as the action of
// spec/NewSubscription.tla or spec/Resubscribe.tla that it is (see
// tracecheck/ and spec/README.md, "Trace validation").
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
	// subscription of NewSubscription or Resubscribe); 0 for events of the
	// test driver.
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
