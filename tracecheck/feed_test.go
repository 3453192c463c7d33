//go:build eventtrace

package tracecheck

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/eventspec/eventspec/event"
)

// feedChan is a subscriber channel of a Feed scenario and how it is read:
// "recv" (unbuffered only: a goroutine receives until the end), "manual"
// (the driver takes one value at chosen points, every goroutine blocked
// first), "stall" (nobody reads it; its entries are unsubscribed at the
// end) or "close" (read like manual; the driver closes it at some point).
type feedChan struct {
	cap  int
	mode string
}

// feedOp is one step of the driver: "sub" (Subscribe an entry on channel
// a), "unsub" (Unsubscribe entry a in a new goroutine), "send" (Send call a
// in a new goroutine: SendContext with its own ctx unless plain), "cancel"
// (cancel the ctx of call a), "drain" (take one value from channel a),
// "close" (close channel a), "settle" (let every goroutine block), "bad"
// (Feed only: a SendContext of the wrong type, which panics at once).
type feedOp struct {
	kind string
	a    int
}

// feedPlan is a Feed scenario.
type feedPlan struct {
	typed bool // FeedOf[int], else Feed
	chans []feedChan
	plain []bool // per Send call: plain Send (no ctx), else SendContext
	ops   []feedOp
}

func (p feedPlan) String() string {
	name := "Feed"
	if p.typed {
		name = "FeedOf"
	}
	chans := make([]string, len(p.chans))
	for i, c := range p.chans {
		chans[i] = fmt.Sprintf("c%d(cap %d, %s)", i, c.cap, c.mode)
	}
	ops := make([]string, len(p.ops))
	for i, o := range p.ops {
		switch o.kind {
		case "settle", "bad":
			ops[i] = o.kind
		default:
			ops[i] = fmt.Sprintf("%s %d", o.kind, o.a)
		}
	}
	plain := 0
	for _, b := range p.plain {
		if b {
			plain++
		}
	}
	return fmt.Sprintf("%s; channels [%s]; %d Send calls (%d plain); ops [%s]",
		name, strings.Join(chans, " "), len(p.plain), plain, strings.Join(ops, ", "))
}

func newFeedPlan(rng *rand.Rand) feedPlan {
	b := feedPlanner{feedPlan: feedPlan{typed: rng.IntN(2) == 0}}
	for range 1 + rng.IntN(3) {
		c := feedChan{cap: rng.IntN(3)}
		if c.cap == 0 {
			c.mode = []string{"recv", "recv", "manual", "stall", "close"}[rng.IntN(5)]
		} else {
			c.mode = []string{"manual", "manual", "stall", "close"}[rng.IntN(4)]
		}
		b.chans = append(b.chans, c)
	}
	b.perChan = make([]int, len(b.chans))
	b.closed = make([]bool, len(b.chans))
	for c := range b.chans {
		b.subOn(c)
	}
	nops := 4 + rng.IntN(10)
	if rng.IntN(4) == 0 {
		nops += rng.IntN(16)
	}
	for range nops {
		b.drawOp(rng)
	}
	b.closeLate(rng)
	return b.feedPlan
}

// feedPlanner draws a feedPlan's operations, keeping what the draws depend
// on: the entries made, the entries per channel, the channels closed and the
// Send calls started.
type feedPlanner struct {
	feedPlan
	entries int
	perChan []int
	closed  []bool
	sends   []int
}

func (b *feedPlanner) subOn(c int) {
	b.ops = append(b.ops, feedOp{"sub", c})
	b.entries++
	b.perChan[c]++
}

// drawOp draws one operation (or none, when the draw does not fit the state).
func (b *feedPlanner) drawOp(rng *rand.Rand) {
	switch k := rng.IntN(20); {
	case k < 6:
		i := len(b.plain)
		b.plain = append(b.plain, rng.IntN(3) == 0)
		if !b.plain[i] && rng.IntN(6) == 0 { // a ctx done before the call
			b.ops = append(b.ops, feedOp{"cancel", i})
		}
		b.sends = append(b.sends, i)
		b.ops = append(b.ops, feedOp{"send", i})
	case k < 8:
		if c := rng.IntN(len(b.chans)); b.perChan[c] < 2 {
			b.subOn(c)
		}
	case k < 11:
		b.ops = append(b.ops, feedOp{"unsub", rng.IntN(b.entries)})
	case k < 13:
		if len(b.sends) > 0 {
			b.ops = append(b.ops, feedOp{"cancel", b.sends[rng.IntN(len(b.sends))]})
		}
	case k < 16:
		c := rng.IntN(len(b.chans))
		if m := b.chans[c].mode; m == "manual" || m == "close" {
			b.ops = append(b.ops, feedOp{"drain", c})
		}
	case k < 17:
		c := rng.IntN(len(b.chans))
		if b.chans[c].mode == "close" && !b.closed[c] {
			b.closed[c] = true
			b.ops = append(b.ops, feedOp{"close", c})
		}
	case k < 19:
		b.ops = append(b.ops, feedOp{"settle", 0})
	default:
		if !b.typed {
			b.ops = append(b.ops, feedOp{"bad", 0})
		}
	}
}

// closeLate closes each channel of mode close that was not closed yet at a
// random point after the first op that follows the initial Subscribes.
func (b *feedPlanner) closeLate(rng *rand.Rand) {
	for c, fc := range b.chans {
		if fc.mode == "close" && !b.closed[c] && len(b.sends) > 0 {
			i := len(b.chans) + 1 + rng.IntN(len(b.ops)-len(b.chans))
			b.ops = append(b.ops[:i], append([]feedOp{{"close", c}}, b.ops[i:]...)...)
		}
	}
}

// feedRun is the driver's state during one run.
type feedRun struct {
	t       *testing.T
	p       feedPlan
	sub     func(ch chan int) event.Subscription
	send    func(ctx context.Context, v int) (int, error)
	plain   func(v int) int
	bad     func(ctx context.Context)
	chans   []chan int
	subs    []event.Subscription
	subChan []int
	ctxs    []context.Context
	cancels []context.CancelFunc
	running atomic.Int64
	wg      sync.WaitGroup
	stop    chan struct{}
	flush   func() // writes the trace so far
	quiets  int    // ObsQuiet events recorded
}

func newFeedRun(t *testing.T, p feedPlan) *feedRun {
	r := &feedRun{t: t, p: p, stop: make(chan struct{})}
	if p.typed {
		var f event.FeedOf[int]
		r.sub = func(ch chan int) event.Subscription { return f.Subscribe(ch) }
		r.send = f.SendContext
		r.plain = f.Send
	} else {
		var f event.Feed
		r.sub = func(ch chan int) event.Subscription { return f.Subscribe(ch) }
		r.send = func(ctx context.Context, v int) (int, error) { return f.SendContext(ctx, v) }
		r.plain = func(v int) int { return f.Send(v) }
		r.bad = func(ctx context.Context) { f.SendContext(ctx, "not an int") }
	}
	for _, c := range p.chans {
		r.chans = append(r.chans, make(chan int, c.cap))
	}
	for range p.plain {
		ctx, cancel := context.WithCancel(context.Background())
		r.ctxs = append(r.ctxs, ctx)
		r.cancels = append(r.cancels, cancel)
	}
	return r
}

// sendCall runs Send call i in a new goroutine; a SendContext call reports
// what it returned (ObsReturned), a panic included.
func (r *feedRun) sendCall(i int) {
	r.running.Add(1)
	r.wg.Go(func() {
		defer r.running.Add(-1)
		if r.p.plain[i] {
			defer func() { _ = recover() }()
			r.plain(i + 1)
			return
		}
		ctx := r.ctxs[i]
		panicked := true
		defer func() {
			if panicked {
				_ = recover()
				event.TraceEmit("ObsReturned", "sender", event.TraceSender(ctx), "n", 0, "err", false, "panicked", true)
			}
		}()
		n, err := r.send(ctx, i+1)
		panicked = false
		event.TraceEmit("ObsReturned", "sender", event.TraceSender(ctx), "n", n, "err", err != nil, "panicked", false)
	})
}

// badCall is a SendContext of the wrong type on a Feed: it panics at once
// and never takes a step of the spec (ObsNotSent).
func (r *feedRun) badCall() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	func() {
		defer func() {
			if recover() == nil {
				r.t.Errorf("a SendContext of the wrong type did not panic")
			}
		}()
		r.bad(ctx)
	}()
	event.TraceEmit("ObsNotSent", "sender", event.TraceSender(ctx))
}

// drain takes one value from channel c if it has one (and reports
// whether it did), as one step with the record: Receive for a buffered channel; for an unbuffered one the
// hand-over is the step of the Send that made it, and nothing is recorded.
// Every goroutine is blocked first, so that no delivery to c is made but
// not yet recorded.
func (r *feedRun) drain(c int) (took bool) {
	r.quiet()
	ch := r.chans[c]
	event.TraceDo(func() (string, []any) {
		select {
		case _, ok := <-ch:
			took = ok
			if ok && cap(ch) > 0 {
				return "Receive", []any{"ch", ch, "cap", cap(ch)}
			}
		default:
		}
		return "", nil
	})
	return took
}

// quiet lets every goroutine of the run block and records that they are
// (ObsQuiet): no goroutine of the feed can take a step now. Then it writes
// the trace so far: a panic in a goroutine the run does not control (a
// mutant's) ends the test binary, and the trace up to here is judged.
func (r *feedRun) quiet() {
	synctest.Wait()
	event.TraceEmit("ObsQuiet")
	r.quiets++
	if r.flush != nil {
		r.flush()
	}
}

// unsub calls Unsubscribe in a new goroutine, which then looks at Err
// (ObsErr): closed or open, and whether it carried a value.
func (r *feedRun) unsub(sub event.Subscription) {
	r.wg.Go(func() {
		sub.Unsubscribe()
		event.TraceDo(func() (string, []any) {
			closed, value := false, false
			select {
			case _, ok := <-sub.Err():
				closed, value = !ok, ok
			default:
			}
			return "ObsErr", []any{"entry", sub, "closed", closed, "value", value}
		})
	})
}

func (r *feedRun) do(op feedOp) {
	switch op.kind {
	case "sub":
		r.subs = append(r.subs, r.sub(r.chans[op.a]))
		r.subChan = append(r.subChan, op.a)
	case "unsub":
		r.unsub(r.subs[op.a])
	case "send":
		r.sendCall(op.a)
	case "cancel":
		ctx, cancel := r.ctxs[op.a], r.cancels[op.a]
		if r.p.plain[op.a] {
			return
		}
		event.TraceDo(func() (string, []any) {
			if ctx.Err() != nil {
				return "", nil
			}
			cancel()
			return "CtxDone", []any{"sender", event.TraceSender(ctx)}
		})
	case "drain":
		r.drain(op.a)
	case "close":
		// As in drain: a delivery to ch must not be made but not yet
		// recorded when ch is closed.
		r.quiet()
		ch := r.chans[op.a]
		event.TraceDo(func() (string, []any) {
			close(ch)
			return "CloseChan", []any{"ch", ch, "cap", cap(ch)}
		})
	case "settle":
		r.quiet()
	case "bad":
		r.badCall()
	}
}

// finish ends the run: entries on stalled channels are unsubscribed, and
// the driver takes values from the channels it reads until every Send call
// has returned; then the receivers stop. It returns false, leaving the
// blocked goroutines as they are, if a round of draining records nothing
// but ObsQuiet events: the run is stuck (its trace shows where).
func (r *feedRun) finish(rec *Recorder) bool {
	for i, c := range r.subChan {
		if r.p.chans[c].mode == "stall" {
			r.unsub(r.subs[i])
		}
	}
	last := -1
	for {
		r.quiet()
		if r.running.Load() == 0 {
			break
		}
		n := rec.Len() - r.quiets
		if n == last {
			return false
		}
		last = n
		for c, fc := range r.p.chans {
			if fc.mode == "manual" || fc.mode == "close" {
				r.drain(c)
			}
		}
	}
	// Every value left in a buffered channel is taken (Receive): the
	// spec's buffers must hold as many.
	for c := range r.chans {
		for cap(r.chans[c]) > 0 && r.drain(c) {
		}
	}
	close(r.stop)
	r.wg.Wait()
	for _, cancel := range r.cancels {
		cancel()
	}
	return true
}

// TestTraceFeed records runs of Feed and FeedOf: Subscribe and Unsubscribe
// churn during Sends; Sends blocked on unbuffered or full channels and
// interrupted by Unsubscribe; channels closed while entries are pending;
// concurrent Sends through the queue; SendContext cancelled before its
// call, while queued, handed its turn, after the fast pass or parked; and
// (Feed) Sends of the wrong type.
func TestTraceFeed(t *testing.T) {
	forSeeds(t, "Feed", func(t *testing.T, seed uint64, write func(*Run)) {
		p := newFeedPlan(rand.New(rand.NewPCG(seed, 0x46656564)))
		synctest.Test(t, func(t *testing.T) {
			rec := Record(t)
			r := newFeedRun(t, p)
			writeSoFar := func() {
				events, err := rec.Events()
				if err != nil {
					t.Fatal(err)
				}
				events, params, err := feedCanon(events)
				if err != nil {
					t.Fatal(err)
				}
				write(&Run{Seed: seed, Scenario: p.String(), Params: params, Events: events})
			}
			r.flush = writeSoFar
			for c, fc := range p.chans {
				if fc.mode == "recv" {
					ch := r.chans[c]
					r.wg.Go(func() {
						for {
							select {
							case <-ch:
							case <-r.stop:
								return
							}
						}
					})
				}
			}
			for _, op := range p.ops {
				r.do(op)
			}
			done := r.finish(rec)
			if done {
				synctest.Wait()
			}
			writeSoFar()
			if !done {
				// The bubble panics (deadlock) as it ends: the trace is written.
				t.Errorf("stuck: %d Send calls never returned", r.running.Load())
			}
		})
	})
}

// feedCanon renames channels and entries so that the spec's constants are
// the same for every trace: channel j of capacity c (j-th in order of
// first appearance) is <<c, j>>, the k-th entry subscribed on channel ch
// is <<ch, k>>; the spec's ChanOf and Cap read them off the names. It drops
// the capacities from the events and returns the trace's parameters: the
// largest capacity, channel and entry numbers, the number of Send calls
// and the most Unsubscribe calls of one entry.
func feedCanon(events []Event) ([]Event, []Field, error) {
	chans := map[any][]any{}
	perCap := map[int]int{}
	entries := map[any][]any{}
	perChan := map[any]int{}
	unsubs := map[any]int{}
	maxCap, maxJ, maxK, senders, callers := 0, 1, 1, 0, 1
	out := make([]Event, len(events))
	for i, e := range events {
		fields := map[string]any{}
		for _, f := range e.Fields {
			fields[f.Name] = f.Value
		}
		if ch, ok := fields["ch"]; ok {
			if _, seen := chans[ch]; !seen {
				c, ok := fields["cap"].(int)
				if !ok {
					return nil, nil, fmt.Errorf("event %d (%s): a channel without its capacity", i+1, e.Action)
				}
				perCap[c]++
				chans[ch] = []any{c, perCap[c]}
				maxCap, maxJ = max(maxCap, c), max(maxJ, perCap[c])
			}
		}
		if en, ok := fields["entry"]; ok {
			if _, seen := entries[en]; !seen {
				ch, ok := fields["ch"]
				if e.Action != "Subscribe" || !ok {
					return nil, nil, fmt.Errorf("event %d (%s): entry %v before its Subscribe", i+1, e.Action, en)
				}
				perChan[ch]++
				entries[en] = []any{chans[ch], perChan[ch]}
				maxK = max(maxK, perChan[ch])
			}
			if e.Action == "Unsub1" {
				unsubs[en]++
				callers = max(callers, unsubs[en])
			}
		}
		if s, ok := fields["sender"].(int); ok {
			senders = max(senders, s)
		}
		ev := Event{Seq: e.Seq, Action: e.Action}
		for _, f := range e.Fields {
			switch f.Name {
			case "cap":
				continue
			case "ch":
				f.Value = chans[f.Value]
			case "entry":
				f.Value = entries[f.Value]
			}
			ev.Fields = append(ev.Fields, f)
		}
		out[i] = ev
	}
	params := []Field{{"maxCap", maxCap}, {"chans", maxJ}, {"subs", maxK}, {"senders", max(senders, 1)}, {"callers", callers}}
	return out, params, nil
}
