package model

import "testing"

func TestScopeTrackClose(t *testing.T) {
	s := NewScope()
	a, b := s.Track(0), s.Track(1)
	s.Unsubscribe(a)
	s.Unsubscribe(a)
	if s.Count() != 1 {
		t.Fatal(s.Count())
	}
	s.Close()
	s.Close()
	s.Unsubscribe(b)
	if s.Count() != 0 || s.Track(2) != -1 || s.InnerUnsubs[2] != 0 {
		t.Fatal("closed scope")
	}
	mustHold(t, ScopeUnsubscribesOnce(s))
}

func TestScopeUnsubscribesOnce(t *testing.T) {
	holdsThenRejects(t, scopeAfter(func(s *Scope) { s.Close() }), ScopeUnsubscribesOnce,
		func(s *Scope) { s.InnerUnsubs[0] = 2 })
}

func TestScopeCloseTerminates(t *testing.T) {
	closed := func() *Scope {
		s := NewScope()
		a := s.TrackPanicking(0)
		s.Track(1)
		s.TrackPanicking(2)
		s.Track(3)
		if inner := s.Unsubscribe(a); inner != 0 {
			t.Fatalf("wrapper Unsubscribe of a panicking inner raised %d, want 0", inner)
		}
		if s.Count() != 3 {
			t.Fatalf("Count = %d after the panicking wrapper left", s.Count())
		}
		if met := s.Close(); len(met) != 1 || met[0] != 2 {
			t.Fatalf("first Close met %v, want [2]", met)
		}
		if met := s.Close(); len(met) != 0 {
			t.Fatalf("second Close met %v", met)
		}
		return s
	}
	mustHold(t, ScopeInvariants(closed()))
	holdsThenRejects(t, closed, ScopeCloseTerminates,
		func(s *Scope) { s.InnerUnsubs[3] = 0 },     // the panic ended Close before inner 3
		func(s *Scope) { s.CloseMet[1] = []int{2} }, // a later Close raised the panic again
		func(s *Scope) { s.CloseMet[0] = []int{1} })
}

func TestScopeCallsReturn(t *testing.T) {
	panicking := func(s *Scope) {
		s.Unsubscribe(s.TrackPanicking(1))
		s.Close()
	}
	mustHold(t, ScopeInvariants(scopeAfter(panicking)()))
	holdsThenRejects(t, scopeAfter(panicking), ScopeCallsReturn,
		func(s *Scope) { s.Tracked[1], s.Closed = true, false }) // the wrapper's Unsubscribe returned without leaving
}

func TestTypeOKScope(t *testing.T) {
	holdsThenRejects(t, scopeAfter(), TypeOK[*Scope],
		func(s *Scope) { s.Tracked[3] = true }) // a wrapper Track never returned
}

// scopeAfter builds a scope that tracks inner subscription 0, after the
// given steps.
func scopeAfter(then ...func(*Scope)) func() *Scope {
	return func() *Scope {
		s := NewScope()
		s.Track(0)
		for _, step := range then {
			step(s)
		}
		return s
	}
}
