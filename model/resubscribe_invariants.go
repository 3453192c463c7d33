package model

import "fmt"

// AtMostOneInner mirrors the spec invariant of the same name: at most one
// inner subscription is live at any time.
func AtMostOneInner(r *Resub) error {
	if n := r.LiveInners(); n > 1 {
		return fmt.Errorf("AtMostOneInner: %d inner subscriptions live", n)
	}
	return nil
}

// AtLeastOneCall mirrors the spec invariant of the same name: the function
// is called at least once before the loop exits (so before Unsubscribe
// returns), even if Unsubscribe came first.
func AtLeastOneCall(r *Resub) error {
	if r.Phase == PhaseExited && len(r.Calls) == 0 {
		return fmt.Errorf("AtLeastOneCall: loop exited without calling the function")
	}
	return nil
}

// CtxCancelledOnUnsubscribe mirrors the spec invariant of the same name:
// once Unsubscribe has been called, the context of every call of the
// function is done.
func CtxCancelledOnUnsubscribe(r *Resub) error {
	if !r.Unsub {
		return nil
	}
	for i, c := range r.Calls {
		if !c.CtxDone {
			return fmt.Errorf("CtxCancelledOnUnsubscribe: call %d's context not done after Unsubscribe", i)
		}
	}
	return nil
}

// NoLeakedInner mirrors the spec invariant of the same name: once the loop
// has exited (after Unsubscribe or an inner close), no inner subscription
// is live (one returned with an error included), and once Unsubscribe has
// returned no call of the function is running.
func NoLeakedInner(r *Resub) error {
	if r.Phase == PhaseExited && r.LiveInners() > 0 {
		return fmt.Errorf("NoLeakedInner: loop exited with %d inner subscriptions live", r.LiveInners())
	}
	if r.Unsub && r.Phase == PhaseAttempt {
		return fmt.Errorf("NoLeakedInner: Unsubscribe returned with call %d running", len(r.Calls)-1)
	}
	return nil
}

// ResubscribeUnsubscribeTerminates mirrors the spec property of the same
// name (a liveness property there). The model's Unsubscribe is one step, so
// it checks what lets the call return: once Unsubscribe has been called the
// loop waits for nothing more, neither a backoff timer nor an inner
// subscription nor a call of the function.
func ResubscribeUnsubscribeTerminates(r *Resub) error {
	if r.Unsub && r.Phase != PhaseExited {
		return fmt.Errorf("ResubscribeUnsubscribeTerminates: Unsubscribe returned with the loop in phase %s", r.Phase)
	}
	return nil
}

// BackoffBounded mirrors the spec invariant of the same name in Backoff:
// the wait always lies between Max/10 and Max.
func BackoffBounded(r *Resub) error {
	if r.WaitTime < r.Max/10 || r.WaitTime > r.Max {
		return fmt.Errorf("BackoffBounded: wait %v outside [%v, %v]", r.WaitTime, r.Max/10, r.Max)
	}
	return nil
}

// BackoffResets mirrors the spec invariant of the same name in Backoff:
// after a failed call that took longer than Max, the wait is back at Max/10.
func BackoffResets(r *Resub) error {
	if r.SlowFail && r.WaitTime != r.Max/10 {
		return fmt.Errorf("BackoffResets: wait %v after a call longer than %v, want %v", r.WaitTime, r.Max, r.Max/10)
	}
	return nil
}

// BackoffReachesMax mirrors the spec invariant of the same name in Backoff:
// four quick failures in a row reach the cap, where Max/10 doubled four
// times reaches Max (Backoff.tla assumes Max is a multiple of 10).
func BackoffReachesMax(r *Resub) error {
	if r.QuickFails >= 4 && r.Max/10*16 >= r.Max && r.WaitTime != r.Max {
		return fmt.Errorf("BackoffReachesMax: wait %v after %d quick failures, want %v", r.WaitTime, r.QuickFails, r.Max)
	}
	return nil
}

// ResubInvariants checks every Resubscribe invariant and the backoff rule.
func ResubInvariants(r *Resub) error {
	return firstViolation(r,
		TypeOK[*Resub], AtMostOneInner, AtLeastOneCall,
		CtxCancelledOnUnsubscribe, NoLeakedInner, SingleError[*Resub], ErrClosedAfterUnsubscribe[*Resub],
		ResubscribeUnsubscribeTerminates, BackoffBounded, BackoffResets, BackoffReachesMax)
}
