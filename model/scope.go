package model

import (
	"fmt"
	"slices"
)

// Scope models a SubscriptionScope over inner subscriptions identified by
// index: which ones are tracked, how many times each inner subscription
// was unsubscribed, which inner subscriptions panic in Unsubscribe, what
// each Close call met, and whether the scope is closed.
type Scope struct {
	Closed      bool
	Tracked     map[int]bool // wrapper ID -> tracked
	Inner       []int        // wrapper ID -> inner subscription index
	InnerUnsubs map[int]int  // inner index -> Unsubscribe calls it received
	Panics      map[int]bool // inner index -> its Unsubscribe panics
	// CloseMet holds, per Close call in order, the panicking inner
	// subscriptions it unsubscribed; the call re-raises one of their panics.
	CloseMet [][]int
}

// NewScope returns the model of an open, empty scope.
func NewScope() *Scope {
	return &Scope{Tracked: map[int]bool{}, InnerUnsubs: map[int]int{}, Panics: map[int]bool{}}
}

// Track models SubscriptionScope.Track of inner subscription inner: it
// returns the wrapper ID, or -1 (nil) once the scope is closed, in which
// case inner is left untouched.
func (s *Scope) Track(inner int) int {
	if s.Closed {
		return -1
	}
	s.Inner = append(s.Inner, inner)
	w := len(s.Inner) - 1
	s.Tracked[w] = true
	return w
}

// TrackPanicking is Track of an inner subscription whose Unsubscribe panics.
func (s *Scope) TrackPanicking(inner int) int {
	s.Panics[inner] = true
	return s.Track(inner)
}

// Unsubscribe models the wrapper's Unsubscribe: the wrapper leaves the
// scope and its inner subscription is unsubscribed exactly once, however
// often the wrapper is unsubscribed or the scope is closed. It returns the
// inner subscription whose panic the call raises (it leaves the scope all
// the same), or -1.
func (s *Scope) Unsubscribe(w int) (panicked int) {
	if !s.Tracked[w] {
		return -1
	}
	delete(s.Tracked, w)
	inner := s.Inner[w]
	s.InnerUnsubs[inner]++
	if s.Panics[inner] {
		return inner
	}
	return -1
}

// Close models SubscriptionScope.Close: idempotent; every tracked wrapper is
// unsubscribed, panicking ones included, and later Track calls return nil.
// It returns the panicking inner subscriptions it unsubscribed: the call
// re-raises the panic of one of them, after everything else; a Close after
// the first meets none and returns normally (ScopeCloseTerminates).
func (s *Scope) Close() (met []int) {
	s.Closed = true
	for w := range s.Tracked {
		if inner := s.Unsubscribe(w); inner >= 0 {
			met = append(met, inner)
		}
	}
	slices.Sort(met)
	s.CloseMet = append(s.CloseMet, met)
	return met
}

// Count models SubscriptionScope.Count.
func (s *Scope) Count() int { return len(s.Tracked) }

// Clone returns a deep copy of the scope model.
func (s *Scope) Clone() *Scope {
	c := &Scope{Closed: s.Closed, Inner: append([]int(nil), s.Inner...), Tracked: map[int]bool{}, InnerUnsubs: map[int]int{}, Panics: map[int]bool{}}
	for k, v := range s.Tracked {
		c.Tracked[k] = v
	}
	for k, v := range s.InnerUnsubs {
		c.InnerUnsubs[k] = v
	}
	for k, v := range s.Panics {
		c.Panics[k] = v
	}
	for _, met := range s.CloseMet {
		c.CloseMet = append(c.CloseMet, slices.Clone(met))
	}
	return c
}

// ScopeUnsubscribesOnce states that the scope unsubscribes an inner
// subscription at most once, and that a closed scope tracks nothing and has
// unsubscribed every inner subscription it ever tracked.
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

// ScopeCloseTerminates states that Close finishes even when inner
// Unsubscribe calls panic: once a Close has returned, the scope is closed and
// every inner subscription it tracked, panicking ones included, was
// unsubscribed; a Close re-raises only panics of inner subscriptions that
// panic, and only the first Close meets any.
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

// ScopeInvariants checks every SubscriptionScope invariant.
func ScopeInvariants(s *Scope) error {
	if err := ScopeUnsubscribesOnce(s); err != nil {
		return err
	}
	return ScopeCloseTerminates(s)
}
