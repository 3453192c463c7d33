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
	holdsThenRejects(t, returned(1), SingleError[*Sub],
		func(s *Sub) { s.ErrBuf = append(s.ErrBuf, 2) })
}

func TestErrClosedAfterUnsubscribe(t *testing.T) {
	holdsThenRejects(t, unsubscribed, ErrClosedAfterUnsubscribe[*Sub],
		func(s *Sub) { s.ErrClosed = false })
}

func TestUnsubscribeTerminatesSub(t *testing.T) {
	holdsThenRejects(t, unsubscribed, UnsubscribeTerminates[*Sub],
		func(s *Sub) { s.Returned = false })
}

func TestTypeOKSub(t *testing.T) {
	holdsThenRejects(t, returned(1), TypeOK[*Sub],
		func(s *Sub) { s.ErrBuf = append(s.ErrBuf, 2) })
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
	holdsThenRejects(t, func() *Join { return NewJoin(2) }, TypeOK[*Join],
		func(j *Join) { j.Failed = []int{1, 2} })
}

// returned builds a subscription whose producer returned err.
func returned(err int) func() *Sub {
	return func() *Sub {
		var s Sub
		s.ProducerReturn(err)
		return &s
	}
}

// unsubscribed builds a subscription unsubscribed before its producer
// returned.
func unsubscribed() *Sub {
	var s Sub
	s.Unsubscribe(0)
	return &s
}
