package proptest

import "fmt"

// feedOp is one operation of a feed test case, printed as a Go literal so
// that a failing sequence can be pasted into feedRegressions.
type feedOp struct {
	Kind  string // "Subscribe", "Unsubscribe", "Send", "SendContext", "SendContextDone", "Cancel", "Receive", "CloseChan", "Wrong"
	Chan  int    // Subscribe: existing channel, or -1 for a new one; Receive, CloseChan: channel
	Cap   int    // Subscribe of a new channel: capacity (model.NilCap for nil)
	Entry int    // Unsubscribe: entry
	Send  int    // Cancel: the Send (SendContext) whose ctx ends
	Wrong string // Wrong: "SendUint64", "SubscribeUint64", "SubscribeInt", "SubscribeRecvOnly", "SubscribeNil", "SendNil"
}

func (o feedOp) String() string {
	switch o.Kind {
	case "Subscribe":
		return fmt.Sprintf("{Kind: %q, Chan: %d, Cap: %d}", o.Kind, o.Chan, o.Cap)
	case "Unsubscribe":
		return fmt.Sprintf("{Kind: %q, Entry: %d}", o.Kind, o.Entry)
	case "Receive", "CloseChan":
		return fmt.Sprintf("{Kind: %q, Chan: %d}", o.Kind, o.Chan)
	case "Wrong":
		return fmt.Sprintf("{Kind: %q, Wrong: %q}", o.Kind, o.Wrong)
	case "Cancel":
		return fmt.Sprintf("{Kind: %q, Send: %d}", o.Kind, o.Send)
	}
	return fmt.Sprintf("{Kind: %q}", o.Kind)
}

// feedCase is a replayable feed test case.
type feedCase struct {
	Generic bool // FeedOf[int] instead of Feed
	Ops     []feedOp
}

func (c feedCase) String() string {
	return fmt.Sprintf("feedCase{Generic: %v, Ops: %s}", c.Generic, opsLiteral("[]feedOp", c.Ops))
}

// reporter is what both *testing.T and *rapid.T provide.
type reporter interface {
	Helper()
	Fatalf(format string, args ...any)
}
