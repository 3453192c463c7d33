package model

import "fmt"

// ScopeUnsubscribesOnce mirrors the spec invariant of the same name: the
// scope unsubscribes an inner subscription at most once, and a closed scope
// tracks nothing and has unsubscribed every inner subscription it ever
// tracked.
func ScopeUnsubscribesOnce(s *Scope) error {
	for inner, n := range s.InnerUnsubs {
		if n > 1 {
			return fmt.Errorf("ScopeUnsubscribesOnce: inner %d unsubscribed %d times", inner, n)
		}
	}
	if s.Closed {
		if len(s.Tracked) != 0 {
			return fmt.Errorf("ScopeUnsubscribesOnce: closed scope still tracks %d", len(s.Tracked))
		}
		for _, inner := range s.Inner {
			if s.InnerUnsubs[inner] != 1 {
				return fmt.Errorf("ScopeUnsubscribesOnce: closed scope left inner %d with %d Unsubscribe calls", inner, s.InnerUnsubs[inner])
			}
		}
	}
	return nil
}

// ScopeCloseTerminates mirrors the spec invariant of the same name: Close
// finishes even when inner Unsubscribe calls panic: once a Close has
// returned, the scope is closed and every inner subscription it tracked,
// panicking ones included, was unsubscribed; a Close re-raises only panics
// of inner subscriptions that panic, and only the first Close meets any.
func ScopeCloseTerminates(s *Scope) error {
	if len(s.CloseMet) == 0 {
		return nil
	}
	if !s.Closed || len(s.Tracked) != 0 {
		return fmt.Errorf("ScopeCloseTerminates: a Close returned with the scope closed=%v, %d still tracked", s.Closed, len(s.Tracked))
	}
	for _, inner := range s.Inner {
		if s.InnerUnsubs[inner] == 0 {
			return fmt.Errorf("ScopeCloseTerminates: a Close returned with inner %d (panics: %v) never unsubscribed", inner, s.Panics[inner])
		}
	}
	for i, met := range s.CloseMet {
		if i > 0 && len(met) > 0 {
			return fmt.Errorf("ScopeCloseTerminates: Close call %d met panics of %v after the first Close", i, met)
		}
		for _, inner := range met {
			if !s.Panics[inner] {
				return fmt.Errorf("ScopeCloseTerminates: Close call %d raised a panic of inner %d, which does not panic", i, inner)
			}
		}
	}
	return nil
}

// ScopeCallsReturn mirrors the spec property of the same name (a liveness
// property there). The model's calls are atomic steps, so it checks what
// they leave behind: a wrapper whose Unsubscribe returned has left the scope
// and its inner subscription was unsubscribed, panicking or not, and every
// Close call returned with the scope closed.
func ScopeCallsReturn(s *Scope) error {
	for w := range s.UnsubCalled {
		if s.Tracked[w] || s.InnerUnsubs[s.Inner[w]] == 0 {
			return fmt.Errorf("ScopeCallsReturn: wrapper %d's Unsubscribe returned, tracked=%v, inner Unsubscribe calls %d",
				w, s.Tracked[w], s.InnerUnsubs[s.Inner[w]])
		}
	}
	if len(s.CloseMet) > 0 && !s.Closed {
		return fmt.Errorf("ScopeCallsReturn: %d Close calls returned with the scope open", len(s.CloseMet))
	}
	return nil
}

// ScopeInvariants checks every SubscriptionScope invariant.
func ScopeInvariants(s *Scope) error {
	return firstViolation(s, TypeOK[*Scope], ScopeUnsubscribesOnce, ScopeCloseTerminates, ScopeCallsReturn)
}
