package event

import "context"

// FeedOf delivers values of type T to every channel subscribed to it. The zero
// value is ready to use.
//
// Send blocks until every entry that was subscribed when it began has taken
// the value or has been unsubscribed; no subscriber is ever skipped. One Send
// runs at a time and concurrent Sends queue. A Send waits for its turn only
// while another Send is in progress. A Send that has to wait is served
// before every Send called after it started waiting. Every Send completes when
// its subscribers keep receiving, however often other goroutines send. Every
// subscriber sees values in the order in which their Sends ran. A panic inside
// Send never leaves the feed locked.
type FeedOf[T any] struct {
	core feedCore[chan<- T]
}

// Subscribe adds channel to the feed: every later Send delivers one copy of
// its value to it, one per Subscribe call if channel is subscribed several
// times. A Send already running when Subscribe is called does not deliver to
// it. The feed never closes channel. A nil channel blocks every Send until it
// is unsubscribed. Once Unsubscribe of the returned Subscription has
// returned, nothing more is delivered to channel through it; Unsubscribe
// returns even while a Send is blocked on channel, which stops waiting for
// this subscription. Its Err channel never carries a value and is closed by
// Unsubscribe.
func (f *FeedOf[T]) Subscribe(channel chan<- T) Subscription {
	c := &f.core
	c.mu.Lock()
	s := c.subscribe(channel)
	c.mu.Unlock()
	return s
}

// Send delivers value to every entry subscribed when the Send began and
// returns the number of deliveries, 0 when there are none. It blocks until
// each entry has taken the value or been unsubscribed. A nil value of an
// interface type T is delivered like any other.
//
// If a subscriber's channel is closed, Send still delivers to every other
// entry and then panics with the runtime's "send on closed channel" error;
// the feed stays usable.
func (f *FeedOf[T]) Send(value T) (nsent int) {
	f.core.mu.Lock()
	nsent, _ = sendOf(&f.core, typedOps[T]{value}, context.Background())
	return nsent
}

// SendContext is Send that gives up once ctx is done: it waits for its turn
// and for its subscribers as Send does until then, and returns the deliveries
// made and ctx's error, context.Cause(ctx) where one is set, if ctx ended the
// wait before every entry took the value. Nothing of it is delivered after it
// returns. The entries that did not take the value keep their subscriptions
// and miss this value only; a SendContext that ctx ends while it waits for
// its turn delivers nothing. With a ctx that is already done it never waits:
// if no other Send holds the feed it offers the value to every entry once,
// without blocking, and returns nil only if all took it.
//
// A SendContext whose ctx is not done costs what Send costs.
func (f *FeedOf[T]) SendContext(ctx context.Context, value T) (nsent int, err error) {
	if ctx == nil {
		panic(errNilContext)
	}
	f.core.mu.Lock()
	return sendOf(&f.core, typedOps[T]{value}, ctx)
}
