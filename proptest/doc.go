// Package proptest holds property-based tests that drive the real event
// package with random operation sequences and compare every observation,
// after every step, with the sequential model in package model.
//
// The main suite uses pgregory.net/rapid state machines; an independent
// generator built on github.com/leanovate/gopter's commands package covers
// Feed, FeedOf and SubscriptionScope. Each test case runs the real package
// inside its own testing/synctest bubble, so "the system has settled" is
// synctest.Wait and time (Resubscribe's backoff) is the bubble's fake clock.
//
// Run with -v to see per-test and total operation counts. Flags (after
// -args): -rapid.checks, -rapid.seed, -rapid.steps (rapid's own),
// -gopter.checks, -gopter.seed, -proptest.budget (real-time bound per
// test). The environment variables RAPID_CHECKS, RAPID_SEED, GOPTER_CHECKS,
// GOPTER_SEED and PROPTEST_BUDGET set the same; the last three must be
// positive, and a value that does not parse fails the test.
package proptest
