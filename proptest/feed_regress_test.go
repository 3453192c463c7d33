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
		{Kind: "Subscribe", Chan: -1, Cap: 0},
		{Kind: "Subscribe", Chan: 0, Cap: 0},
		{Kind: "Send"},
		{Kind: "Send"},
		{Kind: "Receive", Chan: 0},
		{Kind: "Receive", Chan: 0},
		{Kind: "Receive", Chan: 0},
		{Kind: "Receive", Chan: 0},
	}},
	{Generic: true, Ops: []feedOp{ // Unsubscribe, repeated, while a Send is blocked on that channel
		{Kind: "Subscribe", Chan: -1, Cap: 1},
		{Kind: "Subscribe", Chan: -1, Cap: 0},
		{Kind: "Send"},
		{Kind: "Send"},
		{Kind: "Unsubscribe", Entry: 1},
		{Kind: "Unsubscribe", Entry: 1},
		{Kind: "Receive", Chan: 0},
		{Kind: "Receive", Chan: 0},
	}},
	{Generic: false, Ops: []feedOp{ // closed subscriber channel: others still served, Send re-panics
		{Kind: "Subscribe", Chan: -1, Cap: 1},
		{Kind: "Subscribe", Chan: -1, Cap: 1},
		{Kind: "CloseChan", Chan: 0},
		{Kind: "Send"},
		{Kind: "Receive", Chan: 1},
		{Kind: "Unsubscribe", Entry: 0},
		{Kind: "Send"},
		{Kind: "Receive", Chan: 1},
	}},
	{Generic: true, Ops: []feedOp{ // a nil channel blocks every Send until unsubscribed
		{Kind: "Subscribe", Chan: -1, Cap: model.NilCap},
		{Kind: "Send"},
		{Kind: "Receive", Chan: 0},
		{Kind: "Unsubscribe", Entry: 0},
	}},
	{Generic: false, Ops: []feedOp{ // type rules
		{Kind: "Wrong", Wrong: "SendNil"},
		{Kind: "Wrong", Wrong: "SubscribeNotChan"},
		{Kind: "Subscribe", Chan: -1, Cap: 1},
		{Kind: "Wrong", Wrong: "SendUint64"},
		{Kind: "Wrong", Wrong: "SubscribeUint64"},
		{Kind: "Wrong", Wrong: "SubscribeRecvOnly"},
		{Kind: "Wrong", Wrong: "SubscribeNil"},
		{Kind: "Wrong", Wrong: "SendNil"},
		{Kind: "Send"},
		{Kind: "Receive", Chan: 0},
	}},
}

func TestFeedRegressions(t *testing.T) {
	runRegressions(t, feedRegressions, func(t *testing.T, st *stats, c feedCase) (*feedHarness, []feedOp) {
		return newFeedHarness(t, c.Generic, st), c.Ops
	})
}
