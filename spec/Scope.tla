-------------------------------- MODULE Scope --------------------------------
(***************************************************************************)
(* SubscriptionScope of event/scope.go, step by step.                      *)
(*                                                                         *)
(* Each element of Wrappers is one Track call (made at most once); Track,  *)
(* the first part of Close (closed := TRUE, take the tracked set) and a    *)
(* wrapper leaving the scope are atomic under the scope's mutex.  Every    *)
(* wrapper's sync.Once runs the inner Unsubscribe at most once: the first  *)
(* caller runs it (OnceStart ... OnceEnd), a caller that comes while it    *)
(* runs waits, and one that comes after returns at once; the Once counts   *)
(* as done when the inner Unsubscribe panics too, and the panic reaches    *)
(* only the caller that ran it.  The inner subscriptions in Panics panic.  *)
(*                                                                         *)
(* Close: the first call closes the scope and, for each wrapper it took,   *)
(* runs the Once, keeping the first panic; then it closes done and, if it  *)
(* kept a panic, re-raises it.  A later call waits for done.  A wrapper's  *)
(* Unsubscribe (by its owner) runs the Once, then leaves the scope, also   *)
(* when the Once panicked.  Count (the size of tracked) changes nothing.   *)
(* runtime.Goexit in an inner Unsubscribe is not modelled.                 *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Shape,      \* the configuration's shape, a record (ShapeScope below)
    None        \* a model value

Wrappers == Shape.wrappers  \* Track calls; a wrapper's owner may Unsubscribe it once
Panics   == Shape.panics    \* the wrappers whose inner Unsubscribe panics
Closers  == Shape.closers   \* goroutines that call Close once each

\* The shape of MCScope.cfg and the Scope spec mutants (Shape <- ShapeScope):
\* two Track calls, the first of whose inner Unsubscribe panics, and two
\* goroutines calling Close.
ShapeScope == [wrappers |-> {"w1", "w2"}, panics |-> {"w1"}, closers |-> {"c1", "c2"}]

ASSUME Panics \subseteq Wrappers /\ None \notin Wrappers \cup Closers

\* The goroutines that may run a wrapper's Once: the closers and the owners
\* (an owner is named by its wrapper).
Callers == Closers \cup Wrappers

VARIABLES
    closed,     \* the scope is closed
    done,       \* the first Close has finished (its done channel is closed)
    tracked,    \* the wrappers in the scope
    made,       \* [Wrappers -> {"no", "nil", "wrapper"}]: what Track returned
    once,       \* [Wrappers -> {"new", "running", "done"}]
    onceBy,     \* [Wrappers -> Callers \cup {None}]: who runs / ran the Once
    unsubs,     \* [Wrappers -> 0..2]: history, inner Unsubscribe calls
    cpc,        \* [Closers -> {"idle", "loop", "wait", "done"}]
    ctodo,      \* [Closers -> SUBSET Wrappers]: what the first Close still visits
    ccur,       \* [Closers -> Wrappers \cup {None}]: the wrapper it visits
    kept,       \* [Closers -> BOOLEAN]: the Close kept a panic to re-raise
    upc,        \* [Wrappers -> {"idle", "once", "leave", "done"}]: wrapper Unsubscribe
    upanic,     \* [Wrappers -> BOOLEAN]: the wrapper's Once panicked in its call
    raised      \* [Callers -> BOOLEAN]: the call returned by a panic

\* The variables by concern: the scope, the wrappers' Once, the Close calls,
\* and what the callers' calls did.
scopeVars  == <<closed, done, tracked, made>>
onceVars   == <<once, onceBy, unsubs, upanic>>
closeVars  == <<cpc, ctodo, ccur, kept>>
callerVars == <<upc, raised>>
vars == <<scopeVars, onceVars, closeVars, callerVars>>

TypeOK ==
    /\ closed \in BOOLEAN /\ done \in BOOLEAN /\ tracked \subseteq Wrappers
    /\ made \in [Wrappers -> {"no", "nil", "wrapper"}]
    /\ once \in [Wrappers -> {"new", "running", "done"}]
    /\ onceBy \in [Wrappers -> Callers \cup {None}]
    /\ unsubs \in [Wrappers -> 0..2]
    /\ cpc \in [Closers -> {"idle", "loop", "wait", "done"}]
    /\ ctodo \in [Closers -> SUBSET Wrappers]
    /\ ccur \in [Closers -> Wrappers \cup {None}]
    /\ kept \in [Closers -> BOOLEAN]
    /\ upc \in [Wrappers -> {"idle", "once", "leave", "done"}]
    /\ upanic \in [Wrappers -> BOOLEAN]
    /\ raised \in [Callers -> BOOLEAN]

Init ==
    /\ closed = FALSE /\ done = FALSE /\ tracked = {}
    /\ made = [w \in Wrappers |-> "no"]
    /\ once = [w \in Wrappers |-> "new"] /\ onceBy = [w \in Wrappers |-> None]
    /\ unsubs = [w \in Wrappers |-> 0]
    /\ cpc = [c \in Closers |-> "idle"] /\ ctodo = [c \in Closers |-> {}]
    /\ ccur = [c \in Closers |-> None] /\ kept = [c \in Closers |-> FALSE]
    /\ upc = [w \in Wrappers |-> "idle"] /\ upanic = [w \in Wrappers |-> FALSE]
    /\ raised = [g \in Callers |-> FALSE]

\* Track: nil once the scope is closed, else a tracked wrapper.
Track(w) ==
    /\ made[w] = "no"
    /\ IF closed
         THEN /\ made' = [made EXCEPT ![w] = "nil"] /\ UNCHANGED tracked
         ELSE /\ made' = [made EXCEPT ![w] = "wrapper"] /\ tracked' = tracked \cup {w}
    /\ UNCHANGED <<closed, done, onceVars, closeVars, callerVars>>

\* Close, under the mutex: a later call waits for done; the first closes the
\* scope and takes every tracked wrapper.
CloseBegin(c) ==
    /\ cpc[c] = "idle"
    /\ IF closed
         THEN /\ cpc' = [cpc EXCEPT ![c] = "wait"] /\ UNCHANGED <<closed, tracked, ctodo>>
         ELSE /\ closed' = TRUE /\ ctodo' = [ctodo EXCEPT ![c] = tracked]
              /\ tracked' = {} /\ cpc' = [cpc EXCEPT ![c] = "loop"]
    /\ UNCHANGED <<done, made, onceVars, ccur, kept, callerVars>>

ClosePick(c, w) ==
    /\ cpc[c] = "loop" /\ ccur[c] = None /\ w \in ctodo[c]
    /\ ccur' = [ccur EXCEPT ![c] = w]
    /\ UNCHANGED <<scopeVars, onceVars, cpc, ctodo, kept, callerVars>>

\* once.Do by caller g on wrapper w: start running the inner Unsubscribe.
OnceStart(g, w) ==
    /\ once[w] = "new"
    /\ once' = [once EXCEPT ![w] = "running"] /\ onceBy' = [onceBy EXCEPT ![w] = g]
    /\ unsubs' = [unsubs EXCEPT ![w] = @ + 1]

\* Close's visit of its current wrapper: run the Once, or wait for a run in
\* progress, or go on when it has run; a panic of its own run is kept (the
\* first one only) and the loop goes on.
CloseOnce(c) ==
    LET w == ccur[c] IN
    /\ cpc[c] = "loop" /\ w # None
    /\ \/ /\ OnceStart(c, w)
          /\ UNCHANGED <<ctodo, ccur, kept>>
       \/ /\ once[w] = "running" /\ onceBy[w] = c
          /\ once' = [once EXCEPT ![w] = "done"]
          /\ kept' = [kept EXCEPT ![c] = @ \/ w \in Panics]
          /\ ctodo' = [ctodo EXCEPT ![c] = @ \ {w}] /\ ccur' = [ccur EXCEPT ![c] = None]
          /\ UNCHANGED <<onceBy, unsubs>>
       \/ /\ once[w] = "done"
          /\ ctodo' = [ctodo EXCEPT ![c] = @ \ {w}] /\ ccur' = [ccur EXCEPT ![c] = None]
          /\ UNCHANGED <<once, onceBy, unsubs, kept>>
    /\ UNCHANGED <<scopeVars, upanic, cpc, callerVars>>

\* The first Close has visited everything: close done (deferred), then
\* re-raise the kept panic.
CloseEnd(c) ==
    /\ cpc[c] = "loop" /\ ccur[c] = None /\ ctodo[c] = {}
    /\ done' = TRUE /\ cpc' = [cpc EXCEPT ![c] = "done"]
    /\ raised' = [raised EXCEPT ![c] = kept[c]]
    /\ UNCHANGED <<closed, tracked, made, onceVars, ctodo, ccur, kept, upc>>

CloseWait(c) ==
    /\ cpc[c] = "wait" /\ done
    /\ cpc' = [cpc EXCEPT ![c] = "done"]
    /\ UNCHANGED <<scopeVars, onceVars, ctodo, ccur, kept, callerVars>>

\* The wrapper's Unsubscribe, by its owner.
UnsubBegin(w) ==
    /\ made[w] = "wrapper" /\ upc[w] = "idle"
    /\ upc' = [upc EXCEPT ![w] = "once"]
    /\ UNCHANGED <<scopeVars, onceVars, closeVars, raised>>

UnsubOnce(w) ==
    /\ upc[w] = "once"
    /\ \/ /\ OnceStart(w, w)
          /\ UNCHANGED <<upc, upanic>>
       \/ /\ once[w] = "running" /\ onceBy[w] = w
          /\ once' = [once EXCEPT ![w] = "done"]
          /\ upanic' = [upanic EXCEPT ![w] = w \in Panics]
          /\ upc' = [upc EXCEPT ![w] = "leave"]
          /\ UNCHANGED <<onceBy, unsubs>>
       \/ /\ once[w] = "done"
          /\ upc' = [upc EXCEPT ![w] = "leave"]
          /\ UNCHANGED <<onceVars>>
    /\ UNCHANGED <<scopeVars, closeVars, raised>>

\* Deferred: leave the scope under the mutex, then return or re-panic.
UnsubLeave(w) ==
    /\ upc[w] = "leave"
    /\ tracked' = tracked \ {w}
    /\ upc' = [upc EXCEPT ![w] = "done"]
    /\ raised' = [raised EXCEPT ![w] = upanic[w]]
    /\ UNCHANGED <<closed, done, made, onceVars, closeVars>>

Done ==
    /\ \A c \in Closers : cpc[c] \in {"idle", "done"}
    /\ \A w \in Wrappers : upc[w] \in {"idle", "done"}
    /\ UNCHANGED vars

Next ==
    \/ \E w \in Wrappers : Track(w) \/ UnsubBegin(w) \/ UnsubOnce(w) \/ UnsubLeave(w)
    \/ \E c \in Closers : \/ CloseBegin(c) \/ CloseOnce(c) \/ CloseEnd(c) \/ CloseWait(c)
                          \/ \E w \in Wrappers : ClosePick(c, w)
    \/ Done

\* Fairness: every call that has begun takes its own steps.
Fairness ==
    /\ \A c \in Closers : /\ WF_vars(CloseOnce(c)) /\ WF_vars(CloseEnd(c))
                          /\ WF_vars(CloseWait(c))
                          /\ WF_vars(\E w \in Wrappers : ClosePick(c, w))
    /\ \A w \in Wrappers : WF_vars(UnsubOnce(w)) /\ WF_vars(UnsubLeave(w))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
Returned(g) == IF g \in Closers THEN cpc[g] = "done" ELSE upc[g] = "done"

\* "Every subscription it tracks is unsubscribed exactly once, by its
\*  wrapper's Unsubscribe or by Close, whichever comes first; every caller
\*  of either returns only after that unsubscription has finished, even if
\*  it panicked" (SubscriptionScope); a wrapper whose Unsubscribe returned
\* has left the scope, also when its inner Unsubscribe panicked.
ScopeUnsubscribesOnce ==
    /\ \A w \in Wrappers : unsubs[w] <= 1 /\ (made[w] # "wrapper" => unsubs[w] = 0)
    /\ \A w \in Wrappers : upc[w] = "done" => once[w] = "done" /\ w \notin tracked

\* "If inner Unsubscribe calls that Close runs panic, the first Close still
\*  unsubscribes every other subscription and releases the Close calls
\*  waiting for it, then re-raises the first of those panics; later calls
\*  return normally" (SubscriptionScope.Close): once any Close has returned,
\* the scope is closed, tracks nothing, and every wrapper Track returned has
\* been unsubscribed; only a Close that ran a panicking inner Unsubscribe
\* raises, and a wrapper raises only the panic of its own inner one.
ScopeCloseTerminates ==
    /\ \A c \in Closers : cpc[c] = "done" =>
           /\ closed /\ tracked = {}
           /\ \A w \in Wrappers : made[w] = "wrapper" => once[w] = "done"
    /\ \A c \in Closers : raised[c] =>
           \E w \in Panics : onceBy[w] = c /\ once[w] = "done"
    /\ \A w \in Wrappers : raised[w] => w \in Panics /\ onceBy[w] = w

\* "A panic of an inner Unsubscribe reaches only the caller that ran it, and
\*  never leaves the scope locked or a caller waiting." (SubscriptionScope):
\* every Close and every wrapper Unsubscribe that began returns (liveness),
\* however the inner Unsubscribe calls end.
ScopeCallsReturn ==
    /\ \A c \in Closers : cpc[c] \in {"loop", "wait"} ~> cpc[c] = "done"
    /\ \A w \in Wrappers : upc[w] \in {"once", "leave"} ~> upc[w] = "done"
=============================================================================
