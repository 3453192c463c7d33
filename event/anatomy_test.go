package event

import "testing"

// BenchmarkSendAnatomy splits the cost of FeedOf.Send to one ready
// subscriber (bench/'s SendReady at n=1) into its parts: a non-blocking
// channel send alone (floor), with the feed's lock around it (lock), with
// the lock and a deferred panic check (lock+defer), and Send itself. Each
// op also receives the value back. bench/README.md quotes the results.
func BenchmarkSendAnatomy(b *testing.B) {
	run := func(b *testing.B, send func(f *FeedOf[int], ch chan int) int) {
		var f FeedOf[int]
		ch := make(chan int, 1)
		sub := f.Subscribe(ch)
		defer sub.Unsubscribe()
		b.ReportAllocs()
		sent := 0
		for i := 0; i < b.N; i++ {
			sent += send(&f, ch)
			<-ch
		}
		if sent != b.N {
			b.Fatalf("sent %d values, want %d", sent, b.N)
		}
	}
	b.Run("floor", func(b *testing.B) {
		run(b, func(_ *FeedOf[int], ch chan int) int {
			select {
			case ch <- 1:
				return 1
			default:
				return 0
			}
		})
	})
	b.Run("lock", func(b *testing.B) {
		run(b, func(f *FeedOf[int], _ chan int) int { return sendLocked(f, 1) })
	})
	b.Run("lock+defer", func(b *testing.B) {
		run(b, func(f *FeedOf[int], _ chan int) int { return sendLockedDeferred(f, 1) })
	})
	b.Run("Send", func(b *testing.B) {
		run(b, func(f *FeedOf[int], _ chan int) int { return f.Send(1) })
	})
}

// sendLocked is the fast pass with nothing but the lock around it.
func sendLocked[T any](f *FeedOf[T], v T) int {
	c := &f.core
	c.mu.Lock()
	n := offerAll(c.chans, v)
	c.mu.Unlock()
	return n
}

// sendLockedDeferred adds a deferred check like Send's, which here only
// raises the panic again.
func sendLockedDeferred[T any](f *FeedOf[T], v T) int {
	c := &f.core
	c.mu.Lock()
	done := false
	defer func() {
		if !done {
			c.mu.Unlock()
			panic(recover())
		}
	}()
	n := offerAll(c.chans, v)
	done = true
	c.mu.Unlock()
	return n
}

// offerAll sends v to every channel that is ready; it is inlined.
func offerAll[T any](chans []chan<- T, v T) int {
	n := 0
	for _, ch := range chans {
		select {
		case ch <- v:
			n++
		default:
		}
	}
	return n
}
