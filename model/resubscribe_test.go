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
	r.InnerFail(9)
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
	holdsThenRejects(t, resub(Succeed), AtMostOneInner,
		func(r *Resub) { r.Inners = append(r.Inners, true) })
}

func TestResubInnerEnd(t *testing.T) {
	r := NewResub(time.Second, []Step{{B: Succeed}})
	r.InnerEnd()
	if r.Phase != PhaseExited || r.LiveInners() != 0 || len(r.Calls) != 1 {
		t.Fatalf("phase %s, %d live, %d calls: an inner end closes Err without another call", r.Phase, r.LiveInners(), len(r.Calls))
	}
	mustHold(t, ResubInvariants(r))
}

func TestNoLeakedInner(t *testing.T) {
	holdsThenRejects(t, resub(Succeed, (*Resub).Unsubscribe), NoLeakedInner,
		func(r *Resub) { r.Inners[0] = true })
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

func TestSingleErrorResubscribe(t *testing.T) {
	holdsThenRejects(t, resub(Succeed), SingleError[*Resub],
		func(r *Resub) { r.ErrVals = 1 })
}

func TestErrClosedAfterUnsubscribeResubscribe(t *testing.T) {
	holdsThenRejects(t, resub(Succeed, (*Resub).Unsubscribe), ErrClosedAfterUnsubscribe[*Resub],
		func(r *Resub) { r.Phase = PhaseWaiting })
}

func TestResubscribeUnsubscribeTerminates(t *testing.T) {
	holdsThenRejects(t, resub(Block, (*Resub).Unsubscribe), ResubscribeUnsubscribeTerminates,
		func(r *Resub) { r.Phase = PhaseBackoff })
}

// TestBackoffBounded, TestBackoffResets, TestBackoffReachesMax: the model's
// backoff after a schedule of failures, and a state that breaks each rule.
func TestBackoffBounded(t *testing.T) {
	r := NewResub(100*time.Millisecond, []Step{{B: Fail}, {B: Fail}, {B: Fail}, {B: Fail}, {B: Fail}, {B: Fail}})
	r.Advance(time.Second)
	mustHold(t, BackoffBounded(r))
	r.WaitTime = 2 * r.Max
	mustReject(t, BackoffBounded(r))
}

func TestBackoffResets(t *testing.T) {
	r := NewResub(100*time.Millisecond, []Step{{B: Fail}, {B: FailAfter, Delay: 150 * time.Millisecond}, {B: Block}})
	r.Advance(time.Second)
	if !r.SlowFail || r.WaitTime != 10*time.Millisecond {
		t.Fatalf("slow failure %v, wait %v: want a reset to 10ms", r.SlowFail, r.WaitTime)
	}
	mustHold(t, BackoffResets(r))
	r.WaitTime = 40 * time.Millisecond
	mustReject(t, BackoffResets(r))
}

func TestBackoffReachesMax(t *testing.T) {
	r := NewResub(100*time.Millisecond, []Step{{B: Fail}, {B: Fail}, {B: Fail}, {B: Fail}, {B: Block}})
	r.Advance(time.Second)
	if r.QuickFails != 4 || r.WaitTime != r.Max {
		t.Fatalf("%d quick failures, wait %v: want 4 and %v", r.QuickFails, r.WaitTime, r.Max)
	}
	mustHold(t, BackoffReachesMax(r))
	r.WaitTime = 80 * time.Millisecond
	mustReject(t, BackoffReachesMax(r))
}

func TestTypeOKResub(t *testing.T) {
	holdsThenRejects(t, resub(Succeed), TypeOK[*Resub],
		func(r *Resub) { r.Inners[0] = false }) // waiting on an inner subscription that is gone
}

// resub builds a Resubscribe with a one-second maximum backoff whose only
// call behaves as b, after the given steps.
func resub(b Behavior, then ...func(*Resub)) func() *Resub {
	return func() *Resub {
		r := NewResub(time.Second, []Step{{B: b}})
		for _, step := range then {
			step(r)
		}
		return r
	}
}
