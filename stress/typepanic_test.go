package stress

import (
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eventspec/eventspec/event"
)

// myInt has int's underlying type but is a different type for Feed.
type myInt int

const (
	msgBadChannel = "event: Subscribe argument does not have sendable channel type"
	msgSendUint64 = "event: wrong type in Send got uint64, want int"
	msgSendMyInt  = "event: wrong type in Send got stress.myInt, want int"
	msgSubUint64  = "event: wrong type in Subscribe got chan uint64, want chan<- int"
	msgSubMyInt   = "event: wrong type in Subscribe got chan stress.myInt, want chan<- int"
)

// TestFeedTypePanics races wrong-type Sends and Subscribes (and invalid
// Subscribe arguments) against numbered int Sends and int Subscribe churn on
// one Feed whose element type is int.
func TestFeedTypePanics(t *testing.T) {
	r := Start(t, 150_000,
		"every wrong-type Send/Subscribe panics with the exact error text; every correct one does not panic",
		"DeliveredExactlyOnce + SendReachesAllSubscribed (the witness gets every correct value once; each receive checks for duplicates; end: all values, sum of n == values received)",
		"SubscribersSeeSendOrder (each receive: values of one sender arrive in increasing order, on the witness and on churn channels)",
		"SendTerminates (the feed never stays locked after a panic: the stall watchdog and every later Send)")
	var f event.Feed
	witness := make(chan int, 512)
	wsub := f.Subscribe(witness)
	const senders = 4
	var (
		lastVal  atomic.Int64
		sent     atomic.Int64
		received atomic.Int64
		seen     = make(map[int]bool)
		done     = make(chan struct{})
		wdone    = make(chan struct{})
	)
	panics := r.Counter("expected-panics")
	sends := r.Counter("correct-sends")
	lastOf := make([]int, senders) // the witness's latest value from each sender
	checkRecv := func(last []int, v int, where string) {
		s := v % senders
		if v <= last[s] {
			r.Failf("SubscribersSeeSendOrder: %s got %d after %d from sender %d", where, v, last[s], s)
		}
		last[s] = v
	}
	go func() {
		defer close(wdone)
		take := func(v int) {
			received.Add(1)
			if seen[v] {
				r.Failf("DeliveredExactlyOnce: witness got %d twice", v)
			}
			seen[v] = true
			checkRecv(lastOf, v, "witness")
		}
		receiveUntil(witness, done, take)
	}()
	expect := func(what, want string, prefix bool, op func()) {
		msg, ok := catch(op)
		switch {
		case want == "" && ok:
			r.Failf("%s panicked: %s", what, msg)
		case want != "" && !ok:
			r.Failf("%s did not panic, want %q", what, want)
		case want != "" && (prefix && !strings.HasPrefix(msg, want) || !prefix && msg != want):
			r.Failf("%s panicked with %q, want %q", what, msg, want)
		case want != "":
			panics.Add(1)
		}
	}
	r.Workers(senders, func(w int, rng *rand.Rand) {
		seq := 0
		last := make([]int, senders)
		for r.Next() {
			switch x := rng.IntN(20); {
			case x < 9:
				seq++
				v := seq*senders + w
				var n int
				expect("Send(int)", "", false, func() { n = f.Send(v) })
				lastVal.Add(1)
				sends.Add(1)
				sent.Add(int64(n))
				if n < 1 {
					r.Failf("SendReachesAllSubscribed: Send(%d) returned %d with the witness subscribed", v, n)
				}
			case x < 11:
				expect("Send(uint64)", msgSendUint64, false, func() { f.Send(uint64(x)) })
			case x < 12:
				expect("Send(myInt)", msgSendMyInt, false, func() { f.Send(myInt(x)) })
			case x < 13:
				expect("Send(nil)", "event: wrong type in Send", true, func() { f.Send(nil) })
			case x < 14:
				expect("Subscribe(chan uint64)", msgSubUint64, false, func() { f.Subscribe(make(chan uint64, 1)) })
			case x < 15:
				expect("Subscribe(chan myInt)", msgSubMyInt, false, func() { f.Subscribe(make(chan myInt)) })
			case x < 16:
				bad := []any{nil, 5, make(<-chan int), "chan int", (*chan int)(nil)}
				arg := bad[rng.IntN(len(bad))]
				expect("Subscribe(not a send channel)", msgBadChannel, false, func() { f.Subscribe(arg) })
			default:
				// Correct Subscribe, a few receives, Unsubscribe.
				ch := make(chan int, rng.IntN(4))
				var sub event.Subscription
				expect("Subscribe(chan int)", "", false, func() { sub = f.Subscribe(ch) })
				if sub == nil {
					continue
				}
				clear(last)
				for range rng.IntN(6) {
					select {
					case v := <-ch:
						received.Add(1)
						checkRecv(last, v, "churn channel")
					default:
						Yield(1)
					}
				}
				sub.Unsubscribe()
				for range len(ch) {
					received.Add(1)
					checkRecv(last, <-ch, "churn channel")
				}
			}
		}
	})
	close(done)
	if !r.Wait(wdone, "witness drain") {
		return
	}
	wsub.Unsubscribe()
	if r.Failed() {
		return
	}
	if got, want := len(seen), int(lastVal.Load()); got != want {
		r.Failf("SendReachesAllSubscribed: witness got %d distinct values, %d were sent", got, want)
	}
	if s, g := sent.Load(), received.Load(); s != g {
		r.Failf("Send counts: Sends returned %d deliveries in total, %d values were received", s, g)
	}
}

// TestFeedTypeFixedOnce races the very first operations on fresh Feeds:
// int and uint64 Sends and Subscribes (and Send(nil)) start together; exactly
// one element type wins and every other operation panics naming it.
func TestFeedTypeFixedOnce(t *testing.T) {
	r := Start(t, 30_000,
		"the element type is fixed exactly once: all non-panicking typed operations of a round share one type",
		"every losing operation panics with the exact error text naming the winning type",
		"Send(nil) before any type is fixed returns 0; after, it panics with an event: error",
		"the feed is intact after the panics: a final Send of the winning type reaches every successful Subscribe")
	rounds := r.Counter("rounds")
	r.Workers(2, func(w int, rng *rand.Rand) {
		for r.Next() {
			rounds.Add(1)
			var f event.Feed
			const g = 4
			type result struct {
				op       int // 0 Send(int) 1 Send(uint64) 2 Subscribe(chan int) 3 Subscribe(chan uint64) 4 Send(nil)
				msg      string
				panicked bool
				n        int
				ch       any
				sub      event.Subscription
			}
			res := make([]result, g)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range res {
				res[i].op = rng.IntN(5)
				wg.Add(1)
				go func() {
					defer wg.Done()
					p := &res[i]
					<-start
					p.msg, p.panicked = catch(func() {
						switch p.op {
						case 0:
							p.n = f.Send(i)
						case 1:
							p.n = f.Send(uint64(i))
						case 2:
							ch := make(chan int, g+1)
							p.ch, p.sub = ch, f.Subscribe(ch)
						case 3:
							ch := make(chan uint64, g+1)
							p.ch, p.sub = ch, f.Subscribe(ch)
						case 4:
							p.n = f.Send(nil)
						}
					})
				}()
			}
			close(start)
			wg.Wait()
			winner := -1 // 0: int, 1: uint64
			for _, p := range res {
				if p.op < 4 && !p.panicked {
					if winner >= 0 && winner != p.op%2 {
						r.Failf("both int and uint64 operations succeeded on one Feed")
					}
					winner = p.op % 2
				}
			}
			names := [2]string{"int", "uint64"}
			for _, p := range res {
				switch {
				case p.op == 4 && !p.panicked:
					if p.n != 0 {
						r.Failf("Send(nil) returned %d, want 0", p.n)
					}
				case p.op == 4:
					if winner < 0 || !strings.HasPrefix(p.msg, "event: ") {
						r.Failf("Send(nil) panicked with %q (winner %d)", p.msg, winner)
					}
				case !p.panicked:
				case winner < 0:
					r.Failf("no operation fixed the type, yet %q", p.msg)
				case p.op%2 == winner:
					r.Failf("an operation of the winning type panicked: %q", p.msg)
				default:
					want := "event: wrong type in Send got " + names[p.op%2] + ", want " + names[winner]
					if p.op >= 2 {
						want = "event: wrong type in Subscribe got chan " + names[p.op%2] + ", want chan<- " + names[winner]
					}
					if p.msg != want {
						r.Failf("panic %q, want %q", p.msg, want)
					}
				}
			}
			if winner < 0 {
				continue
			}
			subs := 0
			for _, p := range res {
				if p.sub != nil {
					subs++
				}
			}
			var n int
			if winner == 0 {
				n = f.Send(-1)
			} else {
				n = f.Send(uint64(1 << 40))
			}
			if n != subs {
				r.Failf("final Send reached %d entries, want the %d successful Subscribes", n, subs)
			}
			for _, p := range res {
				if p.sub != nil {
					p.sub.Unsubscribe()
				}
			}
		}
	})
}
