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
		func(h *subHarness, do func(*rapid.T, subOp)) map[string]func(*rapid.T) {
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
			return map[string]func(*rapid.T){
				"New":         func(rt *rapid.T) { do(rt, subOp{Kind: "New", Err: errGen.Draw(rt, "quitErr")}) },
				"Return":      func(rt *rapid.T) { do(rt, subOp{Kind: "Return", Sub: pick(rt, len(h.m)), Err: errGen.Draw(rt, "err")}) },
				"Goexit":      func(rt *rapid.T) { do(rt, subOp{Kind: "Goexit", Sub: pick(rt, len(h.m))}) },
				"Unsubscribe": func(rt *rapid.T) { do(rt, subOp{Kind: "Unsubscribe", Sub: pick(rt, len(h.m))}) },
				"Race":        func(rt *rapid.T) { do(rt, subOp{Kind: "Race", Sub: pick(rt, len(h.m)), Err: errGen.Draw(rt, "err")}) },
				"ReadErr":     func(rt *rapid.T) { do(rt, subOp{Kind: "ReadErr", Sub: pick(rt, len(h.m))}) },
				"Join":        func(rt *rapid.T) { do(rt, subOp{Kind: "Join", Sub: rapid.IntRange(1, 3).Draw(rt, "n")}) },
				"JoinReturn": func(rt *rapid.T) {
					do(rt, subOp{Kind: "JoinReturn", Sub: pick(rt, joined()), Err: errGen.Draw(rt, "err")})
				},
				"JoinUnsubscribe": func(rt *rapid.T) { do(rt, subOp{Kind: "JoinUnsubscribe"}) },
				"JoinReadErr":     func(rt *rapid.T) { do(rt, subOp{Kind: "JoinReadErr"}) },
			}
		})
}

// subRegressions are NewSubscription/JoinSubscriptions cases replayed on
// every run.
var subRegressions = [][]subOp{
	{
		{Kind: "New", Err: 2},
		{Kind: "Return", Sub: 0, Err: 1},
		{Kind: "ReadErr", Sub: 0},
		{Kind: "ReadErr", Sub: 0},
		{Kind: "Unsubscribe", Sub: 0},
		{Kind: "New", Err: 2},
		{Kind: "Unsubscribe", Sub: 1},
		{Kind: "Unsubscribe", Sub: 1},
		{Kind: "ReadErr", Sub: 1},
		{Kind: "New", Err: 0},
		{Kind: "Race", Sub: 2, Err: 3},
		{Kind: "Join", Sub: 3},
		{Kind: "JoinReturn", Sub: 0, Err: 0},
		{Kind: "JoinReadErr"},
		{Kind: "JoinReturn", Sub: 2, Err: 3},
		{Kind: "JoinReadErr"},
		{Kind: "JoinReadErr"},
		{Kind: "JoinUnsubscribe"},
	},
	{ // a producer ending its goroutine (runtime.Goexit) ends the subscription with nil
		{Kind: "New", Err: 1},
		{Kind: "Goexit", Sub: 0},
		{Kind: "ReadErr", Sub: 0},
		{Kind: "Unsubscribe", Sub: 0},
	},
}

func TestSubscriptionRegressions(t *testing.T) {
	runRegressions(t, subRegressions, func(t *testing.T, st *stats, ops []subOp) (*subHarness, []subOp) {
		return newSubHarness(t, st), ops
	})
}
