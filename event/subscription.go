package event

import "sync"

// Subscription is a stream of events with a way to end it and to learn why it
// ended. The events themselves are carried on a channel of the producer's
// choosing.
//
// Err returns a channel that carries at most one value, the error that ended
// the stream, and is closed when the stream has ended, after Unsubscribe in
// particular. Unsubscribe ends the stream and releases what it holds; it may
// be called any number of times, from any goroutine.
type Subscription interface {
	Err() <-chan error
	Unsubscribe()
}

// NewSubscription runs producer in a new goroutine and returns a Subscription
// that ends when producer returns. Producer must return once its quit
// channel is closed.
//
// A non-nil error that producer returns is sent on Err, at most one value
// ever, unless Unsubscribe was called first; then Err is closed. Unsubscribe
// closes quit and returns only after producer has returned and Err is
// closed, in every goroutine that calls it. Every Unsubscribe call returns
// once producer has returned.
//
// A producer that ends its goroutine with runtime.Goexit counts as returning
// nil. A panic in producer is not recovered: like any panic in a goroutine
// it ends the program, as in go-ethereum, since no other goroutine could
// recover it.
func NewSubscription(producer func(quit <-chan struct{}) error) Subscription {
	s := &funcSub{
		quit: make(chan struct{}),
		err:  make(chan error, 1),
		done: make(chan struct{}),
	}
	go s.run(producer)
	return s
}

// funcSub is the Subscription of NewSubscription.
type funcSub struct {
	quit chan struct{}
	err  chan error
	done chan struct{} // closed after producer returned and err is closed

	mu    sync.Mutex
	ended bool // Unsubscribe was called or producer returned
}

// run calls producer and ends the subscription with its result; deferred,
// so that a producer ending its goroutine (runtime.Goexit) ends it too.
func (s *funcSub) run(producer func(<-chan struct{}) error) {
	var err error
	defer s.end(&err)
	err = producer(s.quit)
}

// end sends *err on Err unless Unsubscribe came first, closes Err and
// releases the Unsubscribe calls.
func (s *funcSub) end(err *error) {
	s.mu.Lock()
	if tracing {
		traceBegin()
	}
	if !s.ended && *err != nil {
		s.err <- *err
	}
	s.ended = true
	if tracing {
		r := "nil"
		if *err != nil {
			r = "err"
		}
		traceEnd(s, "ProducerReturn", "r", r)
	}
	s.mu.Unlock()
	if tracing {
		traceBegin()
	}
	close(s.err)
	if tracing {
		traceEnd(s, "CloseErr")
		traceStep(s, "CloseDone") // just before close(s.done)
	}
	close(s.done)
}

func (s *funcSub) Err() <-chan error {
	return s.err
}

func (s *funcSub) Unsubscribe() {
	s.mu.Lock()
	if tracing {
		traceBegin()
	}
	if !s.ended {
		s.ended = true
		close(s.quit)
	}
	if tracing {
		traceEnd(s, "Unsub1")
	}
	s.mu.Unlock()
	<-s.done
	if tracing {
		traceStep(s, "Unsub2")
	}
}

// JoinSubscriptions returns a Subscription that ends with the first non-nil
// error of any of subs, sent on its Err, or when it is unsubscribed. Inner
// subscriptions that end with a nil error are ignored. When it ends, every
// one of subs is unsubscribed and no goroutine it started is left running.
//
// The inner subscriptions are unsubscribed in the joined subscription's own
// goroutine, so an inner Unsubscribe that panics ends the program, as in
// go-ethereum.
func JoinSubscriptions(subs ...Subscription) Subscription {
	return NewSubscription(func(quit <-chan struct{}) error {
		stop := make(chan struct{})
		failed := make(chan error, len(subs))
		var watchers sync.WaitGroup
		for _, sub := range subs {
			watchers.Add(1)
			go func() {
				defer watchers.Done()
				select {
				case err := <-sub.Err():
					if err != nil {
						failed <- err
					}
				case <-stop:
				}
			}()
		}
		var err error
		select {
		case err = <-failed:
		case <-quit:
		}
		close(stop)
		for _, sub := range subs {
			sub.Unsubscribe()
		}
		watchers.Wait()
		return err
	})
}
