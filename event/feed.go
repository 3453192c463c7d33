package event

import (
	"context"
	"errors"
	"reflect"
	"slices"
)

// errBadChannel is the panic value of Feed.Subscribe for an argument that is
// not a channel that can be sent on.
var errBadChannel = errors.New("event: Subscribe argument does not have sendable channel type")

// Feed delivers values to every channel subscribed to it, like FeedOf, for an
// element type chosen at run time. The zero value is ready to use.
//
// The element type is fixed by whichever comes first: the first Send (its
// value's dynamic type) or the first Subscribe (its channel's element type).
// Types must match exactly; a mismatch panics with an error. Apart from this
// check, Feed keeps every guarantee of FeedOf.
type Feed struct {
	core  feedCore[reflect.Value]
	etype reflect.Type // guarded by core.mu
}

// typeError is the panic value of a Send or Subscribe whose type does not
// match the feed's element type.
// For Subscribe, want is the element type and the message names the send-only
// channel of it. The text is built without reflect.ChanOf, which panics for
// element types of 64 KiB or more.
type typeError struct {
	op        string
	got, want reflect.Type
	sendChan  bool // want is the element type of the channel wanted
}

func (e typeError) Error() string {
	got := "nil"
	if e.got != nil {
		got = e.got.String()
	}
	want := e.want.String()
	if e.sendChan {
		want = "chan<- " + want
	}
	return "event: wrong type in " + e.op + " got " + got + ", want " + want
}

// Subscribe adds channel, which must be a channel that can be sent on, to the
// feed, with the guarantees of FeedOf.Subscribe. It panics with an error when
// channel is not such a channel (nil included), before any type is fixed,
// and when its element type is not the feed's; the feed stays usable.
func (f *Feed) Subscribe(channel interface{}) Subscription {
	ch := reflect.ValueOf(channel)
	if !ch.IsValid() || ch.Kind() != reflect.Chan || ch.Type().ChanDir()&reflect.SendDir == 0 {
		panic(errBadChannel)
	}
	elem := ch.Type().Elem()
	c := &f.core
	c.mu.Lock()
	if f.etype == nil {
		f.etype = elem
	} else if elem != f.etype {
		want := f.etype
		c.mu.Unlock()
		panic(typeError{op: "Subscribe", got: ch.Type(), want: want, sendChan: true})
	}
	s := c.subscribe(ch)
	c.mu.Unlock()
	return s
}

// Send delivers value to every entry subscribed when the Send began, with the
// guarantees of FeedOf.Send, and returns the number of deliveries. It panics
// with an error when value's type is not the feed's element type, at once,
// without waiting for a Send in progress. A nil value
// is delivered as the element type's nil when that type can hold one (and
// panics otherwise); before any type is fixed, Send(nil) returns 0 and fixes
// nothing.
func (f *Feed) Send(value interface{}) (nsent int) {
	nsent, _ = f.send(context.Background(), value)
	return nsent
}

// SendContext is Send that gives up once ctx is done, with the guarantees of
// FeedOf.SendContext. Like Send, it panics at once on a value of the wrong
// type.
func (f *Feed) SendContext(ctx context.Context, value interface{}) (nsent int, err error) {
	if ctx == nil {
		panic(errNilContext)
	}
	return f.send(ctx, value)
}

// send is SendContext without the check of ctx; Send passes a ctx that is
// never done. Its fast pass under mu is the spec's FastBegin (or, after
// wait, HandedBegin) and FastStep.
func (f *Feed) send(ctx context.Context, value interface{}) (nsent int, err error) {
	v := reflect.ValueOf(value)
	c := &f.core
	c.mu.Lock()
	if err := f.check(&v); err != nil { // before waiting: a wrong type panics at once
		c.mu.Unlock()
		panic(err)
	}
	if !v.IsValid() {
		c.mu.Unlock()
		return 0, nil
	}
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
			f.resume(r, &p, v, ctx, recover())
		}
	}()
	for ; p.next < len(chans); p.next++ { // the fast pass
		if tracing {
			traceBegin()
		}
		if !chans[p.next].TrySend(v) {
			r.pending = append(r.pending, c.subs[p.next])
			if tracing {
				traceOwnerEnd(c, "FastStep", "entry", c.subs[p.next], "r", "pending")
			}
		} else if tracing {
			traceOwnerEnd(c, "FastStep", "entry", c.subs[p.next], "r", "sent")
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
	return f.finish(r, v, nil, ctx)
}

// resume continues a fast pass that a closed channel stopped with panic pv:
// it serves the entries after that one and ends the Send, which raises the
// panic again (so no delivery count is kept).
func (f *Feed) resume(r *round[reflect.Value], p *passState, v reflect.Value, ctx context.Context, pv any) {
	r.recordPanic(pv)
	f.finish(r, v, f.core.subs[p.next+1:], ctx)
}

// finish ends a Send whose fast pass left entries pending or panicked
// before reaching the entries in rest.
func (f *Feed) finish(r *round[reflect.Value], v reflect.Value, rest []*feedSub[reflect.Value], ctx context.Context) (int, error) {
	done := ctx.Done()
	cases := []reflect.SelectCase{
		{Dir: reflect.SelectSend, Send: v},
		{Dir: reflect.SelectRecv},
		{Dir: reflect.SelectRecv},
	}
	if done != nil {
		cases[2].Chan = reflect.ValueOf(done)
	}
	n, cut := f.core.finish(r, rest, done,
		func(s *feedSub[reflect.Value]) bool { return s.ch.TrySend(v) },
		func(s *feedSub[reflect.Value]) bool {
			cs := slices.Clone(cases) // one per deliverer: they run concurrently
			cs[0].Chan, cs[1].Chan = s.ch, reflect.ValueOf(s.err)
			chosen, _, _ := reflect.Select(cs)
			return chosen == 0
		})
	if cut {
		return n, context.Cause(ctx)
	}
	return n, nil
}

// check fixes the element type from the first non-nil value, turns a nil
// value into the element type's nil, and reports a value of another type. It
// is called with core.mu held; v stays invalid only when no type is fixed.
func (f *Feed) check(v *reflect.Value) error {
	switch {
	case !v.IsValid() && f.etype == nil:
		return nil
	case !v.IsValid():
		if !nillable(f.etype.Kind()) {
			return typeError{op: "Send", want: f.etype}
		}
		*v = reflect.Zero(f.etype)
	case f.etype == nil:
		f.etype = v.Type()
	case v.Type() != f.etype:
		return typeError{op: "Send", got: v.Type(), want: f.etype}
	}
	return nil
}

// nillable reports whether a value of kind k can be nil.
func nillable(k reflect.Kind) bool {
	switch k {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice, reflect.UnsafePointer:
		return true
	}
	return false
}
