package model

import "fmt"

// NoDeliveryAfterUnsubscribe mirrors the spec invariant of the same name:
// no value reaches an entry after Unsubscribe of that entry has returned.
func NoDeliveryAfterUnsubscribe(f *Feed) error {
	for _, d := range f.Deliveries {
		e := f.Entries[d.Entry]
		if e.Removed && d.Step > e.RemovedAt {
			return fmt.Errorf("NoDeliveryAfterUnsubscribe: send %d reached entry %d at step %d, unsubscribed at step %d",
				d.Send, d.Entry, d.Step, e.RemovedAt)
		}
	}
	return nil
}

// DeliveredExactlyOnce mirrors the spec invariant of the same name: a Send
// delivers its value at most once to each entry, only to entries of its
// snapshot, and its count N equals the number of those deliveries.
func DeliveredExactlyOnce(f *Feed) error {
	count := map[[2]int]int{}
	perSend := map[int]int{}
	for _, d := range f.Deliveries {
		count[[2]int{d.Send, d.Entry}]++
		perSend[d.Send]++
		if n := count[[2]int{d.Send, d.Entry}]; n > 1 {
			return fmt.Errorf("DeliveredExactlyOnce: send %d reached entry %d %d times", d.Send, d.Entry, n)
		}
		if !contains(f.Sends[d.Send].Snapshot, d.Entry) {
			return fmt.Errorf("DeliveredExactlyOnce: send %d reached entry %d, which was not subscribed when it began", d.Send, d.Entry)
		}
	}
	for _, s := range f.Sends {
		if s.N != perSend[s.ID] {
			return fmt.Errorf("DeliveredExactlyOnce: send %d counts %d deliveries, made %d", s.ID, s.N, perSend[s.ID])
		}
	}
	return nil
}

// SendReachesAllSubscribed mirrors the spec invariant of the same name: once
// a Send is done, every entry of its snapshot either got the value, was
// unsubscribed, has a closed channel (which makes Send panic), or was given
// up on by a SendContext whose ctx ended; and while a Send is not done, each
// snapshot entry is in exactly one of those states or still pending.
func SendReachesAllSubscribed(f *Feed) error {
	for _, s := range f.Sends {
		if s.Queued {
			continue
		}
		if s.Done && len(s.Pending) > 0 {
			return fmt.Errorf("SendReachesAllSubscribed: send %d done with entries %v pending", s.ID, s.Pending)
		}
		for _, e := range s.Snapshot {
			en := f.Entries[e]
			got := contains(s.Delivered, e)
			pend := contains(s.Pending, e)
			if got && pend {
				return fmt.Errorf("SendReachesAllSubscribed: send %d entry %d both delivered and pending", s.ID, e)
			}
			if contains(s.Missed, e) && (!s.Ctx || !s.Cut || got || pend) {
				return fmt.Errorf("SendReachesAllSubscribed: send %d gave up on entry %d without a ctx that ended it", s.ID, e)
			}
			if !got && !pend && !contains(s.Missed, e) && !en.Removed && !f.Chans[en.Chan].Closed {
				return fmt.Errorf("SendReachesAllSubscribed: send %d skipped live entry %d", s.ID, e)
			}
		}
	}
	return nil
}

// SubscribersSeeSendOrder mirrors the spec invariant of the same name: Sends
// are serialized, so every entry receives values in strictly increasing
// Send order, every channel holds and yields them in that order (equal
// values may repeat for a channel subscribed more than once), and at most
// one Send is in its blocking phase.
func SubscribersSeeSendOrder(f *Feed) error {
	last := map[int]int{}
	for _, d := range f.Deliveries {
		if prev, ok := last[d.Entry]; ok && d.Send <= prev {
			return fmt.Errorf("SubscribersSeeSendOrder: entry %d got send %d after send %d", d.Entry, d.Send, prev)
		}
		last[d.Entry] = d.Send
	}
	for _, c := range f.Chans {
		seq := append(append([]int(nil), c.Received...), c.Buf...)
		for i := 1; i < len(seq); i++ {
			if seq[i] < seq[i-1] {
				return fmt.Errorf("SubscribersSeeSendOrder: channel %d saw send %d after send %d", c.ID, seq[i], seq[i-1])
			}
		}
	}
	active := 0
	for _, s := range f.Sends {
		if !s.Queued && !s.Done {
			active++
		}
	}
	if active > 1 {
		return fmt.Errorf("SubscribersSeeSendOrder: %d Sends in their blocking phase at once", active)
	}
	return nil
}

// NoDeliveryAfterSendContextReturns mirrors the spec invariant of the same
// name: no value of a Send or SendContext reaches an entry after the call
// returned.
func NoDeliveryAfterSendContextReturns(f *Feed) error {
	for _, d := range f.Deliveries {
		if s := f.Sends[d.Send]; s.Done && d.Step > s.DoneAt {
			return fmt.Errorf("NoDeliveryAfterSendContextReturns: send %d reached entry %d at step %d, returned at step %d",
				d.Send, d.Entry, d.Step, s.DoneAt)
		}
	}
	return nil
}

// QueueOnlyWhileBusy mirrors the spec invariant of the same name: Sends wait
// in the queue only while another Send is active.
func QueueOnlyWhileBusy(f *Feed) error {
	if f.Active < 0 && len(f.Queue) > 0 {
		return fmt.Errorf("QueueOnlyWhileBusy: Sends %v wait while no Send is active", f.Queue)
	}
	return nil
}

// SendsServedInArrivalOrder mirrors the spec invariant of the same name: a
// Send that had to wait begins before every Send that started waiting after
// it.
func SendsServedInArrivalOrder(f *Feed) error {
	for i := 1; i < len(f.Queue); i++ {
		if f.Queue[i] < f.Queue[i-1] {
			return fmt.Errorf("SendsServedInArrivalOrder: Send %d waits ahead of Send %d, which came first", f.Queue[i-1], f.Queue[i])
		}
	}
	for _, id := range f.Queue {
		for _, s := range f.Sends[id+1:] {
			if !s.Queued && len(s.Snapshot) > 0 && !contains(f.Queue, s.ID) {
				return fmt.Errorf("SendsServedInArrivalOrder: Send %d began while Send %d, which came first, waits", s.ID, id)
			}
		}
	}
	return nil
}

// SendTerminates mirrors the spec property of the same name in FeedImpl (a
// liveness property there). The model's steps are atomic, so it checks what
// lets every Send return: a Send that has begun and not returned is the
// active one, and it waits only for entries that are still subscribed, whose
// channel is open and has no room (a receive lets the delivery happen).
func SendTerminates(f *Feed) error {
	for _, s := range f.Sends {
		if s.Queued || s.Done {
			continue
		}
		if s.ID != f.Active {
			return fmt.Errorf("SendTerminates: send %d has begun, is not done and is not the active Send %d", s.ID, f.Active)
		}
		if len(s.Pending) == 0 {
			return fmt.Errorf("SendTerminates: send %d waits with nothing pending", s.ID)
		}
		for _, e := range s.Pending {
			en := f.Entries[e]
			c := f.Chans[en.Chan]
			switch {
			case en.Removed:
				return fmt.Errorf("SendTerminates: send %d waits for unsubscribed entry %d", s.ID, e)
			case c.Closed:
				return fmt.Errorf("SendTerminates: send %d waits for entry %d on closed channel %d", s.ID, e, c.ID)
			case c.Cap > 0 && len(c.Buf) < c.Cap:
				return fmt.Errorf("SendTerminates: send %d waits for entry %d although channel %d has room", s.ID, e, c.ID)
			}
		}
	}
	return nil
}

// EverySendCompletes mirrors the spec property of the same name in FeedImpl
// (a liveness property there): a waiting Send waits only while a Send is
// served and only for Sends that arrived before it, so while subscribers
// keep receiving its turn comes.
func EverySendCompletes(f *Feed) error {
	if len(f.Queue) > 0 && f.Active < 0 {
		return fmt.Errorf("EverySendCompletes: Sends %v wait while no Send is served", f.Queue)
	}
	for _, id := range f.Queue {
		if f.Active > id {
			return fmt.Errorf("EverySendCompletes: Send %d is served while Send %d, which came first, waits", f.Active, id)
		}
	}
	for _, s := range f.Sends {
		if s.Queued && !contains(f.Queue, s.ID) {
			return fmt.Errorf("EverySendCompletes: Send %d waits outside the queue", s.ID)
		}
	}
	return nil
}

// SendContextTerminates mirrors the spec property of the same name in
// FeedImpl (a liveness property there): a SendContext whose ctx is done has
// returned, whether it was waiting for its turn or for its subscribers.
func SendContextTerminates(f *Feed) error {
	for _, s := range f.Sends {
		if s.Ctx && s.Cancelled && !s.Done {
			return fmt.Errorf("SendContextTerminates: SendContext %d's ctx is done and it has not returned", s.ID)
		}
	}
	return nil
}

// Refinement mirrors the spec property of the same name in FeedImpl, which
// checks that the engine implements FeedSpec. The model is written at the
// level of FeedSpec, so it checks that its state is one of FeedSpec's under
// the mapping FeedImpl uses: a Send is idle (queued), active or done, at
// most one is active and it is the one the feed serves, and each begun
// Send's pending, delivered and given-up entries are disjoint parts of the
// entries subscribed when it began, its count that of its deliveries.
func Refinement(f *Feed) error {
	active := -1
	for _, s := range f.Sends {
		if s.Queued {
			if len(s.Snapshot)+len(s.Delivered)+len(s.Pending) > 0 || s.Done {
				return fmt.Errorf("Refinement: queued send %d has begun", s.ID)
			}
			continue
		}
		if !s.Done {
			if active >= 0 {
				return fmt.Errorf("Refinement: sends %d and %d are both active", active, s.ID)
			}
			active = s.ID
		}
		seen := map[int]string{}
		for _, part := range []struct {
			name string
			es   []int
		}{{"pending", s.Pending}, {"delivered", s.Delivered}, {"given up", s.Missed}} {
			for _, e := range part.es {
				if !contains(s.Snapshot, e) {
					return fmt.Errorf("Refinement: send %d has %s entry %d, not subscribed when it began", s.ID, part.name, e)
				}
				if other, ok := seen[e]; ok {
					return fmt.Errorf("Refinement: send %d has entry %d both %s and %s", s.ID, e, other, part.name)
				}
				seen[e] = part.name
			}
		}
		if s.N != len(s.Delivered) {
			return fmt.Errorf("Refinement: send %d counts %d deliveries, delivered to %d entries", s.ID, s.N, len(s.Delivered))
		}
		if s.Done && len(s.Pending) > 0 {
			return fmt.Errorf("Refinement: send %d returned with entries %v pending", s.ID, s.Pending)
		}
	}
	if active != f.Active {
		return fmt.Errorf("Refinement: the feed serves send %d, the active one is %d", f.Active, active)
	}
	return nil
}

// FeedInvariants checks every feed invariant and returns the first violation.
func FeedInvariants(f *Feed) error {
	return firstViolation(f,
		TypeOK[*Feed], NoDeliveryAfterUnsubscribe, DeliveredExactlyOnce,
		SendReachesAllSubscribed, SubscribersSeeSendOrder, ErrClosedAfterUnsubscribe[*Feed],
		SendTerminates, UnsubscribeTerminates[*Feed], Refinement, QueueOnlyWhileBusy, SendsServedInArrivalOrder,
		EverySendCompletes, NoDeliveryAfterSendContextReturns, SendContextTerminates)
}
