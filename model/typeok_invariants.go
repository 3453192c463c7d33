package model

import "fmt"

// TypeOK mirrors the invariant TypeOK that every spec module states: the
// model's state is well formed (identifiers in range, the sets each step
// keeps disjoint kept apart, at most one buffered error). For the Feed it
// also holds that an entry's Err never carries a value: it is open, or
// closed once the entry is unsubscribed. Backoff's variables are the
// backoff fields of Resub. Each state's typeOK method below states its part.
func TypeOK[S *Feed | *FeedTypes | *Sub | *Resub | *Join | *Mux | *Scope](s S) error {
	return any(s).(interface{ typeOK() error }).typeOK()
}

func (f *Feed) typeOK() error {
	for i, c := range f.Chans {
		if c.ID != i || c.Cap < NilCap || len(c.Buf) > max(c.Cap, 0) {
			return fmt.Errorf("TypeOK: channel %d: id %d, capacity %d, %d buffered", i, c.ID, c.Cap, len(c.Buf))
		}
	}
	for i, e := range f.Entries {
		if e.ID != i || e.Chan < 0 || e.Chan >= len(f.Chans) {
			return fmt.Errorf("TypeOK: entry %d: id %d, channel %d", i, e.ID, e.Chan)
		}
		if e.ErrClosed != e.Removed {
			return fmt.Errorf("TypeOK: entry %d's Err closed=%v, unsubscribed=%v", i, e.ErrClosed, e.Removed)
		}
	}
	if f.Active < -1 || f.Active >= len(f.Sends) {
		return fmt.Errorf("TypeOK: active send %d of %d", f.Active, len(f.Sends))
	}
	for _, id := range f.Queue {
		if id < 0 || id >= len(f.Sends) {
			return fmt.Errorf("TypeOK: queued send %d of %d", id, len(f.Sends))
		}
	}
	for _, d := range f.Deliveries {
		if d.Send < 0 || d.Send >= len(f.Sends) || d.Entry < 0 || d.Entry >= len(f.Entries) {
			return fmt.Errorf("TypeOK: delivery %+v out of range", d)
		}
	}
	for i, s := range f.Sends {
		if s.ID != i || (s.Cancelled && !s.Ctx) {
			return fmt.Errorf("TypeOK: send %d: id %d, cancelled %v without a ctx", i, s.ID, s.Cancelled)
		}
	}
	return nil
}

func (ft *FeedTypes) typeOK() error {
	if ft.Elem == "" && len(ft.Fixed) > 0 || ft.Elem != "" && len(ft.Fixed) == 0 {
		return fmt.Errorf("TypeOK: element type %q, set %d times", ft.Elem, len(ft.Fixed))
	}
	return nil
}

func (s *Sub) typeOK() error {
	if len(s.ErrBuf) > 1 {
		return fmt.Errorf("TypeOK: %d errors buffered in Err, of capacity 1", len(s.ErrBuf))
	}
	if s.ErrClosed && !s.Returned || s.Returned && !s.Ended {
		return fmt.Errorf("TypeOK: Err closed=%v, producer returned=%v, ended=%v", s.ErrClosed, s.Returned, s.Ended)
	}
	return nil
}

func (r *Resub) typeOK() error {
	switch r.Phase {
	case PhaseAttempt, PhaseBackoff, PhaseWaiting, PhaseExited:
	default:
		return fmt.Errorf("TypeOK: loop phase %q", r.Phase)
	}
	if len(r.Calls) == 0 {
		return fmt.Errorf("TypeOK: no call of the function (Resubscribe makes the first at once)")
	}
	if r.Phase == PhaseWaiting && (len(r.Inners) == 0 || !r.Inners[len(r.Inners)-1]) {
		return fmt.Errorf("TypeOK: the loop waits on an inner subscription that is not live")
	}
	for i, c := range r.Calls {
		if c.B < 0 || c.B > LastBehavior {
			return fmt.Errorf("TypeOK: call %d has behavior %d", i, c.B)
		}
	}
	if r.QuickFails < 0 || r.SlowFail && r.QuickFails != 0 {
		return fmt.Errorf("TypeOK: %d quick failures, latest failure slow=%v", r.QuickFails, r.SlowFail)
	}
	return nil
}

func (j *Join) typeOK() error {
	if len(j.Failed) > 1 {
		return fmt.Errorf("TypeOK: the join took %d inner errors, it stops at the first", len(j.Failed))
	}
	for _, in := range append([]*Sub{j.Outer}, j.Inners...) {
		if err := in.typeOK(); err != nil {
			return err
		}
	}
	return nil
}

func (m *Mux) typeOK() error {
	for i, s := range m.Subs {
		if s.ID != i || s.Closed && s.ClosedAt < s.CreatedAt {
			return fmt.Errorf("TypeOK: subscription %d: id %d, closed at %d before its creation at %d", i, s.ID, s.ClosedAt, s.CreatedAt)
		}
		for _, p := range s.Got {
			if p < 0 || p >= len(m.Posts) {
				return fmt.Errorf("TypeOK: subscription %d got post %d of %d", i, p, len(m.Posts))
			}
		}
	}
	for i, p := range m.Posts {
		if p.ID != i {
			return fmt.Errorf("TypeOK: post %d has id %d", i, p.ID)
		}
		for _, id := range append(append([]int(nil), p.Pending...), p.Delivered...) {
			if !contains(p.Snapshot, id) {
				return fmt.Errorf("TypeOK: post %d serves subscription %d outside its snapshot %v", i, id, p.Snapshot)
			}
		}
		if p.Done && len(p.Pending) > 0 {
			return fmt.Errorf("TypeOK: post %d returned with %v pending", i, p.Pending)
		}
	}
	return nil
}

func (s *Scope) typeOK() error {
	for w := range s.Tracked {
		if w < 0 || w >= len(s.Inner) {
			return fmt.Errorf("TypeOK: tracked wrapper %d of %d", w, len(s.Inner))
		}
	}
	for w := range s.UnsubCalled {
		if w < 0 || w >= len(s.Inner) {
			return fmt.Errorf("TypeOK: Unsubscribe of wrapper %d of %d", w, len(s.Inner))
		}
	}
	if s.Closed && len(s.Tracked) > 0 {
		return fmt.Errorf("TypeOK: the closed scope tracks %d wrappers", len(s.Tracked))
	}
	return nil
}

// firstViolation returns the first error of the invariants invs on s, or
// nil when all of them hold.
func firstViolation[S any](s S, invs ...func(S) error) error {
	for _, inv := range invs {
		if err := inv(s); err != nil {
			return err
		}
	}
	return nil
}
