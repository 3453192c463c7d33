package testkit

import "context"

// IntFeed is the part of event.Feed and event.FeedOf[int] that the
// guarantees they share are tested on; S is event.Subscription. AnyFeed
// and TypedFeed adapt the two feeds to it, so one test body runs on both.
type IntFeed[S any] interface {
	Subscribe(ch chan int) S
	Send(v int) int
	SendContext(ctx context.Context, v int) (int, error)
}

// untypedFeed is *event.Feed's method set.
type untypedFeed[S any] interface {
	Subscribe(channel any) S
	Send(value any) int
	SendContext(ctx context.Context, value any) (int, error)
}

// typedFeed is *event.FeedOf[int]'s method set.
type typedFeed[S any] interface {
	Subscribe(channel chan<- int) S
	Send(value int) int
	SendContext(ctx context.Context, value int) (int, error)
}

// AnyFeed returns f (an *event.Feed) as an IntFeed.
func AnyFeed[S any](f untypedFeed[S]) IntFeed[S] {
	return adapter[S]{
		subscribe:   func(ch chan int) S { return f.Subscribe(ch) },
		send:        func(v int) int { return f.Send(v) },
		sendContext: func(ctx context.Context, v int) (int, error) { return f.SendContext(ctx, v) },
	}
}

// TypedFeed returns f (an *event.FeedOf[int]) as an IntFeed.
func TypedFeed[S any](f typedFeed[S]) IntFeed[S] {
	return adapter[S]{
		subscribe:   func(ch chan int) S { return f.Subscribe(ch) },
		send:        f.Send,
		sendContext: f.SendContext,
	}
}

// adapter is an IntFeed made of one feed's methods.
type adapter[S any] struct {
	subscribe   func(chan int) S
	send        func(int) int
	sendContext func(context.Context, int) (int, error)
}

func (a adapter[S]) Subscribe(ch chan int) S { return a.subscribe(ch) }
func (a adapter[S]) Send(v int) int          { return a.send(v) }
func (a adapter[S]) SendContext(ctx context.Context, v int) (int, error) {
	return a.sendContext(ctx, v)
}
