------------------------------- MODULE MutFeed -------------------------------
(* Mutants of the Feed engine.  Each mutant is one action rewritten the way *)
(* a plausible bug in event/core.go would rewrite it; a mutant's .cfg file  *)
(* swaps it in with `Action <- MutAction` and names the one property TLC    *)
(* must find violated (and the exit code it must report).                   *)
EXTENDS MCFeed

\* unsub-no-interrupt: a parked deliverer's select has no err case (a plain
\* blocking send), so Unsubscribe cannot interrupt it: on a stalled channel
\* neither the Send nor the Unsubscribe waiting for the deliverer returns.
MutDeliverInterruptedNever(s, e) == FALSE

\* err-not-closed: Unsubscribe removes the entry but never closes its err
\* channel (Err stays open, and a parked deliverer is not woken).
MutUnsub1NoClose(e, k) ==
    /\ subscribed[e] /\ ust[e][k] = "idle" /\ mu = NoOne
    /\ removed' = [removed EXCEPT ![e] = TRUE]
    /\ ust'     = [ust EXCEPT ![e][k] = "wait"]
    /\ UNCHANGED <<subscribed, errc, mu, busy, pc, val, tgt, todo, pend, deliv, n,
                   panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

\* unsub-no-wait: Unsubscribe returns without waiting for the deliverer
\* parked on the entry, which may still win its select and deliver.
MutUnsub2NoWait(e, k) ==
    /\ ust[e][k] = "wait"
    /\ ust'   = [ust EXCEPT ![e][k] = "done"]
    /\ ugone' = [ugone EXCEPT ![e] = IF @ = -1 THEN Len(recvd[e]) ELSE @]
    /\ UNCHANGED <<subscribed, removed, errc, mu, busy, pc, val, tgt, todo,
                   pend, deliv, n, panicked, nextVal, buf, rs, closedCh, recvd>>

\* err-carries-value: Unsubscribe sends a value on err instead of closing it.
MutUnsub1ErrValue(e, k) ==
    /\ subscribed[e] /\ ust[e][k] = "idle" /\ mu = NoOne
    /\ removed' = [removed EXCEPT ![e] = TRUE]
    /\ errc'    = [errc EXCEPT ![e] = "value"]
    /\ ust'     = [ust EXCEPT ![e][k] = "wait"]
    /\ UNCHANGED <<subscribed, mu, busy, pc, val, tgt, todo, pend, deliv, n,
                   panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

\* send-takes-new-entries: the blocking phase walks the current entry list
\* instead of the Send's pending set, so entries subscribed after the Send
\* began get its value.
MutBlockBeginNewEntries(s) ==
    /\ pc[s] = "slow" /\ mu = NoOne
    /\ deliv' = [deliv EXCEPT ![s] =
                   [e \in Entries |-> IF e \in (pend[s] \cup (Live \ tgt[s])) /\ ~removed[e]
                                        THEN "parked" ELSE "none"]]
    /\ pend'  = [pend EXCEPT ![s] = {}]
    /\ pc'    = [pc EXCEPT ![s] = "block"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, val, tgt, todo, n,
                   panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

\* send-skips-entry: the fast pass forgets an entry that was not ready
\* instead of adding it to the pending set.
MutFastStepSkip(s, e) ==
    LET c == ChanOf[e] IN
    /\ pc[s] = "fast" /\ e \in todo[s]
    /\ todo' = [todo EXCEPT ![s] = @ \ {e}]
    /\ CASE closedCh[c] ->
              /\ panicked' = [panicked EXCEPT ![s] = TRUE]
              /\ UNCHANGED <<buf, rs, recvd, n, pend>>
         [] Ready(c) ->
              /\ buf'   = PutBuf(c, val[s])
              /\ rs'    = PutRs(c)
              /\ recvd' = [recvd EXCEPT ![e] = Append(@, val[s])]
              /\ n'     = [n EXCEPT ![s] = @ + 1]
              /\ UNCHANGED <<panicked, pend>>
         [] OTHER -> UNCHANGED <<buf, rs, recvd, n, panicked, pend>>
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, pc, val, tgt,
                   deliv, nextVal, closedCh, ugone>>

\* parallel-sends: a Send does not wait for busy, so two rounds overlap.
MutFastBeginParallel(s) ==
    /\ pc[s] = "wait" /\ mu = NoOne
    /\ mu'      = s
    /\ pc'      = [pc EXCEPT ![s] = "fast"]
    /\ val'     = [val EXCEPT ![s] = nextVal]
    /\ nextVal' = nextVal + 1
    /\ tgt'     = [tgt EXCEPT ![s] = Live]
    /\ todo'    = [todo EXCEPT ![s] = Live]
    /\ UNCHANGED <<subscribed, removed, errc, ust, busy, pend, deliv, n,
                   panicked, buf, rs, closedCh, recvd, ugone>>

\* panic-keeps-lock: the re-panic happens before the locks are released
\* (no deferred unlock): a Send that met a closed channel leaves mu held
\* (nothing pending) or busy set (after the blocking phase).
MutFastEndPanicKeepsLock(s) ==
    /\ pc[s] = "fast" /\ todo[s] = {}
    /\ mu' = IF pend[s] = {} /\ panicked[s] THEN mu ELSE NoOne
    /\ IF pend[s] = {}
         THEN pc' = [pc EXCEPT ![s] = "done"] /\ UNCHANGED busy
         ELSE pc' = [pc EXCEPT ![s] = "slow"] /\ busy' = TRUE
    /\ UNCHANGED <<subscribed, removed, errc, ust, val, tgt, todo, pend, deliv,
                   n, panicked, nextVal, buf, rs, closedCh, recvd, ugone>>
MutSendFinishPanicKeepsLock(s) ==
    /\ pc[s] = "block" /\ mu = NoOne
    /\ \A e \in Entries : deliv[s][e] = "none"
    /\ busy' = panicked[s]
    /\ pc'   = [pc EXCEPT ![s] = "done"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, val, tgt, todo, pend,
                   deliv, n, panicked, nextVal, buf, rs, closedCh, recvd, ugone>>
=============================================================================
