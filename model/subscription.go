package model

// Sub models one NewSubscription: whether its producer has returned, the
// flag ended, and its Err channel (at most one buffered error, then
// closed).
type Sub struct {
	Returned bool // the producer returned
	// Ended is funcSub.ended in Go and ended in spec/NewSubscription.tla:
	// Unsubscribe was called or the producer returned, whichever came first.
	// A producer's error reaches Err only if it was not set before.
	Ended     bool
	ErrBuf    []int // errors (by ID) buffered in Err, not yet received
	ErrClosed bool
	ErrsSent  int // errors ever put into Err
	// History for the invariants.
	UnsubReturned bool // some Unsubscribe call has returned
	ErrRecv       []int
}

// ProducerReturn models the producer returning err (0 for nil, else an
// error ID): the error reaches Err only if ended was not set; then ended is
// set, Err is closed and the Unsubscribe calls are released.
//
// Spec actions (NewSubscription): ProducerReturn, CloseErr, CloseDone.
func (s *Sub) ProducerReturn(err int) {
	if s.Returned {
		return
	}
	s.Returned = true
	if !s.Ended && err != 0 {
		s.ErrBuf = append(s.ErrBuf, err)
		s.ErrsSent++
	}
	s.Ended = true
	s.ErrClosed = true
}

// Unsubscribe models one Unsubscribe call: it sets ended and closes quit;
// the producer (which the caller makes return quitErr on quit) returns, Err
// closes, and only then does the call return.
//
// Spec actions (NewSubscription): Unsub1, ProducerReturn, CloseErr, CloseDone, Unsub2.
func (s *Sub) Unsubscribe(quitErr int) {
	if !s.Returned {
		s.Ended = true
		s.ProducerReturn(quitErr)
	}
	s.UnsubReturned = true
}

// ErrResult is what a non-blocking receive on Err yields.
type ErrResult struct {
	Err    int // error ID, 0 if none
	Closed bool
}

// ReadErr models a non-blocking receive on Err.
//
// Spec actions (NewSubscription): ReadErr.
func (s *Sub) ReadErr() ErrResult {
	if len(s.ErrBuf) > 0 {
		e := s.ErrBuf[0]
		s.ErrBuf = s.ErrBuf[1:]
		s.ErrRecv = append(s.ErrRecv, e)
		return ErrResult{Err: e}
	}
	return ErrResult{Closed: s.ErrClosed}
}

// RaceReturnUnsubscribe models the producer returning err concurrently with
// an Unsubscribe call: both orders are allowed, and errDelivered (observed
// on the real Err) selects which one happened. It reports false when the
// observation fits neither order.
//
// Spec actions (NewSubscription): ProducerReturn, Unsub1, CloseErr, CloseDone, Unsub2.
func (s *Sub) RaceReturnUnsubscribe(err int, errDelivered bool) bool {
	if errDelivered && (err == 0 || s.Ended || s.Returned) {
		return false
	}
	if errDelivered {
		s.ProducerReturn(err)
		s.Unsubscribe(0)
	} else {
		s.Unsubscribe(err)
	}
	return true
}
