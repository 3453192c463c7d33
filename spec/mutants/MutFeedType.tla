------------------------------ MODULE MutFeedType -----------------------------
(* Mutants of FeedType, swapped in by the mutants/type-check-*.cfg files.   *)
EXTENDS FeedType

\* type-check-outside-lock: Send checks the type before taking the mutex and
\* fixes it afterwards from what it saw: two first Sends of different types
\* both see no type, and the second overwrites the first.  The Send's
\* program counter keeps what it saw ("sawNone", "sawType").
MutSendBegin(s, t) ==
    /\ spc[s] = "idle"
    /\ stype' = [stype EXCEPT ![s] = t]
    /\ IF t # "nil" /\ elem # "none" /\ t # elem
         THEN spc' = [spc EXCEPT ![s] = "panicked"]
         ELSE spc' = [spc EXCEPT ![s] = IF elem = "none" THEN "sawNone" ELSE "sawType"]
    /\ UNCHANGED <<elem, busy, kpc, ktype, fixes>>

MutSendLock(s) ==
    /\ spc[s] \in {"sawNone", "sawType"}
    /\ IF spc[s] = "sawNone" /\ stype[s] = "nil"
         THEN spc' = [spc EXCEPT ![s] = "done"] /\ UNCHANGED <<elem, busy, fixes>>
         ELSE /\ elem' = IF spc[s] = "sawNone" THEN stype[s] ELSE elem
              /\ fixes' = IF spc[s] = "sawNone" THEN fixes + 1 ELSE fixes
              /\ Enter(s)
    /\ UNCHANGED <<stype, kpc, ktype>>

\* SendWaitEnd, written out: the configuration replaces it by this.
MutSendWaitEndOrLock(s) ==
    \/ /\ spc[s] = "wait" /\ ~busy
       /\ spc' = [spc EXCEPT ![s] = "own"] /\ busy' = TRUE
       /\ UNCHANGED <<elem, stype, kpc, ktype, fixes>>
    \/ MutSendLock(s)

\* type-check-after-wait: Send waits for a Send in progress before it
\* checks the type, so a Send of the wrong type waits instead of panicking
\* at once (it panics once it has the feed, and releases it).
MutSendBeginLate(s, t) ==
    /\ spc[s] = "idle" /\ busy
    /\ stype' = [stype EXCEPT ![s] = t] /\ spc' = [spc EXCEPT ![s] = "wait"]
    /\ UNCHANGED <<elem, busy, kpc, ktype, fixes>>

\* With the feed free, the check comes first as in SendBegin (written out:
\* the configuration replaces SendBegin by this).
MutSendBeginCheckLate(s, t) ==
    \/ MutSendBeginLate(s, t)
    \/ /\ spc[s] = "idle" /\ ~busy
       /\ stype' = [stype EXCEPT ![s] = t]
       /\ CASE t = "nil" /\ elem = "none" ->
                  spc' = [spc EXCEPT ![s] = "done"] /\ UNCHANGED <<elem, busy, fixes>>
            [] t # "nil" /\ elem # "none" /\ t # elem ->
                  spc' = [spc EXCEPT ![s] = "panicked"] /\ UNCHANGED <<elem, busy, fixes>>
            [] OTHER ->
                  /\ elem' = IF elem = "none" THEN t ELSE elem
                  /\ fixes' = IF elem = "none" THEN fixes + 1 ELSE fixes
                  /\ spc' = [spc EXCEPT ![s] = "own"] /\ busy' = TRUE
       /\ UNCHANGED <<kpc, ktype>>

MutSendWaitEndCheck(s) ==
    /\ spc[s] = "wait" /\ ~busy
    /\ IF stype[s] # "nil" /\ elem # "none" /\ stype[s] # elem
         THEN spc' = [spc EXCEPT ![s] = "panicked"] /\ UNCHANGED <<elem, busy, fixes>>
         ELSE /\ spc' = [spc EXCEPT ![s] = "own"] /\ busy' = TRUE
              /\ elem' = IF elem = "none" /\ stype[s] # "nil" THEN stype[s] ELSE elem
              /\ fixes' = IF elem = "none" /\ stype[s] # "nil" THEN fixes + 1 ELSE fixes
    /\ UNCHANGED <<stype, kpc, ktype>>
=============================================================================
