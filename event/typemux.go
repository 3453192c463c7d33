package event

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"
)

// ErrMuxClosed is returned by TypeMux.Post after Stop.
var ErrMuxClosed = errors.New("event: mux closed")

// TypeMuxEvent is an event that TypeMux delivers: the posted value and the
// time of its Post.
type TypeMuxEvent struct {
	Time time.Time
	Data interface{}
}

// TypeMux delivers posted values to the subscriptions registered for their
// dynamic type. The zero value is ready to use.
//
// Deprecated: use Feed or FeedOf.
type TypeMux struct {
	mu   sync.RWMutex
	subm map[reflect.Type][]*TypeMuxSubscription // copied on write
	// live holds every subscription, typed or not, until its channel is
	// closed: Unsubscribe removes it only after closing it.
	live     map[*TypeMuxSubscription]struct{}
	stopped  bool
	stopDone chan struct{} // closed once the first Stop has closed every channel
}

// Subscribe returns a subscription for events of the dynamic types of types;
// with no types it receives nothing, and Unsubscribe or Stop closes it. A type
// given twice panics with a string before anything is registered, leaving the
// mux unlocked. After Stop, it returns a subscription whose channel is
// already closed.
func (mux *TypeMux) Subscribe(types ...interface{}) *TypeMuxSubscription {
	sub := newTypeMuxSubscription(mux)
	mux.mu.Lock()
	defer mux.mu.Unlock()
	if mux.stopped {
		sub.closewait()
		return sub
	}
	for i, t := range types {
		rtyp := reflect.TypeOf(t)
		for _, u := range types[:i] {
			if reflect.TypeOf(u) == rtyp {
				panic(fmt.Sprintf("event: duplicate type %s in Subscribe", rtyp))
			}
		}
	}
	if mux.live == nil {
		mux.live = make(map[*TypeMuxSubscription]struct{})
	}
	mux.live[sub] = struct{}{}
	if mux.subm == nil {
		mux.subm = make(map[reflect.Type][]*TypeMuxSubscription, len(types))
	}
	for _, t := range types {
		rtyp := reflect.TypeOf(t)
		old := mux.subm[rtyp]
		subs := make([]*TypeMuxSubscription, len(old), len(old)+1)
		copy(subs, old)
		mux.subm[rtyp] = append(subs, sub)
	}
	return sub
}

// Post delivers ev, as a *TypeMuxEvent stamped with the time of the Post, to
// each subscription registered for exactly ev's dynamic type when it is
// posted, in turn, blocking until each receives it or is unsubscribed. A
// subscription created after the Post does not receive it. Post returns
// ErrMuxClosed after Stop. Post raises no panic of its own: it calls no user
// code and sends only on channels that are still open.
func (mux *TypeMux) Post(ev interface{}) error {
	rtyp := reflect.TypeOf(ev)
	mux.mu.RLock()
	if mux.stopped {
		mux.mu.RUnlock()
		return ErrMuxClosed
	}
	event := &TypeMuxEvent{Time: time.Now(), Data: ev}
	subs := mux.subm[rtyp]
	mux.mu.RUnlock()
	for _, sub := range subs {
		sub.deliver(event)
	}
	return nil
}

// Stop closes the channel of every subscription of the mux, typed or not,
// waiting for deliveries in progress, and makes later Posts return
// ErrMuxClosed. Every call, concurrent ones included, returns only once every
// channel is closed. Stop returns even if no subscriber receives again: it
// takes the event of a Post blocked on a channel instead of waiting for the
// subscriber.
func (mux *TypeMux) Stop() {
	mux.mu.Lock()
	done := beginOnce(&mux.mu, &mux.stopped, &mux.stopDone)
	if done == nil { // a later Stop: the first has closed every channel
		return
	}
	live := mux.live
	mux.subm, mux.live = nil, nil
	mux.mu.Unlock()
	// closewait does not panic; the defer releases the waiting Stops even if
	// this goroutine ends early.
	defer close(done)
	for sub := range live {
		sub.closewait()
	}
}

// remove takes sub, whose channel is closed, out of the mux.
func (mux *TypeMux) remove(sub *TypeMuxSubscription) {
	mux.mu.Lock()
	defer mux.mu.Unlock()
	delete(mux.live, sub)
	for rtyp, subs := range mux.subm {
		for i, s := range subs {
			if s != sub {
				continue
			}
			if len(subs) == 1 {
				delete(mux.subm, rtyp)
			} else {
				rest := make([]*TypeMuxSubscription, 0, len(subs)-1)
				mux.subm[rtyp] = append(append(rest, subs[:i]...), subs[i+1:]...)
			}
			break
		}
	}
}

// TypeMuxSubscription is a subscription to a TypeMux.
type TypeMuxSubscription struct {
	mux *TypeMux

	closeMu sync.Mutex
	closed  bool

	postMu sync.RWMutex // held for reading by deliveries in progress
	readC  <-chan *TypeMuxEvent
	postC  chan<- *TypeMuxEvent // nil once closed
}

func newTypeMuxSubscription(mux *TypeMux) *TypeMuxSubscription {
	c := make(chan *TypeMuxEvent)
	return &TypeMuxSubscription{mux: mux, readC: c, postC: c}
}

// Chan returns the channel that events are delivered on. It is closed by
// Unsubscribe and by the mux's Stop.
func (s *TypeMuxSubscription) Chan() <-chan *TypeMuxEvent {
	return s.readC
}

// Closed reports whether the subscription's channel is closed.
func (s *TypeMuxSubscription) Closed() bool {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	return s.closed
}

// Unsubscribe unblocks a Post that is blocked on the subscription, closes its
// channel and removes it from its mux. It is idempotent, and every call
// returns only once the channel is closed.
func (s *TypeMuxSubscription) Unsubscribe() {
	s.closewait()
	s.mux.remove(s)
}

// closewait waits for the deliveries in progress, taking the event of any
// that is blocked because nobody receives, and then closes the channel, once;
// a call that finds another one closing waits for it. It does not panic:
// postC is open for as long as closed is false.
func (s *TypeMuxSubscription) closewait() {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	if !s.postMu.TryLock() {
		s.drainUntilLocked()
	}
	close(s.postC)
	s.postC = nil
	s.postMu.Unlock()
}

// drainUntilLocked receives and drops the events of deliveries in progress
// until it holds postMu for writing. Once a writer waits, no new delivery
// starts, so the loop ends when those in progress have sent or been drained.
func (s *TypeMuxSubscription) drainUntilLocked() {
	locked := make(chan struct{})
	go func() {
		s.postMu.Lock()
		close(locked)
	}()
	for {
		select {
		case <-s.readC:
		case <-locked:
			return
		}
	}
}

// deliver blocks until the subscriber or closewait receives event. Holding
// postMu keeps postC open meanwhile; a plain send is cheaper than a select
// with a second, closing case.
func (s *TypeMuxSubscription) deliver(event *TypeMuxEvent) {
	s.postMu.RLock()
	if s.postC != nil {
		s.postC <- event
	}
	s.postMu.RUnlock()
}
