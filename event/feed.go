package event

import (
	"context"
	"errors"
	"reflect"
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
// never done. The type check and the nil rule come first, under mu, so that
// a wrong type panics at once, without waiting for a Send in progress.
func (f *Feed) send(ctx context.Context, value interface{}) (nsent int, err error) {
	v := reflect.ValueOf(value)
	c := &f.core
	c.mu.Lock()
	if err := f.check(&v); err != nil {
		c.mu.Unlock()
		panic(err)
	}
	if !v.IsValid() { // Send(nil) before any type is fixed
		c.mu.Unlock()
		return 0, nil
	}
	return sendFeed(c, v, ctx)
}

// reflectOps are the channel operations of Feed on value.
type reflectOps struct{ value reflect.Value }

func (o reflectOps) trySend(ch reflect.Value) bool {
	return ch.TrySend(o.value)
}

func (o reflectOps) block(s *feedSub[reflect.Value], done <-chan struct{}) bool {
	cases := [...]reflect.SelectCase{
		{Dir: reflect.SelectSend, Chan: s.ch, Send: o.value},
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(s.err)},
		{Dir: reflect.SelectRecv}, // ignored while done is nil
	}
	if done != nil {
		cases[2].Chan = reflect.ValueOf(done)
	}
	chosen, _, _ := reflect.Select(cases[:])
	return chosen == 0
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
