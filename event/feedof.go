package event

import "context"

// FeedOf delivers values of type T to every channel subscribed to it. The zero
// value is ready to use.
//
// Send blocks until every entry that was subscribed when it began has taken
// the value or has been unsubscribed; no subscriber is ever skipped. One Send
// runs at a time and concurrent Sends queue. A Send waits for its turn only
// while another Send is in progress. A Send that has to wait is served
// before every Send called after it started waiting. Every Send completes when
// its subscribers keep receiving, however often other goroutines send. Every
// subscriber sees values in the order in which their Sends ran. A panic inside
// Send never leaves the feed locked.
type FeedOf[T any] struct {
	core feedCore[chan<- T]
}

// Subscribe adds channel to the feed: every later Send delivers one copy of
// its value to it, one per Subscribe call if channel is subscribed several
// times. A Send already running when Subscribe is called does not deliver to
// it. The feed never closes channel. A nil channel blocks every Send until it
// is unsubscribed. Once Unsubscribe of the returned Subscription has
// returned, nothing more is delivered to channel through it; Unsubscribe
// returns even while a Send is blocked on channel, which stops waiting for
// this subscription. Its Err channel never carries a value and is closed by
// Unsubscribe.
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
	nsent, _ = f.send(context.Background(), value)
	return nsent
}

// SendContext is Send that gives up once ctx is done: it waits for its turn
// and for its subscribers as Send does until then, and returns the deliveries
// made and ctx's error, context.Cause(ctx) where one is set, if ctx ended the
// wait before every entry took the value. Nothing of it is delivered after it
// returns. The entries that did not take the value keep their subscriptions
// and miss this value only; a SendContext that ctx ends while it waits for
// its turn delivers nothing. With a ctx that is already done it never waits:
// if no other Send holds the feed it offers the value to every entry once,
// without blocking, and returns nil only if all took it.
//
// A SendContext whose ctx is not done costs what Send costs.
func (f *FeedOf[T]) SendContext(ctx context.Context, value T) (nsent int, err error) {
	if ctx == nil {
		panic(errNilContext)
	}
	return f.send(ctx, value)
}

// send is SendContext without the check of ctx; Send passes a ctx that is
// never done. Its fast pass under mu is the spec's FastBegin (or, after
// wait, HandedBegin) and FastStep.
func (f *FeedOf[T]) send(ctx context.Context, value T) (nsent int, err error) {
	c := &f.core
	c.mu.Lock()
	if tracing {
		traceArrive(c, c.busy, ctx)
	}
	if c.busy && !c.wait(ctx.Done()) {
		c.mu.Unlock()
		return 0, context.Cause(ctx)
	}
	r, chans := &c.round, c.chans
	var p passState
	defer func() {
		if tracing && !p.done { // the trace lock is held from the fast pass
			traceOwnerEnd(c, "FastStep", "entry", c.subs[p.next], "r", "panic")
		}
		if !p.done { // a closed channel panicked in the fast pass
			f.resume(r, &p, &value, ctx, recover())
		}
	}()
	for ; p.next < len(chans); p.next++ { // the fast pass
		if tracing {
			traceBegin()
		}
		select {
		case chans[p.next] <- value:
			if tracing {
				traceOwnerEnd(c, "FastStep", "entry", c.subs[p.next], "r", "sent")
			}
		default:
			r.pending = append(r.pending, c.subs[p.next])
			if tracing {
				traceOwnerEnd(c, "FastStep", "entry", c.subs[p.next], "r", "pending")
			}
		}
	}
	p.done = true
	if len(r.pending) == 0 { // every entry was ready
		if tracing {
			traceOwnerStep(c, "FastEnd")
		}
		if c.busy { // handed over by the queue
			c.release()
		}
		c.mu.Unlock()
		return len(chans), nil
	}
	r.n = len(chans) - len(r.pending)
	return f.finish(r, value, nil, ctx)
}

// resume continues a fast pass that a closed channel stopped with panic v:
// it serves the entries after that one and ends the Send, which raises the
// panic again (so no delivery count is kept).
func (f *FeedOf[T]) resume(r *round[chan<- T], p *passState, value *T, ctx context.Context, v any) {
	r.recordPanic(v)
	f.finish(r, *value, f.core.subs[p.next+1:], ctx)
}

// finish ends a Send whose fast pass left entries pending or panicked
// before reaching the entries in rest.
func (f *FeedOf[T]) finish(r *round[chan<- T], value T, rest []*feedSub[chan<- T], ctx context.Context) (int, error) {
	done := ctx.Done()
	n, cut := f.core.finish(r, rest, done,
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
			case <-done:
				return false
			}
		})
	if cut {
		return n, context.Cause(ctx)
	}
	return n, nil
}
