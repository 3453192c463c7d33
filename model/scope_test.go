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
	s := NewScope()
	s.Track(0)
	s.Close()
	s.InnerUnsubs[0] = 2
	mustReject(t, ScopeUnsubscribesOnce(s))
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
	s := NewScope()
	a := s.TrackPanicking(0)
	s.Unsubscribe(a)
	s.Close()
	mustHold(t, ScopeInvariants(s))
	s.Tracked[a] = true // the wrapper's Unsubscribe returned without leaving
	s.Closed = false
	mustReject(t, ScopeCallsReturn(s))
}

func TestTypeOKScope(t *testing.T) {
	s := NewScope()
	s.Track(0)
	mustHold(t, TypeOK(s))
	s.Tracked[3] = true // a wrapper Track never returned
	mustReject(t, TypeOK(s))
}
