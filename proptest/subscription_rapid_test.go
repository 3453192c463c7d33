package proptest

import (
	"testing"

	"pgregory.net/rapid"
)

// TestSubscriptionRapid is the rapid state machine over NewSubscription
// (producers returning an error or nil, alone or racing Unsubscribe) and
// JoinSubscriptions.
func TestSubscriptionRapid(t *testing.T) {
	runMachine(t, func(_ *rapid.T, st *stats) *subHarness { return newSubHarness(t, st) },
		func(h *subHarness, do func(*rapid.T, subOp)) map[subKind]func(*rapid.T) {
			errGen := rapid.IntRange(0, 3) // 0 is a nil error
			pick := func(rt *rapid.T, n int) int {
				if n == 0 {
					rt.Skip("none")
				}
				return rapid.IntRange(0, n-1).Draw(rt, "sub")
			}
			joined := func() int {
				if h.j == nil {
					return 0
				}
				return len(h.j.Inners)
			}
			return map[subKind]func(*rapid.T){
				subNew: func(rt *rapid.T) { do(rt, subOp{Kind: subNew, Err: errGen.Draw(rt, "quitErr")}) },
				subReturn: func(rt *rapid.T) {
					do(rt, subOp{Kind: subReturn, Sub: pick(rt, len(h.m)), Err: errGen.Draw(rt, "err")})
				},
				subGoexit:      func(rt *rapid.T) { do(rt, subOp{Kind: subGoexit, Sub: pick(rt, len(h.m))}) },
				subUnsubscribe: func(rt *rapid.T) { do(rt, subOp{Kind: subUnsubscribe, Sub: pick(rt, len(h.m))}) },
				subRace:        func(rt *rapid.T) { do(rt, subOp{Kind: subRace, Sub: pick(rt, len(h.m)), Err: errGen.Draw(rt, "err")}) },
				subReadErr:     func(rt *rapid.T) { do(rt, subOp{Kind: subReadErr, Sub: pick(rt, len(h.m))}) },
				subJoin:        func(rt *rapid.T) { do(rt, subOp{Kind: subJoin, Sub: rapid.IntRange(1, 3).Draw(rt, "n")}) },
				subJoinReturn: func(rt *rapid.T) {
					do(rt, subOp{Kind: subJoinReturn, Sub: pick(rt, joined()), Err: errGen.Draw(rt, "err")})
				},
				subJoinUnsubscribe: func(rt *rapid.T) { do(rt, subOp{Kind: subJoinUnsubscribe}) },
				subJoinReadErr:     func(rt *rapid.T) { do(rt, subOp{Kind: subJoinReadErr}) },
			}
		})
}

// subRegressions are NewSubscription/JoinSubscriptions cases replayed on
// every run.
var subRegressions = [][]subOp{
	{
		{Kind: subNew, Err: 2},
		{Kind: subReturn, Sub: 0, Err: 1},
		{Kind: subReadErr, Sub: 0},
		{Kind: subReadErr, Sub: 0},
		{Kind: subUnsubscribe, Sub: 0},
		{Kind: subNew, Err: 2},
		{Kind: subUnsubscribe, Sub: 1},
		{Kind: subUnsubscribe, Sub: 1},
		{Kind: subReadErr, Sub: 1},
		{Kind: subNew, Err: 0},
		{Kind: subRace, Sub: 2, Err: 3},
		{Kind: subJoin, Sub: 3},
		{Kind: subJoinReturn, Sub: 0, Err: 0},
		{Kind: subJoinReadErr},
		{Kind: subJoinReturn, Sub: 2, Err: 3},
		{Kind: subJoinReadErr},
		{Kind: subJoinReadErr},
		{Kind: subJoinUnsubscribe},
	},
	{ // a producer ending its goroutine (runtime.Goexit) ends the subscription with nil
		{Kind: subNew, Err: 1},
		{Kind: subGoexit, Sub: 0},
		{Kind: subReadErr, Sub: 0},
		{Kind: subUnsubscribe, Sub: 0},
	},
}

func TestSubscriptionRegressions(t *testing.T) {
	runRegressions(t, subRegressions, func(t *testing.T, st *stats, ops []subOp) (*subHarness, []subOp) {
		return newSubHarness(t, st), ops
	})
}
