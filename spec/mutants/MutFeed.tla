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
    /\ UNCHANGED <<subscribed, errc, lockVars, senderVars, roundVars, chanVars,
                   historyVars>>

\* unsub-no-wait: Unsubscribe returns without waiting for the deliverer
\* parked on the entry, which may still win its select and deliver.
MutUnsub2NoWait(e, k) ==
    /\ ust[e][k] = "wait"
    /\ ust'   = [ust EXCEPT ![e][k] = "done"]
    /\ ugone' = [ugone EXCEPT ![e] = IF @ = -1 THEN Len(recvd[e]) ELSE @]
    /\ UNCHANGED <<subscribed, removed, errc, lockVars, senderVars, roundVars,
                   chanVars, recvd, ahead, nret>>

\* err-carries-value: Unsubscribe sends a value on err instead of closing it.
MutUnsub1ErrValue(e, k) ==
    /\ subscribed[e] /\ ust[e][k] = "idle" /\ mu = NoOne
    /\ removed' = [removed EXCEPT ![e] = TRUE]
    /\ errc'    = [errc EXCEPT ![e] = "value"]
    /\ ust'     = [ust EXCEPT ![e][k] = "wait"]
    /\ UNCHANGED <<subscribed, lockVars, senderVars, roundVars, chanVars,
                   historyVars>>

\* send-takes-new-entries: the blocking phase walks the current entry list
\* instead of the Send's pending set, so entries subscribed after the Send
\* began get its value.
MutBlockBeginNewEntries(s) ==
    /\ pc[s] = "slow" /\ mu = NoOne
    /\ rounds[s] = MaxRetryRounds \/ Cardinality(pend[s]) <= 1 \/ ctxDone[s]
    /\ deliv' = [deliv EXCEPT ![s] =
                   [e \in Entries |-> IF e \in (pend[s] \cup (Live \ tgt[s])) /\ ~removed[e]
                                        THEN "parked" ELSE "none"]]
    /\ pend'  = [pend EXCEPT ![s] = {}]
    /\ pc'    = [pc EXCEPT ![s] = "block"]
    /\ UNCHANGED <<subVars, lockVars, calls, ctxDone, val, nextVal, tgt, todo,
                   n, panicked, cut, rounds, chanVars, historyVars>>

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
              /\ recvd' = Record(e, val[s])
              /\ n'     = Track(n, [n EXCEPT ![s] = @ + 1])
              /\ UNCHANGED <<panicked, pend>>
         [] OTHER -> UNCHANGED <<pend, n, panicked, buf, rs, recvd>>
    /\ UNCHANGED <<subVars, lockVars, senderVars, val, nextVal, tgt, deliv,
                   cut, rounds, closedCh, ugone, ahead, nret>>

\* parallel-sends: a Send does not wait while another is in its blocking
\* phase (busy ignored, no queue); the two rounds overlap.
MutFastBeginParallel(s) ==
    /\ pc[s] = "wait" /\ mu = NoOne
    /\ ahead' = [ahead EXCEPT ![s] = {o \in Senders : Waiting(o)}]
    /\ BeginRound(s)
    /\ UNCHANGED <<subVars, busy, queue, calls, ctxDone, pend, deliv, chanVars,
                   recvd, ugone, nret>>

\* panic-keeps-lock: the re-panic happens before mu is unlocked (the feed
\* itself is released): a Send that met a closed channel leaves mu held,
\* whether it ends after the fast pass or after the blocking phase.
MutFastEndPanicKeepsLock(s) ==
    /\ pc[s] = "fast" /\ todo[s] = {} /\ (pend[s] # {} => ~ctxDone[s])
    /\ mu' = IF pend[s] = {} /\ panicked[s] THEN s ELSE NoOne
    /\ CASE pend[s] # {} -> /\ pc'   = [pc EXCEPT ![s] = "slow"]
                            /\ busy' = TRUE
                            /\ UNCHANGED <<queue, ctxDone, nret>>
         [] busy         -> Release(s) /\ Returned(s)
         [] OTHER        -> /\ pc' = [pc EXCEPT ![s] = "done"]
                            /\ UNCHANGED <<busy, queue>>
                            /\ Returned(s)
    /\ UNCHANGED <<subVars, calls, roundVars, chanVars, recvd, ugone, ahead>>
MutSendFinishPanicKeepsLock(s) ==
    /\ pc[s] = "block" /\ mu = NoOne
    /\ \A e \in Entries : deliv[s][e] = "none"
    /\ mu' = IF panicked[s] THEN s ELSE NoOne
    /\ Release(s)
    /\ Returned(s)
    /\ UNCHANGED <<subVars, calls, roundVars, chanVars, recvd, ugone, ahead>>

\* send-queue-barging: the racing wake-up that issue 11 (defect 8) removed.
\* A Send that ends clears busy and wakes every waiting Send at once (all
\* become "handed", the queue is emptied); a woken Send re-locks mu and
\* begins its round only if busy is still clear, else it joins the queue
\* again.  A newcomer that locks mu first takes the fast pass ahead of the
\* woken Sends (FastBegin is unchanged) and, with an entry not ready, makes
\* the feed busy again: waiting Sends can be overtaken without end.
MutReleaseWakeAll(s) ==
    /\ busy'  = FALSE
    /\ queue' = <<>>
    /\ pc'    = [o \in Senders |-> IF o = s THEN "done"
                                  ELSE IF pc[o] = "queued" THEN "handed"
                                  ELSE pc[o]]
MutHandedBeginRecheck(s) ==
    /\ pc[s] = "handed" /\ mu = NoOne
    /\ IF busy
         THEN /\ queue' = Append(queue, s)
              /\ pc'    = [pc EXCEPT ![s] = "queued"]
              /\ UNCHANGED <<mu, val, nextVal, tgt, todo, n, panicked, cut,
                             rounds, ahead>>
         ELSE /\ ahead' = [o \in Senders |-> ahead[o] \ {s}]
              /\ BeginRound(s)
              /\ UNCHANGED queue
    /\ UNCHANGED <<subVars, busy, calls, ctxDone, pend, deliv, chanVars, recvd,
                   ugone, nret>>

\* sendcontext-late-delivery: a SendContext whose ctx is done returns
\* without joining the deliverers still parked on its entries; such a
\* deliverer can still deliver after SendContext returned.
MutSendFinishNoJoin(s) ==
    /\ pc[s] = "block" /\ mu = NoOne
    /\ \A e \in Entries : deliv[s][e] = "none" \/ (ctxDone[s] /\ deliv[s][e] = "parked")
    /\ Release(s)
    /\ Returned(s)
    /\ UNCHANGED <<subVars, mu, calls, roundVars, chanVars, recvd, ugone,
                   ahead>>

\* sendcontext-stays-queued: feedCore.wait selects only on the turn: a
\* queued SendContext ignores its ctx and waits for its turn however long
\* the Send ahead of it blocks (done is still checked before queueing and
\* after the fast pass).
MutWaitIgnoresCtx(s) == FALSE
=============================================================================
