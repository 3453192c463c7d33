--------------------------- MODULE NewSubscription ---------------------------
(***************************************************************************)
(* NewSubscription(producer) of event/subscription.go (funcSub).           *)
(*                                                                         *)
(* The producer runs in its own goroutine and returns an error or nil,     *)
(* either on its own or after its quit channel is closed.  When it         *)
(* returns, under the mutex: if no Unsubscribe has begun and the error is  *)
(* not nil, the error goes into the Err channel (capacity 1); then ended   *)
(* is set, Err is closed, done is closed.  Unsubscribe, under the mutex:   *)
(* if not yet ended, set ended and close quit; then wait for done.         *)
(* Several goroutines (Callers) may call Unsubscribe.  The flag ended is   *)
(* funcSub.ended in Go and Sub.Ended in model/.                            *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANT Callers    \* goroutines that may call Unsubscribe

VARIABLES
    ppc,            \* producer: "run", "closeErr", "closeDone", "end"
    ended,          \* the flag guarded by the mutex: Unsubscribe was called
                    \* or the producer returned
    quit,           \* quit channel closed
    errq,           \* values buffered in Err (capacity 1)
    errClosed,      \* Err closed
    doneClosed,     \* done closed
    uc,             \* [Callers -> {"idle","wait","done"}]
    sent,           \* history: values ever put into Err
    late,           \* history: a value was put into Err after an Unsubscribe began
    called          \* history: some Unsubscribe has begun

\* The variables by concern: the calls (producer and Unsubscribe), the
\* channels, and the history.
callVars    == <<ppc, ended, uc>>
chanVars    == <<quit, errq, errClosed, doneClosed>>
historyVars == <<sent, late, called>>
vars == <<callVars, chanVars, historyVars>>

TypeOK ==
    /\ ppc \in {"run", "closeErr", "closeDone", "end"}
    /\ ended \in BOOLEAN /\ quit \in BOOLEAN
    /\ errq \in Seq({"err"}) /\ Len(errq) <= 1
    /\ errClosed \in BOOLEAN /\ doneClosed \in BOOLEAN
    /\ uc \in [Callers -> {"idle", "wait", "done"}]
    /\ sent \in 0..2 /\ late \in BOOLEAN /\ called \in BOOLEAN

Init ==
    /\ ppc = "run" /\ ended = FALSE /\ quit = FALSE
    /\ errq = <<>> /\ errClosed = FALSE /\ doneClosed = FALSE
    /\ uc = [k \in Callers |-> "idle"]
    /\ sent = 0 /\ late = FALSE /\ called = FALSE

\* The producer returns r ("err" or "nil"): lock; if !ended and the
\* error is not nil, Err <- err; ended = true; unlock.
ProducerReturn(r) ==
    /\ ppc = "run"
    /\ IF r = "err" /\ ~ended
         THEN /\ errq' = Append(errq, "err") /\ sent' = sent + 1
              /\ late' = called
         ELSE UNCHANGED <<errq, sent, late>>
    /\ ended' = TRUE
    /\ ppc' = "closeErr"
    /\ UNCHANGED <<uc, quit, errClosed, doneClosed, called>>

CloseErr ==
    /\ ppc = "closeErr"
    /\ errClosed' = TRUE /\ ppc' = "closeDone"
    /\ UNCHANGED <<ended, uc, quit, errq, doneClosed, historyVars>>

CloseDone ==
    /\ ppc = "closeDone"
    /\ doneClosed' = TRUE /\ ppc' = "end"
    /\ UNCHANGED <<ended, uc, quit, errq, errClosed, historyVars>>

\* Unsubscribe, under the mutex: if !ended { ended = true;
\* close(quit) }.
Unsub1(k) ==
    /\ uc[k] = "idle"
    /\ IF ~ended THEN ended' = TRUE /\ quit' = TRUE
                 ELSE UNCHANGED <<ended, quit>>
    /\ uc' = [uc EXCEPT ![k] = "wait"]
    /\ called' = TRUE
    /\ UNCHANGED <<ppc, errq, errClosed, doneClosed, sent, late>>

\* ... then <-done.
Unsub2(k) ==
    /\ uc[k] = "wait" /\ doneClosed
    /\ uc' = [uc EXCEPT ![k] = "done"]
    /\ UNCHANGED <<ppc, ended, chanVars, historyVars>>

\* The user reads the error from Err.
ReadErr ==
    /\ errq # <<>>
    /\ errq' = Tail(errq)
    /\ UNCHANGED <<callVars, quit, errClosed, doneClosed, historyVars>>

\* The producer has returned, no Unsubscribe is in progress, Err is drained.
Done ==
    /\ ppc = "end" /\ errq = <<>> /\ \A k \in Callers : uc[k] # "wait"
    /\ UNCHANGED vars

Next ==
    \/ \E r \in {"err", "nil"} : ProducerReturn(r)
    \/ CloseErr \/ CloseDone \/ ReadErr
    \/ \E k \in Callers : Unsub1(k) \/ Unsub2(k)
    \/ Done

\* Fairness: the producer may run forever, but returns once quit is closed;
\* the subscription's own steps and every begun Unsubscribe are weakly fair.
Fairness ==
    /\ WF_vars(quit /\ \E r \in {"err", "nil"} : ProducerReturn(r))
    /\ WF_vars(CloseErr) /\ WF_vars(CloseDone)
    /\ \A k \in Callers : WF_vars(Unsub2(k))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
\* "A non-nil error that producer returns is sent on Err, at most one value
\*  ever, unless Unsubscribe was called first" (NewSubscription): at most one
\* value ever goes into Err, and none once an Unsubscribe has begun.
SingleError == sent <= 1 /\ ~late

\* "Unsubscribe closes quit and returns only after producer has returned and
\*  Err is closed, in every goroutine that calls it." (NewSubscription)
ErrClosedAfterUnsubscribe ==
    \A k \in Callers : uc[k] = "done" => errClosed /\ ppc \in {"closeDone", "end"}

\* "Every Unsubscribe call returns once producer has returned."
\* (NewSubscription), given that "Producer must return once its quit channel
\* is closed."
UnsubscribeTerminates ==
    \A k \in Callers : uc[k] = "wait" ~> uc[k] = "done"
=============================================================================
