------------------------------ MODULE FeedImpl ------------------------------
(***************************************************************************)
(* The Feed engine of event/core.go (feedCore), step by step.              *)
(*                                                                         *)
(*  mu      one mutex; held across the whole fast pass of a Send, taken     *)
(*          for one atomic step by Subscribe, Unsubscribe and the          *)
(*          bookkeeping steps of the blocking phase.                       *)
(*  busy    the one-Send-at-a-time lock: set when a Send leaves the fast    *)
(*          pass with pending entries, cleared when it finishes.           *)
(*  errc    per entry err channel: "open" or "closed" (never a value);     *)
(*          closing it is how Unsubscribe interrupts a parked deliverer.   *)
(*  deliv   per Send and entry: "parked" = a deliverer goroutine sits in    *)
(*          select { ch <- v | <-err }, "fin" = it left the select and     *)
(*          still has to clear the entry's blocked flag under mu.  An      *)
(*          entry is `blocked` while some deliverer is parked or fin on it. *)
(*                                                                         *)
(* Retry rounds (feedCore.retry) are folded into the blocking phase: a     *)
(* retry round delivers to a ready, not removed entry under mu, which is   *)
(* exactly what a deliverer that wins its select at once does, and a       *)
(* retry round drops removed entries, which the step from "slow" to        *)
(* "block" does for every entry removed meanwhile.  The window between     *)
(* the fast pass and the marking of blocked entries (state "slow") is      *)
(* kept, so Unsubscribe can hit an entry that is pending but not yet       *)
(* blocked, and then returns without waiting.                              *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANTS Entries, Chans, ChanOf, Cap, Senders, Callers, Stall, Closable,
          NoOne     \* a model value: nobody holds mu

VARIABLES
    subscribed, removed, errc, ust,
    mu, busy,
    pc,         \* [Senders -> {"wait","fast","slow","block","done"}]; every
                \* sender has called Send from the start ("wait")
    val, tgt, todo, pend, deliv, n, panicked, nextVal,
    buf, rs, closedCh,
    recvd, ugone

vars == <<subscribed, removed, errc, ust, mu, busy, pc, val, tgt, todo, pend,
          deliv, n, panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

Live       == {e \in Entries : subscribed[e] /\ ~removed[e]}
Blocked(e) == \E s \in Senders : deliv[s][e] # "none"
Ready(c)   == ~closedCh[c] /\ IF Cap[c] = 0 THEN rs[c] = "parked"
                                           ELSE Len(buf[c]) < Cap[c]
PutBuf(c, v) == IF Cap[c] = 0 THEN buf ELSE [buf EXCEPT ![c] = Append(@, v)]
PutRs(c)     == IF Cap[c] = 0 THEN [rs EXCEPT ![c] = "away"] ELSE rs

TypeOK ==
    /\ subscribed \in [Entries -> BOOLEAN]
    /\ removed    \in [Entries -> BOOLEAN]
    /\ errc       \in [Entries -> {"open", "closed"}]   \* never carries a value
    /\ ust        \in [Entries -> [Callers -> {"idle", "wait", "done"}]]
    /\ mu         \in Senders \cup {NoOne}
    /\ busy       \in BOOLEAN
    /\ pc         \in [Senders -> {"wait", "fast", "slow", "block", "done"}]
    /\ val        \in [Senders -> 0..Cardinality(Senders)]
    /\ tgt        \in [Senders -> SUBSET Entries]
    /\ todo       \in [Senders -> SUBSET Entries]
    /\ pend       \in [Senders -> SUBSET Entries]
    /\ deliv      \in [Senders -> [Entries -> {"none", "parked", "fin"}]]
    /\ n          \in [Senders -> 0..Cardinality(Entries)]
    /\ panicked   \in [Senders -> BOOLEAN]
    /\ nextVal    \in 1..(Cardinality(Senders) + 1)
    /\ \A c \in Chans : buf[c] \in Seq(1..Cardinality(Senders)) /\ Len(buf[c]) <= Cap[c]
    /\ rs         \in [Chans -> {"away", "parked"}]
    /\ closedCh   \in [Chans -> BOOLEAN]
    /\ recvd      \in [Entries -> Seq(1..Cardinality(Senders))]
    /\ ugone      \in [Entries -> -1..Cardinality(Senders)]

Init ==
    /\ subscribed = [e \in Entries |-> FALSE]
    /\ removed    = [e \in Entries |-> FALSE]
    /\ errc       = [e \in Entries |-> "open"]
    /\ ust        = [e \in Entries |-> [k \in Callers |-> "idle"]]
    /\ mu         = NoOne
    /\ busy       = FALSE
    /\ pc         = [s \in Senders |-> "wait"]
    /\ val        = [s \in Senders |-> 0]
    /\ tgt        = [s \in Senders |-> {}]
    /\ todo       = [s \in Senders |-> {}]
    /\ pend       = [s \in Senders |-> {}]
    /\ deliv      = [s \in Senders |-> [e \in Entries |-> "none"]]
    /\ n          = [s \in Senders |-> 0]
    /\ panicked   = [s \in Senders |-> FALSE]
    /\ nextVal    = 1
    /\ buf        = [c \in Chans |-> <<>>]
    /\ rs         = [c \in Chans |-> "away"]
    /\ closedCh   = [c \in Chans |-> FALSE]
    /\ recvd      = [e \in Entries |-> <<>>]
    /\ ugone      = [e \in Entries |-> -1]

\* ---- Subscribe (core.go subscribe): lock mu; append entry; unlock.
Subscribe(e) ==
    /\ ~subscribed[e] /\ mu = NoOne
    /\ subscribed' = [subscribed EXCEPT ![e] = TRUE]
    /\ UNCHANGED <<removed, errc, ust, mu, busy, pc, val, tgt, todo, pend,
                   deliv, n, panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

\* ---- Send (Feed.Send / FeedOf.Send -> feedCore.begin (inlined in FeedOf.Send),
\* the fast pass, feedCore.finish, retry, park, deliver).
\* feedCore.begin: lock mu; while busy, unlock and wait (this action is disabled
\* while busy).  The round's targets are the entries subscribed now.
FastBegin(s) ==
    /\ pc[s] = "wait" /\ mu = NoOne /\ ~busy
    /\ mu'      = s
    /\ pc'      = [pc EXCEPT ![s] = "fast"]
    /\ val'     = [val EXCEPT ![s] = nextVal]
    /\ nextVal' = nextVal + 1
    /\ tgt'     = [tgt EXCEPT ![s] = Live]
    /\ todo'    = [todo EXCEPT ![s] = Live]
    /\ UNCHANGED <<subscribed, removed, errc, ust, busy, pend, deliv, n,
                   panicked, buf, rs, closedCh, recvd, ugone>>

\* One entry of the fast pass (the select loop of FeedOf.Send, the TrySend
\* loop of Feed.Send, both over core.chans), a non-blocking send under mu.  A
\* closed channel panics; the panic is recovered (the deferred call to
\* resume in Send, round.offer for the entries after it) and remembered,
\* and the pass goes on with the other entries.
FastStep(s, e) ==
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
         [] OTHER ->
              /\ pend' = [pend EXCEPT ![s] = @ \cup {e}]
              /\ UNCHANGED <<buf, rs, recvd, n, panicked>>
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, pc, val, tgt,
                   deliv, nextVal, closedCh, ugone>>

\* feedCore.finish: nothing pending -> unlock and return (re-panicking if a
\* panic was recovered); else take busy and unlock.
FastEnd(s) ==
    /\ pc[s] = "fast" /\ todo[s] = {}
    /\ mu' = NoOne
    /\ IF pend[s] = {}
         THEN pc' = [pc EXCEPT ![s] = "done"] /\ UNCHANGED busy
         ELSE pc' = [pc EXCEPT ![s] = "slow"] /\ busy' = TRUE
    /\ UNCHANGED <<subscribed, removed, errc, ust, val, tgt, todo, pend, deliv,
                   n, panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

\* feedCore.park, under mu: mark every pending entry that is not removed as
\* blocked and start its deliverer; removed entries are dropped.
BlockBegin(s) ==
    /\ pc[s] = "slow" /\ mu = NoOne
    /\ deliv' = [deliv EXCEPT ![s] =
                   [e \in Entries |-> IF e \in pend[s] /\ ~removed[e]
                                        THEN "parked" ELSE "none"]]
    /\ pend'  = [pend EXCEPT ![s] = {}]
    /\ pc'    = [pc EXCEPT ![s] = "block"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, val, tgt, todo, n,
                   panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

\* A parked deliverer's select { case ch <- v | case <-err }: whichever case
\* is ready may be chosen (both may be).
DeliverSend(s, e) ==
    LET c == ChanOf[e] IN
    /\ deliv[s][e] = "parked" /\ Ready(c)
    /\ buf'   = PutBuf(c, val[s])
    /\ rs'    = PutRs(c)
    /\ recvd' = [recvd EXCEPT ![e] = Append(@, val[s])]
    /\ n'     = [n EXCEPT ![s] = @ + 1]
    /\ deliv' = [deliv EXCEPT ![s][e] = "fin"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, pc, val, tgt,
                   todo, pend, panicked, nextVal, closedCh, ugone>>

\* The channel is (or gets) closed while the deliverer is parked on it.
DeliverPanic(s, e) ==
    /\ deliv[s][e] = "parked" /\ closedCh[ChanOf[e]]
    /\ panicked' = [panicked EXCEPT ![s] = TRUE]
    /\ deliv'    = [deliv EXCEPT ![s][e] = "fin"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, pc, val, tgt,
                   todo, pend, n, nextVal, buf, rs, closedCh, recvd, ugone>>

\* Unsubscribe closed err: the deliverer gives up.
DeliverInterrupted(s, e) ==
    /\ deliv[s][e] = "parked" /\ errc[e] = "closed"
    /\ deliv' = [deliv EXCEPT ![s][e] = "fin"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, pc, val, tgt,
                   todo, pend, n, panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

\* Under mu: blocked = false, close the waiter an Unsubscribe may wait on.
DeliverDone(s, e) ==
    /\ deliv[s][e] = "fin" /\ mu = NoOne
    /\ deliv' = [deliv EXCEPT ![s][e] = "none"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, pc, val, tgt,
                   todo, pend, n, panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

\* feedCore.finish after park: all deliverers joined; under mu clear busy (waking queued
\* Sends); return n or re-panic.
SendFinish(s) ==
    /\ pc[s] = "block" /\ mu = NoOne
    /\ \A e \in Entries : deliv[s][e] = "none"
    /\ busy' = FALSE
    /\ pc'   = [pc EXCEPT ![s] = "done"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, val, tgt, todo, pend,
                   deliv, n, panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

\* ---- Unsubscribe (core.go feedSub.Unsubscribe).
\* Under mu: if not removed, remove the entry and close err; note whether a
\* deliverer is parked on it.
Unsub1(e, k) ==
    /\ subscribed[e] /\ ust[e][k] = "idle" /\ mu = NoOne
    /\ removed' = [removed EXCEPT ![e] = TRUE]
    /\ errc'    = [errc EXCEPT ![e] = "closed"]
    /\ ust'     = [ust EXCEPT ![e][k] = "wait"]
    /\ UNCHANGED <<subscribed, mu, busy, pc, val, tgt, todo, pend, deliv, n,
                   panicked, nextVal, buf, rs, closedCh, recvd, ugone>>

\* Wait for the waiter if the entry was blocked, then return.  Once an entry
\* is removed no Send marks it blocked again, so "the waiter is closed" is
\* the same as "the entry is no longer blocked".
Unsub2(e, k) ==
    /\ ust[e][k] = "wait" /\ ~Blocked(e)
    /\ ust'   = [ust EXCEPT ![e][k] = "done"]
    /\ ugone' = [ugone EXCEPT ![e] = IF @ = -1 THEN Len(recvd[e]) ELSE @]
    /\ UNCHANGED <<subscribed, removed, errc, mu, busy, pc, val, tgt, todo,
                   pend, deliv, n, panicked, nextVal, buf, rs, closedCh, recvd>>

\* ---- The environment: receivers and channel owners.
\* A receiver of an unbuffered channel parks in <-ch; a value can then be
\* handed over.  Buffered channels are read with Receive.
Park(c) ==
    /\ Cap[c] = 0 /\ rs[c] = "away"
    /\ rs' = [rs EXCEPT ![c] = "parked"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, pc, val, tgt,
                   todo, pend, deliv, n, panicked, nextVal, buf, closedCh, recvd, ugone>>

Receive(c) ==
    /\ buf[c] # <<>>
    /\ buf' = [buf EXCEPT ![c] = Tail(@)]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, pc, val, tgt,
                   todo, pend, deliv, n, panicked, nextVal, rs, closedCh, recvd, ugone>>

\* The owner closes a channel that is still subscribed (a misuse that makes
\* Send panic; the Feed must stay usable).
CloseChan(c) ==
    /\ c \in Closable /\ ~closedCh[c]
    /\ closedCh' = [closedCh EXCEPT ![c] = TRUE]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, pc, val, tgt,
                   todo, pend, deliv, n, panicked, nextVal, buf, rs, recvd, ugone>>

\* Every Send returned, no Unsubscribe in progress, locks free: the model
\* has run out of work.  An explicit terminal stutter, so that deadlock
\* checking reports only real hangs.
Done ==
    /\ \A s \in Senders : pc[s] = "done"
    /\ \A e \in Entries, k \in Callers : ust[e][k] # "wait"
    /\ mu = NoOne /\ ~busy
    /\ UNCHANGED vars

Next ==
    \/ \E e \in Entries : Subscribe(e)
    \/ \E s \in Senders :
          \/ FastBegin(s) \/ FastEnd(s) \/ BlockBegin(s) \/ SendFinish(s)
          \/ \E e \in Entries : \/ FastStep(s, e) \/ DeliverSend(s, e)
                                \/ DeliverPanic(s, e) \/ DeliverInterrupted(s, e)
                                \/ DeliverDone(s, e)
    \/ \E e \in Entries, k \in Callers : Unsub1(e, k) \/ Unsub2(e, k)
    \/ \E c \in Chans : Park(c) \/ Receive(c) \/ CloseChan(c)
    \/ Done

\* The steps of one goroutine, for fairness.
Sender(s)       == FastBegin(s) \/ FastEnd(s) \/ BlockBegin(s) \/ SendFinish(s)
                   \/ \E e \in Entries : FastStep(s, e)
Deliverer(s, e) == DeliverSend(s, e) \/ DeliverPanic(s, e)
                   \/ DeliverInterrupted(s, e) \/ DeliverDone(s, e)

\* Fairness: the Feed's own goroutines (each Send, each deliverer, each
\* Unsubscribe call once begun) are weakly fair; receivers outside Stall
\* keep receiving; the first caller of an entry on a stalling channel
\* eventually unsubscribes it (a stalled subscriber blocks Send until then,
\* by design).  Subscribe, other Unsubscribe calls, CloseChan and stalling
\* receivers get no fairness: they may never happen.
FirstCaller == CHOOSE k \in Callers : TRUE
Fairness ==
    /\ \A s \in Senders : WF_vars(Sender(s)) /\ \A e \in Entries : WF_vars(Deliverer(s, e))
    /\ \A e \in Entries, k \in Callers : WF_vars(Unsub2(e, k))
    /\ \A e \in Entries : ChanOf[e] \in Stall => WF_vars(Unsub1(e, FirstCaller))
    /\ \A c \in Chans \ Stall : WF_vars(Park(c)) /\ WF_vars(Receive(c))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Refinement: this module implements FeedSpec.  A target is pending in    *)
(* the abstract round while it is still in the fast pass's to-do list, in  *)
(* the pending set, or has a parked deliverer, unless an Unsubscribe of it *)
(* has already returned.                                                   *)
AbsGone(e) == \E k \in Callers : ust[e][k] = "done"
AbsPending(s) ==
    {e \in todo[s] \cup pend[s] \cup {x \in Entries : deliv[s][x] = "parked"} :
        ~AbsGone(e)}
AbsSst(s) == CASE pc[s] = "wait"              -> "idle"
               [] pc[s] = "done"               -> "done"
               [] OTHER                        -> "active"

Abs == INSTANCE FeedSpec WITH
           sst     <- [s \in Senders |-> AbsSst(s)],
           pending <- [s \in Senders |-> AbsPending(s)]

Refinement == Abs!Spec

\* The properties, checked on this module through the mapping.
NoDeliveryAfterUnsubscribe == Abs!NoDeliveryAfterUnsubscribe
DeliveredExactlyOnce       == Abs!DeliveredExactlyOnce
SendReachesAllSubscribed   == Abs!SendReachesAllSubscribed
SubscribersSeeSendOrder    == Abs!SubscribersSeeSendOrder

\* "Err never carries a value and is closed by Unsubscribe": once an
\* Unsubscribe call has returned, the entry's err channel is closed.  (That
\* it never carries a value is part of TypeOK.)
ErrClosedAfterUnsubscribe ==
    \A e \in Entries : (\E k \in Callers : ust[e][k] = "done") => errc[e] = "closed"

\* "Send returns once every entry it targets has taken the value, has been
\*  unsubscribed, or has panicked" -- given receivers that keep receiving
\*  (or get unsubscribed).
SendTerminates ==
    \A s \in Senders : pc[s] \in {"wait", "fast", "slow", "block"} ~> pc[s] = "done"

\* "Unsubscribe returns promptly, also while a Send is blocked on the
\*  subscription's channel; it waits only for the delivery to that channel."
UnsubscribeTerminates ==
    \A e \in Entries, k \in Callers : ust[e][k] = "wait" ~> ust[e][k] = "done"
=============================================================================
