// Package guarantees is the registry of the event package's guarantees: one
// row per guarantee, naming the sentence of the doc comment that states it,
// the spec property that formalizes it, the model function that mirrors it
// and the tests that fail when it breaks. README's guarantee table and the
// PROPERTIES section of spec/event.tla are generated from it.
//
// The registry is a Go table rather than a data file: the compiler checks its
// shape, gofmt keeps it tidy, and the drift test and the generator read it
// without a parser of their own.
//
// The drift test (go test ./internal/guarantees, part of make test) fails
// when a row and the code it names drift apart, and when something that
// should have a row has none:
//
//   - Sentence: word for word (up to white space) in the doc comment of the
//     exported identifier Doc of package event, as go/doc reads it.
//   - Property: a definition "Name ==" or "Name(...) ==" at the start of a
//     line of spec/Module.tla, and of each module in Also. The \* comment
//     right above it in Module quotes (in double quotes, cut at "...") only text that
//     is word for word in the doc comment of Doc, and at least one such
//     text (TypeOK rows without a sentence aside).
//   - Model function: an invariant function Name in model/ (see below)
//     whose parameter admits the model state of Module (StateOf).
//   - Tests: a top-level func TestX or ExampleX of that name in the *_test.go
//     files of event/ (Unit), model/ (Model), proptest/ (Property) and
//     stress/ (Stress); and at least one listed test carries the row's name.
//   - Spec properties: every definition without parameters that follows the
//     module's separator line (a line of dashes only) in spec/*.tla, other
//     than INSTANCE definitions, plus every TypeOK, is named by a row; so is
//     every INVARIANT and PROPERTY of spec/*.cfg (not spec/mutants), looked
//     up in the configuration's module and the modules it extends. Every
//     module with variables defines TypeOK, but for a fragment that other
//     modules include with an unnamed INSTANCE (its definitions become
//     theirs, and their TypeOK types its variables).
//   - Model invariants: every exported function in a model/*_invariants.go
//     file with one parameter of a model state type (a pointer to one of the
//     StateOf types, or a type parameter constrained to a union of them) and
//     one result of type error is named by a row. Functions named
//     STATEInvariants (FeedInvariants, SubInvariants, ...) are the
//     aggregates, not rows: each must call every row's model function for
//     its state.
//   - Model actions: every exported method of a model state type in a
//     non-test, non-invariant file of model/ (queries aside) has a line
//     "Spec actions (Module): A, B, ..." in its doc comment whose actions
//     Module defines, and carries the name of one of them or of the call of
//     package event it stands for.
//   - Generated text: README's table and event.tla's PROPERTIES section are
//     what the registry renders (go test ./internal/guarantees -update
//     rewrites them).
//
// Rows may name spec properties that another branch is still writing only
// through Pending; the drift test reports them as skipped with the reason,
// and fails once such a property exists so that the entry is taken off the
// list.
package guarantees

// Guarantee is one row of the registry.
type Guarantee struct {
	// Name is the spec property, the model function and the stem of the
	// tests that name the guarantee.
	Name string
	// Module is the spec module (spec/Module.tla) that defines Name; Also
	// lists modules that define it too, through a refinement mapping.
	Module string
	Also   []string
	// Doc is the exported identifier of package event (Name or Type.Method)
	// whose doc comment holds Sentence, word for word. A TypeOK row may
	// have neither: it states that the variables keep their types.
	Doc      string
	Sentence string
	// Tests by package: event/ (Unit), model/ (Model), proptest/
	// (Property), stress/ (Stress), trace validation (Trace, none yet).
	Unit, Model, Property, Stress, Trace []string
}

// StateOf maps each spec module to the model state its invariants take.
var StateOf = map[string]string{
	"FeedSpec":        "Feed",
	"FeedImpl":        "Feed",
	"FeedType":        "FeedTypes",
	"NewSubscription": "Sub",
	"Resubscribe":     "Resub",
	"Backoff":         "Resub",
	"Join":            "Join",
	"TypeMux":         "Mux",
	"Scope":           "Scope",
}

// Pending lists what rows name or need that other work still has to
// provide, each with the reason. The drift test reports each entry it meets
// as a skipped subtest with its reason, and fails once the entry is no
// longer needed, so that it is taken off. Keys:
//
//   - "property Module.Name": a spec property a row names and Module does
//     not define yet;
//   - "quote Module.Name": a property whose comment in Module does not yet
//     quote, word for word, the doc sentences of its row;
//   - "action Type.Method": a model action that stands for spec actions not
//     written yet.
var Pending = map[string]string{}

// Rows is the registry, in the order of README's table.
var Rows = []Guarantee{
	// Feed and FeedOf: FeedSpec states what users are promised, FeedImpl
	// the engine that refines it.
	{
		Name: "SendReachesAllSubscribed", Module: "FeedSpec", Also: []string{"FeedImpl"},
		Doc:      "FeedOf",
		Sentence: "Send blocks until every entry that was subscribed when it began has taken the value or has been unsubscribed; no subscriber is ever skipped.",
		Unit:     []string{"TestSendReachesAllSubscribed", "TestSendWaitsForSlowSubscribers", "TestSendNeedsNoReceiveOrder", "TestSubscribeDuringSendNotIncluded"},
		Model:    []string{"TestSendReachesAllSubscribed"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid", "TestFeedGopter", "TestFeedOfGopter"},
		Stress:   []string{"TestFeedChurn", "TestFeedOfChurn"},
	},
	{
		Name: "DeliveredExactlyOnce", Module: "FeedSpec", Also: []string{"FeedImpl"},
		Doc:      "FeedOf.Send",
		Sentence: "Send delivers value to every entry subscribed when the Send began and returns the number of deliveries, 0 when there are none.",
		Unit:     []string{"TestDeliveredExactlyOnce"},
		Model:    []string{"TestDeliveredExactlyOnce"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid", "TestFeedGopter", "TestFeedOfGopter"},
		Stress:   []string{"TestFeedChurn", "TestFeedOfChurn"},
	},
	{
		Name: "SubscribersSeeSendOrder", Module: "FeedSpec", Also: []string{"FeedImpl"},
		Doc:      "FeedOf",
		Sentence: "Every subscriber sees values in the order in which their Sends ran.",
		Unit:     []string{"TestSubscribersSeeSendOrder"},
		Model:    []string{"TestSubscribersSeeSendOrder"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid", "TestFeedGopter", "TestFeedOfGopter"},
		Stress:   []string{"TestFeedChurn", "TestFeedOfChurn"},
	},
	{
		Name: "SendsServedInArrivalOrder", Module: "FeedImpl",
		Doc:      "FeedOf",
		Sentence: "A Send that has to wait is served before every Send called after it started waiting.",
		Unit:     []string{"TestSendsServedInArrivalOrder"},
		Model:    []string{"TestSendsServedInArrivalOrder"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid"},
	},
	{
		Name: "QueueOnlyWhileBusy", Module: "FeedImpl",
		Doc:      "FeedOf",
		Sentence: "A Send waits for its turn only while another Send is in progress.",
		Unit:     []string{"TestSendsServedInArrivalOrder"},
		Model:    []string{"TestQueueOnlyWhileBusy"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid"},
	},
	{
		Name: "EverySendCompletes", Module: "FeedImpl",
		Doc:      "FeedOf",
		Sentence: "Every Send completes when its subscribers keep receiving, however often other goroutines send.",
		Unit:     []string{"TestSendsServedInArrivalOrder"},
		Model:    []string{"TestEverySendCompletes"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid"},
	},
	{
		Name: "SendTerminates", Module: "FeedImpl",
		Doc:      "FeedOf.Send",
		Sentence: "It blocks until each entry has taken the value or been unsubscribed.",
		Unit:     []string{"TestSendWaitsForSlowSubscribers", "TestNilChannelBlocksSend", "TestSendPanicReleasesFeed", "TestSendPanicWhileBlocked"},
		Model:    []string{"TestSendTerminates"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid"},
		Stress:   []string{"TestUnsubscribeTerminatesWhileSendBlocked", "TestFeedSendPanicKeepsFeed", "TestFeedOfSendPanicKeepsFeed"},
	},
	{
		Name: "NoDeliveryAfterUnsubscribe", Module: "FeedSpec", Also: []string{"FeedImpl"},
		Doc:      "FeedOf.Subscribe",
		Sentence: "Once Unsubscribe of the returned Subscription has returned, nothing more is delivered to channel through it",
		Unit:     []string{"TestNoDeliveryAfterUnsubscribe", "TestNoDeliveryAfterUnsubscribeRacingSend", "TestUnsubscribeWaitsForParkedDeliverer"},
		Model:    []string{"TestNoDeliveryAfterUnsubscribe"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid", "TestFeedGopter", "TestFeedOfGopter"},
		Stress:   []string{"TestFeedChurn", "TestUnsubscribeTerminatesWhileSendBlocked"},
	},
	{
		Name: "UnsubscribeTerminates", Module: "FeedImpl",
		Doc:      "FeedOf.Subscribe",
		Sentence: "Unsubscribe returns even while a Send is blocked on channel, which stops waiting for this subscription.",
		Unit:     []string{"TestUnsubscribeTerminates", "TestUnsubscribeIdempotentConcurrent", "TestUnsubscribeOtherEntryDuringSend", "TestNilChannelBlocksSend"},
		Model:    []string{"TestUnsubscribeTerminatesFeed"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid"},
		Stress:   []string{"TestUnsubscribeTerminatesWhileSendBlocked"},
	},
	{
		Name: "ErrClosedAfterUnsubscribe", Module: "FeedImpl",
		Doc:      "FeedOf.Subscribe",
		Sentence: "Its Err channel never carries a value and is closed by Unsubscribe.",
		Unit:     []string{"TestNoDeliveryAfterUnsubscribe", "TestUnsubscribeIdempotentConcurrent", "TestUnsubscribeWaitsForParkedDeliverer"},
		Model:    []string{"TestErrClosedAfterUnsubscribeFeed"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid"},
		Stress:   []string{"TestSingleErrorAndErrClosedAfterUnsubscribe", "TestFeedChurn", "TestUnsubscribeTerminatesWhileSendBlocked"},
	},
	{
		Name: "NoDeliveryAfterSendContextReturns", Module: "FeedSpec", Also: []string{"FeedImpl"},
		Doc:      "FeedOf.SendContext",
		Sentence: "Nothing of it is delivered after it returns.",
		Unit:     []string{"TestNoDeliveryAfterSendContextReturns"},
		Model:    []string{"TestNoDeliveryAfterSendContextReturns"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid"},
		Stress:   []string{"TestSendContextChurn", "TestFeedOfSendContextChurn"},
	},
	{
		Name: "SendContextTerminates", Module: "FeedImpl",
		Doc:      "FeedOf.SendContext",
		Sentence: "SendContext is Send that gives up once ctx is done",
		Unit:     []string{"TestSendContextReturnsWhenDone", "TestSendContextLeavesQueue", "TestSendContextAlreadyDone", "TestSendContextUnsubscribe"},
		Model:    []string{"TestSendContextTerminates", "TestCtxEnd"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid"},
		Stress:   []string{"TestSendContextChurn", "TestFeedOfSendContextChurn"},
	},
	{
		Name: "Refinement", Module: "FeedImpl",
		Doc:      "Feed",
		Sentence: "Apart from this check, Feed keeps every guarantee of FeedOf.",
		Unit:     []string{"TestSendReachesAllSubscribed", "TestDeliveredExactlyOnce", "TestNoDeliveryAfterUnsubscribe"},
		Model:    []string{"TestRefinement"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid", "TestFeedGopter", "TestFeedOfGopter"},
		Stress:   []string{"TestFeedChurn", "TestFeedOfChurn"},
	},
	{
		Name: "TypeOK", Module: "FeedImpl",
		Doc:      "FeedOf.Subscribe",
		Sentence: "Its Err channel never carries a value",
		Unit:     []string{"TestUnsubscribeIdempotentConcurrent"},
		Model:    []string{"TestTypeOKFeed"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid"},
		Stress:   []string{"TestSingleErrorAndErrClosedAfterUnsubscribe", "TestFeedChurn"},
	},
	{
		Name: "TypeOK", Module: "FeedSpec",
		Model:    []string{"TestTypeOKFeed"},
		Property: []string{"TestFeedRapid", "TestFeedOfRapid"},
	},

	// The untyped Feed's element type.
	{
		Name: "FeedTypeFixedOnce", Module: "FeedType",
		Doc:      "Feed",
		Sentence: "The element type is fixed by whichever comes first: the first Send (its value's dynamic type) or the first Subscribe (its channel's element type).",
		Unit:     []string{"TestFeedTypeFixedByFirstSend", "TestFeedTypeFixedByFirstSubscribe", "TestFeedTypesMustMatchExactly", "TestFeedTypeFixedOnceConcurrent"},
		Model:    []string{"TestFeedTypeFixedOnce", "TestFeedTypes"},
		Property: []string{"TestFeedRapid", "TestFeedGopter"},
		Stress:   []string{"TestFeedTypeFixedOnce", "TestFeedTypePanics"},
	},
	{
		Name: "FeedTypeCheckedFirst", Module: "FeedType",
		Doc:      "Feed.Send",
		Sentence: "It panics with an error when value's type is not the feed's element type, at once, without waiting for a Send in progress.",
		Unit:     []string{"TestSendTypeCheckBeforeWaiting", "TestSubscribeHugeElementTypePanicReleasesFeed"},
		Model:    []string{"TestFeedTypeCheckedFirst", "TestFeedTypes"},
		Property: []string{"TestFeedRapid", "TestFeedGopter"},
		Stress:   []string{"TestFeedTypePanics"},
	},
	{
		Name: "TypeOK", Module: "FeedType",
		Model:    []string{"TestTypeOKFeedTypes"},
		Property: []string{"TestFeedRapid", "TestFeedGopter"},
	},

	// NewSubscription.
	{
		Name: "SingleError", Module: "NewSubscription",
		Doc:      "NewSubscription",
		Sentence: "A non-nil error that producer returns is sent on Err, at most one value ever, unless Unsubscribe was called first; then Err is closed.",
		Unit:     []string{"TestSingleError", "TestNewSubscriptionNilError", "TestNewSubscriptionRace"},
		Model:    []string{"TestSingleError"},
		Property: []string{"TestSubscriptionRapid", "TestSubscriptionRegressions"},
		Stress:   []string{"TestSingleErrorAndErrClosedAfterUnsubscribe"},
	},
	{
		Name: "ErrClosedAfterUnsubscribe", Module: "NewSubscription",
		Doc:      "NewSubscription",
		Sentence: "Unsubscribe closes quit and returns only after producer has returned and Err is closed, in every goroutine that calls it.",
		Unit:     []string{"TestErrClosedAfterUnsubscribe", "TestNewSubscriptionUnsubscribeConcurrent"},
		Model:    []string{"TestErrClosedAfterUnsubscribe"},
		Property: []string{"TestSubscriptionRapid", "TestSubscriptionRegressions"},
		Stress:   []string{"TestSingleErrorAndErrClosedAfterUnsubscribe"},
	},
	{
		Name: "UnsubscribeTerminates", Module: "NewSubscription",
		Doc:      "NewSubscription",
		Sentence: "Every Unsubscribe call returns once producer has returned.",
		Unit:     []string{"TestNewSubscriptionUnsubscribeConcurrent", "TestNewSubscriptionProducerGoexit"},
		Model:    []string{"TestUnsubscribeTerminatesSub"},
		Property: []string{"TestSubscriptionRapid", "TestSubscriptionRegressions"},
		Stress:   []string{"TestSingleErrorAndErrClosedAfterUnsubscribe"},
	},
	{
		Name: "TypeOK", Module: "NewSubscription",
		Model:    []string{"TestTypeOKSub"},
		Property: []string{"TestSubscriptionRapid"},
	},

	// JoinSubscriptions.
	{
		Name: "JoinFirstError", Module: "Join",
		Doc:      "JoinSubscriptions",
		Sentence: "JoinSubscriptions returns a Subscription that ends with the first non-nil error of any of subs, sent on its Err, or when it is unsubscribed. Inner subscriptions that end with a nil error are ignored.",
		Unit:     []string{"TestJoinFirstError"},
		Model:    []string{"TestJoinFirstError"},
		Property: []string{"TestSubscriptionRapid", "TestSubscriptionRegressions"},
		Stress:   []string{"TestSingleErrorAndErrClosedAfterUnsubscribe"},
	},
	{
		Name: "JoinUnsubscribesAll", Module: "Join",
		Doc:      "JoinSubscriptions",
		Sentence: "When it ends, every one of subs is unsubscribed and no goroutine it started is left running.",
		Unit:     []string{"TestJoinUnsubscribesAll", "TestJoinFirstError"},
		Model:    []string{"TestJoinUnsubscribesAll"},
		Property: []string{"TestSubscriptionRapid", "TestSubscriptionRegressions"},
		Stress:   []string{"TestSingleErrorAndErrClosedAfterUnsubscribe"},
	},
	{
		Name: "TypeOK", Module: "Join",
		Model:    []string{"TestTypeOKJoin"},
		Property: []string{"TestSubscriptionRapid"},
	},

	// Resubscribe and ResubscribeErr.
	{
		Name: "AtMostOneInner", Module: "Resubscribe",
		Doc:      "Resubscribe",
		Sentence: "At most one inner subscription is live at a time.",
		Unit:     []string{"TestAtMostOneInner"},
		Model:    []string{"TestAtMostOneInner"},
		Property: []string{"TestResubscribeRapid", "TestResubscribeRegressions"},
		Stress:   []string{"TestResubscribeUnsubscribeTerminates"},
	},
	{
		Name: "NoLeakedInner", Module: "Resubscribe",
		Doc:      "Resubscribe",
		Sentence: "once Unsubscribe returns, no call of fn is running and no inner subscription is live.",
		Unit:     []string{"TestNoLeakedInner", "TestNoLeakedInnerReturnedWithError", "TestResubscribeNilSubscriptionAfterUnsubscribe"},
		Model:    []string{"TestNoLeakedInner", "TestResubUnsubscribeLateSub", "TestResubFailWithSub"},
		Property: []string{"TestResubscribeRapid", "TestResubscribeRegressions"},
		Stress:   []string{"TestResubscribeUnsubscribeTerminates", "TestSingleErrorAndErrClosedAfterUnsubscribe"},
	},
	{
		Name: "AtLeastOneCall", Module: "Resubscribe",
		Doc:      "Resubscribe",
		Sentence: "It calls fn at least once, even if Unsubscribe is called first, in which case that call's context is already done.",
		Unit:     []string{"TestAtLeastOneCall"},
		Model:    []string{"TestAtLeastOneCall"},
		Property: []string{"TestResubscribeRapid", "TestResubscribeRegressions"},
		Stress:   []string{"TestResubscribeUnsubscribeTerminates"},
	},
	{
		Name: "CtxCancelledOnUnsubscribe", Module: "Resubscribe",
		Doc:      "ResubscribeFunc",
		Sentence: "Its context is done once the call has returned or Unsubscribe has been called on the Resubscribe subscription, whichever is first: a call that begins after Unsubscribe was called gets a context that is already done.",
		Unit:     []string{"TestCtxCancelledOnUnsubscribe", "TestResubscribeContextCancelledWhenFnReturns"},
		Model:    []string{"TestCtxCancelledOnUnsubscribe"},
		Property: []string{"TestResubscribeRapid", "TestResubscribeRegressions"},
		Stress:   []string{"TestResubscribeUnsubscribeTerminates"},
	},
	{
		Name: "SingleError", Module: "Resubscribe",
		Doc:      "Resubscribe",
		Sentence: "The returned subscription's Err never carries a value",
		Unit:     []string{"TestResubscribeErrPassesError"},
		Model:    []string{"TestSingleErrorResubscribe"},
		Property: []string{"TestResubscribeRapid", "TestResubscribeRegressions"},
		Stress:   []string{"TestResubscribeUnsubscribeTerminates", "TestSingleErrorAndErrClosedAfterUnsubscribe"},
	},
	{
		Name: "ErrClosedAfterUnsubscribe", Module: "Resubscribe",
		Doc:      "Resubscribe",
		Sentence: "it is closed by Unsubscribe and when an inner subscription ends with a nil error.",
		Unit:     []string{"TestNoLeakedInner", "TestResubscribeUnsubscribeDuringBackoff", "TestResubscribeErrPassesError"},
		Model:    []string{"TestErrClosedAfterUnsubscribeResubscribe"},
		Property: []string{"TestResubscribeRapid", "TestResubscribeRegressions"},
		Stress:   []string{"TestResubscribeUnsubscribeTerminates", "TestSingleErrorAndErrClosedAfterUnsubscribe"},
	},
	{
		Name: "ResubscribeUnsubscribeTerminates", Module: "Resubscribe",
		Doc:      "Resubscribe",
		Sentence: "Unsubscribe cancels fn's context, waits for a call of fn in progress, and unsubscribes the inner subscription, including one that fn returns after Unsubscribe began, with or without an error",
		Unit:     []string{"TestResubscribeUnsubscribeDuringBackoff", "TestNoLeakedInner"},
		Model:    []string{"TestResubscribeUnsubscribeTerminates"},
		Property: []string{"TestResubscribeRapid", "TestResubscribeRegressions"},
		Stress:   []string{"TestResubscribeUnsubscribeTerminates"},
	},
	{
		Name: "TypeOK", Module: "Resubscribe",
		Model:    []string{"TestTypeOKResub"},
		Property: []string{"TestResubscribeRapid"},
	},
	{
		Name: "BackoffBounded", Module: "Backoff",
		Doc:      "Resubscribe",
		Sentence: "Between failed calls of fn it waits: the wait starts at backoffMax/10 and, before each wait, is reset to backoffMax/10 if the failed call took longer than backoffMax, and is doubled, up to backoffMax, otherwise.",
		Unit:     []string{"TestResubscribeBackoff", "TestNextBackoff"},
		Model:    []string{"TestBackoffBounded", "TestResubBackoffSchedule"},
		Property: []string{"TestResubscribeRapid", "TestResubscribeRegressions"},
		Stress:   []string{"TestResubscribeBackoffSynctest"},
	},
	{
		Name: "BackoffResets", Module: "Backoff",
		Doc:      "Resubscribe",
		Sentence: "is reset to backoffMax/10 if the failed call took longer than backoffMax",
		Unit:     []string{"TestResubscribeBackoff", "TestNextBackoff"},
		Model:    []string{"TestBackoffResets", "TestResubBackoffSchedule"},
		Property: []string{"TestResubscribeRapid", "TestResubscribeRegressions"},
		Stress:   []string{"TestResubscribeBackoffSynctest"},
	},
	{
		Name: "BackoffReachesMax", Module: "Backoff",
		Doc:      "Resubscribe",
		Sentence: "is doubled, up to backoffMax, otherwise.",
		Unit:     []string{"TestResubscribeBackoff", "TestNextBackoff"},
		Model:    []string{"TestBackoffReachesMax"},
		Property: []string{"TestResubscribeRapid"},
		Stress:   []string{"TestResubscribeBackoffSynctest"},
	},
	{
		Name: "TypeOK", Module: "Backoff",
		Model:    []string{"TestTypeOKResub"},
		Property: []string{"TestResubscribeRapid"},
	},

	// SubscriptionScope.
	{
		Name: "ScopeUnsubscribesOnce", Module: "Scope",
		Doc:      "SubscriptionScope",
		Sentence: "Every subscription it tracks is unsubscribed exactly once, by its wrapper's Unsubscribe or by Close, whichever comes first; every caller of either returns only after that unsubscription has finished, even if it panicked.",
		Unit:     []string{"TestScopeTrackUnsubscribe", "TestScopeClose", "TestScopeExactlyOnceConcurrent", "TestScopeWrapperPanicLeavesScope"},
		Model:    []string{"TestScopeUnsubscribesOnce", "TestScopeTrackClose"},
		Property: []string{"TestScopeRapid", "TestScopeGopter", "TestScopeRegressions"},
		Stress:   []string{"TestScopeRace"},
	},
	{
		Name: "ScopeCloseTerminates", Module: "Scope",
		Doc:      "SubscriptionScope.Close",
		Sentence: "If inner Unsubscribe calls that Close runs panic, the first Close still unsubscribes every other subscription and releases the Close calls waiting for it, then re-raises the first of those panics; later calls return normally.",
		Unit:     []string{"TestScopeCloseTerminatesAfterPanic", "TestScopeCloseTerminatesReleasesWaiters", "TestScopeCloseTerminatesAfterGoexit"},
		Model:    []string{"TestScopeCloseTerminates"},
		Property: []string{"TestScopeRapid", "TestScopeGopter", "TestScopeRegressions"},
		Stress:   []string{"TestScopeRace"},
	},
	{
		Name: "ScopeCallsReturn", Module: "Scope",
		Doc:      "SubscriptionScope",
		Sentence: "A panic of an inner Unsubscribe reaches only the caller that ran it, and never leaves the scope locked or a caller waiting.",
		Unit:     []string{"TestScopeWrapperPanicRacingClose", "TestScopeCloseTerminatesReleasesWaiters"},
		Model:    []string{"TestScopeCallsReturn"},
		Property: []string{"TestScopeRapid", "TestScopeGopter", "TestScopeRegressions"},
		Stress:   []string{"TestScopeRace"},
	},
	{
		Name: "TypeOK", Module: "Scope",
		Model:    []string{"TestTypeOKScope"},
		Property: []string{"TestScopeRapid", "TestScopeGopter"},
	},

	// TypeMux.
	{
		Name: "MuxPostReachesAllSubscribed", Module: "TypeMux",
		Doc:      "TypeMux.Post",
		Sentence: "Post delivers ev, as a *TypeMuxEvent stamped with the time of the Post, to each subscription registered for exactly ev's dynamic type when it is posted, in turn, blocking until each receives it or is unsubscribed.",
		Unit:     []string{"TestTypeMuxPost", "TestTypeMuxUnsubscribeUnblocksPost", "TestTypeMuxUnsubscribeKeepsOthers"},
		Model:    []string{"TestMuxPostReachesAllSubscribed", "TestMuxPostSnapshot"},
		Property: []string{"TestTypeMuxRapid", "TestTypeMuxRegressions"},
		Stress:   []string{"TestTypeMuxRace"},
	},
	{
		Name: "MuxNoEventBeforeSubscribe", Module: "TypeMux",
		Doc:      "TypeMux.Post",
		Sentence: "A subscription created after the Post does not receive it.",
		Unit:     []string{"TestTypeMuxNoStaleEvents"},
		Model:    []string{"TestMuxNoEventBeforeSubscribe"},
		Property: []string{"TestTypeMuxRapid", "TestTypeMuxRegressions"},
		Stress:   []string{"TestTypeMuxRace"},
	},
	{
		Name: "MuxNoDeliveryAfterUnsubscribe", Module: "TypeMux",
		Doc:      "TypeMux.Post",
		Sentence: "Post raises no panic of its own: it calls no user code and sends only on channels that are still open.",
		Unit:     []string{"TestTypeMuxUnsubscribeUnblocksPost", "TestTypeMuxUnsubscribeLeavesNoTrace", "TestTypeMuxStop"},
		Model:    []string{"TestMuxNoDeliveryAfterUnsubscribe"},
		Property: []string{"TestTypeMuxRapid", "TestTypeMuxRegressions"},
		Stress:   []string{"TestTypeMuxRace"},
	},
	{
		Name: "MuxStopClosesEverySubscription", Module: "TypeMux",
		Doc:      "TypeMux.Stop",
		Sentence: "Every call, concurrent ones included, returns only once every channel is closed.",
		Unit:     []string{"TestTypeMuxStop", "TestTypeMuxStopClosesEverySubscriptionWithoutTypes", "TestTypeMuxStopClosesEverySubscriptionRacingUnsubscribe"},
		Model:    []string{"TestMuxStopClosesEverySubscription"},
		Property: []string{"TestTypeMuxRapid", "TestTypeMuxRegressions"},
		Stress:   []string{"TestTypeMuxConcurrentStops", "TestTypeMuxRace"},
	},
	{
		Name: "MuxStopTerminates", Module: "TypeMux",
		Doc:      "TypeMux.Stop",
		Sentence: "Stop returns even if no subscriber receives again: it takes the event of a Post blocked on a channel instead of waiting for the subscriber.",
		Unit:     []string{"TestTypeMuxStopClosesEverySubscriptionConcurrentStops", "TestTypeMuxUnsubscribeUnblocksPost"},
		Model:    []string{"TestMuxStopTerminates"},
		Property: []string{"TestTypeMuxRapid", "TestTypeMuxRegressions"},
		Stress:   []string{"TestTypeMuxConcurrentStops"},
	},
	{
		Name: "TypeOK", Module: "TypeMux",
		Model:    []string{"TestTypeOKMux"},
		Property: []string{"TestTypeMuxRapid"},
	},
}
