package event

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"slices"
	"sync"
)

// One Send, top to bottom: FeedOf.Send and Feed.Send lock mu and call their
// fast pass, sendOf or sendFeed, which runs every step below in this file.
// The comments name the actions of spec/FeedImpl.tla at the points where the
// code takes them.
//
// One mutex guards everything. A Send first offers its value to every entry
// without blocking while it holds mu (the fast pass); only the entries that
// were not ready are left pending. If none are, the Send is over. Otherwise
// the Send marks the feed busy, releases mu, retries the pending entries a
// few times, and finally parks one deliverer on each entry still pending
// until its receiver takes the value or the entry is unsubscribed.
//
// While the feed is busy, every Send that begins joins the end of queue and
// waits. A Send that ends hands the feed to the head of queue, busy still
// set, so that no Send overtakes one that waits; only when queue is empty
// does it clear busy. Hence queue is empty whenever busy is clear, and an
// uncontended Send never touches it.

// chanOps are the channel operations of one Send on its value, which the
// slow path (after the fast pass) applies to each entry: FeedOf's on a
// chan<- T (typedOps), Feed's through reflect (reflectOps, in feed.go).
type chanOps[C any] interface {
	// trySend offers the value to ch without blocking and reports whether
	// ch took it.
	trySend(ch C) bool
	// block offers the value to s's channel until it takes it (true), or
	// s is unsubscribed or done is closed (false).
	block(s *feedSub[C], done <-chan struct{}) bool
}

// fastPass is how far the fast pass of a Send has come, on the Send's
// stack: the entry being offered, the deliveries so far, and the entries
// that were not ready. Its pending buffer is lent by the feed
// (feedCore.spare) for as long as the Send owns the feed.
type fastPass[C any] struct {
	next int
	tally
	pending []*feedSub[C]
}

// sending is a Send after its fast pass, on the Send's stack. (The fast
// pass itself keeps to the few words of fastPass, so that an uncontended
// Send stays as cheap as a locked channel send.)
type sending[C any, O chanOps[C]] struct {
	core *feedCore[C]
	ops  O
	ctx  context.Context
	done <-chan struct{} // ctx.Done(), read by end
	fastPass[C]
}

// tally is what a Send's deliveries came to: the one place they are counted.
type tally struct {
	n        int  // deliveries made
	cut      bool // a subscribed entry missed the value because done was closed
	panicked bool
	panicVal any // the first panic raised by a delivery
}

// errNilContext is the panic value of SendContext with a nil ctx.
var errNilContext = errors.New("event: SendContext with a nil Context")

// maxRetryRounds bounds the non-blocking retries between the fast pass and
// the blocking phase.
const maxRetryRounds = 3

// The fast pass: FeedOf[T]'s (sendOf) and Feed's (sendFeed), next to each
// other. Each is called with c.mu held. It waits for its turn while the feed
// is busy (begin); owning the feed (FastBegin, or HandedBegin after the
// wait), it takes one FastStep per entry, offering the value without
// blocking. If every entry took it, FastEnd ends the Send; otherwise the
// shared slow path does (sending.end), and if a closed channel panics in a
// FastStep, resume. The two differ only in the offer, a select with a
// default case or reflect's TrySend, written into the loop instead of called
// through chanOps: that call, which cannot be inlined, would cost an
// uncontended Send about 2 ns (bench/README.md). Both return the number of
// deliveries and, if ctx ended the wait before every entry took the value,
// context.Cause(ctx); a closed channel's panic is raised again once every
// other entry is served.

// sendOf is one Send or SendContext of FeedOf[T].
func sendOf[T any](c *feedCore[chan<- T], ops typedOps[T], ctx context.Context) (int, error) {
	if !c.begin(ctx) {
		return 0, context.Cause(ctx)
	}
	chans, pass := c.chans, fastPass[chan<- T]{pending: c.spare[:0]}
	// FastStep, one entry each; resume takes over if a closed channel panics.
	defer func() {
		if pass.next < len(chans) {
			resume(c, &ops, ctx, &pass, recover())
		}
	}()
	for ; pass.next < len(chans); pass.next++ {
		if tracing {
			traceBegin()
		}
		select {
		case chans[pass.next] <- ops.value:
			pass.step(c, true)
		default:
			pass.step(c, false)
		}
	}
	if len(pass.pending) > 0 || c.busy {
		return slow(c, &ops, ctx, &pass)
	}
	return c.fastEnd(pass.n)
}

// sendFeed is one Send or SendContext of Feed, after its type check.
func sendFeed(c *feedCore[reflect.Value], v reflect.Value, ctx context.Context) (int, error) {
	if !c.begin(ctx) {
		return 0, context.Cause(ctx)
	}
	chans, pass := c.chans, fastPass[reflect.Value]{pending: c.spare[:0]}
	// FastStep, one entry each; resume takes over if a closed channel panics.
	defer func() {
		if pass.next < len(chans) {
			resume(c, &reflectOps{v}, ctx, &pass, recover())
		}
	}()
	for ; pass.next < len(chans); pass.next++ {
		if tracing {
			traceBegin()
		}
		pass.step(c, chans[pass.next].TrySend(v))
	}
	if len(pass.pending) > 0 || c.busy {
		return slow(c, &reflectOps{v}, ctx, &pass)
	}
	return c.fastEnd(pass.n)
}

// begin waits for the Send's turn while the feed is busy. It reports
// whether the Send owns the feed, with mu held (FastBegin, or HandedBegin
// after the wait); if ctx ended the wait first, it returns false with mu
// released.
func (c *feedCore[C]) begin(ctx context.Context) bool {
	if tracing {
		traceArrive(c, c.busy, ctx)
	}
	return !c.busy || c.turn(ctx)
}

// turn is begin on a busy feed: Enqueue, then HandedBegin, or GiveUpBusy,
// LeaveQueue or PassTurn, which release mu.
func (c *feedCore[C]) turn(ctx context.Context) bool {
	if c.wait(ctx.Done()) {
		return true
	}
	c.mu.Unlock()
	return false
}

// step records FastStep's outcome for entry next: sent if ok, else pending.
func (p *fastPass[C]) step(c *feedCore[C], ok bool) {
	if ok {
		p.n++
		if tracing {
			traceOwnerEnd(c, "FastStep", "entry", c.subs[p.next], "r", "sent")
		}
	} else {
		p.pending = append(p.pending, c.subs[p.next])
		if tracing {
			traceOwnerEnd(c, "FastStep", "entry", c.subs[p.next], "r", "pending")
		}
	}
}

// fastEnd is FastEnd for a fast pass in which all n entries took the
// value, on a feed that was not busy: the Send is over, and releases mu.
func (c *feedCore[C]) fastEnd(n int) (int, error) {
	if tracing {
		traceOwnerStep(c, "FastEnd")
	}
	c.mu.Unlock()
	return n, nil
}

// slow ends a fast pass that left entries pending, or on a feed the queue
// handed over (sending.end, which releases it).
func slow[C any, O chanOps[C]](c *feedCore[C], ops *O, ctx context.Context, pass *fastPass[C]) (int, error) {
	st := sending[C, O]{core: c, ops: *ops, ctx: ctx, fastPass: *pass}
	return st.end()
}

// resume continues a fast pass that a closed channel stopped with panic p
// at entry next (FastStep): it offers the value to the entries after it and
// ends the Send, which raises the panic again.
func resume[C any, O chanOps[C]](c *feedCore[C], ops *O, ctx context.Context, pass *fastPass[C], p any) {
	if tracing { // the trace lock is held from the fast pass
		traceOwnerEnd(c, "FastStep", "entry", c.subs[pass.next], "r", "panic")
	}
	st := sending[C, O]{core: c, ops: *ops, ctx: ctx, fastPass: *pass}
	st.recordPanic(p)
	for _, s := range c.subs[st.next+1:] {
		st.offer(s)
	}
	st.end() // raises the panic again
}

// wait is called with mu held while the feed is busy: it puts the calling
// Send at the end of the queue and returns true, with mu held, once an ending
// Send has handed it the feed; busy stays set and the caller owns the feed.
// If done is closed first (or already), the Send leaves the queue, or hands
// on a feed handed to it meanwhile, and wait returns false with mu held.
func (c *feedCore[C]) wait(done <-chan struct{}) bool {
	if tracing {
		traceBegin()
	}
	if isDone(done) {
		if tracing {
			traceHolderEnd(c, "GiveUpBusy")
		}
		return false // GiveUpBusy
	}
	turn := make(chan struct{})
	c.queue = append(c.queue, turn) // Enqueue
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
		return true // HandedBegin
	case <-done:
	}
	c.mu.Lock()
	if i := slices.Index(c.queue, turn); i >= 0 {
		c.queue = slices.Delete(c.queue, i, i+1) // LeaveQueue
		if tracing {
			traceTurn(c, turn, "LeaveQueue")
		}
	} else { // the feed was handed over as done closed
		if tracing {
			traceTurn(c, turn, "PassTurn")
		}
		c.release() // PassTurn
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

// offer is FastStep for entry s after one that panicked, and a retry of s:
// one non-blocking delivery attempt, recording a panic (a closed channel)
// instead of raising it. It is called with mu held.
func (st *sending[C, O]) offer(s *feedSub[C]) {
	if tracing {
		traceBegin()
	}
	defer func() {
		if p := recover(); p != nil {
			if tracing {
				traceOffer(st.core, s, "panic")
			}
			st.recordPanic(p)
		}
	}()
	if st.ops.trySend(s.ch) {
		st.n++
		if tracing {
			traceOffer(st.core, s, "sent")
		}
	} else {
		st.pending = append(st.pending, s)
		if tracing {
			traceOffer(st.core, s, "pending")
		}
	}
}

// end ends a Send whose fast pass left entries pending or panicked. It is
// called with mu held and returns with mu released, or raises the first
// recorded panic once every other entry has been served.
func (st *sending[C, O]) end() (int, error) {
	c := st.core
	st.done = st.ctx.Done()
	if tracing { // held across the check of done
		traceBegin()
	}
	switch {
	case len(st.pending) == 0: // FastEnd: nothing pending; a panic recorded, or handed over
		if tracing {
			traceOwnerEnd(c, "FastEnd")
		}
	case isDone(st.done): // FastEndCut: the pending entries miss the value
		st.cut = true
		if tracing {
			traceOwnerEnd(c, "FastEndCut")
		}
	default: // FastEnd: entries pending, so the slow path
		c.busy = true
		if tracing {
			traceOwnerEnd(c, "FastEnd")
		}
		c.mu.Unlock()
		st.retry()
		st.park()
		c.mu.Lock() // SendFinish: every deliverer has returned
		if tracing {
			traceOwnerStep(c, "SendFinish")
		}
	}
	if c.busy {
		c.release() // Release
	}
	clear(st.pending)
	c.spare = st.pending[:0]
	c.mu.Unlock()
	if st.panicked {
		panic(st.panicVal)
	}
	if st.cut {
		return st.n, context.Cause(st.ctx)
	}
	return st.n, nil
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

// retry offers the value again to the pending entries that are still
// subscribed, yielding the processor between rounds so that receivers can
// get ready, for as long as rounds make progress and done is open. A single
// pending entry is left to park, which serves it without extra goroutines.
// (spec: RetryRound, RetryStep, RetryEnd).
func (st *sending[C, O]) retry() {
	c := st.core
	for i := 0; i < maxRetryRounds && len(st.pending) > 1; i++ {
		runtime.Gosched()
		if isDone(st.done) {
			return
		}
		c.mu.Lock()
		if tracing {
			traceOwnerStep(c, "RetryRound")
		}
		pending := st.pending
		st.pending = st.pending[:0]
		for _, s := range pending {
			if s.index >= 0 {
				st.offer(s)
			}
		}
		clear(pending[len(st.pending):])
		progress := len(st.pending) < len(pending)
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
// done. The calling goroutine serves the first entry itself, so the common
// case of one entry needs no goroutine and no WaitGroup.
func (st *sending[C, O]) park() {
	c, ops, done := st.core, st.ops, st.done
	c.mu.Lock() // BlockBegin
	live := st.pending[:0]
	for _, s := range st.pending {
		if s.index >= 0 {
			s.blocked = true
			live = append(live, s)
		}
	}
	clear(st.pending[len(live):])
	st.pending = live
	if tracing {
		traceOwnerStep(c, "BlockBegin")
	}
	c.mu.Unlock()
	switch len(live) {
	case 0:
		return
	case 1:
		deliver(c, ops, live[0], done, &st.tally)
		return
	}
	crew := new(struct { // the deliverers' goroutines share this, not st
		wg sync.WaitGroup
		tally
	})
	for _, s := range live[1:] {
		crew.wg.Go(func() { deliver(c, ops, s, done, &crew.tally) })
	}
	deliver(c, ops, live[0], done, &crew.tally)
	crew.wg.Wait()
	st.add(&crew.tally)
}

// deliver is one parked deliverer: it blocks until s takes the value, is
// unsubscribed or done is closed, records the outcome in t, then releases
// an Unsubscribe that waits for it.
func deliver[C any, O chanOps[C]](c *feedCore[C], ops O, s *feedSub[C], done <-chan struct{}, t *tally) {
	delivered, panicked, p := blockSafely(ops, s, done)
	if tracing { // just after the select: DeliverSend, DeliverPanic, or DeliverGaveUp (err or done)
		traceDeliver(c, s, delivered, panicked)
	}
	c.mu.Lock()
	switch {
	case delivered: // DeliverSend
		t.n++
	case panicked: // DeliverPanic
		t.recordPanic(p)
	case s.index >= 0: // DeliverCtxDone: still subscribed, done was closed
		t.cut = true
	} // otherwise DeliverInterrupted
	s.blocked = false // DeliverDone
	// Recorded before the close, which lets a waiting Unsubscribe return.
	if tracing {
		traceOwnerStep(c, "DeliverDone", "entry", s)
	}
	if s.waiter != nil {
		close(s.waiter)
		s.waiter = nil
	}
	c.mu.Unlock()
}

// blockSafely runs ops.block, turning a panic into a result.
func blockSafely[C any, O chanOps[C]](ops O, s *feedSub[C], done <-chan struct{}) (delivered, panicked bool, p any) {
	defer func() {
		if r := recover(); r != nil {
			panicked, p = true, r
		}
	}()
	return ops.block(s, done), false, nil
}

// recordPanic keeps the first panic of a Send.
func (t *tally) recordPanic(p any) {
	if !t.panicked {
		t.panicked, t.panicVal = true, p
	}
}

// add records the deliveries of u, made after those of t.
func (t *tally) add(u *tally) {
	t.n += u.n
	t.cut = t.cut || u.cut
	if u.panicked {
		t.recordPanic(u.panicVal)
	}
}

// typedOps are the channel operations of FeedOf[T] on value.
type typedOps[T any] struct{ value T }

// The engine calls the methods of chanOps only through its type parameter,
// which staticcheck does not follow (U1000); these uses keep them visible.
var (
	_                        = typedOps[int].trySend
	_                        = typedOps[int].block
	_ chanOps[reflect.Value] = reflectOps{}
)

func (o typedOps[T]) trySend(ch chan<- T) bool {
	select {
	case ch <- o.value:
		return true
	default:
		return false
	}
}

func (o typedOps[T]) block(s *feedSub[chan<- T], done <-chan struct{}) bool {
	select {
	case s.ch <- o.value:
		return true
	case <-s.err:
		return false
	case <-done:
		return false
	}
}
