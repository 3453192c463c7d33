package proptest

import (
	"testing"

	"pgregory.net/rapid"
)

// TestScopeRapid is the rapid state machine over SubscriptionScope: Track
// (also after Close, of nil, and of subscriptions whose Unsubscribe panics),
// wrapper Unsubscribe (repeated), Close (repeated, and racing a wrapper
// Unsubscribe), Count.
func TestScopeRapid(t *testing.T) {
	runMachine(t, func(_ *rapid.T, st *stats) *scopeHarness { return newScopeHarness(t, st) },
		func(h *scopeHarness, do func(*rapid.T, scopeOp)) map[string]func(*rapid.T) {
			pick := func(rt *rapid.T) int {
				if len(h.wrappers) == 0 {
					rt.Skip("none")
				}
				return rapid.IntRange(0, len(h.wrappers)-1).Draw(rt, "w")
			}
			return map[string]func(*rapid.T){
				"Track":       func(rt *rapid.T) { do(rt, scopeOp{Kind: "Track"}) },
				"Track2":      func(rt *rapid.T) { do(rt, scopeOp{Kind: "Track"}) },
				"TrackNil":    func(rt *rapid.T) { do(rt, scopeOp{Kind: "TrackNil"}) },
				"TrackSlow":   func(rt *rapid.T) { do(rt, scopeOp{Kind: "TrackSlow"}) },
				"TrackPanic":  func(rt *rapid.T) { do(rt, scopeOp{Kind: "TrackPanic"}) },
				"Release":     func(rt *rapid.T) { do(rt, scopeOp{Kind: "Release"}) },
				"Unsubscribe": func(rt *rapid.T) { do(rt, scopeOp{Kind: "Unsubscribe", W: pick(rt)}) },
				"Close": func(rt *rapid.T) {
					if rapid.IntRange(0, 2).Draw(rt, "rare") != 0 {
						rt.Skip("rare")
					}
					do(rt, scopeOp{Kind: "Close"})
				},
				"RaceClose": func(rt *rapid.T) {
					if rapid.IntRange(0, 2).Draw(rt, "rare") != 0 {
						rt.Skip("rare")
					}
					do(rt, scopeOp{Kind: "RaceClose", W: pick(rt)})
				},
			}
		})
}

// scopeRegressions are SubscriptionScope cases replayed on every run.
var scopeRegressions = [][]scopeOp{
	{
		{Kind: "Track"},
		{Kind: "Track"},
		{Kind: "Unsubscribe", W: 0},
		{Kind: "Unsubscribe", W: 0},
		{Kind: "TrackNil"},
		{Kind: "RaceClose", W: 1},
		{Kind: "Close"},
		{Kind: "Track"},
		{Kind: "Unsubscribe", W: 1},
	},
	{ // Close and the Close calls after it wait for a slow inner Unsubscribe
		{Kind: "TrackSlow"},
		{Kind: "Close"},
		{Kind: "Close"},
		{Kind: "Track"},
		{Kind: "Release"},
		{Kind: "Unsubscribe", W: 0},
		{Kind: "Close"},
	},
	{ // a wrapper Unsubscribe waits for a slow inner Unsubscribe and leaves the scope after it
		{Kind: "TrackSlow"},
		{Kind: "Track"},
		{Kind: "Unsubscribe", W: 0},
		{Kind: "Unsubscribe", W: 1},
		{Kind: "Release"},
		{Kind: "Close"},
	},
	{ // a panicking inner Unsubscribe: Close still unsubscribes the rest, raises it, and later Closes return
		{Kind: "Track"},
		{Kind: "TrackPanic"},
		{Kind: "Track"},
		{Kind: "TrackPanic"},
		{Kind: "Unsubscribe", W: 3},
		{Kind: "Close"},
		{Kind: "Close"},
		{Kind: "Unsubscribe", W: 1},
		{Kind: "Track"},
	},
	{ // a wrapper and Close racing for a panicking inner Unsubscribe: exactly one raises it
		{Kind: "TrackPanic"},
		{Kind: "Track"},
		{Kind: "RaceClose", W: 0},
		{Kind: "Close"},
	},
}

func TestScopeRegressions(t *testing.T) {
	runRegressions(t, scopeRegressions, func(t *testing.T, st *stats, ops []scopeOp) (*scopeHarness, []scopeOp) {
		return newScopeHarness(t, st), ops
	})
}
