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
		func(h *scopeHarness, do func(*rapid.T, scopeOp)) map[scopeKind]func(*rapid.T) {
			pick := func(rt *rapid.T) int {
				if len(h.wrappers) == 0 {
					rt.Skip("none")
				}
				return rapid.IntRange(0, len(h.wrappers)-1).Draw(rt, "w")
			}
			return map[scopeKind]func(*rapid.T){
				scopeTrack:       func(rt *rapid.T) { do(rt, scopeOp{Kind: scopeTrack}) },
				scopeTrackNil:    func(rt *rapid.T) { do(rt, scopeOp{Kind: scopeTrackNil}) },
				scopeTrackSlow:   func(rt *rapid.T) { do(rt, scopeOp{Kind: scopeTrackSlow}) },
				scopeTrackPanic:  func(rt *rapid.T) { do(rt, scopeOp{Kind: scopeTrackPanic}) },
				scopeRelease:     func(rt *rapid.T) { do(rt, scopeOp{Kind: scopeRelease}) },
				scopeUnsubscribe: func(rt *rapid.T) { do(rt, scopeOp{Kind: scopeUnsubscribe, W: pick(rt)}) },
				scopeClose: func(rt *rapid.T) {
					if rapid.IntRange(0, 2).Draw(rt, "rare") != 0 {
						rt.Skip("rare")
					}
					do(rt, scopeOp{Kind: scopeClose})
				},
				scopeRaceClose: func(rt *rapid.T) {
					if rapid.IntRange(0, 2).Draw(rt, "rare") != 0 {
						rt.Skip("rare")
					}
					do(rt, scopeOp{Kind: scopeRaceClose, W: pick(rt)})
				},
			}
		}, scopeTrack)
}

// scopeRegressions are SubscriptionScope cases replayed on every run.
var scopeRegressions = [][]scopeOp{
	{
		{Kind: scopeTrack},
		{Kind: scopeTrack},
		{Kind: scopeUnsubscribe, W: 0},
		{Kind: scopeUnsubscribe, W: 0},
		{Kind: scopeTrackNil},
		{Kind: scopeRaceClose, W: 1},
		{Kind: scopeClose},
		{Kind: scopeTrack},
		{Kind: scopeUnsubscribe, W: 1},
	},
	{ // Close and the Close calls after it wait for a slow inner Unsubscribe
		{Kind: scopeTrackSlow},
		{Kind: scopeClose},
		{Kind: scopeClose},
		{Kind: scopeTrack},
		{Kind: scopeRelease},
		{Kind: scopeUnsubscribe, W: 0},
		{Kind: scopeClose},
	},
	{ // a wrapper Unsubscribe waits for a slow inner Unsubscribe and leaves the scope after it
		{Kind: scopeTrackSlow},
		{Kind: scopeTrack},
		{Kind: scopeUnsubscribe, W: 0},
		{Kind: scopeUnsubscribe, W: 1},
		{Kind: scopeRelease},
		{Kind: scopeClose},
	},
	{ // a panicking inner Unsubscribe: Close still unsubscribes the rest, raises it, and later Closes return
		{Kind: scopeTrack},
		{Kind: scopeTrackPanic},
		{Kind: scopeTrack},
		{Kind: scopeTrackPanic},
		{Kind: scopeUnsubscribe, W: 3},
		{Kind: scopeClose},
		{Kind: scopeClose},
		{Kind: scopeUnsubscribe, W: 1},
		{Kind: scopeTrack},
	},
	{ // a wrapper and Close racing for a panicking inner Unsubscribe: exactly one raises it
		{Kind: scopeTrackPanic},
		{Kind: scopeTrack},
		{Kind: scopeRaceClose, W: 0},
		{Kind: scopeClose},
	},
}

func TestScopeRegressions(t *testing.T) {
	runRegressions(t, scopeRegressions, func(t *testing.T, st *stats, ops []scopeOp) (*scopeHarness, []scopeOp) {
		return newScopeHarness(t, st), ops
	})
}
