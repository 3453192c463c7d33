package model

// Sub models one NewSubscription: whether its producer has returned, whether
// Unsubscribe has been called, and its Err channel (at most one buffered
// error, then closed).
type Sub struct {
	Returned     bool  // the producer returned
	Unsubscribed bool  // Unsubscribe was called (it returns once the producer has)
	ErrBuf       []int // errors (by ID) buffered in Err, not yet received
	ErrClosed    bool
	ErrsSent     int // errors ever put into Err
	// History for the invariants.
	UnsubReturned bool // some Unsubscribe call has returned
	ErrRecv       []int
}

// ProducerReturn models the producer returning err (0 for nil, else an
// error ID): the error reaches Err only if Unsubscribe had not been called;
// then Err is closed.
func (s *Sub) ProducerReturn(err int) {
	if s.Returned {
		return
	}
	s.Returned = true
	if !s.Unsubscribed && err != 0 {
		s.ErrBuf = append(s.ErrBuf, err)
		s.ErrsSent++
	}
	s.Unsubscribed = true
	s.ErrClosed = true
}

// Unsubscribe models the spec action Unsubscribe of a NewSubscription: it
// signals quit; the producer (which the caller makes return quitErr on
// quit) returns, Err closes, and only then does Unsubscribe return.
func (s *Sub) Unsubscribe(quitErr int) {
	if !s.Returned {
		s.Unsubscribed = true
		s.ProducerReturn(quitErr)
	}
	s.Unsubscribed = true
	s.UnsubReturned = true
}

// ErrResult is what a non-blocking receive on Err yields.
type ErrResult struct {
	Err    int // error ID, 0 if none
	Closed bool
}

// ReceiveErr models a non-blocking receive on Err.
func (s *Sub) ReceiveErr() ErrResult {
	if len(s.ErrBuf) > 0 {
		e := s.ErrBuf[0]
		s.ErrBuf = s.ErrBuf[1:]
		s.ErrRecv = append(s.ErrRecv, e)
		return ErrResult{Err: e}
	}
	return ErrResult{Closed: s.ErrClosed}
}

// Clone returns a copy of the subscription model.
func (s *Sub) Clone() *Sub {
	c := *s
	c.ErrBuf = append([]int(nil), s.ErrBuf...)
	c.ErrRecv = append([]int(nil), s.ErrRecv...)
	return &c
}

// RaceReturnUnsubscribe models the producer returning err concurrently with
// an Unsubscribe call: both orders are allowed, and errDelivered (observed
// on the real Err) selects which one happened. It reports false when the
// observation fits neither order.
func (s *Sub) RaceReturnUnsubscribe(err int, errDelivered bool) bool {
	if errDelivered && (err == 0 || s.Unsubscribed || s.Returned) {
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
