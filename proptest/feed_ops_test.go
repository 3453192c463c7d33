package proptest

import "fmt"

// enum is the type of an operation's Kind: its constants run from 0 up to,
// not including, the sentinel end returns, and String gives each constant's
// Go name, so that a printed operation pastes back as a literal. runMachine
// checks that the rapid actions generate every constant.
type enum[K any] interface {
	~uint8
	fmt.Stringer
	end() K
}

// all returns every constant of the enumeration K, in order.
func all[K enum[K]]() []K {
	var zero K
	out := make([]K, zero.end())
	for i := range out {
		out[i] = K(i)
	}
	return out
}

// kindName returns names[k], the Go name of constant k, or a placeholder
// for a value outside the enumeration.
func kindName[K ~uint8](names []string, k K) string {
	if int(k) < len(names) && names[k] != "" {
		return names[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// feedKind is the kind of a feed operation.
type feedKind uint8

const (
	feedSubscribe       feedKind = iota // Chan, Cap
	feedUnsubscribe                     // Entry
	feedSend                            //
	feedSendContext                     // SendContext with a ctx that Cancel may end
	feedSendContextDone                 // SendContext with a ctx already done
	feedCancel                          // Send
	feedReceive                         // Chan
	feedCloseChan                       // Chan
	feedWrong                           // Wrong
	feedKindEnd
)

var feedKindNames = [feedKindEnd]string{"feedSubscribe", "feedUnsubscribe", "feedSend", "feedSendContext",
	"feedSendContextDone", "feedCancel", "feedReceive", "feedCloseChan", "feedWrong"}

func (k feedKind) String() string { return kindName(feedKindNames[:], k) }
func (feedKind) end() feedKind    { return feedKindEnd }

// wrongKind is a call that breaks the untyped Feed's type rules.
type wrongKind uint8

const (
	wrongSendUint64        wrongKind = iota // Send of a value of another type
	wrongSubscribeUint64                    // Subscribe of a channel of another type
	wrongSubscribeRecvOnly                  // Subscribe of a receive-only channel
	wrongSubscribeNil                       // Subscribe(nil)
	wrongSubscribeNotChan                   // Subscribe of a value that is not a channel
	wrongSendNil                            // Send(nil)
	wrongKindEnd
)

var wrongKindNames = [wrongKindEnd]string{"wrongSendUint64", "wrongSubscribeUint64", "wrongSubscribeRecvOnly",
	"wrongSubscribeNil", "wrongSubscribeNotChan", "wrongSendNil"}

func (k wrongKind) String() string { return kindName(wrongKindNames[:], k) }
func (wrongKind) end() wrongKind   { return wrongKindEnd }

// feedOp is one operation of a feed test case, printed as a Go literal so
// that a failing sequence can be pasted into feedRegressions.
type feedOp struct {
	Kind  feedKind
	Chan  int       // Subscribe: existing channel, or -1 for a new one; Receive, CloseChan: channel
	Cap   int       // Subscribe of a new channel: capacity (model.NilCap for nil)
	Entry int       // Unsubscribe: entry
	Send  int       // Cancel: the Send (SendContext) whose ctx ends
	Wrong wrongKind // Wrong: which call
}

func (o feedOp) String() string {
	switch o.Kind {
	case feedSubscribe:
		return fmt.Sprintf("{Kind: %v, Chan: %d, Cap: %d}", o.Kind, o.Chan, o.Cap)
	case feedUnsubscribe:
		return fmt.Sprintf("{Kind: %v, Entry: %d}", o.Kind, o.Entry)
	case feedReceive, feedCloseChan:
		return fmt.Sprintf("{Kind: %v, Chan: %d}", o.Kind, o.Chan)
	case feedWrong:
		return fmt.Sprintf("{Kind: %v, Wrong: %v}", o.Kind, o.Wrong)
	case feedCancel:
		return fmt.Sprintf("{Kind: %v, Send: %d}", o.Kind, o.Send)
	}
	return fmt.Sprintf("{Kind: %v}", o.Kind)
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
