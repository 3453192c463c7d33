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
		func(h *feedHarness, do func(*rapid.T, feedOp)) map[feedKind]func(*rapid.T) {
			pickChan := func(rt *rapid.T) int {
				if len(h.m.Chans) == 0 {
					rt.Skip("no channel")
				}
				return rapid.IntRange(0, len(h.m.Chans)-1).Draw(rt, "chan")
			}
			return map[feedKind]func(*rapid.T){
				feedSubscribe: func(rt *rapid.T) {
					ch := -1
					if len(h.m.Chans) > 0 && rapid.IntRange(0, 3).Draw(rt, "reuse") == 0 {
						ch = pickChan(rt)
					}
					do(rt, feedOp{Kind: feedSubscribe, Chan: ch, Cap: rapid.SampledFrom(caps).Draw(rt, "cap")})
				},
				feedUnsubscribe: func(rt *rapid.T) {
					if len(h.m.Entries) == 0 {
						rt.Skip("no entry")
					}
					do(rt, feedOp{Kind: feedUnsubscribe, Entry: rapid.IntRange(0, len(h.m.Entries)-1).Draw(rt, "entry")})
				},
				feedSend:            func(rt *rapid.T) { do(rt, feedOp{Kind: feedSend}) },
				feedSendContext:     func(rt *rapid.T) { do(rt, feedOp{Kind: feedSendContext}) },
				feedSendContextDone: func(rt *rapid.T) { do(rt, feedOp{Kind: feedSendContextDone}) },
				feedCancel: func(rt *rapid.T) {
					if len(h.m.Sends) == 0 {
						rt.Skip("no Send")
					}
					do(rt, feedOp{Kind: feedCancel, Send: rapid.IntRange(0, len(h.m.Sends)-1).Draw(rt, "send")})
				},
				feedReceive: func(rt *rapid.T) {
					do(rt, feedOp{Kind: feedReceive, Chan: pickChan(rt)})
				},
				feedCloseChan: func(rt *rapid.T) {
					if rapid.IntRange(0, 3).Draw(rt, "rare") != 0 {
						rt.Skip("rare")
					}
					do(rt, feedOp{Kind: feedCloseChan, Chan: pickChan(rt)})
				},
				feedWrong: func(rt *rapid.T) {
					if generic {
						rt.Skip("FeedOf has no type rules")
					}
					do(rt, feedOp{Kind: feedWrong, Wrong: rapid.SampledFrom(all[wrongKind]()).Draw(rt, "wrong")})
				},
			}
		}, feedReceive) // receives are the common way a Send completes
}
