------------------------------ MODULE MutBackoff ------------------------------
(* Mutants of the backoff rule, swapped in by the mutants/*.cfg files.      *)
EXTENDS Backoff

\* backoff-no-cap: the wait doubles without the cap.
MutFastFailNoCap == wait' = 2 * wait /\ fails' = fails + 1 /\ last' = "fast"

\* backoff-no-reset: a slow failure doubles the wait like a quick one.
MutSlowFailNoReset == wait' = Min(2 * wait, Max) /\ fails' = 0 /\ last' = "slow"
=============================================================================
