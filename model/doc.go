// Package model is a deterministic, sequential model of the state machine
// that spec/event.tla describes for the event package.
//
// Every exported action method carries the name of the spec action it
// models (Subscribe, Send, Unsubscribe, Receive, ...), and every invariant is
// a Go function named after the spec property it mirrors
// (NoDeliveryAfterUnsubscribe, DeliveredExactlyOnce, ...). An invariant
// returns nil when it holds and an error describing the first violation
// otherwise.
//
// The model is sequential: an action is one atomic step, and the state after
// a step is the state the real package settles into once every goroutine it
// started is blocked or finished. Where the real package may settle into
// more than one state (for example which of two entries on the same channel
// took a value), the model either tracks the set of allowed outcomes or
// reports the situation through a predicate (such as Feed.Ambiguous) so that
// a test driver can avoid it.
//
// Values sent on a feed are the IDs of the Send actions that carried them,
// so that every delivery can be traced back to its Send.
//
// Correspondence with spec/FeedSpec.tla and spec/FeedImpl.tla: Feed.Subscribe
// is Subscribe; Feed.Send is SendCall followed, once no other Send is
// active, by FastBegin, the FastStep of every target, FastEnd and, if
// something is pending, BlockBegin (a Send's Snapshot is the spec's tgt);
// Feed.Receive is Receive together with the DeliverSend it enables;
// Feed.Unsubscribe is UnsubscribeBegin, the DeliverInterrupted and
// DeliverDone of a deliverer parked on the entry, and UnsubscribeEnd;
// Feed.CloseChan is CloseChan with the DeliverPanic of parked deliverers. A
// Send whose Pending becomes empty takes SendFinish. The invariants check
// the same properties over the model's history (Deliveries, RemovedAt) that
// the spec states over recvd and ugone.
//
// NewSubscription (Sub), Resubscribe (Resub), JoinSubscriptions (Join),
// SubscriptionScope (Scope) and TypeMux (Mux) follow design.md; their
// invariants carry the spec's names where the spec has them (SingleError,
// ErrClosedAfterUnsubscribe, AtMostOneInner, NoLeakedInner) and Mux/Scope
// prefixed names otherwise.
package model
