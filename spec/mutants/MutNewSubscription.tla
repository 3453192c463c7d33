-------------------------- MODULE MutNewSubscription --------------------------
(* Mutants of NewSubscription, swapped in by the mutants/*.cfg files.       *)
EXTENDS NewSubscription

\* newsub-err-after-unsub: the producer's error goes into Err even when an
\* Unsubscribe has already begun.
MutProducerReturnLate(r) ==
    /\ ppc = "run"
    /\ IF r = "err"
         THEN /\ errq' = Append(errq, "err") /\ sent' = sent + 1
              /\ late' = called
         ELSE UNCHANGED <<errq, sent, late>>
    /\ ended' = TRUE
    /\ ppc' = "closeErr"
    /\ UNCHANGED <<uc, quit, errClosed, doneClosed, called>>

\* err-not-closed: done is closed before Err, so an Unsubscribe can return
\* while Err is still open.
MutCloseErrSecond ==
    /\ ppc = "closeErr"
    /\ doneClosed' = TRUE /\ ppc' = "closeDone"
    /\ UNCHANGED <<ended, uc, quit, errq, errClosed, historyVars>>
MutCloseDoneSecond ==
    /\ ppc = "closeDone"
    /\ errClosed' = TRUE /\ ppc' = "end"
    /\ UNCHANGED <<ended, uc, quit, errq, doneClosed, historyVars>>

\* newsub-no-quit: Unsubscribe sets the flag but does not close quit; a
\* producer that runs until quit is closed never returns, nor does
\* Unsubscribe.
MutUnsub1NoQuit(k) ==
    /\ uc[k] = "idle"
    /\ ended' = TRUE
    /\ uc' = [uc EXCEPT ![k] = "wait"]
    /\ called' = TRUE
    /\ UNCHANGED <<ppc, chanVars, sent, late>>
=============================================================================
