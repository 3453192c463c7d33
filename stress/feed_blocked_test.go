package stress

import (
	"math/rand/v2"
	"sync"
	"testing"
)

// TestUnsubscribeTerminatesWhileSendBlocked makes Sends block on channels
// nobody reads (unbuffered, full, nil), sometimes with a racing receiver, and
// unsubscribes those entries (from up to three goroutines at once) at random
// points, including after the Send is known to be past its fast pass.
func TestUnsubscribeTerminatesWhileSendBlocked(t *testing.T) {
	r := Start(t, 60_000,
		"UnsubscribeTerminates (every Unsubscribe of an entry a Send is blocked on returns, concurrent callers too)",
		"SendTerminates (the blocked Send returns once its blocked entries are unsubscribed)",
		"Send count (n == 1 bystander + values the racing receivers actually got)",
		"NoDeliveryAfterUnsubscribe (once Unsubscribe returned, the full channels are emptied and must stay empty; unbuffered ones have no sender)",
		"ErrClosedAfterUnsubscribe",
		"the feed stays usable: every worker reuses one feed for all its rounds")
	blocked := r.Counter("blocked-entries")
	afterFast := r.Counter("unsubscribed-after-fast-pass")
	raced := r.Counter("racing-receiver-got-value")
	r.Workers(4, func(w int, rng *rand.Rand) {
		var f intFeed = newFeedOf()
		if w%2 == 1 {
			f = newFeed()
		}
		by := make(chan int, 1)
		bySub := f.Subscribe(by)
		defer bySub.Unsubscribe()
		for v := 1; r.Next(); v++ {
			k := 1 + rng.IntN(3)
			chans := make([]chan int, k)
			subs := make([]interface{ Unsubscribe() }, k)
			full := make([]bool, k)
			for i := range chans {
				switch rng.IntN(3) {
				case 0:
					chans[i] = make(chan int)
				case 1:
					chans[i] = make(chan int, 1)
					chans[i] <- -1
					full[i] = true
				default: // nil channel
				}
			}
			errs := make([]<-chan error, k)
			for i, ch := range chans {
				s := f.Subscribe(ch)
				subs[i], errs[i] = s, s.Err()
			}
			blocked.Add(int64(k))
			// A racing receiver on the first channel, sometimes.
			var got int
			stopRecv := make(chan struct{})
			recvDone := make(chan struct{})
			if chans[0] != nil && !full[0] && rng.IntN(4) == 0 {
				go func() {
					defer close(recvDone)
					select {
					case x := <-chans[0]:
						if x != v {
							r.Failf("racing receiver got %d, want %d", x, v)
						}
						got = 1
					case <-stopRecv:
					}
				}()
			} else {
				close(recvDone)
			}
			var n int
			sendDone := make(chan struct{})
			go func() {
				defer close(sendDone)
				n = f.Send(v)
			}()
			byRead := rng.IntN(2) == 0
			if byRead {
				// The bystander took the value: the Send is past its fast pass.
				if x := <-by; x != v {
					r.Failf("bystander got %d, want %d", x, v)
				}
				afterFast.Add(1)
				Yield(rng.IntN(8))
			} else {
				Yield(rng.IntN(4))
			}
			var unsubs sync.WaitGroup
			for _, i := range rng.Perm(k) {
				callers := 1 + rng.IntN(3)
				for range callers {
					unsubs.Add(1)
					go func() {
						defer unsubs.Done()
						subs[i].Unsubscribe()
					}()
				}
			}
			unsubsDone := make(chan struct{})
			go func() {
				unsubs.Wait()
				close(unsubsDone)
			}()
			if !r.Wait(unsubsDone, "UnsubscribeTerminates: Unsubscribe of entries a Send is blocked on") {
				return
			}
			// Make room in the full channels: a deliverer that outlived
			// Unsubscribe could now complete its send.
			for i, ch := range chans {
				if full[i] {
					if x := <-ch; x != -1 {
						r.Failf("NoDeliveryAfterUnsubscribe: full channel %d held %d", i, x)
					}
				}
			}
			for i, e := range errs {
				select {
				case err, ok := <-e:
					if ok {
						r.Failf("ErrClosedAfterUnsubscribe: feed Err carried %v, it never carries a value", err)
					}
				default:
					r.Failf("ErrClosedAfterUnsubscribe: entry %d Err open after Unsubscribe returned", i)
				}
			}
			if !r.Wait(sendDone, "SendTerminates: Send after its blocked entries were unsubscribed") {
				return
			}
			close(stopRecv)
			<-recvDone
			if got == 1 {
				raced.Add(1)
			}
			// The bystander is read here when it was not read above.
			if !byRead {
				select {
				case x := <-by:
					if x != v {
						r.Failf("bystander got %d, want %d", x, v)
					}
				default:
					r.Failf("SendReachesAllSubscribed: Send(%d) returned without delivering to the bystander", v)
				}
			}
			if n != 1+got {
				r.Failf("Send(%d) returned %d, want 1 (bystander) + %d (racing receiver)", v, n, got)
			}
			for i, ch := range chans {
				switch {
				case ch == nil:
				case full[i] && len(ch) != 0:
					r.Failf("NoDeliveryAfterUnsubscribe: channel %d got %d after Unsubscribe returned", i, <-ch)
				case full[i]:
				default:
					select {
					case x := <-ch:
						r.Failf("NoDeliveryAfterUnsubscribe: unbuffered channel %d delivered %d after Unsubscribe returned", i, x)
					default:
					}
				}
			}
		}
	})
}
