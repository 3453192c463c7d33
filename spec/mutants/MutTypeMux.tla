----------------------------- MODULE MutTypeMux -----------------------------
(* Mutants of TypeMux, swapped in by the mutants/typemux-*.cfg files.      *)
EXTENDS TypeMux

\* typemux-stop-returns-early: a Stop that finds the mux stopped returns at
\* once instead of waiting for the first Stop to close every channel.
MutStopBeginEarly(k) ==
    /\ spc[k] = "idle"
    /\ IF stopped
         THEN /\ spc' = [spc EXCEPT ![k] = "done"]
              /\ UNCHANGED <<stopped, live, subm, todo>>
         ELSE /\ stopped' = TRUE
              /\ todo' = [todo EXCEPT ![k] = live]
              /\ live' = {} /\ subm' = {}
              /\ spc' = [spc EXCEPT ![k] = "closing"]
    /\ UNCHANGED <<stopDone, subVars, stopCur, postVars>>

\* typemux-stop-skips-untyped: a subscription with no types is not made
\* live, so Stop never closes its channel.
MutSubscribeTypedOnly(s) ==
    /\ ~made[s]
    /\ made' = [made EXCEPT ![s] = TRUE]
    /\ IF stopped
         THEN /\ closed' = [closed EXCEPT ![s] = TRUE]
              /\ chanClosed' = [chanClosed EXCEPT ![s] = TRUE]
              /\ UNCHANGED <<live, subm>>
         ELSE /\ live' = IF s \in Typed THEN live \cup {s} ELSE live
              /\ subm' = IF s \in Typed THEN subm \cup {s} ELSE subm
              /\ UNCHANGED <<closed, chanClosed>>
    /\ UNCHANGED <<stopped, stopDone, closeMu, cw, upc, stopVars, postVars>>

\* typemux-unsub-leaves-first: Unsubscribe removes the subscription from
\* the mux before closing its channel, so a Stop can miss a channel that
\* is still open.
MutUnsubBeginRemoveFirst(s) ==
    /\ made[s] /\ upc[s] = "idle"
    /\ live' = live \ {s} /\ subm' = subm \ {s}
    /\ upc' = [upc EXCEPT ![s] = "closewait"]
    /\ cw' = [cw EXCEPT ![s] = "lock"]
    /\ UNCHANGED <<stopped, stopDone, made, closed, chanClosed, closeMu,
                   stopVars, postVars>>

\* typemux-send-on-closed: closewait leaves postC set, so a delivery after
\* the channel is closed sends on it.
MutPostStepAlwaysSends(p, s) ==
    /\ ppc[p] = "deliver" /\ cur[p] = None /\ s \in pending[p]
    /\ cur' = [cur EXCEPT ![p] = s]
    /\ UNCHANGED <<muxVars, subVars, stopVars, ppc, snap, pending, delivered,
                   perr>>
=============================================================================
