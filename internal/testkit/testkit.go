// Package testkit holds what the test packages share: catching a panic, the
// failure bound, the runtime's closed-channel message, budget flags, and the
// adapter that tests Feed and FeedOf[int] through one interface. It does not
// import event, so event's own (white-box) tests use it too; the helpers
// that touch event types are generic over them.
package testkit

import (
	"fmt"
	"testing"
	"time"
)

// FailureBound is how long a test waits for something that must happen
// before it declares failure. It is a failure bound, never a pacing sleep:
// a passing test does not wait for it.
const FailureBound = 30 * time.Second

// ClosedChanMsg is the text of the runtime error a send on a closed channel
// panics with, which a Send to a closed subscriber channel raises.
const ClosedChanMsg = "send on closed channel"

// Catch runs f and returns the value it panicked with, or nil if it
// returned. Since Go 1.21 a panic always has a non-nil value.
func Catch(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// PanicText returns the text of a value Catch returned: an error's message,
// a string itself, any other value as fmt.Sprint prints it, and "" for nil.
func PanicText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case error:
		return v.Error()
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// IsClosed reports, without blocking, whether c is closed. It is meant for
// channels that are only ever closed, never sent on.
func IsClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Go runs f in a new goroutine and returns a channel closed when f returns.
func Go(f func()) <-chan struct{} {
	c := make(chan struct{})
	go func() {
		defer close(c)
		f()
	}()
	return c
}

// Within returns the value c yields, failing tb (naming what) when none
// comes within FailureBound. Call it from the test's goroutine.
func Within[V any](tb testing.TB, c <-chan V, what string) V {
	tb.Helper()
	timer := time.NewTimer(FailureBound)
	defer timer.Stop()
	select {
	case v := <-c:
		return v
	case <-timer.C:
		tb.Fatalf("%s did not happen within %v", what, FailureBound)
		panic("unreachable")
	}
}

// OpenChannels counts the subscriptions in subs whose channel is still
// open, without blocking: a channel that yields an event counts as open
// too. S is *event.TypeMuxSubscription.
func OpenChannels[S interface{ Chan() <-chan E }, E any](subs []S) int {
	n := 0
	for _, s := range subs {
		select {
		case _, ok := <-s.Chan():
			if ok {
				n++
			}
		default:
			n++
		}
	}
	return n
}
