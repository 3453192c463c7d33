package event

import (
	"context"
	"sync"
	"time"
)

// errNilSubscription is the panic message for a ResubscribeFunc that returns
// neither a subscription nor an error.
const errNilSubscription = "event: ResubscribeFunc returned nil subscription and no error"

// ResubscribeFunc attempts to establish a subscription; its context is
// cancelled when it returns or when the Resubscribe subscription is
// unsubscribed.
type ResubscribeFunc func(context.Context) (Subscription, error)

// ResubscribeErrFunc is a ResubscribeFunc that also receives the error that
// ended the previous inner subscription, nil on the first call.
type ResubscribeErrFunc func(context.Context, error) (Subscription, error)

// Resubscribe keeps a subscription alive by calling fn again whenever the one
// it returned fails. It calls fn until fn returns a subscription, then waits
// for that subscription to end and calls fn again at once. Between failed
// calls of fn it waits: the wait starts at backoffMax/10 and, before each
// wait, is reset to backoffMax/10 if the failed call took longer than
// backoffMax, and is doubled, up to backoffMax, otherwise.
//
// The returned subscription's Err never carries a value; it is closed by
// Unsubscribe and when an inner subscription ends with a nil error. At most
// one inner subscription is live at a time. Unsubscribe cancels fn's context,
// waits for a call of fn in progress, and unsubscribes the inner subscription,
// including one that fn returns after Unsubscribe began: once Unsubscribe
// returns, no call of fn is running and no inner subscription is live.
//
// fn returning (nil, nil) panics, unless Unsubscribe has begun.
func Resubscribe(backoffMax time.Duration, fn ResubscribeFunc) Subscription {
	return ResubscribeErr(backoffMax, func(ctx context.Context, _ error) (Subscription, error) {
		return fn(ctx)
	})
}

// ResubscribeErr is Resubscribe with a function that is passed the error that
// ended the previous inner subscription (nil on the first call).
func ResubscribeErr(backoffMax time.Duration, fn ResubscribeErrFunc) Subscription {
	s := &resubscribeSub{
		fn:         fn,
		backoffMax: backoffMax,
		waitTime:   backoffMax / 10,
		err:        make(chan error),
		unsub:      make(chan struct{}),
	}
	go s.loop()
	return s
}

// resubscribeSub is the Subscription of Resubscribe and ResubscribeErr. Its
// fields after unsubOnce belong to the loop goroutine.
type resubscribeSub struct {
	fn         ResubscribeErrFunc
	backoffMax time.Duration
	err        chan error    // closed when the loop exits
	unsub      chan struct{} // closed by Unsubscribe
	unsubOnce  sync.Once

	lastTry    time.Time     // when the latest call of fn began
	lastSubErr error         // the error that ended the latest inner subscription
	waitTime   time.Duration // the latest backoff wait
}

// attempt is what one call of fn returned.
type attempt struct {
	sub Subscription
	err error
}

func (s *resubscribeSub) Err() <-chan error {
	return s.err
}

func (s *resubscribeSub) Unsubscribe() {
	s.unsubOnce.Do(func() { close(s.unsub) })
	<-s.err
}

func (s *resubscribeSub) loop() {
	defer close(s.err)
	for {
		sub := s.subscribe()
		if sub == nil || !s.waitForError(sub) {
			return
		}
	}
}

// unsubscribing reports whether Unsubscribe has begun.
func (s *resubscribeSub) unsubscribing() bool {
	select {
	case <-s.unsub:
		return true
	default:
		return false
	}
}

// subscribe calls fn until it returns a subscription, backing off after
// each failure. It returns nil once Unsubscribe has begun.
func (s *resubscribeSub) subscribe() Subscription {
	result := make(chan attempt, 1)
	for !s.unsubscribing() {
		s.lastTry = time.Now()
		ctx, cancel := context.WithCancel(context.Background())
		go func(lastErr error) {
			sub, err := s.fn(ctx, lastErr)
			result <- attempt{sub, err}
		}(s.lastSubErr)
		select {
		case a := <-result:
			cancel()
			switch {
			case a.err != nil:
				if s.backoffWait() {
					return nil
				}
			case a.sub == nil:
				if s.unsubscribing() {
					return nil
				}
				panic(errNilSubscription)
			default:
				return a.sub
			}
		case <-s.unsub:
			cancel()
			if a := <-result; a.sub != nil {
				a.sub.Unsubscribe()
			}
			return nil
		}
	}
	return nil
}

// waitForError waits for sub to end or for Unsubscribe, unsubscribes sub,
// and reports whether fn should be called again.
func (s *resubscribeSub) waitForError(sub Subscription) bool {
	defer sub.Unsubscribe()
	select {
	case err := <-sub.Err():
		s.lastSubErr = err
		return err != nil
	case <-s.unsub:
		return false
	}
}

// backoffWait waits before the next call of fn and reports whether
// Unsubscribe cut the wait short.
func (s *resubscribeSub) backoffWait() bool {
	s.waitTime = nextBackoff(s.waitTime, s.backoffMax, time.Since(s.lastTry))
	t := time.NewTimer(s.waitTime)
	defer t.Stop()
	select {
	case <-t.C:
		return false
	case <-s.unsub:
		return true
	}
}

// nextBackoff is the wait that follows a wait of prev after a failed call of
// fn that took tookFor: backoffMax/10 after a call longer than backoffMax,
// else twice prev, at most backoffMax.
func nextBackoff(prev, backoffMax, tookFor time.Duration) time.Duration {
	if tookFor > backoffMax {
		return backoffMax / 10
	}
	return min(2*prev, backoffMax)
}
