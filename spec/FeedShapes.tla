------------------------------ MODULE FeedShapes ------------------------------
(***************************************************************************)
(* The constant shapes of the Feed configurations.  FeedSpec and FeedImpl  *)
(* take one record constant Shape and read their constants off it          *)
(* (Entries == Shape.entries, ...); a configuration (MCFeed*.cfg,          *)
(* MCFeedSpec*.cfg, a Feed spec mutant) picks one shape with one line,     *)
(*     Shape <- ShapeFeed                                                  *)
(* (plus NoOne = NoOne for FeedImpl, whose NoOne is a model value), and    *)
(* its action overrides (FastStep <- MutFastStepSkip) stay in the          *)
(* configuration: FeedImpl's actions come in through EXTENDS, never        *)
(* through INSTANCE, where TLC would ignore such an override.              *)
(*                                                                         *)
(* The fields of a shape:                                                  *)
(*   entries     subscriptions (one per Subscribe call)                    *)
(*   chans       subscriber channels                                       *)
(*   chanOf      [entries -> chans]: the channel each entry delivers to    *)
(*   cap         [chans -> Nat]: channel capacity (0 = unbuffered)         *)
(*   senders     goroutines calling Send                                   *)
(*   sends       how many times each sender calls Send (0: without end)    *)
(*   callers     per entry, goroutines that may call Unsubscribe on it     *)
(*   stall       channels whose receiver may stop receiving forever        *)
(*   closable    channels their owner may close while still subscribed    *)
(*   ctxSenders  the senders that call SendContext instead of Send         *)
(***************************************************************************)

\* MCFeed and most Feed mutants: two entries on two channels, "a"
\* unbuffered with a receiver that may stall, "b" of capacity 1 with a
\* receiver that keeps receiving; two senders calling Send once each; one
\* Unsubscribe caller per entry; no channel closed.
ShapeFeed ==
    [entries    |-> {1, 2},
     chans      |-> {"a", "b"},
     chanOf     |-> [e \in {1, 2} |-> IF e = 1 THEN "a" ELSE "b"],
     cap        |-> [c \in {"a", "b"} |-> IF c = "a" THEN 0 ELSE 1],
     senders    |-> {"s1", "s2"},
     sends      |-> 1,
     callers    |-> {1},
     stall      |-> {"a"},
     closable   |-> {},
     ctxSenders |-> {}]

\* MCFeedPanic: ShapeFeed with receivers that keep receiving and the
\* unbuffered channel closable (a Send panics), the second sender calling
\* SendContext.
ShapeFeedPanic ==
    [ShapeFeed EXCEPT !.stall = {}, !.closable = {"a"}, !.ctxSenders = {"s2"}]

\* panic-keeps-lock: ShapeFeedPanic with both senders calling Send.
ShapeFeedPanicSend == [ShapeFeedPanic EXCEPT !.ctxSenders = {}]

\* MCFeedSpec: ShapeFeed with the unbuffered channel closable and the
\* second sender calling SendContext (receivers may stall, unlike
\* ShapeFeedPanic).
ShapeFeedSpec ==
    [ShapeFeed EXCEPT !.closable = {"a"}, !.ctxSenders = {"s2"}]

\* MCFeedSpecSends: ShapeFeedSpec with each sender sending twice.
ShapeFeedSpecSends == [ShapeFeedSpec EXCEPT !.sends = 2]

\* MCFeedShared: the same channel, of capacity 1 with a receiver that may
\* stall, subscribed twice; two senders; two Unsubscribe callers per entry.
ShapeFeedShared ==
    [ShapeFeed EXCEPT !.chans   = {"a"},
                      !.chanOf  = [e \in {1, 2} |-> "a"],
                      !.cap     = [c \in {"a"} |-> 1],
                      !.callers = {1, 2}]

\* MCFeedSharedLive: ShapeFeedShared with the channel unbuffered and one
\* Unsubscribe caller per entry.
ShapeFeedSharedLive ==
    [ShapeFeedShared EXCEPT !.cap = [c \in {"a"} |-> 0], !.callers = {1}]

\* MCFeedCtx and the SendContext mutants: one entry on an unbuffered
\* channel whose receiver may stall; two senders calling SendContext once
\* each.
ShapeFeedCtx ==
    [ShapeFeed EXCEPT !.entries    = {1},
                      !.chans      = {"a"},
                      !.chanOf     = [e \in {1} |-> "a"],
                      !.cap        = [c \in {"a"} |-> 0],
                      !.ctxSenders = {"s1", "s2"}]

\* MCFeedQueue: ShapeFeedCtx with each sender calling SendContext twice.
ShapeFeedQueue == [ShapeFeedCtx EXCEPT !.sends = 2]

\* send-queue-barging: ShapeFeedQueue with Send instead of SendContext.
ShapeFeedQueueSend == [ShapeFeedQueue EXCEPT !.ctxSenders = {}]

\* MCFeedLoop: ShapeFeedCtx with three senders calling Send again and
\* again without end.
ShapeFeedLoop ==
    [ShapeFeedCtx EXCEPT !.senders = {"s1", "s2", "s3"}, !.sends = 0,
                         !.ctxSenders = {}]

\* MCFeedDeep: three entries, two of them on the unbuffered channel "a"
\* whose receiver may stall, the third on "b" of capacity 2 whose owner
\* may close it; two senders calling Send once each.
ShapeFeedDeep ==
    [ShapeFeed EXCEPT !.entries  = {1, 2, 3},
                      !.chanOf   = [e \in {1, 2, 3} |-> IF e = 3 THEN "b" ELSE "a"],
                      !.cap      = [c \in {"a", "b"} |-> IF c = "a" THEN 0 ELSE 2],
                      !.closable = {"b"}]
=============================================================================
