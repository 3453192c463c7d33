------------------------ MODULE TraceNewSubscription ------------------------
(***************************************************************************)
(* Trace validation of NewSubscription (event/subscription.go): TLC        *)
(* replays traces of real runs inside NewSubscription.tla.  A trace is a   *)
(* sequence of events recorded by the eventtrace hooks and the test        *)
(* driver (tracecheck/), one per step, in the order in which the steps     *)
(* took effect.  Each event must be a step of the spec with the logged     *)
(* parameters (an action), or a stuttering step in a state that agrees     *)
(* with what the driver saw (an observation, "Obs...").  NewSubscription   *)
(* needs no unlogged internal steps: every action is logged.               *)
(*                                                                         *)
(* Several traces are checked in one run of TLC, one after the other:     *)
(* when trace t is consumed, the spec starts again from Init with trace    *)
(* t + 1.  TraceUnmatched holds until every event of every trace has been  *)
(* matched, so TLC reporting it violated (exit code 12) is the verdict     *)
(* "all traces accepted"; a trace that no behaviour matches leaves it      *)
(* true (exit code 0), and so does a run that matches nothing.  The       *)
(* configuration TraceNewSubscription.cfg binds Traces and TraceParams to *)
(* the module spec/trace.sh generates from the trace files.               *)
(***************************************************************************)
EXTENDS NewSubscription, Sequences, TLC

CONSTANTS
    Traces,         \* <<trace 1, trace 2, ...>>, each a sequence of records
                    \* [seq |-> n, act |-> name, parameters...]
    TraceParams     \* per trace, the constants it needs: [callers |-> n]

VARIABLES
    t,              \* the trace being replayed
    l               \* the index of its next event

\* TLC evaluates a zero-arity constant definition once, but not a constant
\* bound with <- in the configuration: the definitions below read the
\* traces through Tr and Pa, so that the traces are built once.
Tr == Traces
Pa == TraceParams

MaxOf(S) == CHOOSE m \in S : \A o \in S : o <= m

ASSUME Len(Tr) > 0 /\ Len(Pa) = Len(Tr) /\ \A i \in DOMAIN Tr : Len(Tr[i]) > 0

\* Callers: as many as the trace with the most Unsubscribe callers needs.
MostCallers == MaxOf({Pa[i].callers : i \in DOMAIN Pa})
TraceCallers == 1..MostCallers

ev == Tr[t][l]
Is(a) == l <= Len(Tr[t]) /\ ev.act = a

TraceInit == Init /\ t = 1 /\ l = 1

\* The logged events.  Unsubscribe callers are not told apart in the code:
\* any idle caller may be the one that begins, any waiting one the one
\* that returns.
Step ==
    \/ Is("ProducerReturn") /\ ProducerReturn(ev.r)
    \/ Is("CloseErr")       /\ CloseErr
    \/ Is("CloseDone")      /\ CloseDone
    \/ Is("Unsub1")         /\ \E k \in Callers : Unsub1(k)
    \/ Is("Unsub2")         /\ \E k \in Callers : Unsub2(k)
    \/ Is("ReadErr")        /\ ReadErr
    \* The reader found Err closed and empty.
    \/ Is("ObsErrClosed")   /\ errClosed /\ errq = <<>> /\ UNCHANGED vars
    \* The producer looked at quit (under the trace lock, so atomically
    \* with Unsub1's close of it) before returning.
    \/ Is("ObsQuit")        /\ quit = ev.closed /\ UNCHANGED vars
    \* The producer's goroutine has ended (it returned or called
    \* runtime.Goexit, the same step) and every goroutine was blocked or
    \* gone: the subscription has ended too, Err and done closed.
    \/ Is("ObsProducerEnded") /\ ppc = "end" /\ UNCHANGED vars

\* Trace t is consumed: begin the next one from Init.  The assignment
\* spells out Init (TLC cannot take Init' as one); Init' checks that it
\* does.
NextTrace ==
    /\ l > Len(Tr[t]) /\ t < Len(Tr)
    /\ t' = t + 1 /\ l' = 1
    /\ ppc' = "run" /\ ended' = FALSE /\ quit' = FALSE
    /\ errq' = <<>> /\ errClosed' = FALSE /\ doneClosed' = FALSE
    /\ uc' = [k \in Callers |-> "idle"]
    /\ sent' = 0 /\ late' = FALSE /\ called' = FALSE
    /\ Init'

TraceNext ==
    \/ Step /\ l' = l + 1 /\ UNCHANGED t
    \/ NextTrace

\* Violated exactly when the last event of the last trace has been matched.
TraceUnmatched == t < Len(Tr) \/ l <= Len(Tr[t])
=============================================================================
