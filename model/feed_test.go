package model

import "testing"

// blockedFeed returns a feed with an unbuffered channel c0 (entry 0) and a
// buffered channel c1 of capacity 1 (entry 1), after one Send that is
// blocked on entry 0 and delivered to entry 1.
func blockedFeed(t *testing.T) *Feed {
	f := NewFeed()
	f.Subscribe(f.NewChan(0))
	f.Subscribe(f.NewChan(1))
	s := f.Sends[f.Send()]
	if s.Done || s.N != 1 || len(s.Pending) != 1 {
		t.Fatalf("send: %+v", s)
	}
	mustHold(t, FeedInvariants(f))
	return f
}

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
	f := blockedFeed(t)
	f.Unsubscribe(1)
	f.Deliveries = append(f.Deliveries, Delivery{Send: 0, Entry: 1, Step: f.Step + 1})
	mustReject(t, NoDeliveryAfterUnsubscribe(f))
}

func TestDeliveredExactlyOnce(t *testing.T) {
	f := blockedFeed(t)
	f.Deliveries = append(f.Deliveries, f.Deliveries[0])
	mustReject(t, DeliveredExactlyOnce(f))

	f = blockedFeed(t)
	f.Sends[0].N = 2
	mustReject(t, DeliveredExactlyOnce(f))
}

func TestSendReachesAllSubscribed(t *testing.T) {
	f := blockedFeed(t)
	f.Sends[0].Pending = nil // the entry vanished without delivery or Unsubscribe
	mustReject(t, SendReachesAllSubscribed(f))

	f = blockedFeed(t)
	f.Sends[0].Done = true
	mustReject(t, SendReachesAllSubscribed(f))
}

func TestSubscribersSeeSendOrder(t *testing.T) {
	f := NewFeed()
	c := f.NewChan(2)
	f.Subscribe(c)
	f.Send()
	f.Send()
	mustHold(t, SubscribersSeeSendOrder(f))
	g := f.Clone()
	f.Chans[c].Buf = []int{1, 0}
	mustReject(t, SubscribersSeeSendOrder(f))
	g.Deliveries[0], g.Deliveries[1] = g.Deliveries[1], g.Deliveries[0]
	mustReject(t, SubscribersSeeSendOrder(g))
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
	f := blockedFeed(t)
	f.Send()
	f.Send()
	mustHold(t, SendsServedInArrivalOrder(f))
	f.Queue[0], f.Queue[1] = f.Queue[1], f.Queue[0]
	mustReject(t, SendsServedInArrivalOrder(f))

}

func TestQueueOnlyWhileBusy(t *testing.T) {
	f := blockedFeed(t)
	f.Send()
	mustHold(t, QueueOnlyWhileBusy(f))
	f.Active = -1 // the active Send ended without handing the feed on
	mustReject(t, QueueOnlyWhileBusy(f))
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
	f := blockedFeed(t)
	f.Unsubscribe(0)
	mustHold(t, ErrClosedAfterUnsubscribe(f))
	f.Entries[0].ErrClosed = false
	mustReject(t, ErrClosedAfterUnsubscribe(f))
}

func TestTypeOKFeed(t *testing.T) {
	f := blockedFeed(t)
	mustHold(t, TypeOK(f))
	f.Entries[1].ErrClosed = true // Err closed while still subscribed
	mustReject(t, TypeOK(f))
	f = blockedFeed(t)
	f.Chans[1].Buf = append(f.Chans[1].Buf, 7) // over capacity
	mustReject(t, TypeOK(f))
}

func TestSendTerminates(t *testing.T) {
	f := blockedFeed(t)
	mustHold(t, SendTerminates(f))
	f.Entries[0].Removed = true // waits for an entry that is gone
	mustReject(t, SendTerminates(f))
	f = blockedFeed(t)
	f.Chans[0].Cap = 2 // waits although the channel has room
	mustReject(t, SendTerminates(f))
}

func TestUnsubscribeTerminatesFeed(t *testing.T) {
	f := blockedFeed(t)
	f.Unsubscribe(0)
	mustHold(t, UnsubscribeTerminates(f))
	f = blockedFeed(t)
	f.Entries[0].Removed = true // unsubscribed, and the Send still waits for it
	mustReject(t, UnsubscribeTerminates(f))
}

func TestRefinement(t *testing.T) {
	f := blockedFeed(t)
	f.Send()
	mustHold(t, Refinement(f))
	s := f.Sends[0]
	s.Delivered = append(s.Delivered, s.Pending[0]) // both delivered and pending
	s.N++
	mustReject(t, Refinement(f))
	f = blockedFeed(t)
	f.Sends[f.Send()].Queued = false // a second Send active at once
	mustReject(t, Refinement(f))
}

func TestEverySendCompletes(t *testing.T) {
	f := blockedFeed(t)
	f.Send()
	mustHold(t, EverySendCompletes(f))
	f.Active = -1 // the served Send ended without handing the feed on
	mustReject(t, EverySendCompletes(f))
	f = blockedFeed(t)
	first := f.Send()
	f.Send()
	f.Active, f.Queue = 2, []int{first} // the newcomer is served first
	mustReject(t, EverySendCompletes(f))
}

func TestSendContextTerminates(t *testing.T) {
	f := blockedFeed(t)
	id := f.SendContext()
	f.CtxEnd(id)
	mustHold(t, SendContextTerminates(f))
	f.Sends[id].Done = false
	mustReject(t, SendContextTerminates(f))
}

func TestFeedTypeFixedOnce(t *testing.T) {
	var ft FeedTypes
	ft.Send("int")
	ft.Subscribe("int", true)
	mustHold(t, FeedTypeFixedOnce(&ft))
	ft.fix("uint64") // set a second time
	mustReject(t, FeedTypeFixedOnce(&ft))
}

func TestFeedTypeCheckedFirst(t *testing.T) {
	var ft FeedTypes
	ft.Subscribe("int", true)
	ft.Send("uint64")
	mustHold(t, FeedTypeCheckedFirst(&ft))
	ft.Proceeded = append(ft.Proceeded, "uint64") // a wrong-type Send went on
	mustReject(t, FeedTypeCheckedFirst(&ft))
}

func TestTypeOKFeedTypes(t *testing.T) {
	var ft FeedTypes
	ft.Send("int")
	mustHold(t, TypeOK(&ft))
	ft.Elem = ""
	mustReject(t, TypeOK(&ft))
}
