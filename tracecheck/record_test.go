//go:build eventtrace

package tracecheck

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eventspec/eventspec/event"
)

// TestRecorderEvents: the recorder keeps the events in the order of their
// sequence numbers and turns durations into milliseconds and pointers into
// small integers numbered per parameter name.
func TestRecorderEvents(t *testing.T) {
	rec := Record(t)
	a, b := new(int), new(int)
	event.TraceEmit("A", "e", a, "wait", 1500*time.Millisecond)
	event.TraceDo(func() (string, []any) { return "B", []any{"e", b, "f", a, "ok", true} })
	event.TraceDo(func() (string, []any) { return "", nil }) // records nothing
	event.TraceEmit("C", "e", a, "s", "x")
	got, err := rec.Events()
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{
		{Action: "A", Fields: []Field{{"e", 1}, {"wait", int64(1500)}}},
		{Action: "B", Fields: []Field{{"e", 2}, {"f", 1}, {"ok", true}}},
		{Action: "C", Fields: []Field{{"e", 1}, {"s", "x"}}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d events %+v, want %d", len(got), got, len(want))
	}
	for i := 1; i < len(got); i++ {
		if got[i].Seq != got[i-1].Seq+1 {
			t.Errorf("event %d: sequence number %d after %d", i+1, got[i].Seq, got[i-1].Seq)
		}
	}
	for i := range got {
		got[i].Seq = 0
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("event %d: %+v, want %+v", i+1, got[i], want[i])
		}
	}
}

// TestRecorderRejects: what a trace module could not say exactly is an
// error, not a silently changed value.
func TestRecorderRejects(t *testing.T) {
	for name, args := range map[string][]any{
		"odd arguments":     {"e"},
		"name not a string": {1, 2},
		"sub-millisecond":   {"took", 1500 * time.Microsecond},
		"nil value":         {"v", nil},
	} {
		t.Run(name, func(t *testing.T) {
			rec := Record(t)
			event.TraceEmit("A", args...)
			if _, err := rec.Events(); err == nil || !strings.Contains(err.Error(), "event 1 (A)") {
				t.Fatalf("Events() error %v, want one naming event 1 (A)", err)
			}
		})
	}
}
