------------------------------ MODULE FeedImpl ------------------------------
(***************************************************************************)
(* The Feed engine of event/core.go (feedCore), step by step.              *)
(*                                                                         *)
(*  mu      one mutex; held across the whole fast pass of a Send, taken     *)
(*          for one atomic step by Subscribe, Unsubscribe and the          *)
(*          bookkeeping steps of the blocking phase.                       *)
(*  busy    a Send owns the feed beyond holding mu: set when a Send leaves *)
(*          the fast pass with pending entries; a Send that ends hands it  *)
(*          on to the head of queue (busy stays set) or clears it.         *)
(*  queue   the Sends that found the feed busy, oldest first (core.go:     *)
(*          one turn channel per Send, closed to hand it the feed).  A     *)
(*          Send that finds busy clear owns the feed while it holds mu     *)
(*          (its fast pass); one that finds busy set joins the end of      *)
(*          queue, and once handed the feed re-locks mu and runs its fast  *)
(*          pass with busy still set.  So queue is empty while busy is     *)
(*          clear, and a Send that arrives while others wait never takes   *)
(*          the fast pass before them.                                     *)
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
(*                                                                         *)
(* Each sender calls Send Sends times, one after the other (SendAgain).    *)
(* Sends = 0 means without end: senders that send again and again, for     *)
(* the liveness of the queue.  The bookkeeping no step depends on (ranks,  *)
(* targets, counts, delivery history; see Track) is then not kept, so that *)
(* the state space stays finite, and only the properties that do not read  *)
(* it are checked.                                                         *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANTS Entries, Chans, ChanOf, Cap, Senders, Sends, Callers, Stall, Closable,
          NoOne     \* a model value: nobody holds mu

VARIABLES
    subscribed, removed, errc, ust,
    mu, busy, queue,
    pc,         \* [Senders -> {"wait","queued","handed","fast","slow","block",
                \* "done"}]; every sender has called Send from the start
                \* ("wait": locking mu); "queued": in queue; "handed": its
                \* turn came, re-locking mu
    calls,      \* [Senders -> Nat]  how many Sends it has called (with
                \* Sends = 0 not counted: stays 1)
    val, tgt, todo, pend, deliv, n, panicked, nextVal,
    buf, rs, closedCh,
    recvd, ugone,
    ahead       \* history: [Senders -> SUBSET Senders]  the Sends that were
                \* waiting (queued or handed) when this Send took mu first
                \* and have not begun their round yet

vars == <<subscribed, removed, errc, ust, mu, busy, queue, pc, calls, val, tgt,
          todo, pend, deliv, n, panicked, nextVal, buf, rs, closedCh, recvd,
          ugone, ahead>>

Live       == {e \in Entries : subscribed[e] /\ ~removed[e]}
Blocked(e) == \E s \in Senders : deliv[s][e] # "none"
Ready(c)   == ~closedCh[c] /\ IF Cap[c] = 0 THEN rs[c] = "parked"
                                           ELSE Len(buf[c]) < Cap[c]
PutBuf(c, v) == IF Cap[c] = 0 THEN buf ELSE [buf EXCEPT ![c] = Append(@, v)]
PutRs(c)     == IF Cap[c] = 0 THEN [rs EXCEPT ![c] = "away"] ELSE rs
Waiting(s)   == pc[s] \in {"queued", "handed"}
InRound(s)   == pc[s] \in {"fast", "slow", "block"}

\* Bookkeeping that no step depends on (no enabling condition reads it; only
\* the properties and the refinement mapping do): a Send's rank (val,
\* nextVal; the values in channels), targets (tgt) and count (n), and the
\* delivery history (recvd).  Track(old, new) is its next value: new,
\* except when senders send without end (Sends = 0), where it stays old so
\* that the state space stays finite (every value is then 0).
Endless      == Sends = 0
MaxRank      == Cardinality(Senders) * Sends
Track(old, new) == IF Endless THEN old ELSE new
Record(e, v) == Track(recvd, [recvd EXCEPT ![e] = Append(@, v)])

TypeOK ==
    /\ subscribed \in [Entries -> BOOLEAN]
    /\ removed    \in [Entries -> BOOLEAN]
    /\ errc       \in [Entries -> {"open", "closed"}]   \* never carries a value
    /\ ust        \in [Entries -> [Callers -> {"idle", "wait", "done"}]]
    /\ mu         \in Senders \cup {NoOne}
    /\ busy       \in BOOLEAN
    /\ pc         \in [Senders -> {"wait", "queued", "handed", "fast", "slow",
                                  "block", "done"}]
    \* queue holds the queued Sends, each once, in the order they joined it
    /\ queue      \in Seq(Senders)
    /\ \A s \in Senders :
          pc[s] = "queued" <=> \E i \in 1..Len(queue) : queue[i] = s
    /\ Len(queue) = Cardinality({s \in Senders : pc[s] = "queued"})
    /\ calls      \in [Senders -> 1..(IF Endless THEN 1 ELSE Sends)]
    /\ ahead      \in [Senders -> SUBSET Senders]
    /\ val        \in [Senders -> 0..MaxRank]
    /\ tgt        \in [Senders -> SUBSET Entries]
    /\ todo       \in [Senders -> SUBSET Entries]
    /\ pend       \in [Senders -> SUBSET Entries]
    /\ deliv      \in [Senders -> [Entries -> {"none", "parked", "fin"}]]
    /\ n          \in [Senders -> 0..Cardinality(Entries)]
    /\ panicked   \in [Senders -> BOOLEAN]
    /\ nextVal    \in 1..(MaxRank + 1)
    /\ \A c \in Chans : buf[c] \in Seq(0..MaxRank) /\ Len(buf[c]) <= Cap[c]
    /\ rs         \in [Chans -> {"away", "parked"}]
    /\ closedCh   \in [Chans -> BOOLEAN]
    /\ recvd      \in [Entries -> Seq(1..MaxRank)]
    /\ ugone      \in [Entries -> -1..MaxRank]

Init ==
    /\ subscribed = [e \in Entries |-> FALSE]
    /\ removed    = [e \in Entries |-> FALSE]
    /\ errc       = [e \in Entries |-> "open"]
    /\ ust        = [e \in Entries |-> [k \in Callers |-> "idle"]]
    /\ mu         = NoOne
    /\ busy       = FALSE
    /\ queue      = <<>>
    /\ pc         = [s \in Senders |-> "wait"]
    /\ calls      = [s \in Senders |-> 1]
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
    /\ ahead      = [s \in Senders |-> {}]

\* ---- Subscribe (core.go subscribe): lock mu; append entry; unlock.
Subscribe(e) ==
    /\ ~subscribed[e] /\ mu = NoOne
    /\ subscribed' = [subscribed EXCEPT ![e] = TRUE]
    /\ UNCHANGED <<removed, errc, ust, mu, busy, queue, pc, calls, val, tgt,
                   todo, pend, deliv, n, panicked, nextVal, buf, rs, closedCh,
                   recvd, ugone, ahead>>

\* ---- Send (Feed.Send / FeedOf.Send: lock mu, feedCore.wait while busy, the
\* fast pass, feedCore.finish, retry, park, deliver, feedCore.release).
\* The round of s begins with s holding mu: its rank, its targets (the
\* entries subscribed now), a fresh count.
BeginRound(s) ==
    /\ mu'       = s
    /\ pc'       = [pc EXCEPT ![s] = "fast"]
    /\ val'      = Track(val, [val EXCEPT ![s] = nextVal])
    /\ nextVal'  = Track(nextVal, nextVal + 1)
    /\ tgt'      = Track(tgt, [tgt EXCEPT ![s] = Live])
    /\ todo'     = [todo EXCEPT ![s] = Live]
    /\ n'        = Track(n, [n EXCEPT ![s] = 0])
    /\ panicked' = [panicked EXCEPT ![s] = FALSE]

\* Lock mu; busy is clear (so queue is empty): s owns the feed while it
\* holds mu and runs the fast pass.
FastBegin(s) ==
    /\ pc[s] = "wait" /\ mu = NoOne /\ ~busy
    /\ ahead' = [ahead EXCEPT ![s] = {o \in Senders : Waiting(o)}]
    /\ BeginRound(s)
    /\ UNCHANGED <<subscribed, removed, errc, ust, busy, queue, calls, pend,
                   deliv, buf, rs, closedCh, recvd, ugone>>

\* feedCore.wait, first half: lock mu; busy is set: join the end of queue,
\* unlock mu and wait for the turn.
Enqueue(s) ==
    /\ pc[s] = "wait" /\ mu = NoOne /\ busy
    /\ queue' = Append(queue, s)
    /\ pc'    = [pc EXCEPT ![s] = "queued"]
    /\ ahead' = [ahead EXCEPT ![s] = {o \in Senders : Waiting(o)}]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, calls, val, tgt,
                   todo, pend, deliv, n, panicked, nextVal, buf, rs, closedCh,
                   recvd, ugone>>

\* feedCore.wait, second half: the turn was handed over (Release below
\* made s "handed"); lock mu and run the fast pass, owning the feed with busy
\* still set.
HandedBegin(s) ==
    /\ pc[s] = "handed" /\ mu = NoOne
    /\ ahead' = [o \in Senders |-> ahead[o] \ {s}]
    /\ BeginRound(s)
    /\ UNCHANGED <<subscribed, removed, errc, ust, busy, queue, calls, pend,
                   deliv, buf, rs, closedCh, recvd, ugone>>

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
              /\ recvd' = Record(e, val[s])
              /\ n'     = Track(n, [n EXCEPT ![s] = @ + 1])
              /\ UNCHANGED <<panicked, pend>>
         [] OTHER ->
              /\ pend' = [pend EXCEPT ![s] = @ \cup {e}]
              /\ UNCHANGED <<buf, rs, recvd, n, panicked>>
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, queue, pc, calls,
                   val, tgt, deliv, nextVal, closedCh, ugone, ahead>>

\* feedCore.release, under mu, as the Send of s ends: hand the feed to the
\* oldest waiting Send (close its turn; busy stays set), or clear busy if
\* none waits.
Release(s) ==
    IF queue = <<>>
      THEN /\ busy'  = FALSE
           /\ pc'    = [pc EXCEPT ![s] = "done"]
           /\ UNCHANGED queue
      ELSE /\ pc'    = [pc EXCEPT ![s] = "done", ![Head(queue)] = "handed"]
           /\ queue' = Tail(queue)
           /\ UNCHANGED busy

\* The end of the fast pass (FeedOf.Send / Feed.Send, feedCore.finish):
\* entries pending -> set busy and unlock; else return (re-panicking if a
\* panic was recovered), releasing the feed first if it was handed over
\* (busy set).
FastEnd(s) ==
    /\ pc[s] = "fast" /\ todo[s] = {}
    /\ mu' = NoOne
    /\ CASE pend[s] # {} -> /\ pc'   = [pc EXCEPT ![s] = "slow"]
                            /\ busy' = TRUE
                            /\ UNCHANGED queue
         [] busy         -> Release(s)
         [] OTHER        -> /\ pc' = [pc EXCEPT ![s] = "done"]
                            /\ UNCHANGED <<busy, queue>>
    /\ UNCHANGED <<subscribed, removed, errc, ust, calls, val, tgt, todo, pend,
                   deliv, n, panicked, nextVal, buf, rs, closedCh, recvd, ugone,
                   ahead>>

\* feedCore.park, under mu: mark every pending entry that is not removed as
\* blocked and start its deliverer; removed entries are dropped.
BlockBegin(s) ==
    /\ pc[s] = "slow" /\ mu = NoOne
    /\ deliv' = [deliv EXCEPT ![s] =
                   [e \in Entries |-> IF e \in pend[s] /\ ~removed[e]
                                        THEN "parked" ELSE "none"]]
    /\ pend'  = [pend EXCEPT ![s] = {}]
    /\ pc'    = [pc EXCEPT ![s] = "block"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, queue, calls, val,
                   tgt, todo, n, panicked, nextVal, buf, rs, closedCh, recvd,
                   ugone, ahead>>

\* A parked deliverer's select { case ch <- v | case <-err }: whichever case
\* is ready may be chosen (both may be).
DeliverSend(s, e) ==
    LET c == ChanOf[e] IN
    /\ deliv[s][e] = "parked" /\ Ready(c)
    /\ buf'   = PutBuf(c, val[s])
    /\ rs'    = PutRs(c)
    /\ recvd' = Record(e, val[s])
    /\ n'     = Track(n, [n EXCEPT ![s] = @ + 1])
    /\ deliv' = [deliv EXCEPT ![s][e] = "fin"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, queue, pc, calls,
                   val, tgt, todo, pend, panicked, nextVal, closedCh, ugone,
                   ahead>>

\* The channel is (or gets) closed while the deliverer is parked on it.
DeliverPanic(s, e) ==
    /\ deliv[s][e] = "parked" /\ closedCh[ChanOf[e]]
    /\ panicked' = [panicked EXCEPT ![s] = TRUE]
    /\ deliv'    = [deliv EXCEPT ![s][e] = "fin"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, queue, pc, calls,
                   val, tgt, todo, pend, n, nextVal, buf, rs, closedCh, recvd,
                   ugone, ahead>>

\* Unsubscribe closed err: the deliverer gives up.
DeliverInterrupted(s, e) ==
    /\ deliv[s][e] = "parked" /\ errc[e] = "closed"
    /\ deliv' = [deliv EXCEPT ![s][e] = "fin"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, queue, pc, calls,
                   val, tgt, todo, pend, n, panicked, nextVal, buf, rs,
                   closedCh, recvd, ugone, ahead>>

\* Under mu: blocked = false, close the waiter an Unsubscribe may wait on.
DeliverDone(s, e) ==
    /\ deliv[s][e] = "fin" /\ mu = NoOne
    /\ deliv' = [deliv EXCEPT ![s][e] = "none"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, queue, pc, calls,
                   val, tgt, todo, pend, n, panicked, nextVal, buf, rs,
                   closedCh, recvd, ugone, ahead>>

\* feedCore.finish after park: all deliverers joined; under mu release the
\* feed (also after a recovered panic); return n or re-panic.
SendFinish(s) ==
    /\ pc[s] = "block" /\ mu = NoOne
    /\ \A e \in Entries : deliv[s][e] = "none"
    /\ Release(s)
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, calls, val, tgt, todo,
                   pend, deliv, n, panicked, nextVal, buf, rs, closedCh, recvd,
                   ugone, ahead>>

\* The sender calls Send again (its previous Send returned).  No fairness:
\* a sender may stop sending.
SendAgain(s) ==
    /\ pc[s] = "done" /\ (Endless \/ calls[s] < Sends)
    /\ pc'    = [pc EXCEPT ![s] = "wait"]
    /\ calls' = IF Endless THEN calls ELSE [calls EXCEPT ![s] = @ + 1]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, queue, val, tgt,
                   todo, pend, deliv, n, panicked, nextVal, buf, rs, closedCh,
                   recvd, ugone, ahead>>

\* ---- Unsubscribe (core.go feedSub.Unsubscribe).
\* Under mu: if not removed, remove the entry and close err; note whether a
\* deliverer is parked on it.
Unsub1(e, k) ==
    /\ subscribed[e] /\ ust[e][k] = "idle" /\ mu = NoOne
    /\ removed' = [removed EXCEPT ![e] = TRUE]
    /\ errc'    = [errc EXCEPT ![e] = "closed"]
    /\ ust'     = [ust EXCEPT ![e][k] = "wait"]
    /\ UNCHANGED <<subscribed, mu, busy, queue, pc, calls, val, tgt, todo, pend,
                   deliv, n, panicked, nextVal, buf, rs, closedCh, recvd, ugone,
                   ahead>>

\* Wait for the waiter if the entry was blocked, then return.  Once an entry
\* is removed no Send marks it blocked again, so "the waiter is closed" is
\* the same as "the entry is no longer blocked".
Unsub2(e, k) ==
    /\ ust[e][k] = "wait" /\ ~Blocked(e)
    /\ ust'   = [ust EXCEPT ![e][k] = "done"]
    /\ ugone' = [ugone EXCEPT ![e] = IF @ = -1 THEN Len(recvd[e]) ELSE @]
    /\ UNCHANGED <<subscribed, removed, errc, mu, busy, queue, pc, calls, val,
                   tgt, todo, pend, deliv, n, panicked, nextVal, buf, rs,
                   closedCh, recvd, ahead>>

\* ---- The environment: receivers and channel owners.
\* A receiver of an unbuffered channel parks in <-ch; a value can then be
\* handed over.  Buffered channels are read with Receive.
Park(c) ==
    /\ Cap[c] = 0 /\ rs[c] = "away"
    /\ rs' = [rs EXCEPT ![c] = "parked"]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, queue, pc, calls,
                   val, tgt, todo, pend, deliv, n, panicked, nextVal, buf,
                   closedCh, recvd, ugone, ahead>>

Receive(c) ==
    /\ buf[c] # <<>>
    /\ buf' = [buf EXCEPT ![c] = Tail(@)]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, queue, pc, calls,
                   val, tgt, todo, pend, deliv, n, panicked, nextVal, rs,
                   closedCh, recvd, ugone, ahead>>

\* The owner closes a channel that is still subscribed (a misuse that makes
\* Send panic; the Feed must stay usable).
CloseChan(c) ==
    /\ c \in Closable /\ ~closedCh[c]
    /\ closedCh' = [closedCh EXCEPT ![c] = TRUE]
    /\ UNCHANGED <<subscribed, removed, errc, ust, mu, busy, queue, pc, calls,
                   val, tgt, todo, pend, deliv, n, panicked, nextVal, buf, rs,
                   recvd, ugone, ahead>>

\* Every Send returned and no sender calls another, no Unsubscribe in
\* progress, locks free: the model has run out of work.  An explicit
\* terminal stutter, so that deadlock checking reports only real hangs.
\* (Senders that send without end never run out of work.)
Done ==
    /\ \A s \in Senders : pc[s] = "done" /\ calls[s] = Sends
    /\ \A e \in Entries, k \in Callers : ust[e][k] # "wait"
    /\ mu = NoOne /\ ~busy
    /\ UNCHANGED vars

Next ==
    \/ \E e \in Entries : Subscribe(e)
    \/ \E s \in Senders :
          \/ FastBegin(s) \/ Enqueue(s) \/ HandedBegin(s) \/ FastEnd(s)
          \/ BlockBegin(s) \/ SendFinish(s) \/ SendAgain(s)
          \/ \E e \in Entries : \/ FastStep(s, e) \/ DeliverSend(s, e)
                                \/ DeliverPanic(s, e) \/ DeliverInterrupted(s, e)
                                \/ DeliverDone(s, e)
    \/ \E e \in Entries, k \in Callers : Unsub1(e, k) \/ Unsub2(e, k)
    \/ \E c \in Chans : Park(c) \/ Receive(c) \/ CloseChan(c)
    \/ Done

\* The steps of one goroutine, for fairness.
Sender(s)       == FastBegin(s) \/ Enqueue(s) \/ HandedBegin(s) \/ FastEnd(s)
                   \/ BlockBegin(s) \/ SendFinish(s)
                   \/ \E e \in Entries : FastStep(s, e)
Deliverer(s, e) == DeliverSend(s, e) \/ DeliverPanic(s, e)
                   \/ DeliverInterrupted(s, e) \/ DeliverDone(s, e)

\* Fairness: the Feed's own goroutines (each Send, each deliverer, each
\* Unsubscribe call once begun) are weakly fair; receivers outside Stall
\* keep receiving; the first caller of an entry on a stalling channel
\* eventually unsubscribes it (a stalled subscriber blocks Send until then,
\* by design).  Subscribe, other Unsubscribe calls, SendAgain, CloseChan
\* and stalling receivers get no fairness: they may never happen.
\* Weak fairness only: a step that needs mu free is taken if mu stays free,
\* not if mu is free only now and then (sync.Mutex promises no fairness), so
\* a Send locking mu can lose it again and again to other Sends; a turn
\* handed over through queue is a channel close, which stays ready.
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
(* has already returned.  A Send that is locking mu, queued or handed its  *)
(* turn has not begun its round: the sender is "idle" before its first     *)
(* Send and "done" (with its previous Send) before the others.  (With      *)
(* Sends = 0 nothing is ranked or recorded, and the mapping is not         *)
(* checked.)                                                               *)
AbsGone(e) == \E k \in Callers : ust[e][k] = "done"
AbsPending(s) ==
    {e \in todo[s] \cup pend[s] \cup {x \in Entries : deliv[s][x] = "parked"} :
        ~AbsGone(e)}
NotBegun(s) == pc[s] \in {"wait", "queued", "handed"}
AbsSst(s) == CASE InRound(s)                   -> "active"
               [] NotBegun(s) /\ calls[s] = 1  -> "idle"
               [] OTHER                        -> "done"

Abs == INSTANCE FeedSpec WITH
           sst     <- [s \in Senders |-> AbsSst(s)],
           begun   <- [s \in Senders |-> IF NotBegun(s) THEN calls[s] - 1
                                                      ELSE calls[s]],
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
\*  (or get unsubscribed).  Checked with senders that send a bounded number
\*  of times; with senders that send without end a Send still locking mu
\*  can lose it for ever (see EverySendCompletes).
SendTerminates ==
    \A s \in Senders : pc[s] # "done" ~> pc[s] = "done"

\* "Unsubscribe returns promptly, also while a Send is blocked on the
\*  subscription's channel; it waits only for the delivery to that channel."
UnsubscribeTerminates ==
    \A e \in Entries, k \in Callers : ust[e][k] = "wait" ~> ust[e][k] = "done"

-----------------------------------------------------------------------------
(* The queue of Sends.  A Send arrives when it takes mu for the first time *)
(* (FastBegin or Enqueue): that is the order in which Sends start waiting; *)
(* who wins mu among Sends locking it at the same time is up to the mutex. *)
(* It is served when its round begins (FastBegin or HandedBegin).          *)

\* "A Send waits for its turn only while another Send is in progress."
\* The queue is empty while busy is clear, so a Send that finds busy clear
\* has nobody to overtake.
QueueOnlyWhileBusy == queue # <<>> => busy

\* "A Send that has to wait is served before every Send called after it
\*  started waiting."  No waiting Send is overtaken: a Send begins its round
\*  only after every Send that was waiting when it arrived, so neither a Send
\*  that joins the queue later nor a Send that arrives while others wait
\*  (which must not take the fast pass) goes first.
SendsServedInArrivalOrder ==
    \A s \in Senders : InRound(s) => ahead[s] = {}

\* "Every Send completes when its subscribers keep receiving, however often
\*  other goroutines send": every Send that has arrived returns, also while
\*  the other senders send again and again (checked with senders that send
\*  without end, Sends = 0), given receivers that keep receiving or get
\*  unsubscribed.  A Send still locking mu for the first time is not
\*  covered: with weak fairness only, Sends that never find the feed busy
\*  may keep taking mu before it, which is the mutex's fairness, not the
\*  feed's (SendTerminates, from the call on, is checked where senders send
\*  a bounded number of times).
EverySendCompletes ==
    \A s \in Senders : Waiting(s) \/ InRound(s) ~> pc[s] = "done"
=============================================================================
