package model

import "fmt"

// NilCap is the capacity the model gives a nil channel: no send to it ever
// succeeds and nothing can be received from it.
const NilCap = -1

// Chan is a subscriber channel: its capacity, the values in its buffer
// (oldest first), whether the subscriber closed it, and every value the
// subscriber has taken out, in order.
type Chan struct {
	ID       int
	Cap      int
	Buf      []int
	Closed   bool
	Received []int
}

// Entry is one subscription of a channel to a feed; a channel subscribed k
// times has k entries.
type Entry struct {
	ID      int
	Chan    int
	Removed bool
	// RemovedAt is the step at which Unsubscribe returned (valid if Removed).
	RemovedAt int
	// ErrClosed: the entry's Err channel is closed. It never carries a
	// value, so the model keeps no other state of it.
	ErrClosed bool
}

// SendRec is one call of Send or SendContext: its value (its ID), the entries
// that existed when it began (Snapshot), those still waiting for the value
// (Pending), those that got it (Delivered), those its ctx made it give up on
// (Missed), and its outcome once Done.
type SendRec struct {
	ID        int
	Ctx       bool // SendContext: CtxEnd ends it early
	Queued    bool // waiting for an earlier Send to finish; not begun yet
	Snapshot  []int
	Pending   []int
	Delivered []int
	Missed    []int
	Panicked  bool // a subscriber channel was closed: Send re-panics at the end
	Cut       bool // SendContext returns ctx's error: its ctx ended it early
	Cancelled bool // SendContext: its ctx is done (Cancel, or done at the call)
	Done      bool
	DoneAt    int // the step at which it returned (valid if Done)
	N         int
}

// Delivery records that Send's value reached an entry at a step.
type Delivery struct {
	Send, Entry, Step int
}

// Feed models a Feed or FeedOf: its subscriber channels, its entries, its
// Sends (at most one active at a time, the others queued), and the history
// of deliveries the invariants are checked against.
type Feed struct {
	Step       int
	Chans      []*Chan
	Entries    []*Entry
	Sends      []*SendRec
	Active     int   // index into Sends of the Send in its blocking phase, or -1
	Queue      []int // Sends waiting for Active to finish, in start order
	Deliveries []Delivery
}

// NewFeed returns the model of an empty feed.
func NewFeed() *Feed { return &Feed{Active: -1} }

// NewChan adds a subscriber channel of capacity c (0 unbuffered, NilCap for
// a nil channel) and returns its ID. The spec fixes its channels as
// constants (Chans, Cap), so this is set-up, not a step.
func (f *Feed) NewChan(c int) int {
	f.Chans = append(f.Chans, &Chan{ID: len(f.Chans), Cap: c})
	return len(f.Chans) - 1
}

// Subscribe models one Subscribe call: a new live entry for channel ch; it
// is not part of any Send already begun.
//
// Spec actions (FeedSpec): Subscribe.
func (f *Feed) Subscribe(ch int) int {
	f.Step++
	f.Entries = append(f.Entries, &Entry{ID: len(f.Entries), Chan: ch})
	return len(f.Entries) - 1
}

// Send models one Send call up to the point where it blocks: it begins at
// once unless another Send is active or queued (then it joins the end of the
// queue), delivers to every entry that is ready, and ends if none is left
// pending. It returns the Send's ID (also its value).
//
// Spec actions (FeedSpec): SendBegin, Deliver, Panic, SendEnd.
func (f *Feed) Send() int { return f.send(false) }

// SendContext models a SendContext whose ctx is not done yet: a Send that
// CtxEnd can end early.
//
// Spec actions (FeedSpec): SendBegin, Deliver, Panic, SendEnd.
func (f *Feed) SendContext() int { return f.send(true) }

func (f *Feed) send(ctx bool) int {
	f.Step++
	s := &SendRec{ID: len(f.Sends), Ctx: ctx, Queued: true}
	f.Sends = append(f.Sends, s)
	f.Queue = append(f.Queue, s.ID)
	f.startQueued()
	return s.ID
}

// SendContextDone models a SendContext whose ctx is done at the call: it
// never waits. While another Send is active or queued it delivers nothing;
// otherwise it makes the fast pass only and gives up on the entries that
// were not ready.
//
// Spec actions (FeedSpec): CtxEnd, Abandon, SendBegin, Deliver, Panic, Miss, SendEnd.
func (f *Feed) SendContextDone() int {
	f.Step++
	s := &SendRec{ID: len(f.Sends), Ctx: true, Cancelled: true}
	f.Sends = append(f.Sends, s)
	if f.Active >= 0 || len(f.Queue) > 0 {
		s.Cut = true
		f.end(s)
		return s.ID
	}
	f.begin(s)
	if !s.Done {
		f.Active = -1
		f.giveUp(s)
	}
	return s.ID
}

// CtxEnd models the end of a SendContext's ctx: a queued Send leaves the
// queue without delivering anything, an active one gives up on its pending
// entries (they stay subscribed) and returns, and a Send that has returned
// is not affected.
//
// Spec actions (FeedSpec): CtxEnd, Abandon, Miss, SendEnd.
func (f *Feed) CtxEnd(id int) {
	f.Step++
	s := f.Sends[id]
	if s.Ctx {
		s.Cancelled = true
	}
	switch {
	case !s.Ctx || s.Done:
	case s.Queued:
		f.Queue = remove(f.Queue, id)
		s.Queued, s.Cut = false, true
		f.end(s)
	default: // active
		f.Active = -1
		f.giveUp(s)
		f.startQueued()
	}
}

// giveUp ends s, which is no longer active, with its pending entries missed.
func (f *Feed) giveUp(s *SendRec) {
	s.Missed = append(s.Missed, s.Pending...)
	s.Cut = len(s.Pending) > 0
	s.Pending = nil
	f.end(s)
}

// end marks s returned at the current step.
func (f *Feed) end(s *SendRec) {
	s.Done, s.DoneAt = true, f.Step
}

// startQueued begins queued Sends, in order, while no Send is active.
func (f *Feed) startQueued() {
	for f.Active < 0 && len(f.Queue) > 0 {
		s := f.Sends[f.Queue[0]]
		f.Queue = f.Queue[1:]
		f.begin(s)
	}
}

// begin is the fast pass of a Send: one non-blocking send to each live
// entry, in entry order.
func (f *Feed) begin(s *SendRec) {
	s.Queued = false
	for _, e := range f.Entries {
		if e.Removed {
			continue
		}
		s.Snapshot = append(s.Snapshot, e.ID)
		c := f.Chans[e.Chan]
		switch {
		case c.Closed:
			s.Panicked = true
		case c.Cap > len(c.Buf):
			c.Buf = append(c.Buf, s.ID)
			f.deliver(s, e.ID)
		default:
			s.Pending = append(s.Pending, e.ID)
		}
	}
	if len(s.Pending) == 0 {
		f.end(s)
		return
	}
	f.Active = s.ID
}

func (f *Feed) deliver(s *SendRec, e int) {
	s.Delivered = append(s.Delivered, e)
	s.N++
	f.Deliveries = append(f.Deliveries, Delivery{Send: s.ID, Entry: e, Step: f.Step})
}

// dropPending removes e from the active Send's pending entries and ends the
// Send (starting queued ones) when nothing is pending any more.
func (f *Feed) dropPending(e int) {
	s := f.Sends[f.Active]
	s.Pending = remove(s.Pending, e)
	if len(s.Pending) == 0 {
		f.end(s)
		f.Active = -1
		f.startQueued()
	}
}

// pendingOn returns the first entry on channel ch the active Send still
// waits for, or -1.
func (f *Feed) pendingOn(ch int) int {
	if f.Active < 0 {
		return -1
	}
	for _, e := range f.Sends[f.Active].Pending {
		if f.Entries[e].Chan == ch {
			return e
		}
	}
	return -1
}

// Unsubscribe models one Unsubscribe call: idempotent; the entry is gone
// from the feed and from the active Send's pending entries, its Err is
// closed, and no delivery to it can happen afterwards.
//
// Spec actions (FeedSpec): UnsubscribeBegin, Drop, SendEnd, UnsubscribeEnd.
func (f *Feed) Unsubscribe(e int) {
	f.Step++
	en := f.Entries[e]
	if en.Removed {
		return
	}
	en.Removed, en.RemovedAt, en.ErrClosed = true, f.Step, true
	if f.Active >= 0 && contains(f.Sends[f.Active].Pending, e) {
		f.dropPending(e)
	}
}

// RecvResult is what a non-blocking receive on a subscriber channel yields.
type RecvResult struct {
	OK     bool // a value was received
	Value  int
	Closed bool // the channel is closed and empty
}

func (r RecvResult) String() string {
	switch {
	case r.OK:
		return fmt.Sprintf("value %d", r.Value)
	case r.Closed:
		return "closed"
	}
	return "nothing"
}

// Receive models the subscriber taking one value out of channel ch without
// blocking. A freed buffer slot (or, for an unbuffered channel, the receive
// itself) lets one pending delivery of the active Send complete.
//
// Spec actions (FeedSpec): Park, Receive, Deliver, SendEnd.
func (f *Feed) Receive(ch int) RecvResult {
	f.Step++
	c := f.Chans[ch]
	if len(c.Buf) > 0 {
		v := c.Buf[0]
		c.Buf = c.Buf[1:]
		c.Received = append(c.Received, v)
		if e := f.pendingOn(ch); e >= 0 && !c.Closed {
			s := f.Sends[f.Active]
			c.Buf = append(c.Buf, s.ID)
			f.deliver(s, e)
			f.dropPending(e)
		}
		return RecvResult{OK: true, Value: v}
	}
	if c.Closed {
		return RecvResult{Closed: true}
	}
	if c.Cap == 0 {
		if e := f.pendingOn(ch); e >= 0 {
			s := f.Sends[f.Active]
			c.Received = append(c.Received, s.ID)
			f.deliver(s, e)
			f.dropPending(e)
			return RecvResult{OK: true, Value: s.ID}
		}
	}
	return RecvResult{}
}

// CloseChan models the subscriber closing its channel while it may still be
// subscribed: a Send parked on it panics (recovered inside Send, which
// re-panics at its end), and every later Send that reaches it panics too.
//
// Spec actions (FeedSpec): CloseChan, Panic, SendEnd.
func (f *Feed) CloseChan(ch int) {
	f.Step++
	c := f.Chans[ch]
	c.Closed = true
	for e := f.pendingOn(ch); e >= 0; e = f.pendingOn(ch) {
		f.Sends[f.Active].Panicked = true
		f.dropPending(e)
	}
}

// Ambiguous reports whether the real package may differ from the model in
// which entry took a value: the active Send has, on e's channel, both an
// entry that got the value and one still pending. Which of them is which is
// not observable, so a driver must not Unsubscribe e in this state.
func (f *Feed) Ambiguous(e int) bool {
	if f.Active < 0 {
		return false
	}
	s := f.Sends[f.Active]
	ch := f.Entries[e].Chan
	var got, waiting bool
	for _, x := range s.Delivered {
		got = got || f.Entries[x].Chan == ch
	}
	for _, x := range s.Pending {
		waiting = waiting || f.Entries[x].Chan == ch
	}
	return got && waiting && contains(s.Snapshot, e)
}

// Clone returns a deep copy of the feed model.
func (f *Feed) Clone() *Feed {
	g := &Feed{Step: f.Step, Active: f.Active, Queue: append([]int(nil), f.Queue...),
		Deliveries: append([]Delivery(nil), f.Deliveries...)}
	for _, c := range f.Chans {
		cc := *c
		cc.Buf = append([]int(nil), c.Buf...)
		cc.Received = append([]int(nil), c.Received...)
		g.Chans = append(g.Chans, &cc)
	}
	for _, e := range f.Entries {
		ee := *e
		g.Entries = append(g.Entries, &ee)
	}
	for _, s := range f.Sends {
		ss := *s
		ss.Snapshot = append([]int(nil), s.Snapshot...)
		ss.Pending = append([]int(nil), s.Pending...)
		ss.Delivered = append([]int(nil), s.Delivered...)
		ss.Missed = append([]int(nil), s.Missed...)
		g.Sends = append(g.Sends, &ss)
	}
	return g
}
