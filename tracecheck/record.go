//go:build eventtrace

package tracecheck

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/eventspec/eventspec/event"
)

var (
	flagDir   = flag.String("tracecheck.dir", "", "write each trace module to `DIR`/ENGINE/ENGINE_sSEED.tla (default: a temporary directory, removed)")
	flagSeeds = flag.Int("tracecheck.seeds", 20, "run `N` seeds per engine")
	flagSeed0 = flag.Uint64("tracecheck.seed0", 1, "the first seed; seed S alone: -tracecheck.seed0=S -tracecheck.seeds=1")
)

// Recorder collects the trace events of one run. Events come from the
// event package's hooks and from the driver (event.TraceEmit,
// event.TraceDo).
type Recorder struct {
	mu     sync.Mutex
	events []event.TraceEvent
}

// Record makes a new Recorder the event package's trace sink until the test
// ends. One run at a time: the sink is global.
func Record(t testing.TB) *Recorder {
	r := &Recorder{}
	event.SetTraceSink(func(e event.TraceEvent) {
		r.mu.Lock()
		r.events = append(r.events, e)
		r.mu.Unlock()
	})
	t.Cleanup(func() { event.SetTraceSink(nil) })
	return r
}

// Len returns the number of events recorded so far.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// Events returns the recorded events in the order of their sequence
// numbers, with their parameters in TLA+ form: a time.Duration becomes
// whole milliseconds (an error if it is not), a pointer or a channel a
// small integer numbered per parameter name in order of first appearance. It is an error
// if the engine's hooks recorded steps of more than one object: a run
// drives one engine instance.
func (r *Recorder) Events() ([]Event, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var obj uintptr
	ids := map[string]map[uintptr]int{}
	out := make([]Event, 0, len(r.events))
	for i, e := range r.events {
		if i > 0 && e.Seq <= r.events[i-1].Seq {
			return nil, fmt.Errorf("event %d (%s): sequence number %d after %d", i+1, e.Action, e.Seq, r.events[i-1].Seq)
		}
		if e.Obj != 0 {
			if obj != 0 && e.Obj != obj {
				return nil, fmt.Errorf("event %d (%s): steps of two objects in one run", i+1, e.Action)
			}
			obj = e.Obj
		}
		if len(e.Args)%2 != 0 {
			return nil, fmt.Errorf("event %d (%s): arguments %v are not name, value pairs", i+1, e.Action, e.Args)
		}
		ev := Event{Seq: e.Seq, Action: e.Action}
		for j := 0; j < len(e.Args); j += 2 {
			name, ok := e.Args[j].(string)
			if !ok {
				return nil, fmt.Errorf("event %d (%s): parameter name %v is not a string", i+1, e.Action, e.Args[j])
			}
			v, err := tlaForm(e.Args[j+1], name, ids)
			if err != nil {
				return nil, fmt.Errorf("event %d (%s): %s: %v", i+1, e.Action, name, err)
			}
			ev.Fields = append(ev.Fields, Field{name, v})
		}
		out = append(out, ev)
	}
	return out, nil
}

func tlaForm(v any, name string, ids map[string]map[uintptr]int) (any, error) {
	switch x := v.(type) {
	case time.Duration:
		if x%time.Millisecond != 0 {
			return nil, fmt.Errorf("duration %v is not a whole number of milliseconds", x)
		}
		return int64(x / time.Millisecond), nil
	case nil:
		return nil, fmt.Errorf("nil value")
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Chan {
		m := ids[name]
		if m == nil {
			m = map[uintptr]int{}
			ids[name] = m
		}
		if _, ok := m[rv.Pointer()]; !ok {
			m[rv.Pointer()] = len(m) + 1
		}
		return m[rv.Pointer()], nil
	}
	return v, nil
}

// Run is one seeded run of an engine's scenario: what it wrote.
type Run struct {
	Seed     uint64
	Scenario string  // the scenario the seed chose, for the module header
	Params   []Field // the spec constants the trace needs
	Events   []Event
}

// forSeeds runs scenario for each seed of the flags, each in its own
// subtest. Scenario records with Record and hands its run to write, which
// writes the trace module to the trace directory as
// ENGINE/ENGINE_sSEED.tla at once: a run whose goroutines are left blocked
// (synctest then panics when its bubble ends) still leaves its trace. A
// scenario may call write again with a longer run (the file is
// rewritten), so that a run a panic ends still leaves the trace so far.
func forSeeds(t *testing.T, engine string, scenario func(t *testing.T, seed uint64, write func(*Run))) {
	dir := *flagDir
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, engine)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	events := 0
	for i := range *flagSeeds {
		seed := *flagSeed0 + uint64(i)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			written := 0
			scenario(t, seed, func(run *Run) {
				t.Helper()
				m := Module{
					Name: fmt.Sprintf("%s_s%d", engine, seed),
					Comments: []string{
						fmt.Sprintf("A trace of %s, seed %d: %s.", engine, seed, run.Scenario),
						fmt.Sprintf("go test -tags eventtrace -run '^TestTrace%s$' ./tracecheck -args -tracecheck.seed0=%d -tracecheck.seeds=1 -tracecheck.dir=DIR", engine, seed),
						"runs the same scenario again (the seed fixes the scenario; goroutines that race may interleave differently).",
						"spec/trace.sh has TLC replay it inside the spec (spec/README.md, Trace validation).",
					},
					Params: run.Params,
					Events: run.Events,
				}
				path, err := m.WriteFile(dir)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				events += len(run.Events) - written
				written = len(run.Events)
				t.Logf("seed %d: %d events: %s", seed, len(run.Events), path)
			})
		})
	}
	t.Logf("%s: %d runs, %d events, traces in %s", engine, *flagSeeds, events, dir)
}
