package model

import "fmt"

// SingleError mirrors the spec invariant of the same name in
// NewSubscription and Resubscribe: Err carries at most one value over the
// subscription's whole life, and none if Unsubscribe came first; a
// Resubscribe subscription's Err carries none at all.
func SingleError[S *Sub | *Resub](s S) error {
	switch s := any(s).(type) {
	case *Sub:
		if n := len(s.ErrRecv) + len(s.ErrBuf); s.ErrsSent > 1 || n > 1 {
			return fmt.Errorf("SingleError: Err carried %d values", max(s.ErrsSent, n))
		}
	case *Resub:
		if s.ErrVals > 0 {
			return fmt.Errorf("SingleError: Resubscribe's Err carried %d values", s.ErrVals)
		}
	}
	return nil
}

// ErrClosedAfterUnsubscribe mirrors the spec invariant of the same name in
// NewSubscription, Resubscribe and FeedImpl: once an Unsubscribe call has
// returned, Err is closed (for NewSubscription, also the producer has
// returned; for Resubscribe, the loop has exited).
func ErrClosedAfterUnsubscribe[S *Sub | *Resub | *Feed](s S) error {
	switch s := any(s).(type) {
	case *Sub:
		if s.UnsubReturned && (!s.ErrClosed || !s.Returned) {
			return fmt.Errorf("ErrClosedAfterUnsubscribe: Unsubscribe returned, producer returned=%v, Err closed=%v",
				s.Returned, s.ErrClosed)
		}
	case *Resub:
		if s.Unsub && s.Phase != PhaseExited {
			return fmt.Errorf("ErrClosedAfterUnsubscribe: Unsubscribe returned with the loop in phase %s, Err open", s.Phase)
		}
	case *Feed:
		for _, e := range s.Entries {
			if e.Removed && !e.ErrClosed {
				return fmt.Errorf("ErrClosedAfterUnsubscribe: entry %d unsubscribed, Err open", e.ID)
			}
		}
	}
	return nil
}

// UnsubscribeTerminates mirrors the spec property of the same name (a
// liveness property there) in NewSubscription and FeedImpl. The model's
// calls are atomic steps, so it checks what lets every Unsubscribe return:
// for NewSubscription, a returned Unsubscribe found the producer returned
// (it returns once quit is closed); for the Feed, no Send waits for an
// unsubscribed entry (Unsubscribe interrupts it instead of waiting).
func UnsubscribeTerminates[S *Sub | *Feed](s S) error {
	switch s := any(s).(type) {
	case *Sub:
		if s.UnsubReturned && !s.Returned {
			return fmt.Errorf("UnsubscribeTerminates: Unsubscribe returned with the producer running")
		}
	case *Feed:
		if s.Active >= 0 {
			for _, e := range s.Sends[s.Active].Pending {
				if s.Entries[e].Removed {
					return fmt.Errorf("UnsubscribeTerminates: send %d still waits for unsubscribed entry %d", s.Active, e)
				}
			}
		}
	}
	return nil
}

// SubInvariants checks every NewSubscription invariant.
func SubInvariants(s *Sub) error {
	return firstViolation(s,
		TypeOK[*Sub], SingleError[*Sub], ErrClosedAfterUnsubscribe[*Sub],
		UnsubscribeTerminates[*Sub])
}
