package tracecheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModuleText pins the form of a trace module: every TLC version must
// read it, so it uses nothing beyond records, sequences, strings, booleans
// and naturals.
func TestModuleText(t *testing.T) {
	m := Module{
		Name:     "NewSubscription_s7",
		Comments: []string{"seed 7"},
		Params:   []Field{{"callers", 2}},
		Events: []Event{
			{Seq: 3, Action: "Unsub1"},
			{Seq: 4, Action: "ProducerReturn", Fields: []Field{{"r", "err"}}},
			{Seq: 9, Action: "ObsQuit", Fields: []Field{{"closed", true}, {"ids", []any{1, "a\"b\\"}}}},
		},
	}
	got, err := m.Text()
	if err != nil {
		t.Fatal(err)
	}
	want := `------------------------ MODULE NewSubscription_s7 ------------------------
\* seed 7
EXTENDS Naturals

Params == [callers |-> 2]

Trace == <<
    [seq |-> 3, act |-> "Unsub1"], \* 1
    [seq |-> 4, act |-> "ProducerReturn", r |-> "err"], \* 2
    [seq |-> 9, act |-> "ObsQuit", closed |-> TRUE, ids |-> <<1, "a\"b\\">>] \* 3
>>
=============================================================================
`
	if got != want {
		t.Fatalf("module text:\n%s\nwant:\n%s", got, want)
	}
	dir := t.TempDir()
	path, err := m.WriteFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != want || filepath.Base(path) != "NewSubscription_s7.tla" {
		t.Fatalf("WriteFile wrote %s (%v):\n%s", path, err, b)
	}
}

// TestModuleRejects: values TLC could not read the same way are errors,
// never silently changed.
func TestModuleRejects(t *testing.T) {
	ev := []Event{{Action: "A"}}
	for name, m := range map[string]Module{
		"module name":     {Name: "1bad"},
		"no events":       {Name: "M"},
		"field name":      {Name: "M", Events: ev, Params: []Field{{"Bad", 1}}},
		"duplicate field": {Name: "M", Events: []Event{{Action: "A", Fields: []Field{{"act", "x"}}}}},
		"too large":       {Name: "M", Events: ev, Params: []Field{{"n", int64(1) << 31}}},
		"negative":        {Name: "M", Events: ev, Params: []Field{{"n", -1}}},
		"control char":    {Name: "M", Events: ev, Params: []Field{{"s", "a\nb"}}},
		"float":           {Name: "M", Events: ev, Params: []Field{{"f", 1.5}}},
		"multi-line":      {Name: "M", Events: ev, Comments: []string{"a\nb"}},
	} {
		if text, err := m.Text(); err == nil {
			t.Errorf("%s: no error; text:\n%s", name, text)
		} else if strings.TrimSpace(err.Error()) == "" {
			t.Errorf("%s: empty error", name)
		}
	}
}
