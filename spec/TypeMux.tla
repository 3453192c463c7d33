------------------------------- MODULE TypeMux -------------------------------
(***************************************************************************)
(* TypeMux of event/typemux.go, step by step.                              *)
(*                                                                         *)
(* One event type: a subscription in Typed is registered for it, the       *)
(* others are made with no types.  The mux's lock makes Subscribe,         *)
(* PostBegin (the snapshot of the registered subscriptions), StopBegin     *)
(* and UnsubRemove atomic.  live holds every subscription, typed or not,   *)
(* until Unsubscribe has closed its channel and removed it.                *)
(*                                                                         *)
(* A subscription's closewait (run by Unsubscribe, or by Stop for each     *)
(* subscription it took from live) is three kinds of step: CWLock takes    *)
(* closeMu and sets closed (a caller that finds closed set returns: the    *)
(* holder closed the channel before releasing closeMu); Drain takes the    *)
(* event of a Post blocked on the channel; CWClose closes the channel and  *)
(* releases closeMu once no Post is blocked on it.                         *)
(*                                                                         *)
(* A Post delivers to the subscriptions of its snapshot, one at a time in  *)
(* any order: PostStep skips a subscription whose channel is closed        *)
(* (postC is nil), else blocks sending until the receiver takes the event  *)
(* (Receive) or closewait drains it (Drain).                               *)
(*                                                                         *)
(* Stop: the first call sets stopped, takes live and empties it and the    *)
(* registrations, closes every channel it took, then closes stopDone; a    *)
(* later call waits for stopDone.  A Subscribe after Stop gets a closed    *)
(* subscription.  Duplicate types (a panic before any state changes) and   *)
(* the event values are not modelled.                                      *)
(***************************************************************************)
EXTENDS FiniteSets

CONSTANTS
    Shape,      \* the configuration's shape, a record (ShapeMux below)
    None        \* a model value: no subscription, no goroutine

Subs     == Shape.subs      \* subscriptions (each may be made once, by Subscribe)
Typed    == Shape.typed     \* the ones registered for the event type; Subs \ Typed
                            \* have none
Posters  == Shape.posters   \* goroutines that Post once each
Stoppers == Shape.stoppers  \* goroutines that call Stop once each

\* The shape of MCTypeMux.cfg and the TypeMux spec mutants (Shape <- ShapeMux):
\* one subscription registered for the event type and one made with no
\* types, one Post, two goroutines calling Stop.
ShapeMux ==
    [subs |-> {"a", "b"}, typed |-> {"a"}, posters |-> {"p"}, stoppers |-> {"k1", "k2"}]

ASSUME Typed \subseteq Subs /\ None \notin Subs \cup Stoppers

\* The goroutines that run closewait: each Stop caller, and for each
\* subscription the goroutine that unsubscribes it (named by the subscription).
CW == Stoppers \cup Subs

VARIABLES
    stopped,    \* mux: Stop has begun
    stopDone,   \* mux: the first Stop has closed every channel it took
    live,       \* mux: subscriptions not yet removed (typed or not)
    subm,       \* mux: subscriptions registered for the event type
    made,       \* [Subs -> BOOLEAN]: Subscribe has returned it
    closed,     \* [Subs -> BOOLEAN]: the closed flag (closewait began)
    chanClosed, \* [Subs -> BOOLEAN]: its channel is closed
    closeMu,    \* [Subs -> CW \cup {None}]: the holder of closeMu
    cw,         \* [CW -> {"none", "lock", "drain"}]: closewait phase
    spc,        \* [Stoppers -> {"idle", "closing", "wait", "done"}]
    todo,       \* [Stoppers -> SUBSET Subs]: channels the Stop still closes
    stopCur,    \* [Stoppers -> Subs \cup {None}]: the one it is closing
    upc,        \* [Subs -> {"idle", "closewait", "remove", "done"}]: Unsubscribe
    ppc,        \* [Posters -> {"idle", "deliver", "done"}]
    snap,       \* [Posters -> SUBSET Subs]: the Post's snapshot
    pending,    \* [Posters -> SUBSET Subs]: the snapshot not yet served
    cur,        \* [Posters -> Subs \cup {None}]: blocked sending to this one
    delivered,  \* [Posters -> SUBSET Subs]: history, received by the subscriber
    perr        \* [Posters -> BOOLEAN]: Post returned ErrMuxClosed

\* The variables by concern: the mux, the subscriptions (with closewait and
\* Unsubscribe), the Stop calls, the Post calls (with the history of
\* deliveries).
muxVars  == <<stopped, stopDone, live, subm>>
subVars  == <<made, closed, chanClosed, closeMu, cw, upc>>
stopVars == <<spc, todo, stopCur>>
postVars == <<ppc, snap, pending, cur, delivered, perr>>
vars == <<muxVars, subVars, stopVars, postVars>>

TypeOK ==
    /\ stopped \in BOOLEAN /\ stopDone \in BOOLEAN
    /\ live \subseteq Subs /\ subm \subseteq Typed
    /\ made \in [Subs -> BOOLEAN] /\ closed \in [Subs -> BOOLEAN]
    /\ chanClosed \in [Subs -> BOOLEAN]
    /\ closeMu \in [Subs -> CW \cup {None}]
    /\ cw \in [CW -> {"none", "lock", "drain"}]
    /\ spc \in [Stoppers -> {"idle", "closing", "wait", "done"}]
    /\ todo \in [Stoppers -> SUBSET Subs]
    /\ stopCur \in [Stoppers -> Subs \cup {None}]
    /\ upc \in [Subs -> {"idle", "closewait", "remove", "done"}]
    /\ ppc \in [Posters -> {"idle", "deliver", "done"}]
    /\ snap \in [Posters -> SUBSET Subs] /\ pending \in [Posters -> SUBSET Subs]
    /\ cur \in [Posters -> Subs \cup {None}]
    /\ delivered \in [Posters -> SUBSET Subs]
    /\ perr \in [Posters -> BOOLEAN]

Init ==
    /\ stopped = FALSE /\ stopDone = FALSE /\ live = {} /\ subm = {}
    /\ made = [s \in Subs |-> FALSE] /\ closed = [s \in Subs |-> FALSE]
    /\ chanClosed = [s \in Subs |-> FALSE] /\ closeMu = [s \in Subs |-> None]
    /\ cw = [g \in CW |-> "none"]
    /\ spc = [k \in Stoppers |-> "idle"] /\ todo = [k \in Stoppers |-> {}]
    /\ stopCur = [k \in Stoppers |-> None]
    /\ upc = [s \in Subs |-> "idle"]
    /\ ppc = [p \in Posters |-> "idle"] /\ snap = [p \in Posters |-> {}]
    /\ pending = [p \in Posters |-> {}] /\ cur = [p \in Posters |-> None]
    /\ delivered = [p \in Posters |-> {}] /\ perr = [p \in Posters |-> FALSE]

\* The subscription goroutine g is closing.
Target(g) == IF g \in Stoppers THEN stopCur[g] ELSE g

\* Subscribe: under the mux lock; after Stop the subscription is born
\* closed, else it becomes live and, if typed, registered.
Subscribe(s) ==
    /\ ~made[s]
    /\ made' = [made EXCEPT ![s] = TRUE]
    /\ IF stopped
         THEN /\ closed' = [closed EXCEPT ![s] = TRUE]
              /\ chanClosed' = [chanClosed EXCEPT ![s] = TRUE]
              /\ UNCHANGED <<live, subm>>
         ELSE /\ live' = live \cup {s}
              /\ subm' = IF s \in Typed THEN subm \cup {s} ELSE subm
              /\ UNCHANGED <<closed, chanClosed>>
    /\ UNCHANGED <<stopped, stopDone, closeMu, cw, upc, stopVars, postVars>>

\* Post, under the read lock: ErrMuxClosed after Stop, else the snapshot.
PostBegin(p) ==
    /\ ppc[p] = "idle"
    /\ IF stopped
         THEN /\ perr' = [perr EXCEPT ![p] = TRUE]
              /\ ppc' = [ppc EXCEPT ![p] = "done"]
              /\ UNCHANGED <<snap, pending>>
         ELSE /\ snap' = [snap EXCEPT ![p] = subm]
              /\ pending' = [pending EXCEPT ![p] = subm]
              /\ ppc' = [ppc EXCEPT ![p] = "deliver"]
              /\ UNCHANGED perr
    /\ UNCHANGED <<muxVars, subVars, stopVars, cur, delivered>>

\* deliver(s): skip a closed channel (postC nil), else block sending.
PostStep(p, s) ==
    /\ ppc[p] = "deliver" /\ cur[p] = None /\ s \in pending[p]
    /\ IF chanClosed[s]
         THEN /\ pending' = [pending EXCEPT ![p] = @ \ {s}]
              /\ UNCHANGED cur
         ELSE /\ cur' = [cur EXCEPT ![p] = s]
              /\ UNCHANGED pending
    /\ UNCHANGED <<muxVars, subVars, stopVars, ppc, snap, delivered, perr>>

PostEnd(p) ==
    /\ ppc[p] = "deliver" /\ cur[p] = None /\ pending[p] = {}
    /\ ppc' = [ppc EXCEPT ![p] = "done"]
    /\ UNCHANGED <<muxVars, subVars, stopVars, snap, pending, cur, delivered,
                   perr>>

\* The subscriber receives the event of a Post blocked on its channel.
Receive(p) ==
    /\ cur[p] # None /\ ~chanClosed[cur[p]]
    /\ delivered' = [delivered EXCEPT ![p] = @ \cup {cur[p]}]
    /\ pending' = [pending EXCEPT ![p] = @ \ {cur[p]}]
    /\ cur' = [cur EXCEPT ![p] = None]
    /\ UNCHANGED <<muxVars, subVars, stopVars, ppc, snap, perr>>

\* What a closewait caller does once its closewait has returned.
CWReturned(g, s) ==
    IF g \in Stoppers
      THEN /\ todo' = [todo EXCEPT ![g] = @ \ {s}]
           /\ stopCur' = [stopCur EXCEPT ![g] = None]
           /\ UNCHANGED upc
      ELSE /\ upc' = [upc EXCEPT ![g] = "remove"]
           /\ UNCHANGED <<todo, stopCur>>

\* closewait: lock closeMu; if closed, unlock and return; else set closed.
CWLock(g) ==
    LET s == Target(g) IN
    /\ cw[g] = "lock" /\ closeMu[s] = None
    /\ IF closed[s]
         THEN /\ cw' = [cw EXCEPT ![g] = "none"]
              /\ CWReturned(g, s)
              /\ UNCHANGED <<closed, closeMu>>
         ELSE /\ closed' = [closed EXCEPT ![s] = TRUE]
              /\ closeMu' = [closeMu EXCEPT ![s] = g]
              /\ cw' = [cw EXCEPT ![g] = "drain"]
              /\ UNCHANGED <<todo, stopCur, upc>>
    /\ UNCHANGED <<muxVars, made, chanClosed, spc, postVars>>

\* drainUntilLocked: take and drop the event of a Post blocked on s.
Drain(g, p) ==
    /\ cw[g] = "drain" /\ cur[p] = Target(g)
    /\ pending' = [pending EXCEPT ![p] = @ \ {cur[p]}]
    /\ cur' = [cur EXCEPT ![p] = None]
    /\ UNCHANGED <<muxVars, subVars, stopVars, ppc, snap, delivered, perr>>

\* With no delivery in progress: close the channel, unlock closeMu, return.
CWClose(g) ==
    LET s == Target(g) IN
    /\ cw[g] = "drain" /\ \A p \in Posters : cur[p] # s
    /\ chanClosed' = [chanClosed EXCEPT ![s] = TRUE]
    /\ closeMu' = [closeMu EXCEPT ![s] = None]
    /\ cw' = [cw EXCEPT ![g] = "none"]
    /\ CWReturned(g, s)
    /\ UNCHANGED <<muxVars, made, closed, spc, postVars>>

\* TypeMuxSubscription.Unsubscribe: closewait, then remove under the lock.
UnsubBegin(s) ==
    /\ made[s] /\ upc[s] = "idle"
    /\ upc' = [upc EXCEPT ![s] = "closewait"]
    /\ cw' = [cw EXCEPT ![s] = "lock"]
    /\ UNCHANGED <<muxVars, made, closed, chanClosed, closeMu, stopVars,
                   postVars>>

UnsubRemove(s) ==
    /\ upc[s] = "remove"
    /\ live' = live \ {s} /\ subm' = subm \ {s}
    /\ upc' = [upc EXCEPT ![s] = "done"]
    /\ UNCHANGED <<stopped, stopDone, made, closed, chanClosed, closeMu, cw,
                   stopVars, postVars>>

\* Stop, under the lock: a later call waits for stopDone; the first sets
\* stopped and takes every live subscription.
StopBegin(k) ==
    /\ spc[k] = "idle"
    /\ IF stopped
         THEN /\ spc' = [spc EXCEPT ![k] = "wait"]
              /\ UNCHANGED <<stopped, live, subm, todo>>
         ELSE /\ stopped' = TRUE
              /\ todo' = [todo EXCEPT ![k] = live]
              /\ live' = {} /\ subm' = {}
              /\ spc' = [spc EXCEPT ![k] = "closing"]
    /\ UNCHANGED <<stopDone, subVars, stopCur, postVars>>

\* The first Stop runs closewait on one of the subscriptions it took.
StopPick(k, s) ==
    /\ spc[k] = "closing" /\ stopCur[k] = None /\ s \in todo[k]
    /\ stopCur' = [stopCur EXCEPT ![k] = s]
    /\ cw' = [cw EXCEPT ![k] = "lock"]
    /\ UNCHANGED <<muxVars, made, closed, chanClosed, closeMu, upc, spc, todo,
                   postVars>>

StopEnd(k) ==
    /\ spc[k] = "closing" /\ stopCur[k] = None /\ todo[k] = {}
    /\ stopDone' = TRUE
    /\ spc' = [spc EXCEPT ![k] = "done"]
    /\ UNCHANGED <<stopped, live, subm, subVars, todo, stopCur, postVars>>

StopWait(k) ==
    /\ spc[k] = "wait" /\ stopDone
    /\ spc' = [spc EXCEPT ![k] = "done"]
    /\ UNCHANGED <<muxVars, subVars, todo, stopCur, postVars>>

\* Nothing is in progress.
Done ==
    /\ \A k \in Stoppers : spc[k] \in {"idle", "done"}
    /\ \A s \in Subs : upc[s] \in {"idle", "done"}
    /\ \A p \in Posters : ppc[p] \in {"idle", "done"}
    /\ UNCHANGED vars

Next ==
    \/ \E s \in Subs : Subscribe(s) \/ UnsubBegin(s) \/ UnsubRemove(s)
    \/ \E p \in Posters : PostBegin(p) \/ PostEnd(p) \/ Receive(p)
                          \/ \E s \in Subs : PostStep(p, s)
    \/ \E g \in CW : CWLock(g) \/ CWClose(g) \/ \E p \in Posters : Drain(g, p)
    \/ \E k \in Stoppers : StopBegin(k) \/ StopEnd(k) \/ StopWait(k)
                           \/ \E s \in Subs : StopPick(k, s)
    \/ Done

\* Fairness: the package's own goroutines once they have begun; the
\* subscribers (Receive) and the callers deciding to call are not fair.
Fairness ==
    /\ \A g \in CW : WF_vars(CWLock(g)) /\ WF_vars(CWClose(g))
                     /\ \A p \in Posters : WF_vars(Drain(g, p))
    /\ \A k \in Stoppers : WF_vars(StopEnd(k)) /\ WF_vars(StopWait(k))
                           /\ WF_vars(\E s \in Subs : StopPick(k, s))
    /\ \A s \in Subs : WF_vars(UnsubRemove(s))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
\* "Every call, concurrent ones included, returns only once every channel is
\*  closed." (TypeMux.Stop), where Stop closes "the channel of every
\*  subscription of the mux, typed or not" (TypeMux.Stop), also the ones
\* made after it.
MuxStopClosesEverySubscription ==
    \A k \in Stoppers : spc[k] = "done" => \A s \in Subs : made[s] => chanClosed[s]

\* Post "sends only on channels that are still open" (TypeMux.Post): no Post
\* is ever blocked sending on a closed channel (which would panic in Go), so
\* a subscription whose channel Unsubscribe or Stop closed receives nothing
\* more.
MuxNoDeliveryAfterUnsubscribe ==
    \A p \in Posters : cur[p] # None => ~chanClosed[cur[p]]

\* "A subscription created after the Post does not receive it."
\* (TypeMux.Post)
MuxNoEventBeforeSubscribe ==
    \A p \in Posters : delivered[p] \subseteq snap[p] /\ cur[p] \in snap[p] \cup {None}

\* "Post delivers ev ... to each subscription registered for exactly ev's
\*  dynamic type when it is posted ... blocking until each receives it or is
\*  unsubscribed" (TypeMux.Post); after Stop it returns ErrMuxClosed and
\* delivers nothing.
MuxPostReachesAllSubscribed ==
    \A p \in Posters :
        /\ ppc[p] = "done" /\ ~perr[p] => \A s \in snap[p] : s \in delivered[p] \/ closed[s]
        /\ perr[p] => delivered[p] = {}

\* "Stop returns even if no subscriber receives again: it takes the event of
\*  a Post blocked on a channel instead of waiting for the subscriber."
\* (TypeMux.Stop): every Stop call returns (liveness), whatever the
\* subscribers do.
MuxStopTerminates ==
    \A k \in Stoppers : spc[k] \in {"closing", "wait"} ~> spc[k] = "done"
=============================================================================
