package model

import "fmt"

// Scope models a SubscriptionScope over inner subscriptions identified by
// index: which ones are tracked, how many times each inner subscription
// was unsubscribed, and whether the scope is closed.
type Scope struct {
	Closed      bool
	Tracked     map[int]bool // wrapper ID -> tracked
	Inner       []int        // wrapper ID -> inner subscription index
	InnerUnsubs map[int]int  // inner index -> Unsubscribe calls it received
}

// NewScope returns the model of an open, empty scope.
func NewScope() *Scope {
	return &Scope{Tracked: map[int]bool{}, InnerUnsubs: map[int]int{}}
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

// Unsubscribe models the wrapper's Unsubscribe: the wrapper leaves the
// scope and its inner subscription is unsubscribed exactly once, however
// often the wrapper is unsubscribed or the scope is closed.
func (s *Scope) Unsubscribe(w int) {
	if s.Tracked[w] {
		delete(s.Tracked, w)
		s.InnerUnsubs[s.Inner[w]]++
	}
}

// Close models SubscriptionScope.Close: idempotent; every tracked wrapper is
// unsubscribed and later Track calls return nil.
func (s *Scope) Close() {
	s.Closed = true
	for w := range s.Tracked {
		s.Unsubscribe(w)
	}
}

// Count models SubscriptionScope.Count.
func (s *Scope) Count() int { return len(s.Tracked) }

// Clone returns a deep copy of the scope model.
func (s *Scope) Clone() *Scope {
	c := &Scope{Closed: s.Closed, Inner: append([]int(nil), s.Inner...), Tracked: map[int]bool{}, InnerUnsubs: map[int]int{}}
	for k, v := range s.Tracked {
		c.Tracked[k] = v
	}
	for k, v := range s.InnerUnsubs {
		c.InnerUnsubs[k] = v
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
