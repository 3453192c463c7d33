-------------------------------- MODULE Join --------------------------------
(***************************************************************************)
(* JoinSubscriptions of event/subscription.go, step by step.               *)
(*                                                                         *)
(* The joined subscription is a NewSubscription whose producer (the join's *)
(* goroutine) starts one watcher goroutine per inner subscription.  A      *)
(* watcher waits for the inner's Err or for stop: an error it receives     *)
(* goes into the channel failed (capacity: one per inner, never full); a   *)
(* closed Err (an inner that ended with nil, or was unsubscribed) yields   *)
(* nil, which it drops; either way it exits.  The join waits for failed or *)
(* quit, closes stop, unsubscribes every inner subscription (in any        *)
(* order: the Go loop's order is one of them), waits for the watchers and  *)
(* returns the error it took, or nil on quit.  NewSubscription then sends  *)
(* that error on the joined Err unless ended is set (Unsubscribe came      *)
(* first), sets ended and closes Err and done: one step here, since        *)
(* NewSubscription.tla checks those steps apart.  An inner subscription    *)
(* ends with an error or nil, or runs until unsubscribed; its Unsubscribe  *)
(* is one step (NewSubscription shows that it returns), and an error it    *)
(* buffered stays in its Err for the watcher.                              *)
(***************************************************************************)
EXTENDS Sequences

CONSTANTS
    Shape,      \* the configuration's shape, a record (ShapeJoin below)
    None        \* a model value: no inner subscription

Inners  == Shape.inners     \* the inner subscriptions passed to JoinSubscriptions
Callers == Shape.callers    \* goroutines that may call Unsubscribe on the joined one

\* The shape of MCJoin.cfg and the Join spec mutants (Shape <- ShapeJoin):
\* two inner subscriptions and two goroutines calling Unsubscribe.
ShapeJoin == [inners |-> {"i1", "i2"}, callers |-> {"c1", "c2"}]

ASSUME None \notin Inners

VARIABLES
    ist,        \* [Inners -> {"live", "err", "nil", "gone"}]: running, ended
                \* with an error, ended with nil, unsubscribed while running
    iunsub,     \* [Inners -> BOOLEAN]: the join has unsubscribed it
    ierr,       \* [Inners -> {"open", "value", "closed"}]: its Err is open and
                \* empty, holds its error (closed behind it), or is closed
    wpc,        \* [Inners -> {"watch", "done"}]: its watcher goroutine
    failed,     \* the channel failed: errors, named by their inner
    first,      \* history: the inner whose error was passed on first
    jpc,        \* the join: "select", "unsub", "wait", "end", "done"
    todo,       \* inner subscriptions the join has still to unsubscribe
    jerr,       \* the error the join took from failed, None on quit
    stop,       \* the stop channel is closed
    ended,      \* funcSub.ended of the joined subscription
    quit,       \* its quit channel is closed
    errv,       \* the joined Err's value: None, or the error of an inner
    errClosed,  \* the joined Err (and done) is closed
    uc,         \* [Callers -> {"idle", "wait", "done"}]: its Unsubscribe calls
    early       \* history: an Unsubscribe set ended before the join ended

\* The variables by concern: the inner subscriptions with their watchers,
\* the join, and the joined subscription.
innerVars == <<ist, iunsub, ierr, wpc>>
joinVars  == <<failed, first, jpc, todo, jerr, stop>>
subVars   == <<ended, quit, errv, errClosed, uc, early>>
vars == <<innerVars, joinVars, subVars>>

TypeOK ==
    /\ ist \in [Inners -> {"live", "err", "nil", "gone"}]
    /\ iunsub \in [Inners -> BOOLEAN]
    /\ ierr \in [Inners -> {"open", "value", "closed"}]
    /\ wpc \in [Inners -> {"watch", "done"}]
    /\ failed \in Seq(Inners) /\ first \in Inners \cup {None}
    /\ jpc \in {"select", "unsub", "wait", "end", "done"}
    /\ todo \subseteq Inners /\ jerr \in Inners \cup {None}
    /\ stop \in BOOLEAN /\ ended \in BOOLEAN /\ quit \in BOOLEAN
    /\ errv \in Inners \cup {None} /\ errClosed \in BOOLEAN
    /\ uc \in [Callers -> {"idle", "wait", "done"}]
    /\ early \in BOOLEAN

Init ==
    /\ ist = [i \in Inners |-> "live"] /\ iunsub = [i \in Inners |-> FALSE]
    /\ ierr = [i \in Inners |-> "open"] /\ wpc = [i \in Inners |-> "watch"]
    /\ failed = <<>> /\ first = None
    /\ jpc = "select" /\ todo = Inners /\ jerr = None /\ stop = FALSE
    /\ ended = FALSE /\ quit = FALSE /\ errv = None /\ errClosed = FALSE
    /\ uc = [k \in Callers |-> "idle"] /\ early = FALSE

\* Inner subscription i's producer returns an error: it goes into i's Err.
InnerFail(i) ==
    /\ ist[i] = "live"
    /\ ist' = [ist EXCEPT ![i] = "err"] /\ ierr' = [ierr EXCEPT ![i] = "value"]
    /\ UNCHANGED <<iunsub, wpc, joinVars, subVars>>

\* ... or nil: i's Err is closed without a value.
InnerEnd(i) ==
    /\ ist[i] = "live"
    /\ ist' = [ist EXCEPT ![i] = "nil"] /\ ierr' = [ierr EXCEPT ![i] = "closed"]
    /\ UNCHANGED <<iunsub, wpc, joinVars, subVars>>

\* The watcher of i: case err := <-sub.Err(): if err != nil { failed <- err }.
WatchErr(i) ==
    /\ wpc[i] = "watch" /\ ierr[i] # "open"
    /\ wpc' = [wpc EXCEPT ![i] = "done"]
    /\ IF ierr[i] = "value"
         THEN /\ failed' = Append(failed, i) /\ ierr' = [ierr EXCEPT ![i] = "closed"]
              /\ first' = IF first = None THEN i ELSE first
         ELSE UNCHANGED <<failed, ierr, first>>
    /\ UNCHANGED <<ist, iunsub, jpc, todo, jerr, stop, subVars>>

\* ... case <-stop.
WatchStop(i) ==
    /\ wpc[i] = "watch" /\ stop
    /\ wpc' = [wpc EXCEPT ![i] = "done"]
    /\ UNCHANGED <<ist, iunsub, ierr, joinVars, subVars>>

\* The join: select { case err = <-failed: case <-quit: }; close(stop).
JoinSelect ==
    /\ jpc = "select"
    /\ \/ failed # <<>> /\ jerr' = Head(failed) /\ failed' = Tail(failed)
       \/ quit /\ UNCHANGED <<jerr, failed>>
    /\ stop' = TRUE /\ jpc' = "unsub"
    /\ UNCHANGED <<innerVars, first, todo, subVars>>

\* ... for _, sub := range subs { sub.Unsubscribe() }: an inner still
\* running ends, its Err closed without a value.
JoinUnsub(i) ==
    /\ jpc = "unsub" /\ i \in todo
    /\ iunsub' = [iunsub EXCEPT ![i] = TRUE] /\ todo' = todo \ {i}
    /\ IF ist[i] = "live"
         THEN ist' = [ist EXCEPT ![i] = "gone"] /\ ierr' = [ierr EXCEPT ![i] = "closed"]
         ELSE UNCHANGED <<ist, ierr>>
    /\ jpc' = IF todo' = {} THEN "wait" ELSE "unsub"
    /\ UNCHANGED <<wpc, failed, first, jerr, stop, subVars>>

\* ... watchers.Wait(); return err.
JoinWait ==
    /\ jpc = "wait" /\ \A i \in Inners : wpc[i] = "done"
    /\ jpc' = "end"
    /\ UNCHANGED <<innerVars, failed, first, todo, jerr, stop, subVars>>

\* NewSubscription ends the joined subscription with the join's result:
\* the error goes on Err unless ended is set; then Err and done close.
JoinEnd ==
    /\ jpc = "end"
    /\ errv' = IF jerr # None /\ ~ended THEN jerr ELSE errv
    /\ ended' = TRUE /\ errClosed' = TRUE /\ jpc' = "done"
    /\ UNCHANGED <<innerVars, failed, first, todo, jerr, stop, quit, uc,
                   early>>

\* Unsubscribe of the joined subscription: under the mutex, if not ended,
\* set ended and close quit ...
Unsub1(k) ==
    /\ uc[k] = "idle"
    /\ IF ~ended THEN ended' = TRUE /\ quit' = TRUE /\ early' = TRUE
                 ELSE UNCHANGED <<ended, quit, early>>
    /\ uc' = [uc EXCEPT ![k] = "wait"]
    /\ UNCHANGED <<innerVars, joinVars, errv, errClosed>>

\* ... then wait for done.
Unsub2(k) ==
    /\ uc[k] = "wait" /\ errClosed
    /\ uc' = [uc EXCEPT ![k] = "done"]
    /\ UNCHANGED <<innerVars, joinVars, ended, quit, errv, errClosed, early>>

\* The join has ended and no Unsubscribe is in progress.
Done ==
    /\ jpc = "done" /\ \A k \in Callers : uc[k] # "wait"
    /\ UNCHANGED vars

Next ==
    \/ \E i \in Inners : InnerFail(i) \/ InnerEnd(i) \/ WatchErr(i) \/ WatchStop(i)
                         \/ JoinUnsub(i)
    \/ JoinSelect \/ JoinWait \/ JoinEnd
    \/ \E k \in Callers : Unsub1(k) \/ Unsub2(k)
    \/ Done

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
\* "JoinSubscriptions returns a Subscription that ends with the first
\*  non-nil error of any of subs, sent on its Err, or when it is
\*  unsubscribed.  Inner subscriptions that end with a nil error are
\*  ignored." (JoinSubscriptions): the join ends only on an error or on
\* Unsubscribe; its Err carries no error but the first one passed on, and
\* carries that one unless an Unsubscribe came first.
JoinFirstError ==
    /\ errv # None => errv = first
    /\ jpc # "select" => first # None \/ quit
    /\ jpc = "done" /\ first # None /\ ~early => errv = first

\* "When it ends, every one of subs is unsubscribed and no goroutine it
\*  started is left running." (JoinSubscriptions)
JoinUnsubscribesAll ==
    errClosed => \A i \in Inners : iunsub[i] /\ wpc[i] = "done"
=============================================================================
