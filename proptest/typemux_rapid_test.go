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
		func(h *muxHarness, do func(*rapid.T, muxOp)) map[muxKind]func(*rapid.T) {
			pickSub := func(rt *rapid.T) int {
				if len(h.m.Subs) == 0 {
					rt.Skip("no subscription")
				}
				return rapid.IntRange(0, len(h.m.Subs)-1).Draw(rt, "sub")
			}
			typ := rapid.IntRange(0, len(muxTypes)-1)
			return map[muxKind]func(*rapid.T){
				muxSubscribe: func(rt *rapid.T) {
					do(rt, muxOp{Kind: muxSubscribe, Types: rapid.SliceOfN(typ, 0, 3).Draw(rt, "types")})
				},
				muxPost:    func(rt *rapid.T) { do(rt, muxOp{Kind: muxPost, Type: typ.Draw(rt, "type")}) },
				muxReceive: func(rt *rapid.T) { do(rt, muxOp{Kind: muxReceive, Sub: pickSub(rt)}) },
				muxUnsubscribe: func(rt *rapid.T) {
					do(rt, muxOp{Kind: muxUnsubscribe, Sub: pickSub(rt)})
				},
				muxStop: func(rt *rapid.T) {
					if rapid.IntRange(0, 4).Draw(rt, "rare") != 0 {
						rt.Skip("rare")
					}
					do(rt, muxOp{Kind: muxStop})
				},
				muxStopTwice: func(rt *rapid.T) {
					if rapid.IntRange(0, 4).Draw(rt, "rare") != 0 {
						rt.Skip("rare")
					}
					do(rt, muxOp{Kind: muxStopTwice})
				},
			}
		}, muxReceive)
}

// muxRegressions are TypeMux cases replayed on every run.
var muxRegressions = [][]muxOp{
	{ // a subscription created while a Post is blocked does not get that event
		{Kind: muxSubscribe, Types: []int{0}},
		{Kind: muxPost, Type: 0},
		{Kind: muxSubscribe, Types: []int{0, 1}},
		{Kind: muxReceive, Sub: 1},
		{Kind: muxReceive, Sub: 0},
		{Kind: muxReceive, Sub: 1},
		{Kind: muxSubscribe, Types: []int{1, 1}},
		{Kind: muxPost, Type: 1},
		{Kind: muxUnsubscribe, Sub: 1},
		{Kind: muxStop},
		{Kind: muxPost, Type: 0},
		{Kind: muxSubscribe, Types: []int{2}},
		{Kind: muxReceive, Sub: 2},
	},
	{ // Stop closes a subscription made with no types
		{Kind: muxSubscribe, Types: []int{}},
		{Kind: muxSubscribe, Types: []int{0}},
		{Kind: muxStop},
		{Kind: muxReceive, Sub: 0},
		{Kind: muxUnsubscribe, Sub: 0},
	},
	{ // two Stops at once, one delivery blocked: each returns with every channel closed
		{Kind: muxSubscribe, Types: []int{0}},
		{Kind: muxSubscribe, Types: []int{}},
		{Kind: muxSubscribe, Types: []int{0, 1}},
		{Kind: muxSubscribe, Types: []int{0}},
		{Kind: muxPost, Type: 0},
		{Kind: muxStopTwice},
		{Kind: muxPost, Type: 0},
		{Kind: muxStopTwice},
	},
}

func TestTypeMuxRegressions(t *testing.T) {
	runRegressions(t, muxRegressions, func(t *testing.T, st *stats, ops []muxOp) (*muxHarness, []muxOp) {
		return newMuxHarness(t, st), ops
	})
}
