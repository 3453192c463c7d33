package proptest

import (
	"fmt"
	"testing"
	"time"

	"github.com/eventspec/eventspec/model"
	"pgregory.net/rapid"
)

// TestResubscribeRapid is the rapid state machine over Resubscribe and
// ResubscribeErr: a scripted function that fails, fails late, succeeds, or
// blocks until cancelled; fake-time advances; inner subscriptions failing or
// ending; Unsubscribe (repeated).
func TestResubscribeRapid(t *testing.T) {
	st := newStats(t, rapidSeed())
	rapid.Check(t, func(rt *rapid.T) {
		st.addCase()
		if st.overBudget() {
			return
		}
		max := rapid.SampledFrom([]time.Duration{10 * time.Millisecond, time.Second}).Draw(rt, "max")
		step := rapid.Custom(func(rt *rapid.T) model.Step {
			b := model.Behavior(rapid.IntRange(int(model.Block), int(model.BlockThenSub)).Draw(rt, "behavior"))
			var d time.Duration
			if b == model.FailAfter {
				d = max * time.Duration(rapid.IntRange(0, 30).Draw(rt, "delay")) / 10
			}
			return model.Step{B: b, Delay: d}
		})
		c := resubCase{
			WithErr: rapid.Bool().Draw(rt, "withErr"),
			Max:     max,
			Script:  rapid.SliceOfN(step, 0, 8).Draw(rt, "script"),
		}
		h := newResubHarness(t, st, c)
		finished := false
		defer func() {
			if !finished {
				_ = h.b.close(h.cleanup)
			}
		}()
		do := func(rt *rapid.T, op resubOp) {
			if !h.applicable(op) {
				rt.Skip("not applicable")
			}
			h.apply(rt, op)
		}
		h.check(rt)
		rt.Repeat(map[string]func(*rapid.T){
			"Advance": func(rt *rapid.T) {
				do(rt, resubOp{Kind: "Advance", D: max * time.Duration(rapid.IntRange(1, 40).Draw(rt, "d")) / 20})
			},
			"InnerEnd": func(rt *rapid.T) { do(rt, resubOp{Kind: "InnerEnd", Err: rapid.IntRange(0, 3).Draw(rt, "err")}) },
			"Unsubscribe": func(rt *rapid.T) {
				if rapid.IntRange(0, 3).Draw(rt, "rare") != 0 {
					rt.Skip("rare")
				}
				do(rt, resubOp{Kind: "Unsubscribe"})
			},
			"": func(rt *rapid.T) { h.check(rt) },
		})
		finished = true
		h.finish(rt)
	})
}

// resubRegressions are Resubscribe cases replayed on every run.
var resubRegressions = []resubCase{
	{WithErr: true, Max: 100 * time.Millisecond, Script: []model.Step{
		{B: model.Fail}, {B: model.Fail}, {B: model.FailAfter, Delay: 150 * time.Millisecond}, {B: model.Succeed}, {B: model.BlockThenSub},
	}, Ops: []resubOp{
		{Kind: "Advance", D: 250 * time.Millisecond},
		{Kind: "InnerEnd", Err: 2},
		{Kind: "Unsubscribe"},
		{Kind: "Unsubscribe"},
	}},
	{Max: time.Second, Script: []model.Step{{B: model.Succeed}}, Ops: []resubOp{
		{Kind: "InnerEnd", Err: 0},
		{Kind: "Unsubscribe"},
	}},
}

func TestResubscribeRegressions(t *testing.T) {
	st := newStats(t, "fixed")
	for i, c := range resubRegressions {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			st.addCase()
			h := newResubHarness(t, st, c)
			finished := false
			defer func() {
				if !finished {
					_ = h.b.close(h.cleanup)
				}
			}()
			h.check(t)
			for _, op := range c.Ops {
				if !h.applicable(op) {
					t.Fatalf("op %v not applicable", op)
				}
				h.apply(t, op)
			}
			finished = true
			h.finish(t)
		})
	}
}
