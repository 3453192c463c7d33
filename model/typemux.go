package model

import "fmt"

// MuxSub models a TypeMuxSubscription: the event types it was created for,
// whether it is closed (Unsubscribe or Stop), the step of its creation and
// closing, and the posts (by ID) it received, in order.
type MuxSub struct {
	ID        int
	Types     []string
	Closed    bool
	CreatedAt int
	ClosedAt  int
	Got       []int
}

// MuxPost is one Post: the type of its event, the subscriptions it still
// has to reach (Pending, in no particular order), the ones it reached, and
// whether Post has returned.
type MuxPost struct {
	ID        int
	Type      string
	At        int
	Snapshot  []int
	Pending   []int
	Delivered []int
	Done      bool
	Err       bool // ErrMuxClosed
}

// Mux models a TypeMux. Drivers keep at most one Post outstanding: two
// blocked Posts on the same subscription may deliver in either order.
type Mux struct {
	Step    int
	Subs    []*MuxSub
	Posts   []*MuxPost
	Stopped bool
}

// MsgDuplicateType is the panic message of Subscribe with a repeated type.
func MsgDuplicateType(typ string) string {
	return fmt.Sprintf("event: duplicate type %s in Subscribe", typ)
}

// Subscribe models TypeMux.Subscribe: on a running mux a duplicate type
// panics (the returned message) and registers nothing (ID -1); after Stop
// the subscription is born closed and the types are not checked (as in
// go-ethereum). A subscription with no types receives nothing until Stop or
// Unsubscribe closes it. TypeMux.tla does not model the duplicate-type
// panic, which changes no state.
//
// Spec actions (TypeMux): Subscribe.
func (m *Mux) Subscribe(types ...string) (id int, panicMsg string) {
	m.Step++
	seen := map[string]bool{}
	for _, t := range types {
		if seen[t] && !m.Stopped {
			return -1, MsgDuplicateType(t)
		}
		seen[t] = true
	}
	s := &MuxSub{ID: len(m.Subs), Types: types, CreatedAt: m.Step, Closed: m.Stopped, ClosedAt: m.Step}
	m.Subs = append(m.Subs, s)
	return s.ID, ""
}

func (s *MuxSub) has(typ string) bool {
	for _, t := range s.Types {
		if t == typ {
			return true
		}
	}
	return false
}

// Post models TypeMux.Post: after Stop it fails with ErrMuxClosed; else it
// takes the set of open subscriptions for typ at once and is done when
// every one of them received the event or was closed.
//
// Spec actions (TypeMux): PostBegin, PostStep, PostEnd.
func (m *Mux) Post(typ string) *MuxPost {
	m.Step++
	p := &MuxPost{ID: len(m.Posts), Type: typ, At: m.Step}
	m.Posts = append(m.Posts, p)
	if m.Stopped {
		p.Err, p.Done = true, true
		return p
	}
	for _, s := range m.Subs {
		if !s.Closed && s.has(typ) {
			p.Snapshot = append(p.Snapshot, s.ID)
			p.Pending = append(p.Pending, s.ID)
		}
	}
	p.Done = len(p.Pending) == 0
	return p
}

// Outstanding returns the Post not yet done, or nil.
func (m *Mux) Outstanding() *MuxPost {
	for _, p := range m.Posts {
		if !p.Done {
			return p
		}
	}
	return nil
}

// MuxRecv is the outcome the model allows for a non-blocking receive on a
// subscription's channel.
type MuxRecv int

// Allowed outcomes of a receive on a subscription's channel.
const (
	RecvNothing  MuxRecv = 1 << iota // no event available
	RecvEvent                        // the outstanding post's event
	RecvClosedCh                     // channel closed
)

// CanReceive returns the set of outcomes allowed for a non-blocking receive
// on subscription id: the outstanding Post delivers to its pending
// subscriptions one at a time in an order the model does not fix, so with
// several pending either outcome is allowed for each of them.
func (m *Mux) CanReceive(id int) MuxRecv {
	s := m.Subs[id]
	if s.Closed {
		return RecvClosedCh
	}
	p := m.Outstanding()
	if p == nil || !contains(p.Pending, id) {
		return RecvNothing
	}
	if len(p.Pending) == 1 {
		return RecvEvent
	}
	return RecvEvent | RecvNothing
}

// Receive models the subscription taking the outstanding post's event.
//
// Spec actions (TypeMux): PostStep, Receive, PostEnd.
func (m *Mux) Receive(id int) {
	m.Step++
	p := m.Outstanding()
	m.Subs[id].Got = append(m.Subs[id].Got, p.ID)
	p.Delivered = append(p.Delivered, id)
	p.Pending = remove(p.Pending, id)
	p.Done = len(p.Pending) == 0
}

// Unsubscribe models TypeMuxSubscription.Unsubscribe: idempotent; the
// subscription is closed and the outstanding Post no longer waits for it.
//
// Spec actions (TypeMux): UnsubBegin, CWLock, Drain, CWClose, UnsubRemove, PostStep, PostEnd.
func (m *Mux) Unsubscribe(id int) {
	m.Step++
	m.close(id)
}

func (m *Mux) close(id int) {
	s := m.Subs[id]
	if s.Closed {
		return
	}
	s.Closed, s.ClosedAt = true, m.Step
	if p := m.Outstanding(); p != nil {
		p.Pending = remove(p.Pending, id)
		p.Done = len(p.Pending) == 0
	}
}

// Stop models TypeMux.Stop: every subscription, typed or not, is closed and
// later Posts fail with ErrMuxClosed. Every Stop call, also one that finds
// the mux stopped by a concurrent Stop, returns only once that holds: the
// model takes each call as one atomic step, so two concurrent Stops are two
// Stop steps in a row, and at the return of each every subscription is
// closed (MuxStopClosesEverySubscription).
//
// Spec actions (TypeMux): StopBegin, StopPick, CWLock, Drain, CWClose, StopEnd, StopWait, PostStep, PostEnd.
func (m *Mux) Stop() {
	m.Step++
	for _, s := range m.Subs {
		m.close(s.ID)
	}
	m.Stopped = true
}

// Open returns the IDs of the subscriptions whose channel the model has not
// closed.
func (m *Mux) Open() []int {
	var open []int
	for _, s := range m.Subs {
		if !s.Closed {
			open = append(open, s.ID)
		}
	}
	return open
}
