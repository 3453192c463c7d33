// Package event delivers values to subscribers over Go channels: Feed and
// FeedOf for one-to-many delivery, Subscription and its helpers
// (NewSubscription, Resubscribe, ResubscribeErr, JoinSubscriptions,
// SubscriptionScope) for the lifetime of a stream, and the deprecated TypeMux.
//
// The API is that of go-ethereum's event package: code that uses it can switch
// its import path to this package and nothing else. Every guarantee these doc
// comments state about what concurrent calls do and observe is a named
// property of the TLA+ specification in the repository's spec/ directory
// (spec/event.tla is the entry point), a function of the same name in the Go
// model in model/, and tests that fail when it breaks. The repository's
// internal/guarantees lists each with the sentence that states it, word for
// word, and a test fails when they drift apart; the README's table is made
// from that list. The exact panic messages, the nil values of Feed and the
// cost claims are checked by tests only.
//
// Beyond upstream, this package never leaves a Feed locked after a panic in
// Send or Subscribe, serves waiting Sends in arrival order, offers
// SendContext so that a subscriber that stops reading cannot wedge its
// producer, sends nil values through FeedOf of an interface type and through
// Feed, never leaks an inner subscription that a Resubscribe function returns
// after Unsubscribe, never registers part of a TypeMux.Subscribe that panics,
// and unsubscribes in constant time.
package event
