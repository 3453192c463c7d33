package event

import (
	"context"
	"time"
)

// errNilSubscription is the panic message for a ResubscribeFunc that returns
// neither a subscription nor an error.
const errNilSubscription = "event: ResubscribeFunc returned nil subscription and no error"

// ResubscribeFunc attempts to establish a subscription. Its context is done
// once the call has returned or Unsubscribe has been called on the
// Resubscribe subscription, whichever is first: a call that begins after
// Unsubscribe was called gets a context that is already done.
type ResubscribeFunc func(context.Context) (Subscription, error)

// ResubscribeErrFunc is a ResubscribeFunc that also receives the error that
// ended the previous inner subscription, nil on the first call.
type ResubscribeErrFunc func(context.Context, error) (Subscription, error)

// Resubscribe keeps a subscription alive by calling fn again whenever the one
// it returned fails. It calls fn at least once, even if Unsubscribe is called
// first, in which case that call's context is already done. It calls fn until
// fn returns a subscription, then waits for that subscription to end and
// calls fn again at once. Between failed calls of fn it waits: the wait
// starts at backoffMax/10 and, before each wait, is reset to backoffMax/10 if
// the failed call took longer than backoffMax, and is doubled, up to
// backoffMax, otherwise. A call of fn that returns a non-nil error has
// failed, even if it also returned a subscription: that subscription is
// unsubscribed before the wait and not used otherwise.
//
// The returned subscription's Err never carries a value; it is closed by
// Unsubscribe and when an inner subscription ends with a nil error. At most
// one inner subscription is live at a time. Unsubscribe cancels fn's context,
// waits for a call of fn in progress, and unsubscribes the inner subscription,
// including one that fn returns after Unsubscribe began, with or without an
// error: once Unsubscribe returns, no call of fn is running and no inner
// subscription is live. Once Unsubscribe has been called, fn is called only
// if it never was.
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
	ctx, cancel := context.WithCancel(context.Background())
	s := &resubscribeSub{
		fn:         fn,
		backoffMax: backoffMax,
		waitTime:   backoffMax / 10,
		err:        make(chan error),
		unsub:      ctx,
		cancel:     cancel,
	}
	go s.loop()
	return s
}

// resubscribeSub is the Subscription of Resubscribe and ResubscribeErr. Its
// fields after cancel belong to the loop goroutine.
type resubscribeSub struct {
	fn         ResubscribeErrFunc
	backoffMax time.Duration
	err        chan error // closed when the loop exits
	// unsub is done once Unsubscribe has been called; every context passed
	// to fn derives from it.
	unsub  context.Context
	cancel context.CancelFunc // called by Unsubscribe

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
	if tracing {
		traceBegin()
	}
	s.cancel()
	if tracing {
		traceEnd(s, "Unsub1")
	}
	<-s.err
	if tracing {
		traceStep(s, "Unsub2")
	}
}

// loop calls fn the first time unconditionally, later only while
// Unsubscribe has not been called.
func (s *resubscribeSub) loop() {
	defer close(s.err)
	if tracing {
		traceStep(s, "StartAttempt")
	}
	for {
		sub := s.subscribe()
		if sub == nil || !s.waitForError(sub) || s.stopBeforeCall() {
			return
		}
	}
}

// unsubscribing reports whether Unsubscribe has begun.
func (s *resubscribeSub) unsubscribing() bool {
	return s.unsub.Err() != nil
}

// stopBeforeCall is the check before every call of fn but the first: it
// reports whether Unsubscribe has begun, and then fn is not called again.
func (s *resubscribeSub) stopBeforeCall() bool {
	if tracing {
		traceBegin()
		stop := s.unsubscribing()
		action := "StartAttempt"
		if stop {
			action = "StartUnsub"
		}
		traceEnd(s, action)
		return stop
	}
	return s.unsubscribing()
}

// subscribe calls fn, at once and then after each failure and backoff
// wait, until fn returns a subscription. It returns nil once Unsubscribe has
// begun.
func (s *resubscribeSub) subscribe() Subscription {
	result := make(chan attempt, 1)
	for {
		s.lastTry = time.Now()
		ctx, cancel := context.WithCancel(s.unsub)
		go func(lastErr error) {
			sub, err := s.fn(ctx, lastErr)
			result <- attempt{sub, err}
		}(s.lastSubErr)
		select {
		case a := <-result:
			cancel()
			switch {
			case a.err != nil:
				if tracing {
					traceStep(s, "GotErr")
				}
				if a.sub != nil {
					a.sub.Unsubscribe()
				}
				if s.backoffWait() || s.stopBeforeCall() {
					return nil
				}
			case a.sub == nil:
				if s.unsubscribing() {
					if tracing {
						traceStep(s, "GotNil")
					}
					return nil
				}
				panic(errNilSubscription)
			default:
				if tracing {
					traceStep(s, "GotSub")
				}
				return a.sub
			}
		case <-s.unsub.Done():
			cancel()
			if tracing {
				traceStep(s, "UnsubInAttempt")
			}
			a := <-result
			if tracing {
				traceStep(s, "Cleanup")
			}
			if a.sub != nil {
				a.sub.Unsubscribe()
			}
			return nil
		}
	}
}

// waitForError waits for sub to end or for Unsubscribe, unsubscribes sub,
// and reports whether fn should be called again.
func (s *resubscribeSub) waitForError(sub Subscription) bool {
	defer sub.Unsubscribe()
	select {
	case err := <-sub.Err():
		if tracing {
			traceStep(s, "WaitErr", "failed", err != nil)
		}
		s.lastSubErr = err
		return err != nil
	case <-s.unsub.Done():
		if tracing {
			traceStep(s, "WaitUnsub")
		}
		return false
	}
}

// backoffWait waits before the next call of fn and reports whether
// Unsubscribe cut the wait short.
func (s *resubscribeSub) backoffWait() bool {
	took := time.Since(s.lastTry)
	s.waitTime = nextBackoff(s.waitTime, s.backoffMax, took)
	t := time.NewTimer(s.waitTime)
	defer t.Stop()
	select {
	case <-t.C:
		if tracing {
			traceStep(s, "BackoffDone", "wait", s.waitTime, "took", took)
		}
		return false
	case <-s.unsub.Done():
		if tracing {
			traceStep(s, "UnsubInBackoff", "wait", s.waitTime, "took", took)
		}
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
