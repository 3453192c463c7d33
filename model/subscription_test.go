package model

import "testing"

func TestSubErrorThenClose(t *testing.T) {
	var s Sub
	s.ProducerReturn(7)
	if r := s.ReadErr(); r.Err != 7 {
		t.Fatalf("%+v", r)
	}
	if r := s.ReadErr(); !r.Closed {
		t.Fatalf("%+v", r)
	}
	s.Unsubscribe(0)
	mustHold(t, SubInvariants(&s))
}

func TestSubUnsubscribeDropsError(t *testing.T) {
	var s Sub
	s.Unsubscribe(7)
	if r := s.ReadErr(); r.Err != 0 || !r.Closed {
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

func TestUnsubscribeTerminatesSub(t *testing.T) {
	var s Sub
	s.Unsubscribe(0)
	mustHold(t, UnsubscribeTerminates(&s))
	s.Returned = false
	mustReject(t, UnsubscribeTerminates(&s))
}

func TestTypeOKSub(t *testing.T) {
	var s Sub
	s.ProducerReturn(1)
	mustHold(t, TypeOK(&s))
	s.ErrBuf = append(s.ErrBuf, 2)
	mustReject(t, TypeOK(&s))
}

// TestJoinFirstError: an inner end with nil is ignored, the first inner
// error ends the join and is its Err's one value; a second value, another
// value, or an end without error or Unsubscribe is rejected.
func TestJoinFirstError(t *testing.T) {
	j := NewJoin(3)
	j.InnerEnd(0) // ignored
	if j.Outer.Returned {
		t.Fatal("an inner end with nil ended the join")
	}
	j.InnerFail(1, 5)
	j.InnerFail(2, 6)
	if r := j.Outer.ReadErr(); r.Err != 5 {
		t.Fatalf("%+v", r)
	}
	mustHold(t, JoinInvariants(j))
	j.Outer.ErrRecv[0] = 6
	mustReject(t, JoinFirstError(j))

	j = NewJoin(2)
	j.InnerEnd(0)
	j.Outer.ProducerReturn(0) // the join ended on a nil end
	mustReject(t, JoinFirstError(j))
}

// TestJoinUnsubscribesAll: Unsubscribe of the join, and an inner error,
// unsubscribe every inner subscription; an inner left running is rejected.
func TestJoinUnsubscribesAll(t *testing.T) {
	j := NewJoin(2)
	j.Unsubscribe()
	mustHold(t, JoinInvariants(j))
	j = NewJoin(3)
	j.InnerFail(0, 4)
	mustHold(t, JoinUnsubscribesAll(j))
	j.Inners[2].Returned = false
	mustReject(t, JoinUnsubscribesAll(j))
}

func TestTypeOKJoin(t *testing.T) {
	j := NewJoin(2)
	mustHold(t, TypeOK(j))
	j.Failed = []int{1, 2}
	mustReject(t, TypeOK(j))
}
