------------------------------ MODULE FeedType ------------------------------
(***************************************************************************)
(* The element-type rule of the untyped Feed (event/feed.go: Feed.check,   *)
(* Feed.Subscribe), which FeedImpl and FeedSpec abstract.                  *)
(*                                                                         *)
(* The element type is fixed, under the feed's mutex, by whichever comes   *)
(* first: a Send of a non-nil value (its dynamic type) or a Subscribe of a *)
(* sendable channel (its element type).  Send checks the type under the    *)
(* mutex before it waits for a Send in progress: a value of another type  *)
(* panics at once and changes nothing; Send(nil) before any type is fixed  *)
(* returns 0 and fixes nothing, after it is the element type's nil (the    *)
(* types here can all hold nil).  Subscribe panics, changing nothing, on a *)
(* channel that is not sendable or has another element type.  The delivery *)
(* itself is FeedImpl's: here a Send that passed the check waits while     *)
(* another owns the feed (busy), owns it, and releases it.                 *)
(***************************************************************************)
EXTENDS Naturals

CONSTANT
    Shape           \* the configuration's shape, a record (ShapeType below)

Types       == Shape.types        \* element types, strings other than "nil"
                                  \* and "none"
Senders     == Shape.senders      \* goroutines that call Send once each, with
                                  \* any value
Subscribers == Shape.subscribers  \* goroutines that call Subscribe once each

\* The shape of MCFeedType.cfg and the FeedType spec mutants
\* (Shape <- ShapeType): two element types, two Sends, one Subscribe.
ShapeType == [types |-> {"A", "B"}, senders |-> {"s1", "s2"}, subscribers |-> {"k1"}]

ASSUME "nil" \notin Types /\ "none" \notin Types

VARIABLES
    elem,   \* the element type, "none" until fixed
    busy,   \* a Send owns the feed
    spc,    \* [Senders -> {"idle", "wait", "own", "done", "panicked"}]
    stype,  \* [Senders -> Types \cup {"nil", "none"}]: the Send's value's type
    kpc,    \* [Subscribers -> {"idle", "done", "panicked"}]
    ktype,  \* [Subscribers -> Types \cup {"none"}]: a subscribed channel's type
    fixes   \* history: how many times the element type was set

vars == <<elem, busy, spc, stype, kpc, ktype, fixes>>

TypeOK ==
    /\ elem \in Types \cup {"none"} /\ busy \in BOOLEAN
    /\ spc \in [Senders -> {"idle", "wait", "own", "done", "panicked"}]
    /\ stype \in [Senders -> Types \cup {"nil", "none"}]
    /\ kpc \in [Subscribers -> {"idle", "done", "panicked"}]
    /\ ktype \in [Subscribers -> Types \cup {"none"}]
    /\ fixes \in 0..2

Init ==
    /\ elem = "none" /\ busy = FALSE
    /\ spc = [s \in Senders |-> "idle"] /\ stype = [s \in Senders |-> "none"]
    /\ kpc = [k \in Subscribers |-> "idle"] /\ ktype = [k \in Subscribers |-> "none"]
    /\ fixes = 0

\* A Send that passed the check waits for the feed or takes it.
Enter(s) ==
    IF busy THEN spc' = [spc EXCEPT ![s] = "wait"] /\ UNCHANGED busy
            ELSE spc' = [spc EXCEPT ![s] = "own"] /\ busy' = TRUE

\* Send(value) with a value of type t: lock, check (fixing the type if it is
\* not fixed), then wait for the feed or take it.
SendBegin(s, t) ==
    /\ spc[s] = "idle"
    /\ stype' = [stype EXCEPT ![s] = t]
    /\ CASE t = "nil" /\ elem = "none" ->
               spc' = [spc EXCEPT ![s] = "done"] /\ UNCHANGED <<elem, busy, fixes>>
         [] t # "nil" /\ elem # "none" /\ t # elem ->
               spc' = [spc EXCEPT ![s] = "panicked"] /\ UNCHANGED <<elem, busy, fixes>>
         [] OTHER ->
               /\ elem' = IF elem = "none" THEN t ELSE elem
               /\ fixes' = IF elem = "none" THEN fixes + 1 ELSE fixes
               /\ Enter(s)
    /\ UNCHANGED <<kpc, ktype>>

\* A waiting Send is handed the feed.
SendWaitEnd(s) ==
    /\ spc[s] = "wait" /\ ~busy
    /\ spc' = [spc EXCEPT ![s] = "own"] /\ busy' = TRUE
    /\ UNCHANGED <<elem, stype, kpc, ktype, fixes>>

\* The Send delivers (FeedImpl's business) and releases the feed.
SendEnd(s) ==
    /\ spc[s] = "own"
    /\ spc' = [spc EXCEPT ![s] = "done"] /\ busy' = FALSE
    /\ UNCHANGED <<elem, stype, kpc, ktype, fixes>>

\* Subscribe(channel) of a channel of element type t, sendable or not.
Subscribe(k, t, ok) ==
    /\ kpc[k] = "idle"
    /\ CASE ~ok ->
               kpc' = [kpc EXCEPT ![k] = "panicked"] /\ UNCHANGED <<elem, ktype, fixes>>
         [] elem = "none" ->
               /\ elem' = t /\ fixes' = fixes + 1
               /\ kpc' = [kpc EXCEPT ![k] = "done"] /\ ktype' = [ktype EXCEPT ![k] = t]
         [] t = elem ->
               /\ kpc' = [kpc EXCEPT ![k] = "done"] /\ ktype' = [ktype EXCEPT ![k] = t]
               /\ UNCHANGED <<elem, fixes>>
         [] OTHER ->
               kpc' = [kpc EXCEPT ![k] = "panicked"] /\ UNCHANGED <<elem, ktype, fixes>>
    /\ UNCHANGED <<busy, spc, stype>>

\* Every call has returned.
Done ==
    /\ \A s \in Senders : spc[s] \in {"done", "panicked"}
    /\ \A k \in Subscribers : kpc[k] # "idle"
    /\ UNCHANGED vars

Next ==
    \/ \E s \in Senders : \/ \E t \in Types \cup {"nil"} : SendBegin(s, t)
                          \/ SendWaitEnd(s) \/ SendEnd(s)
    \/ \E k \in Subscribers, t \in Types, ok \in BOOLEAN : Subscribe(k, t, ok)
    \/ Done

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
\* "The element type is fixed by whichever comes first: the first Send (its
\*  value's dynamic type) or the first Subscribe (its channel's element
\*  type)." (Feed): it is set once and never changes, and every Send that
\* delivers and every Subscribe that returns has that type.
FeedTypeFixedOnce ==
    /\ fixes <= 1
    /\ \A s \in Senders : spc[s] \in {"own", "done"} /\ stype[s] \in Types => stype[s] = elem
    /\ \A k \in Subscribers : kpc[k] = "done" => ktype[k] = elem

\* "It panics with an error when value's type is not the feed's element
\*  type, at once, without waiting for a Send in progress." (Feed.Send):
\* only a Send of the element type (or nil) ever waits for the feed.
FeedTypeCheckedFirst ==
    \A s \in Senders : spc[s] = "wait" => stype[s] \in {elem, "nil"}
=============================================================================
