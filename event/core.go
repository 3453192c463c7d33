package event

import (
	"errors"
	"runtime"
	"slices"
	"sync"
)

// feedCore is the delivery engine shared by Feed and FeedOf. The channel type
// C is chan<- T for FeedOf[T] and reflect.Value for Feed.
//
// One mutex guards everything. A Send first offers its value to every entry
// without blocking while it holds mu (the fast pass); only the entries that
// were not ready are left pending. If none are, the Send is over. Otherwise the
// Send marks the feed busy, releases mu, retries the pending entries a few
// times, and finally parks one deliverer on each entry still pending until its
// receiver takes the value or the entry is unsubscribed.
//
// While the feed is busy, every Send that begins joins the end of queue and
// waits. A Send that ends hands the feed to the head of queue, busy still
// set, so that no Send overtakes one that waits; only when queue is empty does
// it clear busy. Hence queue is empty whenever busy is clear, and an
// uncontended Send never touches it. spec/FeedImpl.tla models this step by
// step, SendContext included; the comments below name its actions.
type feedCore[C any] struct {
	mu    sync.Mutex
	subs  []*feedSub[C]   // live entries; each knows its index
	chans []C             // chans[i] is subs[i].ch: the fast pass reads only this
	busy  bool            // a Send owns the feed beyond holding mu; others queue
	queue []chan struct{} // the waiting Sends, oldest first; each is closed to hand it the feed
	round round[C]        // the state of the Send that owns the feed
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

// round is the bookkeeping of one Send.
type round[C any] struct {
	n        int           // deliveries made
	pending  []*feedSub[C] // entries that have not taken the value yet
	cut      bool          // a subscribed entry missed the value because done was closed
	panicked bool
	panicVal any // the first panic raised by a delivery
}

// passState is how far the fast pass of a Send has come, for the deferred
// check that continues it when a closed channel panics. The fast pass runs
// with mu held and appends the entries that were not ready to round.pending;
// the others took the value, so a Send whose fast pass ends counts
// len(chans) - len(pending) deliveries there.
type passState struct {
	next int  // the entry being offered
	done bool // the fast pass reached the end without a panic
}

// errNilContext is the panic value of SendContext with a nil ctx.
var errNilContext = errors.New("event: SendContext with a nil Context")

// maxRetryRounds bounds the non-blocking retries between the fast pass and
// the blocking phase.
const maxRetryRounds = 3

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

// wait is called with mu held while the feed is busy: it puts the calling
// Send at the end of the queue and returns true, with mu held, once an ending
// Send has handed it the feed; busy stays set and the caller owns the feed.
// If done is closed first (or already), the Send leaves the queue, or hands
// on a feed handed to it meanwhile, and wait returns false with mu held.
// Spec actions: Enqueue, HandedBegin; with done closed GiveUpBusy,
// LeaveQueue, PassTurn.
func (c *feedCore[C]) wait(done <-chan struct{}) bool {
	if tracing {
		traceBegin()
	}
	if isDone(done) {
		if tracing {
			traceHolderEnd(c, "GiveUpBusy")
		}
		return false
	}
	turn := make(chan struct{})
	c.queue = append(c.queue, turn)
	if tracing {
		traceEnqueue(c, turn)
	}
	c.mu.Unlock()
	select {
	case <-turn:
		c.mu.Lock()
		if tracing {
			traceTurn(c, turn, "HandedBegin")
		}
		return true
	case <-done:
	}
	c.mu.Lock()
	if i := slices.Index(c.queue, turn); i >= 0 {
		c.queue = slices.Delete(c.queue, i, i+1)
		if tracing {
			traceTurn(c, turn, "LeaveQueue")
		}
	} else { // the feed was handed over as done closed
		if tracing {
			traceTurn(c, turn, "PassTurn")
		}
		c.release()
	}
	return false
}

// isDone reports whether done is closed; a nil done never is.
func isDone(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// release ends the calling Send's ownership of a busy feed, with mu held: it
// hands the feed to the oldest waiting Send, or clears busy if none waits
// (spec: Release).
func (c *feedCore[C]) release() {
	if len(c.queue) == 0 {
		c.busy = false
		return
	}
	next := c.queue[0]
	c.queue[0] = nil
	c.queue = c.queue[1:]
	close(next)
}

// recordPanic keeps the first panic of a round. It is called with mu held.
func (r *round[C]) recordPanic(v any) {
	if !r.panicked {
		r.panicked, r.panicVal = true, v
	}
}

// offer makes one non-blocking delivery attempt to s through try, counting a
// delivery, remembering s as pending when it was not ready, and recording a
// panic (a closed channel) instead of raising it. It is called with mu held.
func (r *round[C]) offer(s *feedSub[C], try func(*feedSub[C]) bool) {
	defer func() {
		if v := recover(); v != nil {
			r.recordPanic(v)
		}
	}()
	if try(s) {
		r.n++
	} else {
		r.pending = append(r.pending, s)
	}
}

// finish ends a Send whose fast pass is done, with mu held, hands the feed
// on, and leaves the round clean for the next Send. It first offers the value
// without blocking to the entries in rest, those after one that panicked. If
// entries are pending it then runs the slow path, unless done is closed: try
// retries one without blocking, block waits until the entry takes the value
// (true), is unsubscribed or done is closed (false). It returns the number of
// deliveries and whether a subscribed entry missed the value because done was
// closed, or raises the first recorded panic once every other entry has been
// served. Spec actions: FastEnd, FastEndCut (done closed), SendFinish.
func (c *feedCore[C]) finish(r *round[C], rest []*feedSub[C], done <-chan struct{}, try, block func(*feedSub[C]) bool) (int, bool) {
	if tracing {
		try, block = traceTry(c, try), traceBlock(c, block)
	}
	for _, s := range rest {
		r.offer(s, try)
	}
	if len(r.pending) > 0 {
		if tracing {
			traceBegin()
		}
		if isDone(done) {
			r.cut = true
			if tracing {
				traceOwnerEnd(c, "FastEndCut")
			}
		} else {
			c.busy = true
			if tracing {
				traceOwnerEnd(c, "FastEnd")
			}
			c.mu.Unlock()
			c.retry(r, done, try)
			c.park(r, block)
			c.mu.Lock()
			if tracing {
				traceOwnerStep(c, "SendFinish")
			}
		}
		clear(r.pending)
		r.pending = r.pending[:0]
	} else if tracing {
		traceOwnerStep(c, "FastEnd")
	}
	if c.busy {
		c.release()
	}
	n, cut, panicked, v := r.n, r.cut, r.panicked, r.panicVal
	*r = round[C]{pending: r.pending}
	c.mu.Unlock()
	if panicked {
		panic(v)
	}
	return n, cut
}

// retry offers the value again to the pending entries that are still
// subscribed, yielding the processor between rounds so that receivers can
// get ready, for as long as rounds make progress and done is open. A single
// pending entry is left to park, which serves it without extra goroutines.
func (c *feedCore[C]) retry(r *round[C], done <-chan struct{}, try func(*feedSub[C]) bool) {
	for i := 0; i < maxRetryRounds && len(r.pending) > 1; i++ {
		runtime.Gosched()
		if isDone(done) {
			return
		}
		c.mu.Lock()
		if tracing {
			traceOwnerStep(c, "RetryRound")
		}
		before := len(r.pending)
		pending := r.pending
		r.pending = r.pending[:0]
		for _, s := range pending {
			if s.index >= 0 {
				r.offer(s, try)
			}
		}
		clear(pending[len(r.pending):before])
		progress := len(r.pending) < before
		if tracing {
			traceOwnerStep(c, "RetryEnd")
		}
		c.mu.Unlock()
		if !progress {
			return
		}
	}
}

// park runs one deliverer per pending entry that is still subscribed and
// returns when each has delivered or been interrupted by Unsubscribe or by
// done (spec: BlockBegin; the retry rounds before it are folded into the
// deliverers). The calling goroutine serves the first entry itself.
func (c *feedCore[C]) park(r *round[C], block func(*feedSub[C]) bool) {
	c.mu.Lock()
	live := r.pending[:0]
	for _, s := range r.pending {
		if s.index >= 0 {
			s.blocked = true
			live = append(live, s)
		}
	}
	clear(r.pending[len(live):])
	r.pending = live
	if tracing {
		traceOwnerStep(c, "BlockBegin")
	}
	c.mu.Unlock()
	if len(live) == 0 {
		return
	}
	if len(live) == 1 { // the common case: no goroutine, no WaitGroup to allocate
		c.deliver(r, live[0], block)
		return
	}
	var wg sync.WaitGroup
	for _, s := range live[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.deliver(r, s, block)
		}()
	}
	c.deliver(r, live[0], block)
	wg.Wait()
}

// deliver blocks until s takes the value, is unsubscribed or the Send's done
// channel is closed, then releases an Unsubscribe that waits for it (spec:
// DeliverSend, DeliverPanic, DeliverInterrupted or DeliverCtxDone, then
// DeliverDone).
func (c *feedCore[C]) deliver(r *round[C], s *feedSub[C], block func(*feedSub[C]) bool) {
	delivered, panicked, v := blockSafely(s, block)
	c.mu.Lock()
	switch {
	case delivered:
		r.n++
	case !panicked && s.index >= 0: // still subscribed: done was closed
		r.cut = true
	}
	if panicked {
		r.recordPanic(v)
	}
	s.blocked = false
	if tracing { // before the close, which lets Unsubscribe return
		traceOwnerStep(c, "DeliverDone", "entry", s)
	}
	if s.waiter != nil {
		close(s.waiter)
		s.waiter = nil
	}
	c.mu.Unlock()
}

// blockSafely runs block, turning a panic into a result.
func blockSafely[C any](s *feedSub[C], block func(*feedSub[C]) bool) (delivered, panicked bool, v any) {
	defer func() {
		if p := recover(); p != nil {
			panicked, v = true, p
		}
	}()
	return block(s), false, nil
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
