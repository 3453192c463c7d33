package model

import "time"

// Behavior is what one call of the Resubscribe function does.
type Behavior int

// Behaviors of a Resubscribe function call.
const (
	Block                Behavior = iota // wait for ctx cancellation, then return an error
	Fail                                 // return an error at once
	FailAfter                            // return an error after Call.Delay (or on cancellation)
	Succeed                              // return a live inner subscription at once
	BlockThenSub                         // wait for ctx cancellation, then return a subscription anyway
	FailWithSub                          // return a live inner subscription and an error at once
	BlockThenFailWithSub                 // wait for ctx cancellation, then return a subscription and an error
)

// LastBehavior is the highest Behavior.
const LastBehavior = BlockThenFailWithSub

var behaviorNames = [...]string{"Block", "Fail", "FailAfter", "Succeed", "BlockThenSub", "FailWithSub", "BlockThenFailWithSub"}

func (b Behavior) String() string { return behaviorNames[b] }

// Step is a scripted function call: its behavior and, for FailAfter, delay.
type Step struct {
	B     Behavior
	Delay time.Duration
}

// Call records one call of the Resubscribe function: when it started, with
// which previous inner error (ResubscribeErr; 0 for nil), what it did, and
// whether its context is done (it returned, or Unsubscribe was called).
type Call struct {
	At      time.Duration
	LastErr int
	Step
	CtxDone bool
}

// Loop phases of Resubscribe.
const (
	PhaseAttempt = "attempt" // the function is running
	PhaseBackoff = "backoff" // waiting before the next attempt
	PhaseWaiting = "waiting" // an inner subscription is live
	PhaseExited  = "exited"  // Err closed
)

// Resub models the Resubscribe/ResubscribeErr loop in fake time.
type Resub struct {
	Max      time.Duration
	Now      time.Duration
	WaitTime time.Duration
	LastTry  time.Duration
	Script   []Step // behavior of call i; Block after the script ends
	Calls    []Call
	Phase    string
	Until    time.Duration // end of backoff, or FailAfter deadline
	LastErr  int           // last inner error, for ResubscribeErr
	Inners   []bool        // inner subscription i is live
	// Unsub is unsub in spec/Resubscribe.tla: Unsubscribe was called. The
	// model's Unsubscribe is one step, so it has also returned.
	Unsub bool
	// ErrVals counts the values sent on Err; the loop never sends one.
	ErrVals int
	// Backoff history for the Backoff* invariants: QuickFails counts the
	// failed calls since the last reset whose backoff doubled the wait, and
	// SlowFail is set when the latest failed call took longer than Max.
	QuickFails int
	SlowFail   bool
}

// NewResub models Resubscribe(max, fn) right after the call: the first
// attempt has begun at time 0 (AtLeastOneCall: whatever comes next, even an
// Unsubscribe before the loop started), and a call that fails or succeeds
// at once has returned.
//
// Spec actions (Resubscribe): StartAttempt, FnReturn, GotErr, GotSub, BackoffDone.
func NewResub(max time.Duration, script []Step) *Resub {
	r := &Resub{Max: max, WaitTime: max / 10, Script: script}
	r.attempt()
	return r
}

func (r *Resub) attempt() {
	r.LastTry = r.Now
	st := Step{B: Block}
	if len(r.Calls) < len(r.Script) {
		st = r.Script[len(r.Calls)]
	}
	r.Calls = append(r.Calls, Call{At: r.Now, LastErr: r.LastErr, Step: st})
	r.Phase = PhaseAttempt
	switch st.B {
	case Fail:
		r.backoff()
	case FailWithSub:
		// Created and unsubscribed before the backoff wait.
		r.Inners = append(r.Inners, false)
		r.backoff()
	case FailAfter:
		r.Until = r.Now + st.Delay
		if st.Delay == 0 {
			r.backoff()
		}
	case Succeed:
		r.Calls[len(r.Calls)-1].CtxDone = true
		r.Inners = append(r.Inners, true)
		r.Phase = PhaseWaiting
	}
}

// backoff models a failed call's return (its context is cancelled) and the
// backoff wait that follows.
func (r *Resub) backoff() {
	r.Calls[len(r.Calls)-1].CtxDone = true
	if r.Now-r.LastTry > r.Max {
		r.WaitTime = r.Max / 10
		r.QuickFails, r.SlowFail = 0, true
	} else {
		r.WaitTime = min(r.WaitTime*2, r.Max)
		r.QuickFails++
		r.SlowFail = false
	}
	r.Phase, r.Until = PhaseBackoff, r.Now+r.WaitTime
}

func (r *Resub) timed() bool {
	return r.Phase == PhaseBackoff || (r.Phase == PhaseAttempt && r.current().B == FailAfter)
}

func (r *Resub) current() Step { return r.Calls[len(r.Calls)-1].Step }

// Advance models fake time passing by d: every backoff timer and FailAfter
// deadline due at or before the new time fires, in time order.
//
// Spec actions (Resubscribe): BackoffDone, StartAttempt, FnReturn, GotErr, GotSub.
func (r *Resub) Advance(d time.Duration) {
	target := r.Now + d
	for r.timed() && r.Until <= target {
		r.Now = r.Until
		if r.Phase == PhaseBackoff {
			r.attempt()
		} else {
			r.backoff()
		}
	}
	r.Now = target
}

// InnerFail models the live inner subscription's Err yielding err (an
// error ID, not 0): the loop unsubscribes it and calls the function again
// at once, passing err to a ResubscribeErr function.
//
// Spec actions (Resubscribe): InnerFail, WaitErr, StartAttempt, FnReturn, GotErr, GotSub.
func (r *Resub) InnerFail(err int) {
	if r.Phase != PhaseWaiting || err == 0 {
		return
	}
	r.Inners[len(r.Inners)-1] = false
	r.LastErr = err
	r.attempt()
}

// InnerEnd models the live inner subscription's Err being closed without a
// value: the loop unsubscribes it and exits, closing Err.
//
// Spec actions (Resubscribe): InnerEnd, WaitErr.
func (r *Resub) InnerEnd() {
	if r.Phase != PhaseWaiting {
		return
	}
	r.Inners[len(r.Inners)-1] = false
	r.Phase = PhaseExited
}

// Unsubscribe models one Unsubscribe call: the loop stops whatever it does
// (cancelling a running call and unsubscribing the subscription such a call
// returns late) and Err is closed before the call returns.
//
// Spec actions (Resubscribe): Unsub1, UnsubInAttempt, FnReturn, Cleanup, UnsubInBackoff, WaitUnsub, StartUnsub, Unsub2.
func (r *Resub) Unsubscribe() {
	if r.Phase == PhaseWaiting {
		r.Inners[len(r.Inners)-1] = false
	}
	if r.Phase == PhaseAttempt && (r.current().B == BlockThenSub || r.current().B == BlockThenFailWithSub) {
		r.Inners = append(r.Inners, false)
	}
	for i := range r.Calls {
		r.Calls[i].CtxDone = true
	}
	r.Phase = PhaseExited
	r.Unsub = true
}

// LiveInners returns the number of live inner subscriptions.
func (r *Resub) LiveInners() int {
	n := 0
	for _, l := range r.Inners {
		if l {
			n++
		}
	}
	return n
}
