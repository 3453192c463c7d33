----------------------------- MODULE MCFeedSpec -----------------------------
(* The abstract FeedSpec with the constant shapes of FeedShapes, so that TLC *)
(* checks that the abstract spec itself has the properties it states.        *)
EXTENDS FeedSpec, FeedShapes
=============================================================================
