package model

import "fmt"

// MuxNoEventBeforeSubscribe mirrors the spec invariant of the same name: a
// subscription receives only events
// posted after it was created (the post's snapshot is taken atomically).
func MuxNoEventBeforeSubscribe(m *Mux) error {
	for _, s := range m.Subs {
		for _, p := range s.Got {
			if m.Posts[p].At < s.CreatedAt || !contains(m.Posts[p].Snapshot, s.ID) {
				return fmt.Errorf("MuxNoEventBeforeSubscribe: sub %d (created at step %d) got post %d (posted at step %d)",
					s.ID, s.CreatedAt, p, m.Posts[p].At)
			}
		}
	}
	return nil
}

// MuxNoDeliveryAfterUnsubscribe mirrors the spec invariant of the same
// name: a closed subscription receives nothing more, and a subscription receives
// only events of its types, each at most once.
func MuxNoDeliveryAfterUnsubscribe(m *Mux) error {
	for _, p := range m.Posts {
		seen := map[int]bool{}
		for _, id := range p.Delivered {
			s := m.Subs[id]
			if seen[id] {
				return fmt.Errorf("MuxNoDeliveryAfterUnsubscribe: post %d reached sub %d twice", p.ID, id)
			}
			seen[id] = true
			if !s.has(p.Type) {
				return fmt.Errorf("MuxNoDeliveryAfterUnsubscribe: post %d of type %s reached sub %d of types %v", p.ID, p.Type, id, s.Types)
			}
			if s.Closed && contains(p.Pending, id) {
				return fmt.Errorf("MuxNoDeliveryAfterUnsubscribe: post %d still waits for closed sub %d", p.ID, id)
			}
		}
	}
	return nil
}

// MuxPostReachesAllSubscribed mirrors the spec invariant of the same name:
// a done Post reached every subscription of its snapshot that was not closed,
// and a Post after Stop reached none.
func MuxPostReachesAllSubscribed(m *Mux) error {
	for _, p := range m.Posts {
		if p.Err && len(p.Delivered) > 0 {
			return fmt.Errorf("MuxPostReachesAllSubscribed: post %d failed with ErrMuxClosed but reached %v", p.ID, p.Delivered)
		}
		if !p.Done {
			continue
		}
		for _, id := range p.Snapshot {
			if !contains(p.Delivered, id) && !m.Subs[id].Closed {
				return fmt.Errorf("MuxPostReachesAllSubscribed: done post %d skipped open sub %d", p.ID, id)
			}
		}
	}
	return nil
}

// MuxStopClosesEverySubscription mirrors the spec invariant of the same
// name: once Stop has returned every subscription of the mux, with or
// without types, created before or after the Stop, is closed.
func MuxStopClosesEverySubscription(m *Mux) error {
	if !m.Stopped {
		return nil
	}
	if open := m.Open(); len(open) > 0 {
		return fmt.Errorf("MuxStopClosesEverySubscription: subs %v open after Stop", open)
	}
	return nil
}

// MuxStopTerminates mirrors the spec property of the same name (a liveness
// property there). The model's Stop is one step, so it checks what lets
// every Stop return: once Stop has returned, no Post waits for a
// subscription (Stop drains a blocked Post instead of waiting for a
// receiver).
func MuxStopTerminates(m *Mux) error {
	if !m.Stopped {
		return nil
	}
	if p := m.Outstanding(); p != nil {
		return fmt.Errorf("MuxStopTerminates: post %d still waits for subs %v after Stop", p.ID, p.Pending)
	}
	return nil
}

// MuxInvariants checks every TypeMux invariant.
func MuxInvariants(m *Mux) error {
	return firstViolation(m,
		TypeOK[*Mux], MuxNoEventBeforeSubscribe, MuxNoDeliveryAfterUnsubscribe,
		MuxPostReachesAllSubscribed, MuxStopClosesEverySubscription, MuxStopTerminates)
}
