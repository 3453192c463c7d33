package event

import (
	"errors"
	"sync"
)

// errTrackNil is the panic value of Track(nil).
var errTrackNil = errors.New("event: SubscriptionScope.Track of a nil Subscription")

// SubscriptionScope unsubscribes many subscriptions at once. The zero value
// is ready to use.
//
// Every subscription it tracks is unsubscribed exactly once, by its wrapper's
// Unsubscribe or by Close, whichever comes first; every caller of either
// returns only after that unsubscription has finished.
type SubscriptionScope struct {
	mu      sync.Mutex
	tracked map[*scopeSub]struct{}
	closed  bool
	done    chan struct{} // closed when Close has unsubscribed everything
}

// scopeSub is the wrapper that Track returns.
type scopeSub struct {
	scope *SubscriptionScope
	inner Subscription
	once  sync.Once // runs inner.Unsubscribe
}

// Track adds s to the scope and returns a wrapper whose Unsubscribe
// unsubscribes s and removes it from the scope. Once the scope is closed,
// Track returns nil and leaves s alone. Track panics if s is nil.
func (sc *SubscriptionScope) Track(s Subscription) Subscription {
	if s == nil {
		panic(errTrackNil)
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return nil
	}
	if sc.tracked == nil {
		sc.tracked = make(map[*scopeSub]struct{})
	}
	ss := &scopeSub{scope: sc, inner: s}
	sc.tracked[ss] = struct{}{}
	return ss
}

// Close unsubscribes every tracked subscription and makes later Track calls
// return nil. It is idempotent; every call returns only after every
// subscription the scope ever tracked is unsubscribed.
func (sc *SubscriptionScope) Close() {
	sc.mu.Lock()
	if sc.closed {
		done := sc.done
		sc.mu.Unlock()
		<-done
		return
	}
	sc.closed = true
	sc.done = make(chan struct{})
	tracked := sc.tracked
	sc.tracked = nil
	sc.mu.Unlock()
	for ss := range tracked {
		ss.once.Do(ss.inner.Unsubscribe)
	}
	close(sc.done)
}

// Count returns the number of tracked subscriptions. It is meant for
// debugging.
func (sc *SubscriptionScope) Count() int {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return len(sc.tracked)
}

func (s *scopeSub) Err() <-chan error {
	return s.inner.Err()
}

// Unsubscribe unsubscribes the inner subscription, then removes it from the
// scope, so that a Close racing it waits for it too.
func (s *scopeSub) Unsubscribe() {
	s.once.Do(s.inner.Unsubscribe)
	s.scope.mu.Lock()
	delete(s.scope.tracked, s)
	s.scope.mu.Unlock()
}
