-------------------------- MODULE TraceResubscribe --------------------------
(***************************************************************************)
(* Trace validation of Resubscribe / ResubscribeErr (event/resubscribe.go): *)
(* TLC replays traces of real runs inside Resubscribe.tla, and checks the   *)
(* backoff waits they logged against Backoff.tla.  The loop's steps and     *)
(* Unsubscribe are recorded by the eventtrace hooks; fn's results           *)
(* (FnReturn), the inner subscriptions' failures and ends (InnerFail,       *)
(* InnerEnd) and the loop's calls of their Unsubscribe (UnsubInner) by the  *)
(* test driver that plays fn and the inner subscriptions (tracecheck/).     *)
(* Each event must be a step of the spec with the logged parameters, or an  *)
(* observation ("Obs...": a stuttering step in a state that agrees with     *)
(* what the driver saw).  Every action of Resubscribe.tla is logged, so no  *)
(* unlogged internal step is needed.  Several traces are checked in one     *)
(* run, one after the other, as in TraceNewSubscription.tla: TLC reporting  *)
(* TraceUnmatched violated (exit code 12) means every event of every trace  *)
(* was matched; exit code 0 means some event matched no step.               *)
(***************************************************************************)
EXTENDS Resubscribe, Sequences, TLC

CONSTANTS
    Traces,         \* <<trace 1, trace 2, ...>>, each a sequence of records
                    \* [seq |-> n, act |-> name, parameters...]
    TraceParams     \* per trace: [callers |-> Unsubscribe callers,
                    \*   calls |-> calls of fn, backoffMax |-> milliseconds]

VARIABLES
    t, l,           \* the trace being replayed, the index of its next event
    wait, fails, last   \* Backoff.tla's variables: the backoff wait

\* TLC evaluates a zero-arity constant definition once, but not a constant
\* bound with <- in the configuration: the definitions below read the
\* traces through Tr and Pa, so that the traces are built once.
Tr == Traces
Pa == TraceParams

MaxOf(S) == CHOOSE m \in S : \A o \in S : o <= m

ASSUME Len(Tr) > 0 /\ Len(Pa) = Len(Tr) /\ \A i \in DOMAIN Tr : Len(Tr[i]) > 0
\* One backoffMax for all runs: Backoff.tla's Max is a constant.
ASSUME \A i \in DOMAIN Pa : Pa[i].backoffMax = Pa[1].backoffMax

\* The spec's constants: enough callers for every trace, and a bound on fn
\* calls that no trace reaches (the bound only keeps the model finite).
MostCallers == MaxOf({Pa[i].callers : i \in DOMAIN Pa})
MostCalls   == MaxOf({Pa[i].calls : i \in DOMAIN Pa})
TraceCallers     == 1..MostCallers
TraceMaxAttempts == MostCalls + 1
TraceShape       == [callers |-> TraceCallers, maxAttempts |-> TraceMaxAttempts]
TraceBackoffMax  == Pa[1].backoffMax

BO == INSTANCE Backoff WITH Max <- TraceBackoffMax

bvars == <<wait, fails, last>>

ev == Tr[t][l]
Is(a) == l <= Len(Tr[t]) /\ ev.act = a

TraceInit == Init /\ BO!Init /\ t = 1 /\ l = 1

\* The loop received the inner subscription's error (failed) or its end.
WaitErrLogged(failed) == WaitErr /\ inner = (IF failed THEN "err" ELSE "nil")

\* fn looked at its context (under the trace lock, so atomically with
\* Unsub1's cancel) and saw it done or not.
ObsCtx(done) ==
    /\ fn = "running" /\ ctx = (IF done THEN "cancelled" ELSE "open")
    /\ UNCHANGED vars

\* Err was found closed.  (Resubscribe's Err never carries a value: a
\* logged ReadErr matches no step.)
ObsErrClosed == errClosed /\ UNCHANGED vars

\* The backoff wait ended (by its timer or cut short by Unsubscribe), and
\* it was as long as Backoff.tla's rule gives after a failed call that took
\* the logged time.
BackoffLogged(end, w, took) == end /\ BO!Fail(took) /\ wait' = w

\* The logged events.  Unsubscribe callers are not told apart in the code:
\* any idle caller may be the one that begins, any waiting one the one
\* that returns.
Step ==
    \/ /\ \/ Is("StartAttempt")   /\ StartAttempt
          \/ Is("StartUnsub")     /\ StartUnsub
          \/ Is("FnReturn")       /\ FnReturn(ev.r)
          \/ Is("GotErr")         /\ GotErr
          \/ Is("GotNil")         /\ GotNil
          \/ Is("GotSub")         /\ GotSub
          \/ Is("UnsubInAttempt") /\ UnsubInAttempt
          \/ Is("Cleanup")        /\ Cleanup
          \/ Is("InnerFail")      /\ InnerFail
          \/ Is("InnerEnd")       /\ InnerEnd
          \/ Is("WaitErr")        /\ WaitErrLogged(ev.failed)
          \/ Is("WaitUnsub")      /\ WaitUnsub
          \/ Is("UnsubInner")     /\ UnsubInner
          \/ Is("Unsub1")         /\ \E k \in Callers : Unsub1(k)
          \/ Is("Unsub2")         /\ \E k \in Callers : Unsub2(k)
          \/ Is("ObsCtx")         /\ ObsCtx(ev.done)
          \/ Is("ObsErrClosed")   /\ ObsErrClosed
       /\ UNCHANGED bvars
    \/ Is("BackoffDone")    /\ BackoffLogged(BackoffDone, ev.wait, ev.took)
    \/ Is("UnsubInBackoff") /\ BackoffLogged(UnsubInBackoff, ev.wait, ev.took)

\* Trace t is consumed: begin the next one from Init (spelled out, as TLC
\* cannot take Init' as an assignment; Init' checks that it is Init).
NextTrace ==
    /\ l > Len(Tr[t]) /\ t < Len(Tr)
    /\ t' = t + 1 /\ l' = 1
    /\ lp' = "start" /\ fn' = "none" /\ ctx' = "open" /\ attempts' = 0
    /\ live' = 0 /\ inner' = "none" /\ unsub' = FALSE
    /\ uc' = [k \in Callers |-> "idle"]
    /\ errClosed' = FALSE /\ errVals' = 0
    /\ wait' = BO!Start /\ fails' = 0 /\ last' = "none"
    /\ Init' /\ BO!Init'

TraceNext ==
    \/ Step /\ l' = l + 1 /\ UNCHANGED t
    \/ NextTrace

\* Violated exactly when the last event of the last trace has been matched.
TraceUnmatched == t < Len(Tr) \/ l <= Len(Tr[t])
=============================================================================
