------------------------------ MODULE FeedShapes ------------------------------
(* The constant shapes of the Feed configurations (MCFeed*.cfg and           *)
(* MCFeedSpec.cfg pick one with `<-`).                                      *)
\* Two entries on two channels: one unbuffered whose receiver may stall,
\* one with capacity 1 whose receiver keeps receiving.
EntriesTwo   == {1, 2}
ChansTwo     == {"a", "b"}
ChanOfTwo    == [e \in EntriesTwo |-> IF e = 1 THEN "a" ELSE "b"]
CapTwo       == [c \in ChansTwo |-> IF c = "a" THEN 0 ELSE 1]

\* One entry on one channel (the configurations whose senders send without
\* end).
EntriesOne   == {1}
ChanOfOne    == [e \in EntriesOne |-> "a"]

\* The same channel subscribed twice (two entries, one channel).
ChansOne     == {"a"}
ChanOfShared == [e \in EntriesTwo |-> "a"]
CapOne       == [c \in ChansOne |-> 1]
CapZero      == [c \in ChansOne |-> 0]

\* The deep configuration: three entries, two of them on one unbuffered
\* channel, the third on a channel of capacity 2.
EntriesThree == {1, 2, 3}
ChanOfThree  == [e \in EntriesThree |-> IF e = 3 THEN "b" ELSE "a"]
CapDeep      == [c \in ChansTwo |-> IF c = "a" THEN 0 ELSE 2]

SendersTwo   == {"s1", "s2"}
SendersThree == {"s1", "s2", "s3"}
CallersOne   == {1}
CallersTwo   == {1, 2}
StallA       == {"a"}
StallNone    == {}
ClosableNone == {}
ClosableA    == {"a"}
ClosableB    == {"b"}
\* The senders that call SendContext instead of Send.
CtxNone      == {}
CtxOne       == {"s2"}
CtxTwo       == SendersTwo
=============================================================================
