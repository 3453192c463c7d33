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
