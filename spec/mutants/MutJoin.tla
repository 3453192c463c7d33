------------------------------- MODULE MutJoin -------------------------------
(* Mutants of Join, swapped in by the mutants/join-*.cfg files.             *)
EXTENDS Join

\* join-skips-unsub: on an inner error the join goes on without
\* unsubscribing the inner subscriptions (it unsubscribes them on quit only).
MutJoinSelectSkipUnsub ==
    /\ jpc = "select"
    /\ \/ failed # <<>> /\ jerr' = Head(failed) /\ failed' = Tail(failed) /\ jpc' = "wait"
       \/ quit /\ jpc' = "unsub" /\ UNCHANGED <<jerr, failed>>
    /\ stop' = TRUE
    /\ UNCHANGED <<innerVars, first, todo, subVars>>

\* join-nil-ends: a watcher passes on the nil of an inner subscription that
\* ended with nil (failed <- err without the check), so that end ends the
\* join, which returns nil.  The channel then holds None for the nil.
MutWatchErrNil(i) ==
    /\ wpc[i] = "watch" /\ ierr[i] # "open"
    /\ wpc' = [wpc EXCEPT ![i] = "done"]
    /\ IF ierr[i] = "value"
         THEN /\ failed' = Append(failed, i) /\ ierr' = [ierr EXCEPT ![i] = "closed"]
              /\ first' = IF first = None THEN i ELSE first
         ELSE /\ failed' = Append(failed, None) /\ UNCHANGED <<ierr, first>>
    /\ UNCHANGED <<ist, iunsub, jpc, todo, jerr, stop, subVars>>

\* join-no-wait: the join returns without waiting for its watchers, which
\* may still run when the joined subscription has ended.
MutJoinNoWait ==
    /\ jpc = "wait"
    /\ jpc' = "end"
    /\ UNCHANGED <<innerVars, failed, first, todo, jerr, stop, subVars>>
=============================================================================
