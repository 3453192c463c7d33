----------------------------- MODULE Resubscribe -----------------------------
(***************************************************************************)
(* Resubscribe / ResubscribeErr of event/resubscribe.go (resubscribeSub). *)
(*                                                                         *)
(* One loop goroutine.  An attempt runs fn in its own goroutine with a      *)
(* context and waits for fn's result or for Unsubscribe:                   *)
(*   - error: cancel, back off, attempt again (or exit on Unsubscribe);    *)
(*   - subscription: cancel, wait for its Err or for Unsubscribe;          *)
(*   - Unsubscribe first: cancel, wait for fn's (late) result, unsubscribe *)
(*     it if it is a subscription, exit.                                   *)
(* While waiting on an inner subscription: its error or end (Err closed)   *)
(* or Unsubscribe -> sub.Unsubscribe(); exit, or on an error attempt       *)
(* again at once.  Exit closes Err.  Unsubscribe closes unsub once; every  *)
(* caller waits until Err is closed.                                       *)
(*                                                                         *)
(* Abstracted: the backoff wait is a step that either ends (timer) or is   *)
(* cut short by Unsubscribe; its length and the reset/double/cap rule are  *)
(* checked separately in Backoff.tla.  ResubscribeErr differs only in      *)
(* passing the last inner error to fn, which no property depends on.       *)
(* An inner subscription is live from the moment fn returns it until the   *)
(* loop calls its Unsubscribe (which, for a NewSubscription, returns only  *)
(* after its producer returned: modelled as one step).                     *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Callers,        \* goroutines that may call Unsubscribe
    MaxAttempts     \* bound on fn calls (keeps the model finite)

VARIABLES
    lp,         \* loop: "start","attempt","backoff","wait","cleanup","exit"
    fn,         \* fn call: "none","running", or its returned result
                \* "sub","err","nilsub" not yet taken by the loop
    ctx,        \* "open","cancelled"
    attempts,   \* fn calls so far
    live,       \* inner subscriptions returned by fn and not unsubscribed
    inner,      \* the newest inner subscription: "none","ok", or its Err
                \* outcome "err" (carries an error) / "nil" (closed)
    unsub,      \* the unsub channel is closed
    uc,         \* [Callers -> {"idle","wait","done"}]
    errClosed,  \* the Resubscribe subscription's Err is closed
    errVals     \* history: values ever sent on that Err

vars == <<lp, fn, ctx, attempts, live, inner, unsub, uc, errClosed, errVals>>

TypeOK ==
    /\ lp \in {"start", "attempt", "backoff", "wait", "cleanup", "exit"}
    /\ fn \in {"none", "running", "sub", "err", "nilsub"}
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

\* a. lastTry = now; ctx, cancel := WithCancel; go fn(ctx).
StartAttempt ==
    /\ lp = "start"
    /\ lp' = "attempt" /\ fn' = "running" /\ ctx' = "open"
    /\ attempts' = attempts + 1
    /\ UNCHANGED <<live, inner, unsub, uc, errClosed, errVals>>

\* fn returns.  It fails only while attempts remain (bound), may return a
\* subscription at any time, and once its context is cancelled may also
\* return (nil, nil) or an error.
FnReturn(r) ==
    /\ fn = "running"
    /\ CASE r = "sub"    -> live' = live + 1 /\ inner' = "ok"
         [] r = "err"    -> (attempts < MaxAttempts \/ ctx = "cancelled")
                            /\ UNCHANGED <<live, inner>>
         [] r = "nilsub" -> ctx = "cancelled" /\ UNCHANGED <<live, inner>>
    /\ fn' = r
    /\ UNCHANGED <<lp, ctx, attempts, unsub, uc, errClosed, errVals>>

\* The attempt's select: fn's error ...
GotErr ==
    /\ lp = "attempt" /\ fn = "err"
    /\ lp' = "backoff" /\ fn' = "none" /\ ctx' = "cancelled"
    /\ UNCHANGED <<attempts, live, inner, unsub, uc, errClosed, errVals>>

\* ... fn's subscription ...
GotSub ==
    /\ lp = "attempt" /\ fn = "sub"
    /\ lp' = "wait" /\ fn' = "none" /\ ctx' = "cancelled"
    /\ UNCHANGED <<attempts, live, inner, unsub, uc, errClosed, errVals>>

\* ... or Unsubscribe: cancel and wait for fn's result.
UnsubInAttempt ==
    /\ lp = "attempt" /\ unsub
    /\ lp' = "cleanup" /\ ctx' = "cancelled"
    /\ UNCHANGED <<fn, attempts, live, inner, unsub, uc, errClosed, errVals>>

\* The late result: unsubscribe it if it is a subscription; exit (close Err).
Cleanup ==
    /\ lp = "cleanup" /\ fn \in {"sub", "err", "nilsub"}
    /\ IF fn = "sub" THEN live' = live - 1 /\ inner' = "none"
                     ELSE UNCHANGED <<live, inner>>
    /\ fn' = "none" /\ lp' = "exit" /\ errClosed' = TRUE
    /\ UNCHANGED <<ctx, attempts, unsub, uc, errVals>>

\* Backoff: the timer fires, or Unsubscribe cuts the wait short.
BackoffDone ==
    /\ lp = "backoff"
    /\ lp' = "start"
    /\ UNCHANGED <<fn, ctx, attempts, live, inner, unsub, uc, errClosed, errVals>>

UnsubInBackoff ==
    /\ lp = "backoff" /\ unsub
    /\ lp' = "exit" /\ errClosed' = TRUE
    /\ UNCHANGED <<fn, ctx, attempts, live, inner, unsub, uc, errVals>>

\* The inner subscription fails (only while attempts remain) or ends.
InnerFail ==
    /\ inner = "ok" /\ attempts < MaxAttempts
    /\ inner' = "err"
    /\ UNCHANGED <<lp, fn, ctx, attempts, live, unsub, uc, errClosed, errVals>>

InnerEnd ==
    /\ inner = "ok"
    /\ inner' = "nil"
    /\ UNCHANGED <<lp, fn, ctx, attempts, live, unsub, uc, errClosed, errVals>>

\* b. select { e := <-sub.Err() | <-unsub }; sub.Unsubscribe(); then attempt
\* again at once on an error, exit on nil (Err closed) ...
WaitErr ==
    /\ lp = "wait" /\ inner \in {"err", "nil"}
    /\ live' = live - 1 /\ inner' = "none"
    /\ IF inner = "err" THEN lp' = "start" /\ UNCHANGED errClosed
                        ELSE lp' = "exit" /\ errClosed' = TRUE
    /\ UNCHANGED <<fn, ctx, attempts, unsub, uc, errVals>>

\* ... or exit on Unsubscribe.
WaitUnsub ==
    /\ lp = "wait" /\ unsub
    /\ live' = live - 1 /\ inner' = "none"
    /\ lp' = "exit" /\ errClosed' = TRUE
    /\ UNCHANGED <<fn, ctx, attempts, unsub, uc, errVals>>

\* Unsubscribe: close unsub once, then wait until Err is closed.
Unsub1(k) ==
    /\ uc[k] = "idle"
    /\ unsub' = TRUE /\ uc' = [uc EXCEPT ![k] = "wait"]
    /\ UNCHANGED <<lp, fn, ctx, attempts, live, inner, errClosed, errVals>>

Unsub2(k) ==
    /\ uc[k] = "wait" /\ errClosed
    /\ uc' = [uc EXCEPT ![k] = "done"]
    /\ UNCHANGED <<lp, fn, ctx, attempts, live, inner, unsub, errClosed, errVals>>

\* The loop has exited and no Unsubscribe is in progress.
Done ==
    /\ lp = "exit" /\ \A k \in Callers : uc[k] # "wait"
    /\ UNCHANGED vars

Loop == StartAttempt \/ GotErr \/ GotSub \/ UnsubInAttempt \/ Cleanup
        \/ BackoffDone \/ UnsubInBackoff \/ WaitErr \/ WaitUnsub

Next ==
    \/ Loop
    \/ \E r \in {"sub", "err", "nilsub"} : FnReturn(r)
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
\* "At most one inner subscription is live at any time" (Resubscribe).
AtMostOneInner == live <= 1

\* "After Unsubscribe returns, no fn call is running and no inner
\*  subscription is live" (Resubscribe; a fn result that arrives after
\*  Unsubscribe began is unsubscribed).
NoLeakedInner ==
    (\E k \in Callers : uc[k] = "done") => live = 0 /\ fn = "none"

\* "Err carries at most one value, ever" -- for Resubscribe the stronger
\* form holds: its Err never carries a value, it is only closed.
SingleError == errVals = 0

\* "When Unsubscribe returns, Err is closed."
ErrClosedAfterUnsubscribe ==
    \A k \in Callers : uc[k] = "done" => errClosed

\* "Unsubscribe returns, whatever the loop is doing" -- given fns that
\* return once their context is cancelled.
ResubscribeUnsubscribeTerminates ==
    \A k \in Callers : uc[k] = "wait" ~> uc[k] = "done"
=============================================================================
