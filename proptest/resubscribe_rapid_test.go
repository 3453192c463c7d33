package proptest

import (
	"testing"
	"time"

	"github.com/eventspec/eventspec/model"
	"pgregory.net/rapid"
)

// TestResubscribeRapid is the rapid state machine over Resubscribe and
// ResubscribeErr: a scripted function that fails, fails late, succeeds,
// fails with a subscription, or blocks until cancelled (then fails, or
// returns a subscription with or without an error); Unsubscribe right after
// Resubscribe, in the same step; fake-time advances; inner subscriptions
// failing or ending; Unsubscribe (repeated).
func TestResubscribeRapid(t *testing.T) {
	runMachine(t, func(rt *rapid.T, st *stats) *resubHarness {
		max := rapid.SampledFrom([]time.Duration{10 * time.Millisecond, time.Second}).Draw(rt, "max")
		step := rapid.Custom(func(rt *rapid.T) model.Step {
			b := model.Behavior(rapid.IntRange(int(model.Block), int(model.LastBehavior)).Draw(rt, "behavior"))
			var d time.Duration
			if b == model.FailAfter {
				d = max * time.Duration(rapid.IntRange(0, 30).Draw(rt, "delay")) / 10
			}
			return model.Step{B: b, Delay: d}
		})
		c := resubCase{
			WithErr:     rapid.Bool().Draw(rt, "withErr"),
			UnsubAtOnce: rapid.IntRange(0, 4).Draw(rt, "unsubAtOnce") == 0,
			Max:         max,
			Script:      rapid.SliceOfN(step, 0, 8).Draw(rt, "script"),
		}
		return newResubHarness(t, st, c)
	}, func(h *resubHarness, do func(*rapid.T, resubOp)) map[resubKind]func(*rapid.T) {
		max := h.c.Max
		return map[resubKind]func(*rapid.T){
			resubAdvance: func(rt *rapid.T) {
				do(rt, resubOp{Kind: resubAdvance, D: max * time.Duration(rapid.IntRange(1, 40).Draw(rt, "d")) / 20})
			},
			resubInnerFail: func(rt *rapid.T) { do(rt, resubOp{Kind: resubInnerFail, Err: rapid.IntRange(1, 3).Draw(rt, "err")}) },
			resubInnerEnd:  func(rt *rapid.T) { do(rt, resubOp{Kind: resubInnerEnd}) },
			resubUnsubscribe: func(rt *rapid.T) {
				if rapid.IntRange(0, 3).Draw(rt, "rare") != 0 {
					rt.Skip("rare")
				}
				do(rt, resubOp{Kind: resubUnsubscribe})
			},
		}
	})
}

// resubRegressions are Resubscribe cases replayed on every run.
var resubRegressions = []resubCase{
	{WithErr: true, Max: 100 * time.Millisecond, Script: []model.Step{
		{B: model.Fail}, {B: model.Fail}, {B: model.FailAfter, Delay: 150 * time.Millisecond}, {B: model.Succeed}, {B: model.BlockThenSub},
	}, Ops: []resubOp{
		{Kind: resubAdvance, D: 250 * time.Millisecond},
		{Kind: resubInnerFail, Err: 2},
		{Kind: resubUnsubscribe},
		{Kind: resubUnsubscribe},
	}},
	{Max: time.Second, Script: []model.Step{{B: model.Succeed}}, Ops: []resubOp{
		{Kind: resubInnerEnd},
		{Kind: resubUnsubscribe},
	}},
	// The failed inner subscription must be unsubscribed before fn is
	// called again (AtMostOneInner counts it live until then).
	{Max: time.Second, Script: []model.Step{{B: model.Succeed}, {B: model.Succeed}}, Ops: []resubOp{
		{Kind: resubInnerFail, Err: 1},
		{Kind: resubInnerFail, Err: 2},
		{Kind: resubUnsubscribe},
	}},
	// Issue 11, defect 1: Unsubscribe before the loop started still calls
	// fn once (AtLeastOneCall), with its context done; fn blocks until it
	// is, and Unsubscribe waits for it.
	{UnsubAtOnce: true, Max: time.Second, Script: []model.Step{{B: model.Block}}},
	{WithErr: true, UnsubAtOnce: true, Max: time.Second, Script: []model.Step{{B: model.BlockThenSub}}},
	// Issue 11, defect 2: a subscription returned with an error is
	// unsubscribed before the backoff, and after Unsubscribe began.
	{Max: 100 * time.Millisecond, Script: []model.Step{{B: model.FailWithSub}, {B: model.Succeed}, {B: model.BlockThenFailWithSub}}, Ops: []resubOp{
		{Kind: resubAdvance, D: 20 * time.Millisecond},
		{Kind: resubInnerFail, Err: 1},
		{Kind: resubUnsubscribe},
	}},
}

func TestResubscribeRegressions(t *testing.T) {
	runRegressions(t, resubRegressions, func(t *testing.T, st *stats, c resubCase) (*resubHarness, []resubOp) {
		return newResubHarness(t, st, c), c.Ops
	})
}
