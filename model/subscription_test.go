package model

import "testing"

func TestSubErrorThenClose(t *testing.T) {
	var s Sub
	s.ProducerReturn(7)
	if r := s.ReceiveErr(); r.Err != 7 {
		t.Fatalf("%+v", r)
	}
	if r := s.ReceiveErr(); !r.Closed {
		t.Fatalf("%+v", r)
	}
	s.Unsubscribe(0)
	mustHold(t, SubInvariants(&s))
}

func TestSubUnsubscribeDropsError(t *testing.T) {
	var s Sub
	s.Unsubscribe(7)
	if r := s.ReceiveErr(); r.Err != 0 || !r.Closed {
		t.Fatalf("%+v", r)
	}
	mustHold(t, SubInvariants(&s))
	if s.RaceReturnUnsubscribe(3, true) {
		t.Fatal("a returned producer cannot deliver an error")
	}
}

func TestSingleError(t *testing.T) {
	var s Sub
	s.ProducerReturn(1)
	s.ErrBuf = append(s.ErrBuf, 2)
	mustReject(t, SingleError(&s))
}

func TestErrClosedAfterUnsubscribe(t *testing.T) {
	var s Sub
	s.Unsubscribe(0)
	s.ErrClosed = false
	mustReject(t, ErrClosedAfterUnsubscribe(&s))
}

func TestJoinFirstErrorWins(t *testing.T) {
	j := NewJoin(3)
	j.InnerReturn(0, 0) // ignored
	j.InnerReturn(1, 5)
	j.InnerReturn(2, 6)
	if r := j.Outer.ReceiveErr(); r.Err != 5 {
		t.Fatalf("%+v", r)
	}
	mustHold(t, JoinInvariants(j))
	j.Inners[2].Returned = false
	mustReject(t, JoinInvariants(j))
}
