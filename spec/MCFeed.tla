------------------------------- MODULE MCFeed -------------------------------
(* The Feed engine with the constant shapes of FeedShapes; the model-checking *)
(* configurations MCFeed*.cfg pick a shape with `<-`.                        *)
EXTENDS FeedImpl, FeedShapes
=============================================================================
