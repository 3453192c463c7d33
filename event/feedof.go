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
	subs, pending := c.subs, r.pending
	i, n, passed := 0, 0, false
	defer func() {
		if !passed { // a closed channel panicked in the fast pass
			r.n, r.pending = n, pending
			f.resume(r, subs[i+1:], &value, recover())
		}
	}()
	for ; i < len(subs); i++ { // the fast pass
		s := subs[i]
		select {
		case s.ch <- value:
			n++
		default:
			pending = append(pending, s)
		}
	}
	passed = true
	if len(pending) == 0 { // every entry was ready
		c.mu.Unlock()
		return n
	}
	r.n, r.pending = n, pending
	return f.finish(r, value, nil)
}

// resume continues a fast pass that panicked on a closed channel with the
// entries after it, then ends the Send, which re-raises the panic.
func (f *FeedOf[T]) resume(r *round[chan<- T], rest []*feedSub[chan<- T], value *T, v any) {
	r.recordPanic(v)
	f.finish(r, *value, rest)
}

// finish ends a Send whose fast pass left entries pending or panicked
// before reaching the entries in rest.
func (f *FeedOf[T]) finish(r *round[chan<- T], value T, rest []*feedSub[chan<- T]) int {
	return f.core.finish(r, rest,
		func(s *feedSub[chan<- T]) bool {
			select {
			case s.ch <- value:
				return true
			default:
				return false
			}
		},
		func(s *feedSub[chan<- T]) bool {
			select {
			case s.ch <- value:
				return true
			case <-s.err:
				return false
			}
		})
}
