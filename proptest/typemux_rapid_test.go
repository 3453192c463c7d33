package proptest

import (
	"testing"

	"pgregory.net/rapid"
)

// TestTypeMuxRapid is the rapid state machine over TypeMux: Subscribe
// (including duplicate types and no types), Post, receives, Unsubscribe,
// Stop, two Stops at once, and Post after Stop, compared with the model
// after every step.
func TestTypeMuxRapid(t *testing.T) {
	runMachine(t, func(_ *rapid.T, st *stats) *muxHarness { return newMuxHarness(t, st) },
		func(h *muxHarness, do func(*rapid.T, muxOp)) map[string]func(*rapid.T) {
			pickSub := func(rt *rapid.T) int {
				if len(h.m.Subs) == 0 {
					rt.Skip("no subscription")
				}
				return rapid.IntRange(0, len(h.m.Subs)-1).Draw(rt, "sub")
			}
			typ := rapid.IntRange(0, len(muxTypes)-1)
			return map[string]func(*rapid.T){
				"Subscribe": func(rt *rapid.T) {
					do(rt, muxOp{Kind: "Subscribe", Types: rapid.SliceOfN(typ, 0, 3).Draw(rt, "types")})
				},
				"Post":     func(rt *rapid.T) { do(rt, muxOp{Kind: "Post", Type: typ.Draw(rt, "type")}) },
				"Receive":  func(rt *rapid.T) { do(rt, muxOp{Kind: "Receive", Sub: pickSub(rt)}) },
				"Receive2": func(rt *rapid.T) { do(rt, muxOp{Kind: "Receive", Sub: pickSub(rt)}) },
				"Unsubscribe": func(rt *rapid.T) {
					do(rt, muxOp{Kind: "Unsubscribe", Sub: pickSub(rt)})
				},
				"Stop": func(rt *rapid.T) {
					if rapid.IntRange(0, 4).Draw(rt, "rare") != 0 {
						rt.Skip("rare")
					}
					do(rt, muxOp{Kind: "Stop"})
				},
				"StopTwice": func(rt *rapid.T) {
					if rapid.IntRange(0, 4).Draw(rt, "rare") != 0 {
						rt.Skip("rare")
					}
					do(rt, muxOp{Kind: "StopTwice"})
				},
			}
		})
}

// muxRegressions are TypeMux cases replayed on every run.
var muxRegressions = [][]muxOp{
	{ // a subscription created while a Post is blocked does not get that event
		{Kind: "Subscribe", Types: []int{0}},
		{Kind: "Post", Type: 0},
		{Kind: "Subscribe", Types: []int{0, 1}},
		{Kind: "Receive", Sub: 1},
		{Kind: "Receive", Sub: 0},
		{Kind: "Receive", Sub: 1},
		{Kind: "Subscribe", Types: []int{1, 1}},
		{Kind: "Post", Type: 1},
		{Kind: "Unsubscribe", Sub: 1},
		{Kind: "Stop"},
		{Kind: "Post", Type: 0},
		{Kind: "Subscribe", Types: []int{2}},
		{Kind: "Receive", Sub: 2},
	},
	{ // Stop closes a subscription made with no types
		{Kind: "Subscribe", Types: []int{}},
		{Kind: "Subscribe", Types: []int{0}},
		{Kind: "Stop"},
		{Kind: "Receive", Sub: 0},
		{Kind: "Unsubscribe", Sub: 0},
	},
	{ // two Stops at once, one delivery blocked: each returns with every channel closed
		{Kind: "Subscribe", Types: []int{0}},
		{Kind: "Subscribe", Types: []int{}},
		{Kind: "Subscribe", Types: []int{0, 1}},
		{Kind: "Subscribe", Types: []int{0}},
		{Kind: "Post", Type: 0},
		{Kind: "StopTwice"},
		{Kind: "Post", Type: 0},
		{Kind: "StopTwice"},
	},
}

func TestTypeMuxRegressions(t *testing.T) {
	runRegressions(t, muxRegressions, func(t *testing.T, st *stats, ops []muxOp) (*muxHarness, []muxOp) {
		return newMuxHarness(t, st), ops
	})
}
