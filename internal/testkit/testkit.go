// Package testkit holds the helpers that the test packages outside event/
// (proptest, stress) share. The event package's own tests cannot import it:
// it imports event.
package testkit

import "github.com/eventspec/eventspec/event"

// OpenMuxChannels counts the subscriptions in subs whose channel is still
// open, without blocking: a channel that yields an event counts as open too.
func OpenMuxChannels(subs []*event.TypeMuxSubscription) int {
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
