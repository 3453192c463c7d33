------------------------------ MODULE FeedImpl ------------------------------
(***************************************************************************)
(* The Feed engine of event/send.go and core.go, step by step.             *)
(*                                                                         *)
(*  mu      one mutex; held across the whole fast pass of a Send, taken    *)
(*          for one atomic step by Subscribe, Unsubscribe and the          *)
(*          bookkeeping steps of the blocking phase.                       *)
(*  busy    a Send owns the feed beyond holding mu: set when a Send leaves *)
(*          the fast pass with pending entries; a Send that ends hands it  *)
(*          on to the head of queue (busy stays set) or clears it.         *)
(*  queue   the Sends that found the feed busy, oldest first (send.go:     *)
(*          one turn channel per Send, closed to hand it the feed).  A     *)
(*          Send that finds busy clear owns the feed while it holds mu     *)
(*          (its fast pass); one that finds busy set joins the end of      *)
(*          queue, and once handed the feed re-locks mu and runs its fast  *)
(*          pass with busy still set.  So queue is empty while busy is     *)
(*          clear, and a Send that arrives while others wait never takes   *)
(*          the fast pass before them.                                     *)
(*  errc    per entry err channel: "open" or "closed" (never a value);     *)
(*          closing it is how Unsubscribe interrupts a parked deliverer.   *)
(*  deliv   per Send and entry: "parked" = a deliverer goroutine sits in   *)
(*          select { ch <- v | <-err | <-done }, "fin" = it left the       *)
(*          select and still has to clear the entry's blocked flag under   *)
(*          mu, "left" = the same after it left because done was closed    *)
(*          (it then also marks the round cut if the entry is still        *)
(*          subscribed).  An entry is `blocked` while some deliverer is    *)
(*          parked, fin or left on it.                                     *)
(*  ctxDone per sender in CtxSenders (SendContext): the ctx of its current *)
(*          call has ended (CtxDone, at any time, at most once per call;   *)
(*          cleared when the call returns).  Send is SendContext with a    *)
(*          ctx that never ends.  A SendContext whose ctx has ended does   *)
(*          not queue (GiveUpBusy), leaves the queue (LeaveQueue) or hands *)
(*          on a turn handed to it meanwhile (PassTurn), does not block    *)
(*          after its fast pass (FastEndCut), and its parked deliverers    *)
(*          leave (DeliverCtxDone); it still joins every deliverer before  *)
(*          it returns.                                                    *)
(*                                                                         *)
(* Retry rounds (sending.retry) run as the code runs them, between the    *)
(* fast pass and the marking of blocked entries (state "slow"): while more *)
(* than one entry is pending, at most MaxRetryRounds rounds, each after    *)
(* one that made progress, and none once done is seen closed.  A round     *)
(* ("retry", "retryp" once it made progress) holds mu, drops the pending   *)
(* entries that are removed and offers the value to the others without    *)
(* blocking, one by one, like the fast pass.  (Until trace validation      *)
(* showed the difference, they were folded into the deliverers; a trace    *)
(* has a delivery or a panic in a retry round before BlockBegin.)          *)
(* Unsubscribe can hit an entry that is pending but not yet blocked, and   *)
(* then returns without waiting.                                           *)
(*                                                                         *)
(* Each sender calls Send (SendContext if in CtxSenders) Sends times, one  *)
(* after the other (SendAgain), each SendContext call with its own ctx.    *)
(* Sends = 0 means without end: senders that send again and again, for     *)
(* the liveness of the queue.  The bookkeeping no step depends on (ranks,  *)
(* targets, counts, delivery history; see Track) is then not kept, so that *)
(* the state space stays finite, and only the properties that do not read  *)
(* it are checked.                                                         *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANTS
    Shape,      \* the configuration's shape, a record (see FeedShapes.tla)
    NoOne       \* a model value: nobody holds mu

\* Entries, Chans, ChanOf, Cap, Senders, CtxSenders (the senders that call
\* SendContext, not Send), Sends, Callers, Stall and Closable are read off
\* Shape in FeedBase (included below).

VARIABLES
    subscribed, removed, errc, ust,
    mu, busy, queue,
    pc,         \* [Senders -> {"wait","queued","handed","fast","slow",
                \* "retry","retryp","block","done"}]; every sender has called
                \* Send from the start ("wait": locking mu); "queued": in
                \* queue; "handed": its turn came, re-locking mu; "retry",
                \* "retryp": in a retry round, holding mu ("retryp": an
                \* entry left the pending ones in it)
    calls,      \* [Senders -> Nat]  how many Sends it has called (with
                \* Sends = 0 not counted: stays 1)
    val, tgt, todo, pend, deliv, n, panicked, nextVal,
    rounds,     \* [Senders -> 0..MaxRetryRounds]  retry rounds run by the
                \* current Send; MaxRetryRounds also once a round made no
                \* progress (no more rounds)
    buf, rs, closedCh,
    recvd, ugone,
    ahead,      \* history: [Senders -> SUBSET Senders]  the Sends that were
                \* waiting (queued or handed) when this Send took mu first
                \* and have not begun their round yet
    ctxDone,    \* [Senders -> BOOLEAN]  the ctx of the current call ended
    cut,        \* [Senders -> BOOLEAN]  tally.cut: the call returns (or
                \* returned) ctx's error
    nret        \* history: [1..MaxRank -> -1..]  the deliveries of the Send
                \* of that rank when it returned, -1 before

\* The variables by concern: the subscriptions, the feed's ownership (mutex,
\* busy flag, queue of Sends), the senders' calls, the current round of each
\* sender, the channels, and the history only the properties read.
subVars     == <<subscribed, removed, errc, ust>>
lockVars    == <<mu, busy, queue>>
senderVars  == <<pc, calls, ctxDone>>
roundVars   == <<val, nextVal, tgt, todo, pend, deliv, n, panicked, cut, rounds>>
chanVars    == <<buf, rs, closedCh>>
historyVars == <<recvd, ugone, ahead, nret>>
vars == <<subVars, lockVars, senderVars, roundVars, chanVars, historyVars>>

\* The constants read off Shape, Live, Ready, PutBuf, PutRs and the
\* environment's steps Park, Receive and CloseChan, as in FeedSpec.
INSTANCE FeedBase
    WITH others <- <<subVars, lockVars, senderVars, roundVars, historyVars>>

Blocked(e) == \E s \in Senders : deliv[s][e] # "none"
Waiting(s)   == pc[s] \in {"queued", "handed"}
InRound(s)   == pc[s] \in {"fast", "slow", "retry", "retryp", "block"}
Retrying(s)  == pc[s] \in {"retry", "retryp"}

\* maxRetryRounds in send.go.
MaxRetryRounds == 3

\* Bookkeeping that no step depends on (no enabling condition reads it; only
\* the properties and the refinement mapping do): a Send's rank (val,
\* nextVal; the values in channels), targets (tgt), count (n) and error
\* (cut), and the delivery history (recvd, nret).  Track(old, new) is its next value: new,
\* except when senders send without end (Sends = 0), where it stays old so
\* that the state space stays finite (every value is then 0).
Endless      == Sends = 0
MaxRank      == Cardinality(Senders) * Sends
Track(old, new) == IF Endless THEN old ELSE new
Record(e, v) == Track(recvd, [recvd EXCEPT ![e] = Append(@, v)])

\* "Its Err channel never carries a value" (FeedOf.Subscribe): errc is open
\* or closed and holds nothing; every variable keeps its type.
TypeOK ==
    /\ subscribed \in [Entries -> BOOLEAN]
    /\ removed    \in [Entries -> BOOLEAN]
    /\ errc       \in [Entries -> {"open", "closed"}]   \* never carries a value
    /\ ust        \in [Entries -> [Callers -> {"idle", "wait", "done"}]]
    /\ mu         \in Senders \cup {NoOne}
    /\ busy       \in BOOLEAN
    /\ rounds     \in [Senders -> 0..MaxRetryRounds]
    /\ pc         \in [Senders -> {"wait", "queued", "handed", "fast", "slow",
                                  "retry", "retryp", "block", "done"}]
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
    /\ deliv      \in [Senders -> [Entries -> {"none", "parked", "fin", "left"}]]
    /\ n          \in [Senders -> 0..Cardinality(Entries)]
    /\ panicked   \in [Senders -> BOOLEAN]
    /\ nextVal    \in 1..(MaxRank + 1)
    /\ \A c \in Chans : buf[c] \in Seq(0..MaxRank) /\ Len(buf[c]) <= Cap[c]
    /\ rs         \in [Chans -> {"away", "parked"}]
    /\ closedCh   \in [Chans -> BOOLEAN]
    /\ recvd      \in [Entries -> Seq(1..MaxRank)]
    /\ ugone      \in [Entries -> -1..MaxRank]
    /\ CtxSenders \subseteq Senders
    /\ ctxDone    \in [Senders -> BOOLEAN]
    /\ \A s \in Senders : ctxDone[s] => s \in CtxSenders /\ pc[s] # "done"
    /\ cut        \in [Senders -> BOOLEAN]
    /\ nret       \in [1..MaxRank -> -1..Cardinality(Entries)]

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
    /\ ctxDone    = [s \in Senders |-> FALSE]
    /\ cut        = [s \in Senders |-> FALSE]
    /\ nret       = [v \in 1..MaxRank |-> -1]
    /\ rounds     = [s \in Senders |-> 0]

\* ---- Subscribe (core.go subscribe): lock mu; append entry; unlock.
Subscribe(e) ==
    /\ ~subscribed[e] /\ mu = NoOne
    /\ subscribed' = [subscribed EXCEPT ![e] = TRUE]
    /\ UNCHANGED <<removed, errc, ust, lockVars, senderVars, roundVars,
                   chanVars, historyVars>>

\* ---- Send and SendContext (Feed.send / FeedOf.Send lock mu,
\* then sendOf or sendFeed: wait while busy, the fast pass, sending.end, retry, park,
\* deliver, release; all in send.go).
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
    /\ cut'      = Track(cut, [cut EXCEPT ![s] = FALSE])
    /\ panicked' = [panicked EXCEPT ![s] = FALSE]
    /\ rounds'   = [rounds EXCEPT ![s] = 0]

\* The call of s returns (pc' is set by the caller): its ctx no longer
\* matters, and the deliveries of its round are recorded (history).
Returned(s) ==
    /\ ctxDone' = [ctxDone EXCEPT ![s] = FALSE]
    /\ nret'    = Track(nret, [nret EXCEPT ![val[s]] = n[s]])

\* A SendContext returns ctx's error before its round began (pc' is set by
\* the caller): no rank, no target, no delivery; it no longer waits, so no
\* Send waits for it.
Abandoned(s) ==
    /\ ctxDone'  = [ctxDone EXCEPT ![s] = FALSE]
    /\ val'      = Track(val, [val EXCEPT ![s] = 0])
    /\ tgt'      = Track(tgt, [tgt EXCEPT ![s] = {}])
    /\ n'        = Track(n, [n EXCEPT ![s] = 0])
    /\ cut'      = Track(cut, [cut EXCEPT ![s] = TRUE])
    /\ panicked' = [panicked EXCEPT ![s] = FALSE]
    /\ ahead'    = [o \in Senders |-> IF o = s THEN {} ELSE ahead[o] \ {s}]

\* Lock mu; busy is clear (so queue is empty): s owns the feed while it
\* holds mu and runs the fast pass (also with a ctx already done).
FastBegin(s) ==
    /\ pc[s] = "wait" /\ mu = NoOne /\ ~busy
    /\ ahead' = [ahead EXCEPT ![s] = {o \in Senders : Waiting(o)}]
    /\ BeginRound(s)
    /\ UNCHANGED <<subVars, busy, queue, calls, ctxDone, pend, deliv, chanVars,
                   recvd, ugone, nret>>

\* wait, first half: lock mu; busy is set: join the end of queue,
\* unlock mu and wait for the turn (or for done).
Enqueue(s) ==
    /\ pc[s] = "wait" /\ mu = NoOne /\ busy /\ ~ctxDone[s]
    /\ queue' = Append(queue, s)
    /\ pc'    = [pc EXCEPT ![s] = "queued"]
    /\ ahead' = [ahead EXCEPT ![s] = {o \in Senders : Waiting(o)}]
    /\ UNCHANGED <<subVars, mu, busy, calls, ctxDone, roundVars, chanVars,
                   recvd, ugone, nret>>

\* SendContext, wait with done already closed: lock mu; busy is
\* set: return ctx's error at once, without queueing.
GiveUpBusy(s) ==
    /\ pc[s] = "wait" /\ mu = NoOne /\ busy /\ ctxDone[s]
    /\ pc' = [pc EXCEPT ![s] = "done"]
    /\ Abandoned(s)
    /\ UNCHANGED <<subVars, lockVars, calls, nextVal, todo, pend, deliv,
                   chanVars, recvd, ugone, nret, rounds>>

\* SendContext, wait: done was closed before the turn came: lock
\* mu, leave the queue, return ctx's error without delivering anything.
LeaveQueue(s) ==
    /\ pc[s] = "queued" /\ mu = NoOne /\ ctxDone[s]
    /\ queue' = SelectSeq(queue, LAMBDA o : o # s)
    /\ pc'    = [pc EXCEPT ![s] = "done"]
    /\ Abandoned(s)
    /\ UNCHANGED <<subVars, mu, busy, calls, nextVal, todo, pend, deliv,
                   chanVars, recvd, ugone, nret, rounds>>

\* wait, second half: the turn was handed over (Release below
\* made s "handed"); lock mu and run the fast pass, owning the feed with busy
\* still set.  (With done closed as well, the select may take either case.)
HandedBegin(s) ==
    /\ pc[s] = "handed" /\ mu = NoOne
    /\ ahead' = [o \in Senders |-> ahead[o] \ {s}]
    /\ BeginRound(s)
    /\ UNCHANGED <<subVars, busy, queue, calls, ctxDone, pend, deliv, chanVars,
                   recvd, ugone, nret>>

\* One entry of the fast pass (the select loop of sendOf, the TrySend loop
\* of sendFeed, over core.chans), a non-blocking send under mu.  A
\* closed channel panics; the panic is recovered (the deferred check in
\* sendOf / sendFeed, resume: sending.offer for the entries after it) and remembered,
\* and the pass goes on with the other entries.
FastStep(s, e) ==
    LET c == ChanOf[e] IN
    /\ pc[s] = "fast" /\ e \in todo[s]
    /\ todo' = [todo EXCEPT ![s] = @ \ {e}]
    /\ CASE closedCh[c] ->
              /\ panicked' = [panicked EXCEPT ![s] = TRUE]
              /\ UNCHANGED <<pend, n, buf, rs, recvd>>
         [] Ready(c) ->
              /\ buf'   = PutBuf(c, val[s])
              /\ rs'    = PutRs(c)
              /\ recvd' = Record(e, val[s])
              /\ n'     = Track(n, [n EXCEPT ![s] = @ + 1])
              /\ UNCHANGED <<panicked, pend>>
         [] OTHER ->
              /\ pend' = [pend EXCEPT ![s] = @ \cup {e}]
              /\ UNCHANGED <<n, panicked, buf, rs, recvd>>
    /\ UNCHANGED <<subVars, lockVars, senderVars, val, nextVal, tgt, deliv,
                   cut, closedCh, ugone, ahead, nret, rounds>>

\* release, under mu, as the Send of s ends: hand the feed to the
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

\* SendContext, wait: done was closed as the turn was handed over
\* and the select took done: lock mu, hand the feed on (release),
\* return ctx's error without delivering anything.
PassTurn(s) ==
    /\ pc[s] = "handed" /\ mu = NoOne /\ ctxDone[s]
    /\ Release(s)
    /\ Abandoned(s)
    /\ UNCHANGED <<subVars, mu, calls, nextVal, todo, pend, deliv, chanVars,
                   recvd, ugone, nret, rounds>>

\* The end of the fast pass (fastEnd, sending.end): entries pending (and
\* done open) -> set busy and unlock; none pending -> return (re-panicking
\* if a panic was recovered), releasing the feed first if it was handed
\* over (busy set).
FastEnd(s) ==
    /\ pc[s] = "fast" /\ todo[s] = {} /\ (pend[s] # {} => ~ctxDone[s])
    /\ mu' = NoOne
    /\ CASE pend[s] # {} -> /\ pc'   = [pc EXCEPT ![s] = "slow"]
                            /\ busy' = TRUE
                            /\ UNCHANGED <<queue, ctxDone, nret>>
         [] busy         -> Release(s) /\ Returned(s)
         [] OTHER        -> /\ pc' = [pc EXCEPT ![s] = "done"]
                            /\ UNCHANGED <<busy, queue>>
                            /\ Returned(s)
    /\ UNCHANGED <<subVars, calls, roundVars, chanVars, recvd, ugone, ahead>>

\* SendContext, sending.end: entries are pending after the fast pass
\* but done is closed: it does not block.  The pending entries miss the
\* value and keep their subscriptions (tally.cut); release the feed if it
\* was handed over, unlock, return ctx's error.
FastEndCut(s) ==
    /\ pc[s] = "fast" /\ todo[s] = {} /\ pend[s] # {} /\ ctxDone[s]
    /\ mu'   = NoOne
    /\ pend' = [pend EXCEPT ![s] = {}]
    /\ cut'  = Track(cut, [cut EXCEPT ![s] = TRUE])
    /\ IF busy THEN Release(s)
               ELSE /\ pc' = [pc EXCEPT ![s] = "done"]
                    /\ UNCHANGED <<busy, queue>>
    /\ Returned(s)
    /\ UNCHANGED <<subVars, calls, val, nextVal, tgt, todo, deliv, n, panicked,
                   chanVars, recvd, ugone, ahead, rounds>>

\* ---- The retry rounds (sending.retry), after the fast pass left entries
\* pending: while more than one is pending, up to MaxRetryRounds rounds,
\* each after one that made progress; the loop yields the processor and
\* checks done (not under mu, so a round may begin with ctx done) before
\* each round.  A round locks mu and drops the pending entries that are
\* removed (they count as progress) ...
RetryRound(s) ==
    /\ pc[s] = "slow" /\ mu = NoOne
    /\ rounds[s] < MaxRetryRounds /\ Cardinality(pend[s]) > 1
    /\ mu'   = s
    /\ pc'   = [pc EXCEPT ![s] = IF \E e \in pend[s] : removed[e]
                                    THEN "retryp" ELSE "retry"]
    /\ pend' = [pend EXCEPT ![s] = {e \in @ : ~removed[e]}]
    /\ todo' = [todo EXCEPT ![s] = {e \in pend[s] : ~removed[e]}]
    /\ UNCHANGED <<subVars, busy, queue, calls, ctxDone, val, nextVal, tgt,
                   deliv, n, panicked, cut, rounds, chanVars, historyVars>>

\* ... offers the value to the others without blocking, like the fast pass
\* (sending.offer): an entry that takes it, or whose closed channel panics
\* (recovered and remembered), is no longer pending ...
RetryStep(s, e) ==
    LET c == ChanOf[e] IN
    /\ Retrying(s) /\ e \in todo[s]
    /\ todo' = [todo EXCEPT ![s] = @ \ {e}]
    /\ CASE closedCh[c] ->
              /\ panicked' = [panicked EXCEPT ![s] = TRUE]
              /\ pend'     = [pend EXCEPT ![s] = @ \ {e}]
              /\ pc'       = [pc EXCEPT ![s] = "retryp"]
              /\ UNCHANGED <<n, buf, rs, recvd>>
         [] Ready(c) ->
              /\ buf'   = PutBuf(c, val[s])
              /\ rs'    = PutRs(c)
              /\ recvd' = Record(e, val[s])
              /\ n'     = Track(n, [n EXCEPT ![s] = @ + 1])
              /\ pend'  = [pend EXCEPT ![s] = @ \ {e}]
              /\ pc'    = [pc EXCEPT ![s] = "retryp"]
              /\ UNCHANGED panicked
         [] OTHER -> UNCHANGED <<pc, pend, n, panicked, buf, rs, recvd>>
    /\ UNCHANGED <<subVars, lockVars, calls, ctxDone, val, nextVal, tgt, deliv,
                   cut, rounds, closedCh, ugone, ahead, nret>>

\* ... and unlocks mu; a round without progress ends the retries.
RetryEnd(s) ==
    /\ Retrying(s) /\ todo[s] = {}
    /\ mu'     = NoOne
    /\ pc'     = [pc EXCEPT ![s] = "slow"]
    /\ rounds' = [rounds EXCEPT ![s] = IF pc[s] = "retryp" THEN @ + 1
                                                          ELSE MaxRetryRounds]
    /\ UNCHANGED <<subVars, busy, queue, calls, ctxDone, val, nextVal, tgt,
                   todo, pend, deliv, n, panicked, cut, chanVars, historyVars>>

\* sending.park, under mu, once the retries are over (or done was seen
\* closed): mark every pending entry that is not removed as blocked and
\* start its deliverer; removed entries are dropped.
BlockBegin(s) ==
    /\ pc[s] = "slow" /\ mu = NoOne
    /\ rounds[s] = MaxRetryRounds \/ Cardinality(pend[s]) <= 1 \/ ctxDone[s]
    /\ deliv' = [deliv EXCEPT ![s] =
                   [e \in Entries |-> IF e \in pend[s] /\ ~removed[e]
                                        THEN "parked" ELSE "none"]]
    /\ pend'  = [pend EXCEPT ![s] = {}]
    /\ pc'    = [pc EXCEPT ![s] = "block"]
    /\ UNCHANGED <<subVars, lockVars, calls, ctxDone, val, nextVal, tgt, todo,
                   n, panicked, cut, chanVars, historyVars, rounds>>

\* A parked deliverer's select { case ch <- v | case <-err | case <-done }:
\* whichever case is ready may be chosen (several may be).
DeliverSend(s, e) ==
    LET c == ChanOf[e] IN
    /\ deliv[s][e] = "parked" /\ Ready(c)
    /\ buf'   = PutBuf(c, val[s])
    /\ rs'    = PutRs(c)
    /\ recvd' = Record(e, val[s])
    /\ n'     = Track(n, [n EXCEPT ![s] = @ + 1])
    /\ deliv' = [deliv EXCEPT ![s][e] = "fin"]
    /\ UNCHANGED <<subVars, lockVars, senderVars, val, nextVal, tgt, todo,
                   pend, panicked, cut, closedCh, ugone, ahead, nret, rounds>>

\* The channel is (or gets) closed while the deliverer is parked on it.
DeliverPanic(s, e) ==
    /\ deliv[s][e] = "parked" /\ closedCh[ChanOf[e]]
    /\ panicked' = [panicked EXCEPT ![s] = TRUE]
    /\ deliv'    = [deliv EXCEPT ![s][e] = "fin"]
    /\ UNCHANGED <<subVars, lockVars, senderVars, val, nextVal, tgt, todo,
                   pend, n, cut, chanVars, historyVars, rounds>>

\* Unsubscribe closed err: the deliverer gives up.
DeliverInterrupted(s, e) ==
    /\ deliv[s][e] = "parked" /\ errc[e] = "closed"
    /\ deliv' = [deliv EXCEPT ![s][e] = "fin"]
    /\ UNCHANGED <<subVars, lockVars, senderVars, val, nextVal, tgt, todo,
                   pend, n, panicked, cut, chanVars, historyVars, rounds>>

\* SendContext: done is closed: the deliverer gives up without delivering.
DeliverCtxDone(s, e) ==
    /\ deliv[s][e] = "parked" /\ ctxDone[s]
    /\ deliv' = [deliv EXCEPT ![s][e] = "left"]
    /\ UNCHANGED <<subVars, lockVars, senderVars, val, nextVal, tgt, todo,
                   pend, n, panicked, cut, chanVars, historyVars, rounds>>

\* Under mu (deliver): a deliverer that left because done was
\* closed marks the round cut if the entry is still subscribed; then
\* blocked = false, close the waiter an Unsubscribe may wait on.
DeliverDone(s, e) ==
    /\ deliv[s][e] \in {"fin", "left"} /\ mu = NoOne
    /\ deliv' = [deliv EXCEPT ![s][e] = "none"]
    /\ cut'   = IF deliv[s][e] = "left" /\ ~removed[e]
                  THEN Track(cut, [cut EXCEPT ![s] = TRUE]) ELSE cut
    /\ UNCHANGED <<subVars, lockVars, senderVars, val, nextVal, tgt, todo,
                   pend, n, panicked, chanVars, historyVars, rounds>>

\* sending.end after park: all deliverers joined (also those that left
\* because done was closed); under mu release the feed (also after a
\* recovered panic); return n and the error, or re-panic.
SendFinish(s) ==
    /\ pc[s] = "block" /\ mu = NoOne
    /\ \A e \in Entries : deliv[s][e] = "none"
    /\ Release(s)
    /\ Returned(s)
    /\ UNCHANGED <<subVars, mu, calls, roundVars, chanVars, recvd, ugone,
                   ahead>>

\* The sender calls Send again (its previous Send returned).  No fairness:
\* a sender may stop sending.
SendAgain(s) ==
    /\ pc[s] = "done" /\ (Endless \/ calls[s] < Sends)
    /\ pc'    = [pc EXCEPT ![s] = "wait"]
    /\ calls' = IF Endless THEN calls ELSE [calls EXCEPT ![s] = @ + 1]
    /\ UNCHANGED <<subVars, lockVars, ctxDone, roundVars, chanVars,
                   historyVars>>

\* The ctx of a SendContext call ends (cancel, deadline) at any time from the
\* call until it returns, at most once; it may also never end.  No
\* fairness.
CtxDone(s) ==
    /\ s \in CtxSenders /\ pc[s] # "done" /\ ~ctxDone[s]
    /\ ctxDone' = [ctxDone EXCEPT ![s] = TRUE]
    /\ UNCHANGED <<subVars, lockVars, pc, calls, roundVars, chanVars,
                   historyVars>>

\* ---- Unsubscribe (core.go feedSub.Unsubscribe).
\* Under mu: if not removed, remove the entry and close err; note whether a
\* deliverer is parked on it.
Unsub1(e, k) ==
    /\ subscribed[e] /\ ust[e][k] = "idle" /\ mu = NoOne
    /\ removed' = [removed EXCEPT ![e] = TRUE]
    /\ errc'    = [errc EXCEPT ![e] = "closed"]
    /\ ust'     = [ust EXCEPT ![e][k] = "wait"]
    /\ UNCHANGED <<subscribed, lockVars, senderVars, roundVars, chanVars,
                   historyVars>>

\* Wait for the waiter if the entry was blocked, then return.  Once an entry
\* is removed no Send marks it blocked again, so "the waiter is closed" is
\* the same as "the entry is no longer blocked".
Unsub2(e, k) ==
    /\ ust[e][k] = "wait" /\ ~Blocked(e)
    /\ ust'   = [ust EXCEPT ![e][k] = "done"]
    /\ ugone' = [ugone EXCEPT ![e] = IF @ = -1 THEN Len(recvd[e]) ELSE @]
    /\ UNCHANGED <<subscribed, removed, errc, lockVars, senderVars, roundVars,
                   chanVars, recvd, ahead, nret>>

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
          \/ CtxDone(s) \/ GiveUpBusy(s) \/ LeaveQueue(s) \/ PassTurn(s)
          \/ FastEndCut(s) \/ RetryRound(s) \/ RetryEnd(s)
          \/ \E e \in Entries : \/ FastStep(s, e) \/ DeliverSend(s, e)
                                \/ RetryStep(s, e)
                                \/ DeliverPanic(s, e) \/ DeliverInterrupted(s, e)
                                \/ DeliverCtxDone(s, e) \/ DeliverDone(s, e)
    \/ \E e \in Entries, k \in Callers : Unsub1(e, k) \/ Unsub2(e, k)
    \/ \E c \in Chans : Park(c) \/ Receive(c) \/ CloseChan(c)
    \/ Done

\* The steps of one goroutine, for fairness.
Sender(s)       == FastBegin(s) \/ Enqueue(s) \/ HandedBegin(s) \/ FastEnd(s)
                   \/ BlockBegin(s) \/ SendFinish(s)
                   \/ GiveUpBusy(s) \/ LeaveQueue(s) \/ PassTurn(s)
                   \/ FastEndCut(s) \/ RetryRound(s) \/ RetryEnd(s)
                   \/ \E e \in Entries : FastStep(s, e) \/ RetryStep(s, e)
Deliverer(s, e) == DeliverSend(s, e) \/ DeliverPanic(s, e)
                   \/ DeliverInterrupted(s, e) \/ DeliverCtxDone(s, e)
                   \/ DeliverDone(s, e)

\* Fairness: the Feed's own goroutines (each Send, each deliverer, each
\* Unsubscribe call once begun) are weakly fair; receivers outside Stall
\* keep receiving (OwnFairness).  In Spec, moreover, the first caller of an
\* entry on a stalling channel eventually unsubscribes it (StallRescue: a
\* stalled subscriber blocks Send until then, by design); in SpecStuck
\* nobody rescues a stalled subscriber, which may then never read again
\* (SendContextTerminates is checked there).  Subscribe, other Unsubscribe
\* calls, SendAgain, CtxDone, CloseChan and stalling receivers get no
\* fairness: they may never happen.
\* Weak fairness only: a step that needs mu free is taken if mu stays free,
\* not if mu is free only now and then (sync.Mutex promises no fairness), so
\* a Send locking mu can lose it again and again to other Sends; a turn
\* handed over through queue is a channel close, which stays ready.
FirstCaller == CHOOSE k \in Callers : TRUE
OwnFairness ==
    /\ \A s \in Senders : WF_vars(Sender(s)) /\ \A e \in Entries : WF_vars(Deliverer(s, e))
    /\ \A e \in Entries, k \in Callers : WF_vars(Unsub2(e, k))
    /\ \A c \in Chans \ Stall : WF_vars(Park(c)) /\ WF_vars(Receive(c))
StallRescue ==
    \A e \in Entries : ChanOf[e] \in Stall => WF_vars(Unsub1(e, FirstCaller))
Fairness == OwnFairness /\ StallRescue

Spec      == Init /\ [][Next]_vars /\ Fairness
SpecStuck == Init /\ [][Next]_vars /\ OwnFairness

-----------------------------------------------------------------------------
(* Refinement: this module implements FeedSpec.  A target is pending in    *)
(* the abstract round while it is still in the fast pass's to-do list, in  *)
(* the pending set, or has a deliverer that is parked or left because done *)
(* was closed, unless an Unsubscribe of it has already returned.  Such a   *)
(* deliverer's step under mu is FeedSpec's Miss if the entry is still      *)
(* subscribed (the round is cut), else its Drop.  A Send that is locking   *)
(* mu, queued or handed its turn has not begun its round: the sender is    *)
(* "idle" before its first Send and "done" (with its previous Send) before *)
(* the others; a SendContext that gives up there is FeedSpec's Abandon.    *)
(* ctxDone, cut and nret map to themselves.  (With Sends = 0 nothing is    *)
(* ranked or recorded, and the mapping is not checked.)                    *)
AbsGone(e) == \E k \in Callers : ust[e][k] = "done"
AbsPending(s) ==
    {e \in todo[s] \cup pend[s] \cup {x \in Entries : deliv[s][x] \in {"parked", "left"}} :
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

\* "Apart from this check, Feed keeps every guarantee of FeedOf." (Feed):
\* every behaviour of FeedImpl is one of FeedSpec's, which states the
\* guarantees of FeedOf; Feed and FeedOf share this engine.
Refinement == Abs!Spec

\* The properties, checked on this module through the mapping.
NoDeliveryAfterUnsubscribe == Abs!NoDeliveryAfterUnsubscribe
DeliveredExactlyOnce       == Abs!DeliveredExactlyOnce
SendReachesAllSubscribed   == Abs!SendReachesAllSubscribed
SubscribersSeeSendOrder    == Abs!SubscribersSeeSendOrder
NoDeliveryAfterSendContextReturns == Abs!NoDeliveryAfterSendContextReturns

\* "Its Err channel never carries a value and is closed by Unsubscribe."
\* (FeedOf.Subscribe): once an Unsubscribe call has returned, the entry's err
\* channel is closed. (That it never carries a value is part of TypeOK.)
ErrClosedAfterUnsubscribe ==
    \A e \in Entries : (\E k \in Callers : ust[e][k] = "done") => errc[e] = "closed"

\* "It blocks until each entry has taken the value or been unsubscribed."
\* (FeedOf.Send): and no longer, given receivers that keep receiving (or get
\* unsubscribed). Checked with senders that send a bounded number of times;
\* with senders that send without end a Send still locking mu can lose it for
\* ever (see EverySendCompletes).
SendTerminates ==
    \A s \in Senders : pc[s] # "done" ~> pc[s] = "done"

\* "Unsubscribe returns even while a Send is blocked on channel, which stops
\* waiting for this subscription." (FeedOf.Subscribe): it waits only for the
\* deliverer parked on that entry, which leaves when err is closed.
UnsubscribeTerminates ==
    \A e \in Entries, k \in Callers : ust[e][k] = "wait" ~> ust[e][k] = "done"

\* "SendContext is Send that gives up once ctx is done" (FeedOf.SendContext):
\*  a SendContext whose ctx has ended returns, even if no subscriber ever
\*  reads again and nobody unsubscribes them (checked with SpecStuck, weak
\*  fairness only), wherever it is: locking mu, queued, handed its turn, in
\*  its fast pass or blocked on its subscribers.
SendContextTerminates ==
    \A s \in Senders : ctxDone[s] ~> pc[s] = "done"

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
