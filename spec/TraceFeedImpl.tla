---------------------------- MODULE TraceFeedImpl ----------------------------
(***************************************************************************)
(* Trace validation of the Feed engine (event/send.go, core.go, feed.go,   *)
(* feedof.go; Feed and FeedOf): TLC replays traces of real runs inside    *)
(* FeedImpl.tla.                                                           *)
(* The Send, Subscribe and Unsubscribe steps are recorded by the           *)
(* eventtrace hooks; the environment's steps by the test driver            *)
(* (tracecheck/feed_test.go): Receive (a value taken from a buffered       *)
(* channel), CloseChan, CtxDone (a SendContext's ctx cancelled), and the   *)
(* observations ObsReturned (what a SendContext call returned) and         *)
(* ObsNotSent (a Send of the wrong type panicked without a step).  Each    *)
(* event must be a step of the spec with the logged parameters, with      *)
(* unlogged internal steps in between: only Park (a receiver blocks in     *)
(* <-ch on an unbuffered channel, which nothing records).                  *)
(*                                                                         *)
(* Naming.  A Send call is sender 1, 2, ... in order of first appearance   *)
(* (each call is its own sender, sending once: Sends = 1).  Channel j of   *)
(* capacity c is <<c, j>> and the k-th entry subscribed on channel ch is   *)
(* <<ch, k>>, so ChanOf and Cap are read off the names and every trace of  *)
(* a run of TLC has the same constants.                                    *)
(*                                                                         *)
(* Several traces are checked in one run, one after the other, as in       *)
(* TraceNewSubscription.tla: TLC reporting TraceUnmatched violated (exit   *)
(* code 12) means every event of every trace was matched; exit code 0      *)
(* means some event matched no step.                                       *)
(***************************************************************************)
EXTENDS FeedImpl, Sequences, TLC

CONSTANTS
    Traces,         \* <<trace 1, trace 2, ...>>, each a sequence of records
                    \* [seq |-> n, act |-> name, parameters...]
    TraceParams     \* per trace: [maxCap, chans, subs, senders, callers]

VARIABLES
    t, l            \* the trace being replayed, the index of its next event

\* TLC evaluates a zero-arity constant definition once, but not a constant
\* bound with <- in the configuration: the definitions below read the
\* traces through Tr and Pa, so that the traces are built once.
Tr == Traces
Pa == TraceParams

MaxOf(S) == CHOOSE m \in S : \A o \in S : o <= m

ASSUME Len(Tr) > 0 /\ Len(Pa) = Len(Tr) /\ \A i \in DOMAIN Tr : Len(Tr[i]) > 0

\* The spec's constants, large enough for every trace.
TraceChans    == (0..MaxOf({Pa[i].maxCap : i \in DOMAIN Pa}))
                     \X (1..MaxOf({Pa[i].chans : i \in DOMAIN Pa}))
TraceEntries  == TraceChans \X (1..MaxOf({Pa[i].subs : i \in DOMAIN Pa}))
TraceChanOf   == [e \in TraceEntries |-> e[1]]
TraceCap      == [c \in TraceChans |-> c[1]]
TraceSenders  == 1..MaxOf({Pa[i].senders : i \in DOMAIN Pa})
TraceCallers  == 1..MaxOf({Pa[i].callers : i \in DOMAIN Pa})
TraceNone     == {}

ev == Tr[t][l]
Is(a) == l <= Len(Tr[t]) /\ ev.act = a

TraceInit == Init /\ t = 1 /\ l = 1

\* The logged outcome of a non-blocking offer on channel c.
Outcome(c, r) ==
    CASE r = "panic"   -> closedCh[c]
      [] r = "sent"    -> ~closedCh[c] /\ Ready(c)
      [] r = "pending" -> ~closedCh[c] /\ ~Ready(c)
      [] OTHER         -> FALSE

S == ev.sender
E == ev.entry

\* The steps of the feed's own goroutines (Sends that have arrived,
\* deliverers, Unsubscribe calls) that need no receiver: a goroutine that
\* can take one is not blocked.  A delivery to a buffered channel with
\* room counts; one to an unbuffered channel needs a receiver.  FastBegin,
\* Enqueue and GiveUpBusy are left out: the spec cannot tell a Send that
\* has not been called yet from one that is locking mu.
\* (Only Sends that have arrived and have not returned, and only entries
\* that were subscribed, can take one: the quantifiers range over those.)
FeedMoves ==
    LET Arrived == {x \in Senders : pc[x] \notin {"wait", "done"}}
        Known   == {x \in Entries : subscribed[x]}
    IN
    \/ \E s \in Arrived :
          \/ HandedBegin(s) \/ FastEnd(s) \/ FastEndCut(s) \/ BlockBegin(s)
          \/ SendFinish(s) \/ LeaveQueue(s) \/ PassTurn(s)
          \/ RetryRound(s) \/ RetryEnd(s)
          \/ \E e \in Known :
                \/ FastStep(s, e) \/ RetryStep(s, e) \/ DeliverInterrupted(s, e)
                \/ DeliverCtxDone(s, e) \/ DeliverPanic(s, e) \/ DeliverDone(s, e)
                \/ Cap[ChanOf[e]] > 0 /\ DeliverSend(s, e)
    \/ \E e \in Known, k \in Callers : Unsub2(e, k)

\* The first Unsubscribe caller of entry e in state st, if any.
FirstIn(e, st) == IF \E k \in Callers : ust[e][k] = st
                    THEN CHOOSE k \in Callers : ust[e][k] = st /\ \A j \in 1..k-1 : ust[e][j] # st
                    ELSE CHOOSE k \in Callers : TRUE

\* The logged events that are FeedImpl's actions (or observations).
Impl ==
    \/ Is("Subscribe")     /\ Subscribe(E)
    \/ Is("FastBegin")     /\ FastBegin(S)
    \/ Is("Enqueue")       /\ Enqueue(S)
    \/ Is("GiveUpBusy")    /\ GiveUpBusy(S)
    \/ Is("LeaveQueue")    /\ LeaveQueue(S)
    \/ Is("PassTurn")      /\ PassTurn(S)
    \/ Is("HandedBegin")   /\ HandedBegin(S)
    \/ Is("FastStep")      /\ FastStep(S, E) /\ Outcome(ChanOf[E], ev.r)
    \/ Is("RetryRound")    /\ RetryRound(S)
    \/ Is("RetryStep")     /\ RetryStep(S, E) /\ Outcome(ChanOf[E], ev.r)
    \/ Is("RetryEnd")      /\ RetryEnd(S)
    \/ Is("FastEnd")       /\ FastEnd(S)
    \/ Is("FastEndCut")    /\ FastEndCut(S)
    \/ Is("BlockBegin")    /\ BlockBegin(S)
    \/ Is("DeliverSend")   /\ DeliverSend(S, E)
    \/ Is("DeliverPanic")  /\ DeliverPanic(S, E)
    \* the deliverer's select took err (closed by Unsubscribe) or done
    \/ Is("DeliverGaveUp") /\ (DeliverInterrupted(S, E) \/ DeliverCtxDone(S, E))
    \/ Is("DeliverDone")   /\ DeliverDone(S, E)
    \/ Is("SendFinish")    /\ SendFinish(S)
    \* Unsubscribe callers are not told apart in the code: the first idle
    \* one begins, the first waiting one returns (any other choice reaches
    \* the same state up to renaming the callers).
    \/ Is("Unsub1")        /\ Unsub1(E, FirstIn(E, "idle"))
    \/ Is("Unsub2")        /\ Unsub2(E, FirstIn(E, "wait"))
    \/ Is("Receive")       /\ Receive(ev.ch)
    \/ Is("CloseChan")     /\ CloseChan(ev.ch)
    \* The driver cancelled the ctx of a call; after the call returned
    \* that is no step of the spec.
    \/ Is("CtxDone")       /\ IF pc[S] = "done" THEN UNCHANGED vars ELSE CtxDone(S)
    \* A SendContext call returned n and an error or not, or panicked.
    \/ Is("ObsReturned")   /\ pc[S] = "done" /\ panicked[S] = ev.panicked
                           /\ (~ev.panicked => n[S] = ev.n /\ cut[S] = ev.err)
                           /\ UNCHANGED vars
    \* A Send of the wrong type panicked before any step of it.
    \/ Is("ObsNotSent")    /\ pc[S] = "wait" /\ UNCHANGED vars
    \* An Unsubscribe call returned and found Err closed or open, with or
    \* without a value (it never carries one).
    \/ Is("ObsErr")        /\ errc[E] = (IF ev.closed THEN "closed" ELSE "open")
                           /\ ~ev.value /\ UNCHANGED vars
    \* Every goroutine of the run was blocked (synctest.Wait): none of the
    \* feed's own steps that need no receiver can be taken.
    \/ Is("ObsQuiet")      /\ ~ENABLED FeedMoves /\ UNCHANGED vars

Step == Impl

\* The unlogged step: a receiver blocks in <-ch on an unbuffered channel.
\* It is taken only just before the logged hand-over that needs it (a
\* "sent" offer or DeliverSend on that channel): a Park earlier could
\* only make fewer events match (an offer found no receiver), so this
\* placement matches every trace that some placement matches.
NeedsPark(c) ==
    /\ l <= Len(Tr[t])
    /\ \/ ev.act \in {"FastStep", "RetryStep"} /\ ev.r = "sent"
       \/ ev.act = "DeliverSend"
    /\ ChanOf[E] = c
Internal ==
    \E c \in Chans : NeedsPark(c) /\ Park(c) /\ UNCHANGED <<t, l>>

\* Trace t is consumed: begin the next one from Init (spelled out, as TLC
\* cannot take Init' as an assignment; Init' checks that it is Init).
NextTrace ==
    /\ l > Len(Tr[t]) /\ t < Len(Tr)
    /\ t' = t + 1 /\ l' = 1
    /\ subscribed' = [e \in Entries |-> FALSE]
    /\ removed'    = [e \in Entries |-> FALSE]
    /\ errc'       = [e \in Entries |-> "open"]
    /\ ust'        = [e \in Entries |-> [k \in Callers |-> "idle"]]
    /\ mu'         = NoOne
    /\ busy'       = FALSE
    /\ queue'      = <<>>
    /\ pc'         = [s \in Senders |-> "wait"]
    /\ calls'      = [s \in Senders |-> 1]
    /\ val'        = [s \in Senders |-> 0]
    /\ tgt'        = [s \in Senders |-> {}]
    /\ todo'       = [s \in Senders |-> {}]
    /\ pend'       = [s \in Senders |-> {}]
    /\ deliv'      = [s \in Senders |-> [e \in Entries |-> "none"]]
    /\ n'          = [s \in Senders |-> 0]
    /\ panicked'   = [s \in Senders |-> FALSE]
    /\ nextVal'    = 1
    /\ buf'        = [c \in Chans |-> <<>>]
    /\ rs'         = [c \in Chans |-> "away"]
    /\ closedCh'   = [c \in Chans |-> FALSE]
    /\ recvd'      = [e \in Entries |-> <<>>]
    /\ ugone'      = [e \in Entries |-> -1]
    /\ ahead'      = [s \in Senders |-> {}]
    /\ ctxDone'    = [s \in Senders |-> FALSE]
    /\ cut'        = [s \in Senders |-> FALSE]
    /\ nret'       = [v \in 1..MaxRank |-> -1]
    /\ rounds'     = [s \in Senders |-> 0]
    /\ Init'

TraceNext ==
    \/ Step /\ l' = l + 1 /\ UNCHANGED t
    \/ Internal
    \/ NextTrace

\* Violated exactly when the last event of the last trace has been matched.
TraceUnmatched == t < Len(Tr) \/ l <= Len(Tr[t])
=============================================================================
