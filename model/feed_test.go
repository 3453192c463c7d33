package model

import "testing"

// blockedFeed returns a feed with an unbuffered channel c0 (entry 0) and a
// buffered channel c1 of capacity 1 (entry 1), after one Send that is
// blocked on entry 0 and delivered to entry 1, followed by the given
// steps.
func blockedFeed(t *testing.T, then ...func(*Feed)) *Feed {
	f := NewFeed()
	f.Subscribe(f.NewChan(0))
	f.Subscribe(f.NewChan(1))
	s := f.Sends[f.Send()]
	if s.Done || s.N != 1 || len(s.Pending) != 1 {
		t.Fatalf("send: %+v", s)
	}
	mustHold(t, FeedInvariants(f))
	for _, step := range then {
		step(f)
	}
	return f
}

// blocked returns a builder of blockedFeed(t, then...).
func blocked(t *testing.T, then ...func(*Feed)) func() *Feed {
	return func() *Feed { return blockedFeed(t, then...) }
}

// Steps for blocked.
var (
	sendAgain = func(f *Feed) { f.Send() }
	unsub0    = func(f *Feed) { f.Unsubscribe(0) }
)

func TestFeedSendCompletesByReceive(t *testing.T) {
	f := blockedFeed(t)
	if r := f.Receive(0); !r.OK || r.Value != 0 {
		t.Fatalf("receive: %v", r)
	}
	if s := f.Sends[0]; !s.Done || s.N != 2 {
		t.Fatalf("send: %+v", s)
	}
	mustHold(t, FeedInvariants(f))
}

func TestFeedSendCompletesByUnsubscribe(t *testing.T) {
	f := blockedFeed(t)
	second := f.Send() // queued behind the blocked one
	f.Unsubscribe(0)
	f.Unsubscribe(0)
	if s := f.Sends[0]; !s.Done || s.N != 1 {
		t.Fatalf("send: %+v", s)
	}
	// The queued Send began and blocks on the full buffer of c1.
	if s := f.Sends[second]; s.Done || s.Queued {
		t.Fatalf("second send: %+v", s)
	}
	if r := f.Receive(1); !r.OK || r.Value != 0 {
		t.Fatalf("receive: %v", r)
	}
	if s := f.Sends[second]; !s.Done || s.N != 1 || f.Chans[1].Buf[0] != second {
		t.Fatalf("second send: %+v, buf %v", s, f.Chans[1].Buf)
	}
	mustHold(t, FeedInvariants(f))
}

func TestFeedClosedChannelPanicsSend(t *testing.T) {
	f := blockedFeed(t)
	f.CloseChan(0)
	if s := f.Sends[0]; !s.Done || !s.Panicked || s.N != 1 {
		t.Fatalf("send: %+v", s)
	}
	if r := f.Receive(0); !r.Closed {
		t.Fatalf("receive: %v", r)
	}
	mustHold(t, FeedInvariants(f))
}

func TestFeedSameChannelTwiceIsAmbiguous(t *testing.T) {
	f := NewFeed()
	c := f.NewChan(1)
	a, b := f.Subscribe(c), f.Subscribe(c)
	f.Send()
	if !f.Ambiguous(a) || !f.Ambiguous(b) {
		t.Fatal("one copy delivered and one pending must be ambiguous")
	}
	f.Receive(c)
	if f.Ambiguous(a) || !f.Sends[0].Done || len(f.Chans[c].Buf) != 1 {
		t.Fatalf("after receive: %+v", f.Sends[0])
	}
}

func TestNoDeliveryAfterUnsubscribe(t *testing.T) {
	holdsThenRejects(t, blocked(t, func(f *Feed) { f.Unsubscribe(1) }), NoDeliveryAfterUnsubscribe,
		func(f *Feed) { f.Deliveries = append(f.Deliveries, Delivery{Send: 0, Entry: 1, Step: f.Step + 1}) })
}

func TestDeliveredExactlyOnce(t *testing.T) {
	holdsThenRejects(t, blocked(t), DeliveredExactlyOnce,
		func(f *Feed) { f.Deliveries = append(f.Deliveries, f.Deliveries[0]) },
		func(f *Feed) { f.Sends[0].N = 2 })
}

func TestSendReachesAllSubscribed(t *testing.T) {
	holdsThenRejects(t, blocked(t), SendReachesAllSubscribed,
		func(f *Feed) { f.Sends[0].Pending = nil }, // the entry vanished without delivery or Unsubscribe
		func(f *Feed) { f.Sends[0].Done = true })
}

func TestSubscribersSeeSendOrder(t *testing.T) {
	twoSends := func() *Feed {
		f := NewFeed()
		f.Subscribe(f.NewChan(2))
		f.Send()
		f.Send()
		return f
	}
	holdsThenRejects(t, twoSends, SubscribersSeeSendOrder,
		func(f *Feed) { f.Chans[0].Buf = []int{1, 0} },
		func(f *Feed) { f.Deliveries[0], f.Deliveries[1] = f.Deliveries[1], f.Deliveries[0] })
}

func TestFeedTypes(t *testing.T) {
	var ft FeedTypes
	defer func() { mustHold(t, FeedTypesInvariants(&ft)) }()
	if msg, ok := ft.Send(""); msg != "" || ok {
		t.Fatalf("Send(nil) before type fixed: %q %v", msg, ok)
	}
	if msg := ft.Subscribe("int", false); msg != MsgNotSendableChan {
		t.Fatal(msg)
	}
	if msg := ft.Subscribe("int", true); msg != "" {
		t.Fatal(msg)
	}
	if msg, _ := ft.Send("uint64"); msg != "event: wrong type in Send got uint64, want int" {
		t.Fatal(msg)
	}
	if msg := ft.Subscribe("uint64", true); msg != "event: wrong type in Subscribe got chan uint64, want chan<- int" {
		t.Fatal(msg)
	}
}

func TestFeedCloneIsDeep(t *testing.T) {
	f := blockedFeed(t)
	g := f.Clone()
	g.Receive(0)
	if f.Sends[0].Done || len(f.Chans[0].Received) != 0 {
		t.Fatal("clone shares state with the original")
	}
}

func TestSendsServedInArrivalOrder(t *testing.T) {
	holdsThenRejects(t, blocked(t, sendAgain, sendAgain), SendsServedInArrivalOrder,
		func(f *Feed) { f.Queue[0], f.Queue[1] = f.Queue[1], f.Queue[0] })
}

func TestQueueOnlyWhileBusy(t *testing.T) {
	holdsThenRejects(t, blocked(t, sendAgain), QueueOnlyWhileBusy,
		func(f *Feed) { f.Active = -1 }) // the active Send ended without handing the feed on
}

func TestNoDeliveryAfterSendContextReturns(t *testing.T) {
	f := blockedFeed(t)
	id := f.Active
	f.Sends[id].Ctx = true
	f.CtxEnd(id)
	mustHold(t, NoDeliveryAfterSendContextReturns(f))
	mustHold(t, SendReachesAllSubscribed(f))
	f.Step++
	f.Deliveries = append(f.Deliveries, Delivery{Send: id, Entry: 0, Step: f.Step})
	mustReject(t, NoDeliveryAfterSendContextReturns(f))
}

// TestCtxEnd: CtxEnd ends a queued SendContext without a delivery, and an
// active one with its pending entries missed, still subscribed, and the next
// queued Send begun.
func TestCtxEnd(t *testing.T) {
	f := blockedFeed(t)
	active := f.Active
	f.Sends[active].Ctx = true
	queued := f.SendContext()
	next := f.Send()
	f.CtxEnd(queued)
	if s := f.Sends[queued]; !s.Done || !s.Cut || s.N != 0 || len(s.Snapshot) != 0 {
		t.Fatalf("cancelled queued SendContext: %+v", s)
	}
	f.CtxEnd(active)
	if s := f.Sends[active]; !s.Done || !s.Cut || len(s.Missed) != 1 {
		t.Fatalf("cancelled active SendContext: %+v", s)
	}
	if f.Active != next {
		t.Fatalf("active Send %d, want the queued Send %d", f.Active, next)
	}
	mustHold(t, FeedInvariants(f))
	f.Sends[next].Missed = f.Sends[next].Pending // given up on without a ctx
	f.Sends[next].Pending = nil
	mustReject(t, SendReachesAllSubscribed(f))
}

func TestErrClosedAfterUnsubscribeFeed(t *testing.T) {
	holdsThenRejects(t, blocked(t, unsub0), ErrClosedAfterUnsubscribe[*Feed],
		func(f *Feed) { f.Entries[0].ErrClosed = false })
}

func TestTypeOKFeed(t *testing.T) {
	holdsThenRejects(t, blocked(t), TypeOK[*Feed],
		func(f *Feed) { f.Entries[1].ErrClosed = true },              // Err closed while still subscribed
		func(f *Feed) { f.Chans[1].Buf = append(f.Chans[1].Buf, 7) }) // over capacity
}

func TestSendTerminates(t *testing.T) {
	holdsThenRejects(t, blocked(t), SendTerminates,
		func(f *Feed) { f.Entries[0].Removed = true }, // waits for an entry that is gone
		func(f *Feed) { f.Chans[0].Cap = 2 })          // waits although the channel has room
}

func TestUnsubscribeTerminatesFeed(t *testing.T) {
	mustHold(t, UnsubscribeTerminates(blockedFeed(t, unsub0)))
	holdsThenRejects(t, blocked(t), UnsubscribeTerminates[*Feed],
		func(f *Feed) { f.Entries[0].Removed = true }) // unsubscribed, and the Send still waits for it
}

func TestRefinement(t *testing.T) {
	holdsThenRejects(t, blocked(t, sendAgain), Refinement,
		func(f *Feed) { // entry 0 both delivered and pending
			s := f.Sends[0]
			s.Delivered = append(s.Delivered, s.Pending[0])
			s.N++
		},
		func(f *Feed) { f.Sends[1].Queued = false }) // a second Send active at once
}

func TestEverySendCompletes(t *testing.T) {
	holdsThenRejects(t, blocked(t, sendAgain, sendAgain), EverySendCompletes,
		func(f *Feed) { f.Active = -1 },                   // the served Send ended without handing the feed on
		func(f *Feed) { f.Active, f.Queue = 2, []int{1} }) // the newcomer is served first
}

func TestSendContextTerminates(t *testing.T) {
	cut := func(f *Feed) { f.CtxEnd(f.SendContext()) }
	holdsThenRejects(t, blocked(t, cut), SendContextTerminates,
		func(f *Feed) { f.Sends[1].Done = false })
}

func TestFeedTypeFixedOnce(t *testing.T) {
	holdsThenRejects(t, fixedInt, FeedTypeFixedOnce,
		func(ft *FeedTypes) { ft.fix("uint64") }) // set a second time
}

func TestFeedTypeCheckedFirst(t *testing.T) {
	holdsThenRejects(t, fixedInt, FeedTypeCheckedFirst,
		func(ft *FeedTypes) { ft.Proceeded = append(ft.Proceeded, "uint64") }) // a wrong-type Send went on
}

func TestTypeOKFeedTypes(t *testing.T) {
	holdsThenRejects(t, fixedInt, TypeOK[*FeedTypes],
		func(ft *FeedTypes) { ft.Elem = "" })
}

// fixedInt returns the element-type rule after a Send of int, a Subscribe
// of a chan int and a Send of uint64 that panicked.
func fixedInt() *FeedTypes {
	var ft FeedTypes
	ft.Send("int")
	ft.Subscribe("int", true)
	ft.Send("uint64")
	return &ft
}
