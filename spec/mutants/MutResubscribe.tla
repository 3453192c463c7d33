---------------------------- MODULE MutResubscribe ----------------------------
(* Mutants of the Resubscribe loop, swapped in by the mutants/*.cfg files.  *)
EXTENDS Resubscribe

\* resub-leaks-fn: on Unsubscribe during an attempt the loop exits at once,
\* without waiting for fn, which is still running when Unsubscribe returns.
MutUnsubInAttemptLeak ==
    /\ lp = "attempt" /\ unsub
    /\ lp' = "exit" /\ ctx' = "cancelled" /\ errClosed' = TRUE
    /\ UNCHANGED <<fn, attempts, innerVars, unsub, uc, errVals>>

\* resub-drops-late-inner: the subscription fn returns after Unsubscribe
\* began is dropped without being unsubscribed (the upstream behaviour):
\* the loop exits without UnsubInner.
MutCleanupDrop ==
    /\ lp = "cleanup" /\ fn \in {"sub", "err", "suberr", "nilsub"}
    /\ fn' = "none" /\ lp' = "exit" /\ errClosed' = TRUE
    /\ UNCHANGED <<ctx, attempts, innerVars, unsub, uc, errVals>>

\* resub-no-cancel: Unsubscribe does not cancel fn's context, and on
\* Unsubscribe during an attempt the loop waits for fn without cancelling
\* it; a fn that blocks until cancelled never returns and neither does
\* Unsubscribe.  resub-late-cancel (spec) swaps in MutUnsub1NoCancel alone:
\* only the loop cancels, once it sees Unsubscribe.
MutUnsub1NoCancel(k) ==
    /\ uc[k] = "idle"
    /\ unsub' = TRUE /\ uc' = [uc EXCEPT ![k] = "wait"]
    /\ UNCHANGED <<loopVars, innerVars, errClosed, errVals>>

MutUnsubInAttemptNoCancel ==
    /\ lp = "attempt" /\ unsub
    /\ lp' = "cleanup"
    /\ UNCHANGED <<fn, ctx, attempts, innerVars, subVars>>

\* resub-keeps-failed-inner: after an inner subscription fails, the loop
\* attempts again without unsubscribing it.
MutWaitErrKeep ==
    /\ lp = "wait" /\ inner \in {"err", "nil"}
    /\ IF inner = "err" THEN lp' = "start" /\ inner' = "none"
                        ELSE lp' = "relExit" /\ UNCHANGED inner
    /\ UNCHANGED <<fn, ctx, attempts, live, subVars>>

\* err-carries-value (Resubscribe): the inner subscription's error is
\* forwarded on the Resubscribe subscription's Err.
MutWaitErrForward ==
    /\ lp = "wait" /\ inner \in {"err", "nil"}
    /\ lp' = IF inner = "err" THEN "relStart" ELSE "relExit"
    /\ errVals' = IF inner = "err" THEN errVals + 1 ELSE errVals
    /\ UNCHANGED <<fn, ctx, attempts, innerVars, unsub, uc, errClosed>>

\* resub-skips-first-call: the loop checks for Unsubscribe before every
\* attempt, the first one included; a subscription unsubscribed before the
\* loop started never calls fn (the code before issue 11).
MutStartAttemptChecked ==
    /\ lp = "start" /\ ~unsub
    /\ lp' = "attempt" /\ fn' = "running" /\ ctx' = "open"
    /\ attempts' = attempts + 1
    /\ UNCHANGED <<innerVars, subVars>>

MutStartUnsubAlways ==
    /\ lp = "start" /\ unsub
    /\ lp' = "exit" /\ errClosed' = TRUE
    /\ UNCHANGED <<fn, ctx, attempts, innerVars, unsub, uc, errVals>>

\* resub-leaks-errored-sub: a subscription fn returns together with an
\* error is ignored, never unsubscribed (the code before issue 11): the
\* loop backs off without UnsubInner.
MutGotErrLeak ==
    /\ lp = "attempt" /\ fn \in {"err", "suberr"}
    /\ lp' = "backoff" /\ fn' = "none" /\ ctx' = "cancelled"
    /\ UNCHANGED <<attempts, innerVars, subVars>>
=============================================================================
