package model

import (
	"testing"
	"time"
)

func TestResubBackoffSchedule(t *testing.T) {
	r := NewResub(100*time.Millisecond, []Step{{B: Fail}, {B: Fail}, {B: FailAfter, Delay: 150 * time.Millisecond}, {B: Succeed}})
	r.Advance(time.Second)
	// Waits: 20ms, 40ms; the third call takes 150ms > max, so the wait resets to 10ms.
	want := []time.Duration{0, 20 * time.Millisecond, 60 * time.Millisecond, 220 * time.Millisecond}
	if len(r.Calls) != len(want) {
		t.Fatalf("calls %+v", r.Calls)
	}
	for i, c := range r.Calls {
		if c.At != want[i] {
			t.Fatalf("call %d at %v, want %v", i, c.At, want[i])
		}
	}
	if r.Phase != PhaseWaiting || r.LiveInners() != 1 {
		t.Fatal(r.Phase)
	}
	r.InnerEnd(9)
	if r.Calls[4].LastErr != 9 || r.Calls[4].At != r.Now {
		t.Fatalf("%+v", r.Calls[4])
	}
	mustHold(t, ResubInvariants(r))
}

func TestResubUnsubscribeLateSub(t *testing.T) {
	r := NewResub(time.Second, []Step{{B: BlockThenSub}})
	r.Unsubscribe()
	if len(r.Inners) != 1 || r.Inners[0] {
		t.Fatal("late inner subscription must be created and unsubscribed")
	}
	mustHold(t, ResubInvariants(r))
}

func TestAtMostOneInner(t *testing.T) {
	r := NewResub(time.Second, []Step{{B: Succeed}})
	r.Inners = append(r.Inners, true)
	mustReject(t, AtMostOneInner(r))
}

func TestNoLeakedInner(t *testing.T) {
	r := NewResub(time.Second, []Step{{B: Succeed}})
	r.Unsubscribe()
	r.Inners[0] = true
	mustReject(t, NoLeakedInner(r))
}

// TestAtLeastOneCall: an Unsubscribe right after Resubscribe leaves one call,
// whose context is done; a loop that exited without a call is rejected.
func TestAtLeastOneCall(t *testing.T) {
	r := NewResub(time.Second, []Step{{B: Block}})
	r.Unsubscribe()
	if len(r.Calls) != 1 || !r.Calls[0].CtxDone {
		t.Fatalf("calls %+v, want one with its context done", r.Calls)
	}
	mustHold(t, ResubInvariants(r))
	r.Calls = nil
	mustReject(t, AtLeastOneCall(r))
}

func TestCtxCancelledOnUnsubscribe(t *testing.T) {
	r := NewResub(time.Second, []Step{{B: FailAfter, Delay: 5 * time.Second}})
	if r.Calls[0].CtxDone {
		t.Fatal("a running call's context is done before Unsubscribe")
	}
	r.Unsubscribe()
	mustHold(t, CtxCancelledOnUnsubscribe(r))
	r.Calls[0].CtxDone = false
	mustReject(t, CtxCancelledOnUnsubscribe(r))
}

// TestResubFailWithSub: a subscription returned with an error is
// unsubscribed at once and the call counts as failed (the backoff follows);
// one returned with an error after Unsubscribe is unsubscribed too.
func TestResubFailWithSub(t *testing.T) {
	r := NewResub(100*time.Millisecond, []Step{{B: FailWithSub}, {B: BlockThenFailWithSub}})
	if r.Phase != PhaseBackoff || len(r.Inners) != 1 || r.Inners[0] || !r.Calls[0].CtxDone {
		t.Fatalf("phase %s inners %v calls %+v", r.Phase, r.Inners, r.Calls)
	}
	r.Advance(20 * time.Millisecond)
	if len(r.Calls) != 2 || r.Calls[1].At != 20*time.Millisecond {
		t.Fatalf("calls %+v, want the second after the 20ms wait", r.Calls)
	}
	r.Unsubscribe()
	if len(r.Inners) != 2 || r.Inners[1] {
		t.Fatalf("inners %v, want the late one created and unsubscribed", r.Inners)
	}
	mustHold(t, ResubInvariants(r))
}
