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
// returns only after that unsubscription has finished, even if it panicked.
// A panic of an inner Unsubscribe reaches only the caller that ran it, and
// never leaves the scope locked or a caller waiting.
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
	// once runs inner.Unsubscribe. It counts as done when that panics too,
	// so a caller waiting in once.Do returns then, and nobody calls it again.
	once sync.Once
}

// unsubscribe runs the inner Unsubscribe unless it ran already, waiting for
// a run in progress, and returns its panic instead of raising it.
func (s *scopeSub) unsubscribe() (panicked bool, v any) {
	defer func() {
		if p := recover(); p != nil {
			panicked, v = true, p
		}
	}()
	s.once.Do(s.inner.Unsubscribe)
	return false, nil
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
// subscription the scope ever tracked is unsubscribed. If inner Unsubscribe
// calls that Close runs panic, the first Close still unsubscribes every other
// subscription and releases the Close calls waiting for it, then re-raises
// the first of those panics; later calls return normally.
func (sc *SubscriptionScope) Close() {
	sc.mu.Lock()
	done := beginOnce(&sc.mu, &sc.closed, &sc.done)
	if done == nil { // a later Close: the first has finished
		return
	}
	tracked := sc.tracked
	sc.tracked = nil
	sc.mu.Unlock()
	// Deferred, so that waiters are released even if an inner Unsubscribe
	// ends this goroutine (runtime.Goexit).
	defer close(done)
	var (
		panicked bool
		first    any
	)
	for ss := range tracked {
		if p, v := ss.unsubscribe(); p && !panicked {
			panicked, first = true, v
		}
	}
	if panicked {
		panic(first)
	}
}

// Count returns the number of tracked subscriptions. It is meant for
// debugging. It never waits for an Unsubscribe: the scope holds its lock
// only around its own bookkeeping, never while an inner Unsubscribe runs.
func (sc *SubscriptionScope) Count() int {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return len(sc.tracked)
}

func (s *scopeSub) Err() <-chan error {
	return s.inner.Err()
}

// Unsubscribe unsubscribes the inner subscription, then removes it from the
// scope, so that a Close racing it waits for it too. If the inner Unsubscribe
// panics, the wrapper still leaves the scope and the panic reaches this
// caller; it is never called again.
func (s *scopeSub) Unsubscribe() {
	defer s.leave()
	s.once.Do(s.inner.Unsubscribe)
}

// leave removes the wrapper from its scope.
func (s *scopeSub) leave() {
	s.scope.mu.Lock()
	delete(s.scope.tracked, s)
	s.scope.mu.Unlock()
}
