package model

import "slices"

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
	// UnsubCalled holds the wrappers whose Unsubscribe was called (and, the
	// model's calls being atomic, returned).
	UnsubCalled map[int]bool
}

// NewScope returns the model of an open, empty scope.
func NewScope() *Scope {
	return &Scope{Tracked: map[int]bool{}, InnerUnsubs: map[int]int{}, Panics: map[int]bool{}, UnsubCalled: map[int]bool{}}
}

// Track models SubscriptionScope.Track of inner subscription inner: it
// returns the wrapper ID, or -1 (nil) once the scope is closed, in which
// case inner is left untouched.
//
// Spec actions (Scope): Track.
func (s *Scope) Track(inner int) int {
	if s.Closed {
		return -1
	}
	s.Inner = append(s.Inner, inner)
	w := len(s.Inner) - 1
	s.Tracked[w] = true
	return w
}

// TrackPanicking is Track of an inner subscription whose Unsubscribe panics
// (the spec's constant Panics names such wrappers).
//
// Spec actions (Scope): Track.
func (s *Scope) TrackPanicking(inner int) int {
	s.Panics[inner] = true
	return s.Track(inner)
}

// Unsubscribe models the wrapper's Unsubscribe: the wrapper leaves the
// scope and its inner subscription is unsubscribed exactly once, however
// often the wrapper is unsubscribed or the scope is closed. It returns the
// inner subscription whose panic the call raises (it leaves the scope all
// the same), or -1.
//
// Spec actions (Scope): UnsubBegin, UnsubOnce, UnsubLeave.
func (s *Scope) Unsubscribe(w int) (panicked int) {
	s.UnsubCalled[w] = true
	return s.unsubscribe(w)
}

// unsubscribe runs wrapper w's Once and takes it out of the scope.
func (s *Scope) unsubscribe(w int) (panicked int) {
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
//
// Spec actions (Scope): CloseBegin, ClosePick, CloseOnce, CloseEnd, CloseWait.
func (s *Scope) Close() (met []int) {
	s.Closed = true
	for w := range s.Tracked {
		if inner := s.unsubscribe(w); inner >= 0 {
			met = append(met, inner)
		}
	}
	slices.Sort(met)
	s.CloseMet = append(s.CloseMet, met)
	return met
}

// Count models SubscriptionScope.Count.
func (s *Scope) Count() int { return len(s.Tracked) }
