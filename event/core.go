package event

import "sync"

// feedCore is the delivery engine shared by Feed and FeedOf: the entries
// and the turn of the Sends (send.go runs one Send). The channel type C is
// chan<- T for FeedOf[T] and reflect.Value for Feed. spec/FeedImpl.tla
// models it step by step, SendContext included.
type feedCore[C any] struct {
	mu    sync.Mutex
	subs  []*feedSub[C]   // live entries; each knows its index
	chans []C             // chans[i] is subs[i].ch: the fast pass reads only this
	busy  bool            // a Send owns the feed beyond holding mu; others queue
	queue []chan struct{} // the waiting Sends, oldest first; each is closed to hand it the feed
	spare []*feedSub[C]   // an empty buffer lent to the Send that owns the feed for its pending entries
}

// feedSub is one subscription entry: one channel, subscribed once.
type feedSub[C any] struct {
	core  *feedCore[C]
	ch    C
	index int        // position in core.subs, or -1 once unsubscribed
	err   chan error // never carries a value; Unsubscribe closes it

	// blocked is set while a deliverer is parked on this entry, and waiter
	// is closed when it leaves, for an Unsubscribe waiting for that.
	blocked bool
	waiter  chan struct{}
}

// subscribe adds an entry for ch. It is called with mu held.
func (c *feedCore[C]) subscribe(ch C) *feedSub[C] {
	s := &feedSub[C]{core: c, ch: ch, index: len(c.subs), err: make(chan error)}
	c.subs = append(c.subs, s)
	c.chans = append(c.chans, ch)
	if tracing {
		traceSubscribe(c, s, ch)
	}
	return s
}

// remove takes s out of subs and chans by moving the last entry into its
// slot. It is called with mu held.
func (c *feedCore[C]) remove(s *feedSub[C]) {
	i, last := s.index, len(c.subs)-1
	moved := c.subs[last]
	c.subs[i], c.chans[i] = moved, c.chans[last]
	moved.index = i
	var zero C
	c.subs[last], c.chans[last] = nil, zero
	c.subs, c.chans = c.subs[:last], c.chans[:last]
	s.index = -1
}

// Err returns a channel that never carries a value and is closed by
// Unsubscribe.
func (s *feedSub[C]) Err() <-chan error {
	return s.err
}

// Unsubscribe removes the entry from its feed in constant time and closes
// Err. It is idempotent and safe for concurrent use; once any call returns,
// the feed sends nothing more on this entry. A Send blocked on the entry's
// channel is interrupted for that entry, not waited for.
func (s *feedSub[C]) Unsubscribe() {
	c := s.core
	c.mu.Lock()
	if tracing {
		traceBegin()
	}
	if s.index >= 0 {
		c.remove(s)
		close(s.err)
	}
	var wait chan struct{}
	if s.blocked {
		if s.waiter == nil {
			s.waiter = make(chan struct{})
		}
		wait = s.waiter
	}
	if tracing {
		traceEnd(c, "Unsub1", "entry", s)
	}
	c.mu.Unlock()
	if wait != nil {
		<-wait
	}
	if tracing {
		traceStep(c, "Unsub2", "entry", s)
	}
}
