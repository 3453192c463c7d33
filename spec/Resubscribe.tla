----------------------------- MODULE Resubscribe -----------------------------
(***************************************************************************)
(* Resubscribe / ResubscribeErr of event/resubscribe.go (resubscribeSub). *)
(*                                                                         *)
(* One loop goroutine.  An attempt runs fn in its own goroutine with a      *)
(* context and waits for fn's result or for Unsubscribe:                   *)
(*   - error: cancel, unsubscribe the subscription fn returned with the    *)
(*     error (if any), back off, attempt again (or exit on Unsubscribe);   *)
(*   - (nil, nil), which fn may return only once its context is done:     *)
(*     exit;                                                               *)
(*   - subscription: cancel, wait for its Err or for Unsubscribe;          *)
(*   - Unsubscribe first: wait for fn's (late) result, unsubscribe the     *)
(*     subscription in it (with or without an error), exit.                *)
(* While waiting on an inner subscription: its error or end (Err closed)   *)
(* or Unsubscribe -> sub.Unsubscribe(); exit, or on an error attempt       *)
(* again at once.  Exit closes Err.  The loop's call of an inner           *)
(* subscription's Unsubscribe is a step of its own (UnsubInner), after the *)
(* step that decided it, as in the code.                                   *)
(*                                                                         *)
(* The first attempt is unconditional: fn is called once even if           *)
(* Unsubscribe came first.  Every later attempt (after a backoff or a      *)
(* failed inner subscription) first checks for Unsubscribe and exits       *)
(* instead.  Unsubscribe cancels the context every fn context derives      *)
(* from (so a running fn's context, and that of a call that begins after   *)
(* Unsubscribe, is done at once), then every caller waits until Err is     *)
(* closed.                                                                 *)
(*                                                                         *)
(* Abstracted: the backoff wait is a step that either ends (timer) or is   *)
(* cut short by Unsubscribe; its length and the reset/double/cap rule are  *)
(* checked separately in Backoff.tla (TraceResubscribe.tla checks the     *)
(* waits of real runs against it).  ResubscribeErr differs only in         *)
(* passing the last inner error to fn, which no property depends on.       *)
(* An inner subscription is live from the moment fn returns it until the   *)
(* loop calls its Unsubscribe (which, for a NewSubscription, returns only  *)
(* after its producer returned: modelled as one step).                     *)
(***************************************************************************)
EXTENDS Naturals

CONSTANT
    Shape           \* the configuration's shape, a record (ShapeResub below)

Callers     == Shape.callers      \* goroutines that may call Unsubscribe
MaxAttempts == Shape.maxAttempts  \* bound on fn calls (keeps the model finite)

\* The shape of MCResubscribe.cfg and the Resubscribe spec mutants
\* (Shape <- ShapeResub): two Unsubscribe callers, up to 3 fn calls.
ShapeResub == [callers |-> {1, 2}, maxAttempts |-> 3]

VARIABLES
    lp,         \* loop: "start","attempt","backoff","wait","cleanup","exit",
                \* or calling an inner subscription's Unsubscribe before
                \* going on to "backoff", "start" or "exit": "relBackoff",
                \* "relStart", "relExit"
    fn,         \* fn call: "none","running", or its returned result
                \* "sub","err","suberr" (a subscription and an error),
                \* "nilsub" not yet taken by the loop
    ctx,        \* the latest fn call's context: "open","cancelled"
    attempts,   \* fn calls so far
    live,       \* inner subscriptions returned by fn and not unsubscribed
    inner,      \* the newest inner subscription: "none","ok", or its Err
                \* outcome "err" (carries an error) / "nil" (closed)
    unsub,      \* Unsubscribe was called (the parent context is cancelled)
    uc,         \* [Callers -> {"idle","wait","done"}]
    errClosed,  \* the Resubscribe subscription's Err is closed
    errVals     \* history: values ever sent on that Err

\* The variables by concern: the loop and its fn call, the inner
\* subscriptions, and the Resubscribe subscription.
loopVars  == <<lp, fn, ctx, attempts>>
innerVars == <<live, inner>>
subVars   == <<unsub, uc, errClosed, errVals>>
vars == <<loopVars, innerVars, subVars>>

TypeOK ==
    /\ lp \in {"start", "attempt", "backoff", "wait", "cleanup", "exit",
               "relBackoff", "relStart", "relExit"}
    /\ fn \in {"none", "running", "sub", "err", "suberr", "nilsub"}
    /\ ctx \in {"open", "cancelled"}
    /\ attempts \in 0..MaxAttempts
    /\ live \in 0..MaxAttempts
    /\ inner \in {"none", "ok", "err", "nil"}
    /\ unsub \in BOOLEAN
    /\ uc \in [Callers -> {"idle", "wait", "done"}]
    /\ errClosed \in BOOLEAN
    /\ errVals \in 0..MaxAttempts

Init ==
    /\ lp = "start" /\ fn = "none" /\ ctx = "open" /\ attempts = 0
    /\ live = 0 /\ inner = "none" /\ unsub = FALSE
    /\ uc = [k \in Callers |-> "idle"]
    /\ errClosed = FALSE /\ errVals = 0

\* a. lastTry = now; ctx, cancel := WithCancel(parent); go fn(ctx).  The
\* first call is made even after Unsubscribe, with a context that is then
\* already done; a later one only if Unsubscribe has not been called.
StartAttempt ==
    /\ lp = "start" /\ (attempts = 0 \/ ~unsub)
    /\ lp' = "attempt" /\ fn' = "running"
    /\ ctx' = IF unsub THEN "cancelled" ELSE "open"
    /\ attempts' = attempts + 1
    /\ UNCHANGED <<innerVars, subVars>>

\* ... else (after a backoff or a failed inner subscription) exit.
StartUnsub ==
    /\ lp = "start" /\ attempts > 0 /\ unsub
    /\ lp' = "exit" /\ errClosed' = TRUE
    /\ UNCHANGED <<fn, ctx, attempts, innerVars, unsub, uc, errVals>>

\* fn returns.  It fails (with or without a subscription) only while
\* attempts remain (bound), may return a subscription at any time, and
\* once its context is cancelled may also return (nil, nil) or an error.
\* A subscription returned with an error is live until unsubscribed.
FnReturn(r) ==
    /\ fn = "running"
    /\ CASE r = "sub"    -> live' = live + 1 /\ inner' = "ok"
         [] r = "err"    -> (attempts < MaxAttempts \/ ctx = "cancelled")
                            /\ UNCHANGED <<live, inner>>
         [] r = "suberr" -> (attempts < MaxAttempts \/ ctx = "cancelled")
                            /\ live' = live + 1 /\ UNCHANGED inner
         [] r = "nilsub" -> ctx = "cancelled" /\ UNCHANGED <<live, inner>>
    /\ fn' = r
    /\ UNCHANGED <<lp, ctx, attempts, subVars>>

\* The attempt's select: fn's error (a subscription returned with it is
\* unsubscribed before the backoff, by UnsubInner) ...
GotErr ==
    /\ lp = "attempt" /\ fn \in {"err", "suberr"}
    /\ lp' = IF fn = "suberr" THEN "relBackoff" ELSE "backoff"
    /\ fn' = "none" /\ ctx' = "cancelled"
    /\ UNCHANGED <<attempts, innerVars, subVars>>

\* ... fn's (nil, nil), which it returns only once its context is done, so
\* after Unsubscribe: exit ...
GotNil ==
    /\ lp = "attempt" /\ fn = "nilsub" /\ unsub
    /\ lp' = "exit" /\ fn' = "none" /\ ctx' = "cancelled" /\ errClosed' = TRUE
    /\ UNCHANGED <<attempts, innerVars, unsub, uc, errVals>>

\* ... fn's subscription ...
GotSub ==
    /\ lp = "attempt" /\ fn = "sub"
    /\ lp' = "wait" /\ fn' = "none" /\ ctx' = "cancelled"
    /\ UNCHANGED <<attempts, innerVars, subVars>>

\* ... or Unsubscribe (which cancelled fn's context): wait for fn's result.
UnsubInAttempt ==
    /\ lp = "attempt" /\ unsub
    /\ lp' = "cleanup" /\ ctx' = "cancelled"
    /\ UNCHANGED <<fn, attempts, innerVars, subVars>>

\* The late result: unsubscribe the subscription in it, if any (returned
\* with or without an error; UnsubInner), and exit (close Err).
Cleanup ==
    /\ lp = "cleanup" /\ fn \in {"sub", "err", "suberr", "nilsub"}
    /\ IF fn \in {"sub", "suberr"} THEN lp' = "relExit" /\ UNCHANGED errClosed
                                   ELSE lp' = "exit" /\ errClosed' = TRUE
    /\ fn' = "none"
    /\ UNCHANGED <<ctx, attempts, innerVars, unsub, uc, errVals>>

\* Backoff: the timer fires, or Unsubscribe cuts the wait short.
BackoffDone ==
    /\ lp = "backoff"
    /\ lp' = "start"
    /\ UNCHANGED <<fn, ctx, attempts, innerVars, subVars>>

UnsubInBackoff ==
    /\ lp = "backoff" /\ unsub
    /\ lp' = "exit" /\ errClosed' = TRUE
    /\ UNCHANGED <<fn, ctx, attempts, innerVars, unsub, uc, errVals>>

\* The inner subscription fails (only while attempts remain) or ends.
InnerFail ==
    /\ inner = "ok" /\ attempts < MaxAttempts
    /\ inner' = "err"
    /\ UNCHANGED <<loopVars, live, subVars>>

InnerEnd ==
    /\ inner = "ok"
    /\ inner' = "nil"
    /\ UNCHANGED <<loopVars, live, subVars>>

\* b. select { e := <-sub.Err() | <-unsub }; sub.Unsubscribe() (UnsubInner);
\* then attempt again at once on an error, exit on nil (Err closed) ...
WaitErr ==
    /\ lp = "wait" /\ inner \in {"err", "nil"}
    /\ lp' = IF inner = "err" THEN "relStart" ELSE "relExit"
    /\ UNCHANGED <<fn, ctx, attempts, innerVars, subVars>>

\* ... or exit on Unsubscribe.
WaitUnsub ==
    /\ lp = "wait" /\ unsub
    /\ lp' = "relExit"
    /\ UNCHANGED <<fn, ctx, attempts, innerVars, subVars>>

\* The loop calls the inner subscription's Unsubscribe, which returns once
\* that subscription has ended: it is no longer live.  Then back off
\* (after a call of fn that failed with a subscription), attempt again
\* (after the inner subscription failed) or exit (close Err).
UnsubInner ==
    /\ lp \in {"relBackoff", "relStart", "relExit"}
    /\ live' = live - 1 /\ inner' = "none"
    /\ lp' = CASE lp = "relBackoff" -> "backoff"
                [] lp = "relStart"   -> "start"
                [] lp = "relExit"    -> "exit"
    /\ errClosed' = (errClosed \/ lp = "relExit")
    /\ UNCHANGED <<fn, ctx, attempts, unsub, uc, errVals>>

\* Unsubscribe: cancel the parent context (and with it fn's), then wait
\* until Err is closed.
Unsub1(k) ==
    /\ uc[k] = "idle"
    /\ unsub' = TRUE /\ ctx' = "cancelled" /\ uc' = [uc EXCEPT ![k] = "wait"]
    /\ UNCHANGED <<lp, fn, attempts, innerVars, errClosed, errVals>>

Unsub2(k) ==
    /\ uc[k] = "wait" /\ errClosed
    /\ uc' = [uc EXCEPT ![k] = "done"]
    /\ UNCHANGED <<loopVars, innerVars, unsub, errClosed, errVals>>

\* The loop has exited and no Unsubscribe is in progress.
Done ==
    /\ lp = "exit" /\ \A k \in Callers : uc[k] # "wait"
    /\ UNCHANGED vars

Loop == StartAttempt \/ StartUnsub \/ GotErr \/ GotNil \/ GotSub \/ UnsubInAttempt
        \/ Cleanup \/ BackoffDone \/ UnsubInBackoff \/ WaitErr \/ WaitUnsub
        \/ UnsubInner

Next ==
    \/ Loop
    \/ \E r \in {"sub", "err", "suberr", "nilsub"} : FnReturn(r)
    \/ InnerFail \/ InnerEnd
    \/ \E k \in Callers : Unsub1(k) \/ Unsub2(k)
    \/ Done

\* Fairness: the loop goroutine and every begun Unsubscribe are weakly
\* fair; fn may block until its context is cancelled, but then returns.
\* Inner subscriptions may live forever.
Fairness ==
    /\ WF_vars(Loop)
    /\ WF_vars(ctx = "cancelled" /\ \E r \in {"err", "nilsub"} : FnReturn(r))
    /\ \A k \in Callers : WF_vars(Unsub2(k))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
\* "At most one inner subscription is live at a time." (Resubscribe)
AtMostOneInner == live <= 1

\* "It calls fn at least once, even if Unsubscribe is called first"
\* (Resubscribe): Err is not closed, so no Unsubscribe returns, before the
\* first call of fn.
AtLeastOneCall == errClosed => attempts >= 1

\* "Its context is done once the call has returned or Unsubscribe has been
\*  called on the Resubscribe subscription, whichever is first: a call that
\*  begins after Unsubscribe was called gets a context that is already
\*  done." (ResubscribeFunc): a running call's context at once, and that of
\* a call that begins after Unsubscribe from the start.
CtxCancelledOnUnsubscribe == unsub => ctx = "cancelled"

\* "once Unsubscribe returns, no call of fn is running and no inner
\*  subscription is live." (Resubscribe; a subscription fn returns with an
\* error, or after Unsubscribe began, is unsubscribed).
NoLeakedInner ==
    (\E k \in Callers : uc[k] = "done") => live = 0 /\ fn = "none"

\* "The returned subscription's Err never carries a value" (Resubscribe):
\* the stronger form of NewSubscription's SingleError; Err is only closed.
SingleError == errVals = 0

\* "it is closed by Unsubscribe and when an inner subscription ends with a
\*  nil error." (Resubscribe): once an Unsubscribe call has returned, Err is
\* closed.
ErrClosedAfterUnsubscribe ==
    \A k \in Callers : uc[k] = "done" => errClosed

\* "Unsubscribe cancels fn's context, waits for a call of fn in progress,
\*  and unsubscribes the inner subscription" (Resubscribe): every
\* Unsubscribe call returns, whatever the loop is doing, given fns that
\* return once their context is cancelled.
ResubscribeUnsubscribeTerminates ==
    \A k \in Callers : uc[k] = "wait" ~> uc[k] = "done"
=============================================================================
