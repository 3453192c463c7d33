package proptest

import (
	"testing"

	"github.com/eventspec/eventspec/model"
)

// feedRegressions are feed cases replayed on every run: hand-written ones
// for the situations the issue names, and any sequence a failing property
// run printed.
var feedRegressions = []feedCase{
	{Generic: false, Ops: []feedOp{ // same channel twice, blocked Send completed by receives
		{Kind: feedSubscribe, Chan: -1, Cap: 0},
		{Kind: feedSubscribe, Chan: 0, Cap: 0},
		{Kind: feedSend},
		{Kind: feedSend},
		{Kind: feedReceive, Chan: 0},
		{Kind: feedReceive, Chan: 0},
		{Kind: feedReceive, Chan: 0},
		{Kind: feedReceive, Chan: 0},
	}},
	{Generic: true, Ops: []feedOp{ // Unsubscribe, repeated, while a Send is blocked on that channel
		{Kind: feedSubscribe, Chan: -1, Cap: 1},
		{Kind: feedSubscribe, Chan: -1, Cap: 0},
		{Kind: feedSend},
		{Kind: feedSend},
		{Kind: feedUnsubscribe, Entry: 1},
		{Kind: feedUnsubscribe, Entry: 1},
		{Kind: feedReceive, Chan: 0},
		{Kind: feedReceive, Chan: 0},
	}},
	{Generic: false, Ops: []feedOp{ // closed subscriber channel: others still served, Send re-panics
		{Kind: feedSubscribe, Chan: -1, Cap: 1},
		{Kind: feedSubscribe, Chan: -1, Cap: 1},
		{Kind: feedCloseChan, Chan: 0},
		{Kind: feedSend},
		{Kind: feedReceive, Chan: 1},
		{Kind: feedUnsubscribe, Entry: 0},
		{Kind: feedSend},
		{Kind: feedReceive, Chan: 1},
	}},
	{Generic: true, Ops: []feedOp{ // a nil channel blocks every Send until unsubscribed
		{Kind: feedSubscribe, Chan: -1, Cap: model.NilCap},
		{Kind: feedSend},
		{Kind: feedReceive, Chan: 0},
		{Kind: feedUnsubscribe, Entry: 0},
	}},
	{Generic: false, Ops: []feedOp{ // type rules
		{Kind: feedWrong, Wrong: wrongSendNil},
		{Kind: feedWrong, Wrong: wrongSubscribeNotChan},
		{Kind: feedSubscribe, Chan: -1, Cap: 1},
		{Kind: feedWrong, Wrong: wrongSendUint64},
		{Kind: feedWrong, Wrong: wrongSubscribeUint64},
		{Kind: feedWrong, Wrong: wrongSubscribeRecvOnly},
		{Kind: feedWrong, Wrong: wrongSubscribeNil},
		{Kind: feedWrong, Wrong: wrongSendNil},
		{Kind: feedSend},
		{Kind: feedReceive, Chan: 0},
	}},
}

func TestFeedRegressions(t *testing.T) {
	runRegressions(t, feedRegressions, func(t *testing.T, st *stats, c feedCase) (*feedHarness, []feedOp) {
		return newFeedHarness(t, c.Generic, st), c.Ops
	})
}
