package model

import "fmt"

// SingleError mirrors the spec invariant of the same name: Err carries at
// most one value over the subscription's whole life.
func SingleError(s *Sub) error {
	if s.ErrsSent > 1 || len(s.ErrRecv)+len(s.ErrBuf) > 1 {
		return fmt.Errorf("SingleError: Err carried %d values", len(s.ErrRecv)+len(s.ErrBuf))
	}
	return nil
}

// ErrClosedAfterUnsubscribe mirrors the spec invariant of the same name: once
// an Unsubscribe call has returned, the producer has returned and Err is
// closed.
func ErrClosedAfterUnsubscribe(s *Sub) error {
	if s.UnsubReturned && (!s.ErrClosed || !s.Returned) {
		return fmt.Errorf("ErrClosedAfterUnsubscribe: Unsubscribe returned, producer returned=%v, Err closed=%v",
			s.Returned, s.ErrClosed)
	}
	return nil
}

// SubInvariants checks every NewSubscription invariant.
func SubInvariants(s *Sub) error {
	if err := SingleError(s); err != nil {
		return err
	}
	return ErrClosedAfterUnsubscribe(s)
}
