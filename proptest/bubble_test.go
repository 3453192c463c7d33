package proptest

import (
	"fmt"
	"runtime/debug"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"pgregory.net/rapid"

	"github.com/eventspec/eventspec/internal/testkit"
)

// bubble runs closures, one at a time, inside a testing/synctest bubble,
// and after each closure waits (synctest.Wait) until every goroutine the
// real package started is blocked or finished: the settled state the model
// describes. The driver goroutine never touches the bubble's channels.
type bubble struct {
	cmds  chan func()
	acks  chan string // "" or a panic description
	done  chan struct{}
	park  chan struct{} // never closed: a stuck bubble waits here
	stuck bool
}

func newBubble(t *testing.T) *bubble {
	b := &bubble{cmds: make(chan func()), acks: make(chan string), done: make(chan struct{}), park: make(chan struct{})}
	go func() {
		defer close(b.done)
		synctest.Test(t, func(*testing.T) {
			for f := range b.cmds {
				b.acks <- runSettled(f)
			}
		})
	}()
	return b
}

func runSettled(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("unexpected panic: %v\n%s", r, debug.Stack())
		}
	}()
	f()
	synctest.Wait()
	return ""
}

// do runs f in the bubble and returns once the bubble has settled; it
// returns an error if f panicked or the bubble did not settle within the
// failure bound.
func (b *bubble) do(f func()) error {
	if b.stuck {
		return fmt.Errorf("bubble is stuck")
	}
	select {
	case b.cmds <- f:
	case <-time.After(testkit.FailureBound):
		b.stuck = true
		return fmt.Errorf("bubble did not accept an operation within %v", testkit.FailureBound)
	}
	select {
	case msg := <-b.acks:
		if msg != "" {
			return fmt.Errorf("%s", msg)
		}
		return nil
	case <-time.After(testkit.FailureBound):
		b.stuck = true
		return fmt.Errorf("operation did not settle within %v", testkit.FailureBound)
	}
}

// close runs cleanup in the bubble (which must leave no goroutine of the
// test or the package blocked) and ends the bubble. If cleanup reports
// that goroutines are left blocked, the bubble is parked instead of ended
// (ending it would abort the test binary), and close returns an error.
func (b *bubble) close(cleanup func() error) error {
	if b.stuck {
		return fmt.Errorf("bubble is stuck")
	}
	var cerr error
	if err := b.do(func() { cerr = cleanup() }); err != nil {
		return err
	}
	if cerr != nil {
		b.stuck = true
		go func() { b.cmds <- func() { <-b.park } }()
		return cerr
	}
	close(b.cmds)
	select {
	case <-b.done:
		return nil
	case <-time.After(testkit.FailureBound):
		return fmt.Errorf("bubble did not end within %v", testkit.FailureBound)
	}
}

// syncWait waits, inside the bubble, for every other goroutine to block.
func syncWait() { synctest.Wait() }

// machine is a harness that drives one real object (in its bubble) and its
// model, one operation of type Op at a time.
type machine[Op any] interface {
	// applicable reports whether op may run in the current model state.
	applicable(op Op) bool
	// record adds op to the operations a failure prints and counts it.
	record(op Op)
	// step runs op on the real object and on the model and compares what
	// it returns; an error says the real object did not settle.
	step(r reporter, op Op) error
	// invariants checks the model's invariants.
	invariants() error
	// check compares the whole settled real state with the model.
	check(r reporter)
	// fail fails r, printing the operations so far as a replay literal.
	fail(r reporter, format string, args ...any)
	// end runs the harness cleanup in the bubble and ends the bubble; it
	// returns an error if the real package left anything blocked.
	end() error
}

// driver is what every harness keeps besides its model and its real
// object: the bubble, the test's stats, and the operations applied so far,
// which a failure prints, through replay, as the literal that replays the
// case when pasted into the regressions table named table.
type driver[Op any] struct {
	b      *bubble
	st     *stats
	ops    []Op
	table  string
	replay func(ops []Op) any
}

func newDriver[Op any](t *testing.T, st *stats, table string, replay func(ops []Op) any) driver[Op] {
	return driver[Op]{b: newBubble(t), st: st, table: table, replay: replay}
}

// opsReplay is the replay of a table of operation lists of type []typ.
func opsReplay[Op fmt.Stringer](typ string) func(ops []Op) any {
	return func(ops []Op) any { return opsLiteral("[]"+typ, ops) }
}

// record adds op to the operations a failure prints and counts it.
func (d *driver[Op]) record(op Op) {
	d.ops = append(d.ops, op)
	d.st.addOp()
}

// fail fails r, printing the operations so far as a replay literal.
func (d *driver[Op]) fail(r reporter, format string, args ...any) {
	r.Helper()
	failReplay(r, d.table, d.replay(d.ops), format, args...)
}

// apply records op and runs it on h, then checks the settled state.
func apply[Op any](r reporter, h machine[Op], op Op) {
	r.Helper()
	h.record(op)
	if err := h.step(r, op); err != nil {
		h.fail(r, "%v: %v", op, err)
	}
	settled(r, h)
}

// settled checks the model's invariants, then compares the settled real
// state with the model.
func settled[Op any](r reporter, h machine[Op]) {
	r.Helper()
	if err := h.invariants(); err != nil {
		h.fail(r, "model invariant: %v", err)
	}
	h.check(r)
}

// finish ends the case of h, failing if the real package left anything
// blocked.
func finish[Op any](r reporter, h machine[Op]) {
	r.Helper()
	if err := h.end(); err != nil {
		h.fail(r, "cleanup: %v", err)
	}
}

// runMachine is the rapid state machine over one harness type. Every case
// is counted; once the time budget is used up a case runs no operations.
// Otherwise newH builds the case's harness, rapid repeats the actions that
// actions returns, one per operation kind and named after it (the kinds in
// twice are offered twice as often), checking the settled state before the
// first and after every action, and the case is finished. A case fails at
// once if some kind has no action. The do handed to actions skips an op the
// model finds not applicable and applies it otherwise. A failing case still
// ends its bubble.
func runMachine[H machine[Op], Op any, K enum[K]](t *testing.T, newH func(rt *rapid.T, st *stats) H,
	actions func(h H, do func(*rapid.T, Op)) map[K]func(*rapid.T), twice ...K) {
	t.Helper()
	st := newStats(t, rapidSeed())
	rapid.Check(t, func(rt *rapid.T) {
		st.addCase()
		if st.overBudget() {
			return
		}
		h := newH(rt, st)
		finished := false
		defer func() {
			if !finished {
				_ = h.end()
			}
		}()
		do := func(rt *rapid.T, op Op) {
			if !h.applicable(op) {
				rt.Skip("not applicable")
			}
			apply[Op](rt, h, op)
		}
		byKind := actions(h, do)
		acts := map[string]func(*rapid.T){"": func(rt *rapid.T) { settled[Op](rt, h) }}
		for _, k := range all[K]() {
			if byKind[k] == nil {
				rt.Fatalf("no rapid action generates %v", k)
			}
			acts[k.String()] = byKind[k]
		}
		for _, k := range twice {
			acts[k.String()+"2"] = byKind[k]
		}
		rt.Repeat(acts)
		finished = true
		finish[Op](rt, h)
	})
}

// runRegressions replays fixed cases, one subtest each: newH builds the
// harness of a case and returns the ops to apply, each of which must be
// applicable. The settled state is checked before the first op and after
// every op; a failing case still ends its bubble.
func runRegressions[C any, H machine[Op], Op any](t *testing.T, cases []C, newH func(t *testing.T, st *stats, c C) (H, []Op)) {
	t.Helper()
	st := newStats(t, "fixed")
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			st.addCase()
			h, ops := newH(t, st, c)
			finished := false
			defer func() {
				if !finished {
					_ = h.end()
				}
			}()
			settled[Op](t, h)
			for j, op := range ops {
				if !h.applicable(op) {
					t.Fatalf("op %d %v not applicable in %v", j, op, c)
				}
				apply[Op](t, h, op)
			}
			finished = true
			finish[Op](t, h)
		})
	}
}

// opsLiteral prints ops as a Go composite literal of type typ, one op a
// line, to be pasted into a regressions table.
func opsLiteral[Op fmt.Stringer](typ string, ops []Op) string {
	var b strings.Builder
	b.WriteString(typ + "{\n")
	for _, o := range ops {
		fmt.Fprintf(&b, "\t%v,\n", o)
	}
	b.WriteString("}")
	return b.String()
}

// failReplay fails r with the formatted message followed by replay, the
// literal that reproduces the case when pasted into the named table.
func failReplay(r reporter, table string, replay any, format string, args ...any) {
	r.Helper()
	r.Fatalf("%s\nreplay (paste into %s):\n%v", fmt.Sprintf(format, args...), table, replay)
}
