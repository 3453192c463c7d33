package proptest

import (
	"testing"

	"github.com/eventspec/eventspec/model"
	"pgregory.net/rapid"
)

func TestFeedRapid(t *testing.T)   { runFeedRapid(t, false) }
func TestFeedOfRapid(t *testing.T) { runFeedRapid(t, true) }

// runFeedRapid is the rapid state machine over Feed or FeedOf[int]: every
// action is one feedOp; the "" action re-checks the whole settled state.
func runFeedRapid(t *testing.T, generic bool) {
	caps := []int{0, 1, 2}
	if generic {
		caps = append(caps, model.NilCap)
	}
	runMachine(t, func(_ *rapid.T, st *stats) *feedHarness { return newFeedHarness(t, generic, st) },
		func(h *feedHarness, do func(*rapid.T, feedOp)) map[string]func(*rapid.T) {
			pickChan := func(rt *rapid.T) int {
				if len(h.m.Chans) == 0 {
					rt.Skip("no channel")
				}
				return rapid.IntRange(0, len(h.m.Chans)-1).Draw(rt, "chan")
			}
			return map[string]func(*rapid.T){
				"Subscribe": func(rt *rapid.T) {
					ch := -1
					if len(h.m.Chans) > 0 && rapid.IntRange(0, 3).Draw(rt, "reuse") == 0 {
						ch = pickChan(rt)
					}
					do(rt, feedOp{Kind: "Subscribe", Chan: ch, Cap: rapid.SampledFrom(caps).Draw(rt, "cap")})
				},
				"Unsubscribe": func(rt *rapid.T) {
					if len(h.m.Entries) == 0 {
						rt.Skip("no entry")
					}
					do(rt, feedOp{Kind: "Unsubscribe", Entry: rapid.IntRange(0, len(h.m.Entries)-1).Draw(rt, "entry")})
				},
				"Send":            func(rt *rapid.T) { do(rt, feedOp{Kind: "Send"}) },
				"SendContext":     func(rt *rapid.T) { do(rt, feedOp{Kind: "SendContext"}) },
				"SendContextDone": func(rt *rapid.T) { do(rt, feedOp{Kind: "SendContextDone"}) },
				"Cancel": func(rt *rapid.T) {
					if len(h.m.Sends) == 0 {
						rt.Skip("no Send")
					}
					do(rt, feedOp{Kind: "Cancel", Send: rapid.IntRange(0, len(h.m.Sends)-1).Draw(rt, "send")})
				},
				"Receive": func(rt *rapid.T) {
					do(rt, feedOp{Kind: "Receive", Chan: pickChan(rt)})
				},
				"Receive2": func(rt *rapid.T) { // receives are the common way a Send completes
					do(rt, feedOp{Kind: "Receive", Chan: pickChan(rt)})
				},
				"CloseChan": func(rt *rapid.T) {
					if rapid.IntRange(0, 3).Draw(rt, "rare") != 0 {
						rt.Skip("rare")
					}
					do(rt, feedOp{Kind: "CloseChan", Chan: pickChan(rt)})
				},
				"Wrong": func(rt *rapid.T) {
					if generic {
						rt.Skip("FeedOf has no type rules")
					}
					w := rapid.SampledFrom([]string{"SendUint64", "SubscribeUint64", "SubscribeRecvOnly",
						"SubscribeNil", "SubscribeNotChan", "SendNil"}).Draw(rt, "wrong")
					do(rt, feedOp{Kind: "Wrong", Wrong: w})
				},
			}
		})
}
