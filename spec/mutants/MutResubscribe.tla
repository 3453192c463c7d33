---------------------------- MODULE MutResubscribe ----------------------------
(* Mutants of the Resubscribe loop, swapped in by the mutants/*.cfg files.  *)
EXTENDS Resubscribe

\* resub-leaks-fn: on Unsubscribe during an attempt the loop exits at once,
\* without waiting for fn, which is still running when Unsubscribe returns.
MutUnsubInAttemptLeak ==
    /\ lp = "attempt" /\ unsub
    /\ lp' = "exit" /\ ctx' = "cancelled" /\ errClosed' = TRUE
    /\ UNCHANGED <<fn, attempts, live, inner, unsub, uc, errVals>>

\* resub-drops-late-inner: the subscription fn returns after Unsubscribe
\* began is dropped without being unsubscribed (the upstream behaviour).
MutCleanupDrop ==
    /\ lp = "cleanup" /\ fn \in {"sub", "err", "nilsub"}
    /\ fn' = "none" /\ lp' = "exit" /\ errClosed' = TRUE
    /\ UNCHANGED <<ctx, attempts, live, inner, unsub, uc, errVals>>

\* resub-no-cancel: on Unsubscribe during an attempt the loop waits for fn
\* without cancelling its context; a fn that blocks until cancelled never
\* returns and neither does Unsubscribe.
MutUnsubInAttemptNoCancel ==
    /\ lp = "attempt" /\ unsub
    /\ lp' = "cleanup"
    /\ UNCHANGED <<fn, ctx, attempts, live, inner, unsub, uc, errClosed, errVals>>

\* resub-keeps-failed-inner: after an inner subscription fails, the loop
\* attempts again without unsubscribing it.
MutWaitErrKeep ==
    /\ lp = "wait" /\ inner \in {"err", "nil"}
    /\ IF inner = "err" THEN lp' = "start" /\ UNCHANGED <<errClosed, live>>
                        ELSE lp' = "exit" /\ errClosed' = TRUE /\ live' = live - 1
    /\ inner' = "none"
    /\ UNCHANGED <<fn, ctx, attempts, unsub, uc, errVals>>

\* err-carries-value (Resubscribe): the inner subscription's error is
\* forwarded on the Resubscribe subscription's Err.
MutWaitErrForward ==
    /\ lp = "wait" /\ inner \in {"err", "nil"}
    /\ live' = live - 1 /\ inner' = "none"
    /\ IF inner = "err" THEN lp' = "start" /\ errVals' = errVals + 1 /\ UNCHANGED errClosed
                        ELSE lp' = "exit" /\ errClosed' = TRUE /\ UNCHANGED errVals
    /\ UNCHANGED <<fn, ctx, attempts, unsub, uc>>
=============================================================================
