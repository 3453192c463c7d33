package event

// FeedOf delivers values of type T to every channel subscribed to it. The zero
// value is ready to use.
//
// Send blocks until every entry that was subscribed when it began has taken
// the value or has been unsubscribed; no subscriber is ever skipped. One Send
// runs at a time and concurrent Sends queue, so every subscriber sees values
// in one common order. A panic inside Send never leaves the feed locked.
type FeedOf[T any] struct {
	core feedCore[chan<- T]
}

// Subscribe adds channel to the feed: every later Send delivers one copy of
// its value to it, one per Subscribe call if channel is subscribed several
// times. A Send already running when Subscribe is called does not deliver to
// it. The feed never closes channel. A nil channel blocks every Send until it
// is unsubscribed. Unsubscribe the returned Subscription to stop deliveries;
// its Err channel never carries a value and is closed by Unsubscribe.
func (f *FeedOf[T]) Subscribe(channel chan<- T) Subscription {
	c := &f.core
	c.mu.Lock()
	s := c.subscribe(channel)
	c.mu.Unlock()
	return s
}

// Send delivers value to every entry subscribed when the Send began and
// returns the number of deliveries, 0 when there are none. It blocks until
// each entry has taken the value or been unsubscribed. A nil value of an
// interface type T is delivered like any other.
//
// If a subscriber's channel is closed, Send still delivers to every other
// entry and then panics with the runtime's "send on closed channel" error;
// the feed stays usable.
func (f *FeedOf[T]) Send(value T) (nsent int) {
	c := &f.core
	c.mu.Lock() // begin, inlined: this is the hot path
	if c.busy {
		c.waitIdle()
	}
	r := &c.round
	for !f.fastPass(r, value) {
	}
	if len(r.pending) == 0 && !r.panicked { // every entry was ready
		n := r.n
		r.n = 0
		c.mu.Unlock()
		return n
	}
	if len(r.pending) == 0 {
		return c.finish(r, nil, nil)
	}
	v := value
	return c.finish(r,
		func(s *feedSub[chan<- T]) bool {
			select {
			case s.ch <- v:
				return true
			default:
				return false
			}
		},
		func(s *feedSub[chan<- T]) bool {
			select {
			case s.ch <- v:
				return true
			case <-s.err:
				return false
			}
		})
}

// fastPass offers value without blocking to every subscribed entry from
// r.next on, with mu held. It reports false when a closed channel panicked;
// the panic is recorded and the pass resumes after that entry.
func (f *FeedOf[T]) fastPass(r *round[chan<- T], value T) (done bool) {
	subs := f.core.subs
	i := r.next
	defer func() {
		if v := recover(); v != nil {
			r.recordPanic(v)
			r.next = i + 1
		}
	}()
	for ; i < len(subs); i++ {
		s := subs[i]
		select {
		case s.ch <- value:
			r.n++
		default:
			r.pending = append(r.pending, s)
		}
	}
	return true
}
