// Package model is a deterministic, sequential model of the state machines
// that spec/event.tla and the modules it lists describe for the event
// package.
//
// Actions. Each exported method that changes a model's state is one step of
// the model and stands for a sequence of spec actions, which its doc comment
// lists on a line of the form
//
//	Spec actions (Module): Action1, Action2, ...
//
// naming actions that Module defines. A method that stands for a single spec
// action carries its name (Resub.InnerFail, Resub.InnerEnd, Sub.ReadErr); one
// that stands for a whole call of the package carries the name of that call
// (Feed.Send, Sub.Unsubscribe, Scope.Close). The drift test in
// internal/guarantees checks that every cited action exists. Model actions
// that stand for spec actions not written yet (Feed.SendContextDone,
// Feed.Cancel: SendContext's actions) are listed there as pending.
//
// Invariants. Every exported function in a file named *_invariants.go that
// takes a model state and returns an error is an invariant: it carries the
// name of the spec property it mirrors and returns nil when it holds and an
// error describing the first violation otherwise. A property that several
// modules state under one name (TypeOK, SingleError,
// ErrClosedAfterUnsubscribe, UnsubscribeTerminates) is one generic function
// whose type parameter admits the state of each of those modules. For a
// liveness property (SendTerminates, MuxStopTerminates, ...) the function
// checks what the model's atomic steps leave behind: that nothing waits for
// something that cannot happen. The functions named *Invariants (FeedInvariants,
// SubInvariants, ...) check every invariant of one state; the drift test
// checks that each names all of them. internal/guarantees maps each
// invariant to its spec property, doc sentence and tests.
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
// so that every delivery can be traced back to its Send. The Feed model is
// written at the level of spec/FeedSpec.tla, whose state FeedImpl maps its
// own to (the Refinement property): a Send's Snapshot is FeedSpec's tgt,
// its Pending is pending, and the invariants check the same properties over
// the model's history (Deliveries, RemovedAt) that FeedSpec states over
// recvd and ugone.
//
// The models and their modules: Feed (FeedSpec, FeedImpl), Sub
// (NewSubscription), Resub (Resubscribe, and Backoff for its backoff
// fields), Join (Join), Scope (Scope), Mux (TypeMux). FeedTypes models the
// element-type rule of the untyped Feed, which the spec abstracts.
package model
