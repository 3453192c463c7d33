------------------------------- MODULE Backoff -------------------------------
(***************************************************************************)
(* The backoff rule of Resubscribe (event/resubscribe.go nextBackoff), as a  *)
(* small arithmetic check.  The wait starts at Max/10.  After a failed     *)
(* attempt: if the attempt began more than Max ago, the wait resets to     *)
(* Max/10; otherwise it doubles, capped at Max.  Resubscribe.tla treats    *)
(* the wait as one step that ends or is cut short by Unsubscribe; this     *)
(* module checks only the lengths.  Durations are whole units.             *)
(***************************************************************************)
EXTENDS Naturals

CONSTANT Max        \* backoffMax, a multiple of 10

ASSUME Max \in Nat /\ Max >= 10 /\ Max % 10 = 0

VARIABLES
    wait,           \* the current wait
    fails,          \* history: quick failures since the last reset (bounded)
    last            \* history: the kind of the last failure, "none" at first

Min(a, b) == IF a < b THEN a ELSE b
Start == Max \div 10

TypeOK ==
    /\ wait \in 0..Max
    /\ fails \in 0..6
    /\ last \in {"none", "fast", "slow"}

Init == wait = Start /\ fails = 0 /\ last = "none"

\* A failed attempt that began at most Max ago: double, capped at Max.
FastFail == wait' = Min(2 * wait, Max) /\ fails' = fails + 1 /\ last' = "fast"

\* A failed attempt that began more than Max ago: reset.
SlowFail == wait' = Start /\ fails' = 0 /\ last' = "slow"

\* The wait after a failed attempt that took `took` (nextBackoff).
\* TraceResubscribe.tla checks the waits of real runs with it.
Fail(took) == IF took > Max THEN SlowFail ELSE FastFail

\* Six quick failures in a row keep the model finite.
Next == (fails < 6 /\ FastFail) \/ SlowFail

Spec == Init /\ [][Next]_<<wait, fails, last>>

-----------------------------------------------------------------------------

\* "the wait starts at backoffMax/10 and, before each wait, is reset to
\*  backoffMax/10 if the failed call took longer than backoffMax, and is
\*  doubled, up to backoffMax, otherwise." (Resubscribe): the wait always
\* lies between Max/10 and Max.
BackoffBounded == Start <= wait /\ wait <= Max

\* "is reset to backoffMax/10 if the failed call took longer than
\*  backoffMax" (Resubscribe): after an attempt that began more than Max ago
\* failed, the wait is back at Max/10.
BackoffResets == last = "slow" => wait = Start

\* "is doubled, up to backoffMax, otherwise." (Resubscribe): four quick
\* failures in a row reach the cap (Max/10 doubled four times is
\* more than Max), and the wait never drops except by a reset.
BackoffReachesMax == fails >= 4 => wait = Max
=============================================================================
