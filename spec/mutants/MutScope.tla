------------------------------ MODULE MutScope ------------------------------
(* Mutants of Scope, swapped in by the mutants/scope-*.cfg files.          *)
EXTENDS Scope

\* scope-close-panic-hangs: the panic of an inner Unsubscribe that Close
\* runs escapes at once: Close returns by the panic without visiting the
\* rest or closing done, so later Close calls wait for ever.
MutCloseOnceEscapes(c) ==
    LET w == ccur[c] IN
    /\ cpc[c] = "loop" /\ w # None
    /\ \/ /\ OnceStart(c, w)
          /\ UNCHANGED <<closeVars, raised>>
       \/ /\ once[w] = "running" /\ onceBy[w] = c /\ w \in Panics
          /\ once' = [once EXCEPT ![w] = "done"]
          /\ cpc' = [cpc EXCEPT ![c] = "done"] /\ raised' = [raised EXCEPT ![c] = TRUE]
          /\ UNCHANGED <<onceBy, unsubs, ctodo, ccur, kept>>
       \/ /\ once[w] = "running" /\ onceBy[w] = c /\ w \notin Panics
          /\ once' = [once EXCEPT ![w] = "done"]
          /\ ctodo' = [ctodo EXCEPT ![c] = @ \ {w}] /\ ccur' = [ccur EXCEPT ![c] = None]
          /\ UNCHANGED <<onceBy, unsubs, cpc, kept, raised>>
       \/ /\ once[w] = "done"
          /\ ctodo' = [ctodo EXCEPT ![c] = @ \ {w}] /\ ccur' = [ccur EXCEPT ![c] = None]
          /\ UNCHANGED <<once, onceBy, unsubs, cpc, kept, raised>>
    /\ UNCHANGED <<scopeVars, upanic, upc>>

\* scope-wrapper-panic-stays: a wrapper whose inner Unsubscribe panicked
\* does not leave the scope.
MutUnsubLeaveUnlessPanicked(w) ==
    /\ upc[w] = "leave"
    /\ tracked' = IF upanic[w] THEN tracked ELSE tracked \ {w}
    /\ upc' = [upc EXCEPT ![w] = "done"]
    /\ raised' = [raised EXCEPT ![w] = upanic[w]]
    /\ UNCHANGED <<closed, done, made, onceVars, closeVars>>

\* scope-track-after-close: Track tracks the subscription in a closed scope
\* instead of returning nil.
MutTrackAlways(w) ==
    /\ made[w] = "no"
    /\ made' = [made EXCEPT ![w] = "wrapper"] /\ tracked' = tracked \cup {w}
    /\ UNCHANGED <<closed, done, onceVars, closeVars, callerVars>>
=============================================================================
