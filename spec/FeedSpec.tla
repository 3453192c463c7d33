------------------------------ MODULE FeedSpec ------------------------------
(***************************************************************************)
(* The abstract Feed: only what a user of Feed / FeedOf[T] is promised.    *)
(*                                                                         *)
(*  - Subscribe(e) adds entry e (a channel, possibly a channel that is     *)
(*    already subscribed: every entry gets its own copy).                  *)
(*  - A Send is ONE delivery round over the entries that were subscribed   *)
(*    when it began (tgt).  Sends are serialized: a round begins only when *)
(*    no other round is in progress; each sender calls Send Sends times,   *)
(*    one call after the other.  During the round each target is either    *)
(*    given the value once, or (channel closed by its owner) makes         *)
(*    the Send panic after the round, or is dropped because it is being    *)
(*    unsubscribed.  The round ends when no target is pending.             *)
(*  - A sender in CtxSenders calls SendContext: its ctx may end at any     *)
(*    time during a call (CtxEnd).  Until then it is a Send.  Once it has  *)
(*    ended, the round may give up on pending targets (Miss; SendEnd with  *)
(*    targets still pending): they stay subscribed and miss this value     *)
(*    only, and the call returns ctx's error (cut); a call whose round has *)
(*    not begun may return without one, delivering nothing (Abandon).      *)
(*  - Unsubscribe has a begin (the entry leaves the set new Sends see) and *)
(*    an end (the call returns).  Between the two, a round already under   *)
(*    way may still deliver to the entry; after the end it never does.     *)
(*  - Receivers take values from their channels (capacity 0: a value moves *)
(*    only into a receiver that is parked in a receive).                   *)
(*                                                                         *)
(* The safety properties of the Feed are stated here, over this abstract   *)
(* state; FeedImpl checks them through its refinement mapping.             *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANT
    Shape       \* the configuration's shape, a record (see FeedShapes.tla)

\* Entries, Chans, ChanOf, Cap, Senders, CtxSenders, Sends, Callers, Stall and
\* Closable are read off Shape in FeedBase (included below).

VARIABLES
    subscribed, \* [Entries -> BOOLEAN]  Subscribe has returned
    removed,    \* [Entries -> BOOLEAN]  an Unsubscribe has begun
    ust,        \* [Entries -> [Callers -> {"idle","wait","done"}]]
    sst,        \* [Senders -> {"idle","active","done"}]: before its first
                \* Send, in a Send, after a Send
    begun,      \* [Senders -> Nat]  how many of its Sends have begun
    val,        \* [Senders -> Nat]  the value of a Send (its rank: 1, 2, ...)
    tgt,        \* [Senders -> SUBSET Entries]  entries subscribed when it began
    pending,    \* [Senders -> SUBSET Entries]  targets not yet resolved
    n,          \* [Senders -> Nat]  deliveries so far = the count Send returns
    panicked,   \* [Senders -> BOOLEAN]  met a closed channel: re-panics at the end
    nextVal,    \* the next Send's value
    buf,        \* [Chans -> Seq(Nat)]  values buffered in a channel
    rs,         \* [Chans -> {"away","parked"}]  the receiver of an unbuffered
                \* channel is parked in <-ch
    closedCh,   \* [Chans -> BOOLEAN]
    recvd,      \* [Entries -> Seq(Nat)]  history: values delivered to the entry
    ugone,      \* [Entries -> Int]  history: Len(recvd[e]) when the first
                \* Unsubscribe of e returned, -1 before
    ctxDone,    \* [Senders -> BOOLEAN]  the ctx of the sender's current or
                \* next SendContext call has ended (cleared when it returns)
    cut,        \* [Senders -> BOOLEAN]  the last call returned ctx's error
    nret        \* [1..MaxRank -> Int]  history: the deliveries of the Send
                \* of that rank when it returned, -1 before

\* The variables by concern: the subscriptions, the senders' calls, the
\* current round of each sender, the channels, and the history the
\* properties read.
subVars     == <<subscribed, removed, ust>>
senderVars  == <<sst, begun, ctxDone>>
roundVars   == <<val, tgt, pending, n, panicked, cut, nextVal>>
chanVars    == <<buf, rs, closedCh>>
historyVars == <<recvd, ugone, nret>>
vars == <<subVars, senderVars, roundVars, chanVars, historyVars>>

\* The constants read off Shape, Live, Ready, PutBuf, PutRs and the
\* environment's steps Park, Receive and CloseChan.
INSTANCE FeedBase WITH others <- <<subVars, senderVars, roundVars, historyVars>>

MaxRank     == Cardinality(Senders) * Sends

\* The variables keep their types.
TypeOK ==
    /\ subscribed \in [Entries -> BOOLEAN] /\ removed \in [Entries -> BOOLEAN]
    /\ ust \in [Entries -> [Callers -> {"idle", "wait", "done"}]]
    /\ sst \in [Senders -> {"idle", "active", "done"}]
    /\ begun \in [Senders -> Nat] /\ val \in [Senders -> Nat]
    /\ tgt \in [Senders -> SUBSET Entries] /\ pending \in [Senders -> SUBSET Entries]
    /\ n \in [Senders -> Nat] /\ panicked \in [Senders -> BOOLEAN]
    /\ nextVal \in Nat /\ buf \in [Chans -> Seq(Nat)]
    /\ rs \in [Chans -> {"away", "parked"}] /\ closedCh \in [Chans -> BOOLEAN]
    /\ recvd \in [Entries -> Seq(Nat)] /\ ugone \in [Entries -> Int]
    /\ ctxDone \in [Senders -> BOOLEAN] /\ cut \in [Senders -> BOOLEAN]
    /\ nret \in [1..MaxRank -> Int]

Gone(e)     == \E k \in Callers : ust[e][k] = "done"
Delivered(s, e) == \E i \in 1..Len(recvd[e]) : recvd[e][i] = val[s]
Count(v, q) == Cardinality({i \in 1..Len(q) : q[i] = v})
\* How many entries value v has reached (each at most once, see
\* DeliveredExactlyOnce; counted here per occurrence).
Deliveries(v) ==
    Cardinality(UNION {{<<e, i>> : i \in {j \in 1..Len(recvd[e]) : recvd[e][j] = v}} :
                       e \in Entries})

Init ==
    /\ subscribed = [e \in Entries |-> FALSE]
    /\ removed    = [e \in Entries |-> FALSE]
    /\ ust        = [e \in Entries |-> [k \in Callers |-> "idle"]]
    /\ sst        = [s \in Senders |-> "idle"]
    /\ begun      = [s \in Senders |-> 0]
    /\ val        = [s \in Senders |-> 0]
    /\ tgt        = [s \in Senders |-> {}]
    /\ pending    = [s \in Senders |-> {}]
    /\ n          = [s \in Senders |-> 0]
    /\ panicked   = [s \in Senders |-> FALSE]
    /\ nextVal    = 1
    /\ buf        = [c \in Chans |-> <<>>]
    /\ rs         = [c \in Chans |-> "away"]
    /\ closedCh   = [c \in Chans |-> FALSE]
    /\ recvd      = [e \in Entries |-> <<>>]
    /\ ugone      = [e \in Entries |-> -1]
    /\ ctxDone    = [s \in Senders |-> FALSE]
    /\ cut        = [s \in Senders |-> FALSE]
    /\ nret       = [v \in 1..MaxRank |-> -1]

Subscribe(e) ==
    /\ ~subscribed[e]
    /\ subscribed' = [subscribed EXCEPT ![e] = TRUE]
    /\ UNCHANGED <<removed, ust, senderVars, roundVars, chanVars, historyVars>>

\* A round begins only when no other round is in progress; a sender's next
\* Send begins after its previous one has ended.
SendBegin(s) ==
    /\ begun[s] < Sends
    /\ \A o \in Senders : sst[o] # "active"
    /\ sst'      = [sst EXCEPT ![s] = "active"]
    /\ begun'    = [begun EXCEPT ![s] = @ + 1]
    /\ val'      = [val EXCEPT ![s] = nextVal]
    /\ nextVal'  = nextVal + 1
    /\ tgt'      = [tgt EXCEPT ![s] = Live]
    /\ pending'  = [pending EXCEPT ![s] = Live]
    /\ n'        = [n EXCEPT ![s] = 0]
    /\ panicked' = [panicked EXCEPT ![s] = FALSE]
    /\ cut'      = [cut EXCEPT ![s] = FALSE]
    /\ UNCHANGED <<subVars, ctxDone, chanVars, historyVars>>

Deliver(s, e) ==
    /\ sst[s] = "active" /\ e \in pending[s] /\ Ready(ChanOf[e])
    /\ buf'     = PutBuf(ChanOf[e], val[s])
    /\ rs'      = PutRs(ChanOf[e])
    /\ recvd'   = [recvd EXCEPT ![e] = Append(@, val[s])]
    /\ n'       = [n EXCEPT ![s] = @ + 1]
    /\ pending' = [pending EXCEPT ![s] = @ \ {e}]
    /\ UNCHANGED <<subVars, senderVars, val, tgt, panicked, cut, nextVal,
                   closedCh, ugone, nret>>

\* The entry's channel was closed by its owner: Send will re-panic.
Panic(s, e) ==
    /\ sst[s] = "active" /\ e \in pending[s] /\ closedCh[ChanOf[e]]
    /\ panicked' = [panicked EXCEPT ![s] = TRUE]
    /\ pending'  = [pending EXCEPT ![s] = @ \ {e}]
    /\ UNCHANGED <<subVars, senderVars, val, tgt, n, cut, nextVal, chanVars,
                   historyVars>>

\* The round gives up on targets whose Unsubscribe has begun.
Drop(s, D) ==
    /\ sst[s] = "active" /\ D # {}
    /\ D \subseteq {e \in pending[s] : removed[e]}
    /\ pending' = [pending EXCEPT ![s] = @ \ D]
    /\ UNCHANGED <<subVars, senderVars, val, tgt, n, panicked, cut, nextVal,
                   chanVars, historyVars>>

\* SendContext: the ctx of the sender's call ends (cancelled, deadline),
\* during the call or before its round begins.
CtxEnd(s) ==
    /\ s \in CtxSenders /\ ~ctxDone[s]
    /\ sst[s] # "active" => begun[s] < Sends
    /\ ctxDone' = [ctxDone EXCEPT ![s] = TRUE]
    /\ UNCHANGED <<subVars, sst, begun, roundVars, chanVars, historyVars>>

\* SendContext: once its ctx has ended, the round gives up on pending
\* targets; they keep their subscriptions and miss this value only, and the
\* call will return ctx's error.
Miss(s, D) ==
    /\ sst[s] = "active" /\ ctxDone[s] /\ D # {} /\ D \subseteq pending[s]
    /\ pending' = [pending EXCEPT ![s] = @ \ D]
    /\ cut'     = [cut EXCEPT ![s] = TRUE]
    /\ UNCHANGED <<subVars, senderVars, val, tgt, n, panicked, nextVal,
                   chanVars, historyVars>>

\* The Send returns: once no target is pending, or (SendContext) once its
\* ctx has ended, giving up on the targets still pending as Miss does.
\* Nothing of the round reaches an entry afterwards: its deliveries so far
\* are recorded (nret).
SendEnd(s) ==
    /\ sst[s] = "active" /\ (pending[s] # {} => ctxDone[s])
    /\ sst'     = [sst EXCEPT ![s] = "done"]
    /\ pending' = [pending EXCEPT ![s] = {}]
    /\ cut'     = [cut EXCEPT ![s] = @ \/ pending[s] # {}]
    /\ ctxDone' = [ctxDone EXCEPT ![s] = FALSE]
    /\ nret'    = [nret EXCEPT ![val[s]] = n[s]]
    /\ UNCHANGED <<subVars, begun, val, tgt, n, panicked, nextVal, chanVars,
                   recvd, ugone>>

\* SendContext: a call whose ctx has ended before its round began returns
\* ctx's error without a round: it delivers nothing and has no value.
Abandon(s) ==
    /\ ctxDone[s] /\ sst[s] # "active" /\ begun[s] < Sends
    /\ sst'      = [sst EXCEPT ![s] = "done"]
    /\ begun'    = [begun EXCEPT ![s] = @ + 1]
    /\ val'      = [val EXCEPT ![s] = 0]
    /\ tgt'      = [tgt EXCEPT ![s] = {}]
    /\ n'        = [n EXCEPT ![s] = 0]
    /\ panicked' = [panicked EXCEPT ![s] = FALSE]
    /\ cut'      = [cut EXCEPT ![s] = TRUE]
    /\ ctxDone'  = [ctxDone EXCEPT ![s] = FALSE]
    /\ UNCHANGED <<subVars, pending, nextVal, chanVars, historyVars>>

UnsubscribeBegin(e, k) ==
    /\ subscribed[e] /\ ust[e][k] = "idle"
    /\ removed' = [removed EXCEPT ![e] = TRUE]
    /\ ust'     = [ust EXCEPT ![e][k] = "wait"]
    /\ UNCHANGED <<subscribed, senderVars, roundVars, chanVars, historyVars>>

\* Unsubscribe returns: from now on no round can deliver to e.
UnsubscribeEnd(e, k) ==
    /\ ust[e][k] = "wait"
    /\ ust'     = [ust EXCEPT ![e][k] = "done"]
    /\ pending' = [s \in Senders |-> pending[s] \ {e}]
    /\ ugone'   = [ugone EXCEPT ![e] = IF @ = -1 THEN Len(recvd[e]) ELSE @]
    /\ UNCHANGED <<subscribed, removed, senderVars, val, tgt, n, panicked, cut,
                   nextVal, chanVars, recvd, nret>>

\* Every Send has ended and no Unsubscribe is in progress: an explicit
\* terminal stutter, so that deadlock checking reports only real hangs.
Done ==
    /\ \A s \in Senders : sst[s] = "done" /\ begun[s] = Sends
    /\ \A e \in Entries, k \in Callers : ust[e][k] # "wait"
    /\ UNCHANGED vars

Next ==
    \/ \E e \in Entries : Subscribe(e)
    \/ \E s \in Senders : \/ SendBegin(s) \/ SendEnd(s)
                          \/ CtxEnd(s) \/ Abandon(s)
                          \/ \E e \in Entries : Deliver(s, e) \/ Panic(s, e)
                          \/ \E D \in SUBSET Entries : Drop(s, D) \/ Miss(s, D)
    \/ \E e \in Entries, k \in Callers : UnsubscribeBegin(e, k)
                                         \/ UnsubscribeEnd(e, k)
    \/ \E c \in Chans : Park(c) \/ Receive(c) \/ CloseChan(c)
    \/ Done

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Safety properties.  Each is the formal reading of one guarantee of the  *)
(* Go doc comments (event/feed.go, event/feedof.go, event/core.go).        *)

\* "Once Unsubscribe of the returned Subscription has returned, nothing more
\* is delivered to channel through it" (FeedOf.Subscribe): once the first
\* Unsubscribe of an entry has returned, the entry receives nothing more.
NoDeliveryAfterUnsubscribe ==
    \A e \in Entries : ugone[e] >= 0 => Len(recvd[e]) = ugone[e]

\* "Send delivers value to every entry subscribed when the Send began and
\* returns the number of deliveries, 0 when there are none." (FeedOf.Send):
\* each Send reaches each of its targets at most once, no entry subscribed
\* after it began, and its count is the number of its deliveries.
DeliveredExactlyOnce ==
    \A s \in Senders : sst[s] # "idle" =>
        /\ \A e \in Entries : Count(val[s], recvd[e]) <= 1
        /\ \A e \in Entries : Delivered(s, e) => e \in tgt[s]
        /\ n[s] = Cardinality({e \in Entries : Delivered(s, e)})

\* "Send blocks until every entry that was subscribed when it began has taken
\* the value or has been unsubscribed; no subscriber is ever skipped."
\* (FeedOf): a Send that returns no error reached every target that was not
\* removed (an entry whose channel its owner closed makes Send panic
\* instead). Only a SendContext whose ctx ended may skip a target, and it
\* then returns ctx's error (cut).
SendReachesAllSubscribed ==
    \A s \in Senders : sst[s] = "done" =>
        IF cut[s] THEN s \in CtxSenders
        ELSE \A e \in tgt[s] : Delivered(s, e) \/ removed[e] \/ closedCh[ChanOf[e]]

\* "Every subscriber sees values in the order in which their Sends ran."
\* (FeedOf): every entry receives values in increasing rank, the order in
\* which the Sends began their rounds.
SubscribersSeeSendOrder ==
    \A e \in Entries : \A i \in 1..(Len(recvd[e]) - 1) : recvd[e][i] < recvd[e][i + 1]

\* "Nothing of it is delivered after it returns" (FeedOf.SendContext): once
\*  a Send (or SendContext) has returned, its value reaches no further entry.
NoDeliveryAfterSendContextReturns ==
    \A v \in 1..MaxRank : nret[v] >= 0 => Deliveries(v) = nret[v]
=============================================================================
