-------------------------------- MODULE event --------------------------------
(***************************************************************************)
(* The formal specification of the eventspec `event` package.  Read this   *)
(* module first: it says what the other modules model, what they leave     *)
(* out, which Go function each action stands for, and which sentence of    *)
(* the Go documentation each property formalizes.  TLC checks everything   *)
(* with `make tlc` (spec/tlc.sh); the configurations are spec/MC*.cfg and  *)
(* the mutants that must be rejected are spec/mutants/*.cfg.               *)
(*                                                                         *)
(* MODULES                                                                 *)
(*   FeedSpec         the abstract Feed: what users are promised.          *)
(*   FeedImpl         the engine of event/send.go step by step; it refines *)
(*                    FeedSpec (Abs == INSTANCE FeedSpec WITH ..., checked *)
(*                    as PROPERTY Refinement).  When the Go algorithm      *)
(*                    changes, FeedImpl changes in the same commit.        *)
(*   FeedBase         what FeedSpec and FeedImpl share, included by both   *)
(*                    (INSTANCE FeedBase WITH others <- ...): the live     *)
(*                    entries and the channels' receivers and owners.      *)
(*   NewSubscription  NewSubscription(producer), event/subscription.go.    *)
(*   Resubscribe      Resubscribe / ResubscribeErr, event/resubscribe.go.  *)
(*   Backoff          the backoff reset/double/cap rule, as arithmetic.    *)
(*   TypeMux          TypeMux, event/typemux.go, step by step (its own     *)
(*                    header lists its actions and what it leaves out).    *)
(*   Scope            SubscriptionScope, event/scope.go, step by step.     *)
(*   Join             JoinSubscriptions, event/subscription.go, step by    *)
(*                    step: watchers, the join, NewSubscription's end.     *)
(*   FeedType         the untyped Feed's element-type rule (Feed.check,    *)
(*                    Feed.Subscribe), which FeedImpl and FeedSpec leave   *)
(*                    out.                                                 *)
(*   FeedShapes       the constant shapes of the Feed configurations, one  *)
(*                    record each (FeedSpec and FeedImpl take CONSTANT     *)
(*                    Shape); MCFeed (FeedImpl) and MCFeedSpec (FeedSpec   *)
(*                    alone, checked against its own properties) use them. *)
(*                                                                         *)
(* WHAT IS MODELLED                                                        *)
(*   Feed / FeedOf[T]: Subscribe appending to the entry list under mu (no  *)
(*   inbox); Send's fast pass under mu over exactly the entries that exist *)
(*   when it begins; the busy flag as the one-Send-at-a-time lock and the  *)
(*   queue of Sends that found it set, each handed the feed in turn (busy  *)
(*   staying set) by the Send that ends; senders that call Send again,     *)
(*   a bounded number of times or without end; the window after the fast   *)
(*   pass in which pending entries may be removed;                         *)
(*   the blocking phase with one deliverer per pending entry selecting     *)
(*   between the channel and the entry's err channel; Unsubscribe closing  *)
(*   err and waiting only for the deliverer parked on that entry;          *)
(*   channels of capacity 0 (hand-over to a parked receiver) and >= 1      *)
(*   (buffer); receivers that keep receiving or stall; the same channel    *)
(*   subscribed twice (two entries); a subscriber channel closed by its    *)
(*   owner, making the Send panic per entry, recover, serve the others,    *)
(*   release mu and busy, and re-panic at the end; several concurrent      *)
(*   Sends and several goroutines unsubscribing the same entry.            *)
(*   SendContext (senders in CtxSenders): a ctx that ends at any time or   *)
(*   never, once per call: done at the call while the feed is busy (no     *)
(*   queueing), while queued (leaving the queue), as the turn is handed    *)
(*   over (passing it on), after the fast pass (no blocking: the pending   *)
(*   entries miss the value and stay subscribed), or while deliverers are  *)
(*   parked (each selects on the channel, err and done; SendContext joins  *)
(*   them all before it returns); the returned error (tally.cut).          *)
(*   NewSubscription: a producer returning an error or nil, on its own or  *)
(*   once quit is closed, racing with concurrent Unsubscribe calls.        *)
(*   Resubscribe: fn attempts that fail (with or without a subscription,   *)
(*   which is then unsubscribed), return a subscription, or block until    *)
(*   their context is cancelled; the first attempt made even after         *)
(*   Unsubscribe, later ones not; Unsubscribe cancelling fn's context; a   *)
(*   late fn result after Unsubscribe began (unsubscribed if it holds a    *)
(*   subscription); inner subscriptions that fail or end with nil;         *)
(*   backoff waits cut short by Unsubscribe; Unsubscribe at any point from *)
(*   several goroutines.                                                   *)
(*                                                                         *)
(* WHAT IS ABSTRACTED                                                      *)
(*   - Reflection and Go types: FeedImpl and FeedSpec do not model Feed's  *)
(*     type checks (a wrong type panics before any state changes; the      *)
(*     FeedType module checks the rule apart); a value is the rank of its  *)
(*     Send (1, 2, ...), which is all the ordering properties need.        *)
(*   - Concrete durations: the backoff wait is one step that ends or is    *)
(*     cut short; its length rule is checked apart in Backoff.tla.         *)
(*   - The entry list is a set: swap-with-last removal and entry indices   *)
(*     are not modelled, nor the order in which the fast pass visits       *)
(*     entries (it may visit them in any order).                           *)
(*   - A nil channel (FeedOf) never becomes ready: it behaves as a channel *)
(*     whose receiver stalls forever, which Stall covers.                  *)
(*   - The mutex itself: a Send that is still locking mu for the first     *)
(*     time has not arrived; with weak fairness only it may lose mu again  *)
(*     and again to Sends that never find the feed busy, so                *)
(*     EverySendCompletes starts where the Send has taken mu (the order    *)
(*     of Sends locking mu at the same time is the mutex's).               *)
(*   - With senders that send without end (Sends = 0) the bookkeeping no   *)
(*     step depends on (ranks, targets, counts, delivery history) is not   *)
(*     kept; those configurations check only the properties that do not    *)
(*     read it.                                                            *)
(*   - SendContext's ctx is one flag per call (ctxDone): which error it    *)
(*     returns (context.Cause) is not modelled, only whether it returns    *)
(*     one; nor the panic on a nil ctx (before any state changes).  Send   *)
(*     is SendContext with a ctx that never ends.                          *)
(*   - ResubscribeErr's lastSubErr argument: no property depends on it.    *)
(*   - Inner subscriptions of Resubscribe are atomic: their Unsubscribe    *)
(*     is one step (NewSubscription shows it returns), UnsubInner, taken   *)
(*     by the loop after the step that decided it, as in the code.         *)
(*   - TypeMux's duplicate-type panic (before any state changes) and event *)
(*     values, and runtime.Goexit in a scope's inner Unsubscribe, are      *)
(*     abstracted; so are the exact panic messages.                        *)
(*   - Join: an inner subscription's Unsubscribe is one step, and          *)
(*     NewSubscription's end of the joined subscription is one step        *)
(*     (NewSubscription checks both apart).                                *)
(*                                                                         *)
(* ACTIONS AND THE GO CODE THEY STAND FOR                                  *)
(*   FeedImpl (event/send.go, core.go, feed.go, feedof.go)                 *)
(*     Subscribe(e)              Feed.Subscribe / FeedOf.Subscribe ->      *)
(*                               feedCore.subscribe under mu               *)
(*     FastBegin(s)              Feed.Send / FeedOf.Send: lock mu, busy    *)
(*                               clear: the fast pass begins               *)
(*     Enqueue(s)                wait, up to <-turn: busy set:             *)
(*                               append a turn to queue, unlock mu         *)
(*     HandedBegin(s)            wait after <-turn: lock mu, the           *)
(*                               fast pass begins, busy still set          *)
(*     FastStep(s, e)            one entry of the fast pass: the select   *)
(*                               loop in sendOf/sendFeed, offer after     *)
(*                               a panic (the deferred check)             *)
(*     FastEnd(s)                end of the fast pass (Send,               *)
(*                               sending.end): set busy and unlock, or     *)
(*                               return (after release if the              *)
(*                               feed was handed over)                     *)
(*     RetryRound(s), RetryStep  sending.retry: a round under mu, one      *)
(*       (s, e), RetryEnd(s)     sending.offer per pending entry           *)
(*     BlockBegin(s)             sending.park (after the retry rounds):    *)
(*                               still-subscribed pending entries blocked  *)
(*     DeliverSend(s, e),        deliver -> blockSafely -> the             *)
(*     DeliverPanic(s, e),       select { ch <- v | <-err } (delivered,    *)
(*     DeliverInterrupted(s, e)  panicked, interrupted)                    *)
(*     DeliverDone(s, e)         deliver: blocked = false, close           *)
(*                               waiter, under mu                          *)
(*     SendFinish(s)             sending.end after park:                   *)
(*                               release, return n or re-panic             *)
(*     Release(s) (in FastEnd,   release: close the turn at the            *)
(*       FastEndCut, PassTurn,   head of queue, or busy = false            *)
(*       SendFinish)                                                       *)
(*     SendAgain(s)              the sender's next call of Send            *)
(*     CtxDone(s)                SendContext: its ctx ends (cancel,        *)
(*                               deadline)                                 *)
(*     GiveUpBusy(s)             wait, done already closed: busy           *)
(*                               set: return ctx's error, no queueing      *)
(*     LeaveQueue(s)             wait, <-done: lock mu, take the           *)
(*                               turn out of queue, return ctx's error     *)
(*     PassTurn(s)               wait, <-done as the turn was              *)
(*                               handed over: feedCore.release, return     *)
(*     FastEndCut(s)             sending.end, done closed after the        *)
(*                               fast pass: tally.cut, no blocking,        *)
(*                               release if handed over, return            *)
(*     DeliverCtxDone(s, e)      deliver: the select takes <-done          *)
(*                               (then DeliverDone marks tally.cut if the *)
(*                               entry is still subscribed)                *)
(*     Unsub1(e, k), Unsub2(e, k)  feedSub.Unsubscribe (remove + close err *)
(*                               under mu; then wait for the waiter)       *)
(*     Park, Receive, CloseChan  the subscriber: <-ch, close(ch)           *)
(*   FeedSpec: SendBegin / Deliver / Panic / Drop / SendEnd are one Send;  *)
(*     CtxEnd, Miss (a pending target given up once the ctx ended) and     *)
(*     Abandon (a SendContext given up before its round) add SendContext;  *)
(*     UnsubscribeBegin / UnsubscribeEnd are one Unsubscribe call.         *)
(*   NewSubscription (event/subscription.go)                               *)
(*     ProducerReturn, CloseErr, CloseDone   funcSub.run                   *)
(*     Unsub1(k), Unsub2(k)                  funcSub.Unsubscribe           *)
(*     ReadErr                               a reader of funcSub.Err()     *)
(*   Resubscribe (event/resubscribe.go)                                    *)
(*     StartAttempt, StartUnsub  resubscribeSub.loop, stopBeforeCall       *)
(*     GotErr, GotNil, GotSub, UnsubInAttempt, Cleanup                     *)
(*                               resubscribeSub.subscribe                  *)
(*     BackoffDone, UnsubInBackoff  resubscribeSub.backoffWait             *)
(*     WaitErr, WaitUnsub        resubscribeSub.waitForError               *)
(*     UnsubInner                the loop's sub.Unsubscribe()              *)
(*     Unsub1(k), Unsub2(k)      resubscribeSub.Unsubscribe                *)
(*     FnReturn(r), InnerFail, InnerEnd   the user's fn and inner sub      *)
(*   Backoff: FastFail, SlowFail   nextBackoff                             *)
(*   TypeMux, Scope: their own headers list their actions.                 *)
(*   Join (event/subscription.go, JoinSubscriptions)                       *)
(*     InnerFail, InnerEnd       an inner subscription's producer returns  *)
(*     WatchErr, WatchStop       a watcher goroutine                       *)
(*     JoinSelect, JoinUnsub, JoinWait   the join's producer function      *)
(*     JoinEnd                   funcSub.end of the joined subscription    *)
(*     Unsub1(k), Unsub2(k)      funcSub.Unsubscribe of the joined one     *)
(*   FeedType (event/feed.go)                                              *)
(*     SendBegin(s, t)           Feed.send up to Feed.check and the wait   *)
(*     SendWaitEnd, SendEnd      the Send gets and releases the feed       *)
(*     Subscribe(k, t, ok)       Feed.Subscribe                            *)
(***************************************************************************)
\* PROPERTIES: begin (generated from internal/guarantees: go test ./internal/guarantees -update)
\* Each property below is named as in model/ and the Go tests, and quotes,
\* word for word, the sentence of the Go doc comment (the identifier in
\* parentheses) that it formalizes. A TypeOK without a sentence states that
\* the module's variables keep their types.
\*
\*   SendReachesAllSubscribed (FeedSpec, FeedImpl by refinement)
\*       "Send blocks until every entry that was subscribed when it began has
\*       taken the value or has been unsubscribed; no subscriber is ever
\*       skipped." (FeedOf)
\*
\*   DeliveredExactlyOnce (FeedSpec, FeedImpl by refinement)
\*       "Send delivers value to every entry subscribed when the Send began
\*       and returns the number of deliveries, 0 when there are none."
\*       (FeedOf.Send)
\*
\*   SubscribersSeeSendOrder (FeedSpec, FeedImpl by refinement)
\*       "Every subscriber sees values in the order in which their Sends
\*       ran." (FeedOf)
\*
\*   SendsServedInArrivalOrder (FeedImpl)
\*       "A Send that has to wait is served before every Send called after it
\*       started waiting." (FeedOf)
\*
\*   QueueOnlyWhileBusy (FeedImpl)
\*       "A Send waits for its turn only while another Send is in progress."
\*       (FeedOf)
\*
\*   EverySendCompletes (FeedImpl)
\*       "Every Send completes when its subscribers keep receiving, however
\*       often other goroutines send." (FeedOf)
\*
\*   SendTerminates (FeedImpl)
\*       "It blocks until each entry has taken the value or been
\*       unsubscribed." (FeedOf.Send)
\*
\*   NoDeliveryAfterUnsubscribe (FeedSpec, FeedImpl by refinement)
\*       "Once Unsubscribe of the returned Subscription has returned, nothing
\*       more is delivered to channel through it" (FeedOf.Subscribe)
\*
\*   UnsubscribeTerminates (FeedImpl)
\*       "Unsubscribe returns even while a Send is blocked on channel, which
\*       stops waiting for this subscription." (FeedOf.Subscribe)
\*
\*   ErrClosedAfterUnsubscribe (FeedImpl)
\*       "Its Err channel never carries a value and is closed by
\*       Unsubscribe." (FeedOf.Subscribe)
\*
\*   NoDeliveryAfterSendContextReturns (FeedSpec, FeedImpl by refinement)
\*       "Nothing of it is delivered after it returns." (FeedOf.SendContext)
\*
\*   SendContextTerminates (FeedImpl)
\*       "SendContext is Send that gives up once ctx is done"
\*       (FeedOf.SendContext)
\*
\*   Refinement (FeedImpl)
\*       "Apart from this check, Feed keeps every guarantee of FeedOf."
\*       (Feed)
\*
\*   TypeOK (FeedImpl)
\*       "Its Err channel never carries a value" (FeedOf.Subscribe)
\*
\*   TypeOK (FeedSpec)
\*
\*   FeedTypeFixedOnce (FeedType)
\*       "The element type is fixed by whichever comes first: the first Send
\*       (its value's dynamic type) or the first Subscribe (its channel's
\*       element type)." (Feed)
\*
\*   FeedTypeCheckedFirst (FeedType)
\*       "It panics with an error when value's type is not the feed's element
\*       type, at once, without waiting for a Send in progress." (Feed.Send)
\*
\*   TypeOK (FeedType)
\*
\*   SingleError (NewSubscription)
\*       "A non-nil error that producer returns is sent on Err, at most one
\*       value ever, unless Unsubscribe was called first; then Err is
\*       closed." (NewSubscription)
\*
\*   ErrClosedAfterUnsubscribe (NewSubscription)
\*       "Unsubscribe closes quit and returns only after producer has
\*       returned and Err is closed, in every goroutine that calls it."
\*       (NewSubscription)
\*
\*   UnsubscribeTerminates (NewSubscription)
\*       "Every Unsubscribe call returns once producer has returned."
\*       (NewSubscription)
\*
\*   TypeOK (NewSubscription)
\*
\*   JoinFirstError (Join)
\*       "JoinSubscriptions returns a Subscription that ends with the first
\*       non-nil error of any of subs, sent on its Err, or when it is
\*       unsubscribed. Inner subscriptions that end with a nil error are
\*       ignored." (JoinSubscriptions)
\*
\*   JoinUnsubscribesAll (Join)
\*       "When it ends, every one of subs is unsubscribed and no goroutine it
\*       started is left running." (JoinSubscriptions)
\*
\*   TypeOK (Join)
\*
\*   AtMostOneInner (Resubscribe)
\*       "At most one inner subscription is live at a time." (Resubscribe)
\*
\*   NoLeakedInner (Resubscribe)
\*       "once Unsubscribe returns, no call of fn is running and no inner
\*       subscription is live." (Resubscribe)
\*
\*   AtLeastOneCall (Resubscribe)
\*       "It calls fn at least once, even if Unsubscribe is called first, in
\*       which case that call's context is already done." (Resubscribe)
\*
\*   CtxCancelledOnUnsubscribe (Resubscribe)
\*       "Its context is done once the call has returned or Unsubscribe has
\*       been called on the Resubscribe subscription, whichever is first: a
\*       call that begins after Unsubscribe was called gets a context that is
\*       already done." (ResubscribeFunc)
\*
\*   SingleError (Resubscribe)
\*       "The returned subscription's Err never carries a value"
\*       (Resubscribe)
\*
\*   ErrClosedAfterUnsubscribe (Resubscribe)
\*       "it is closed by Unsubscribe and when an inner subscription ends
\*       with a nil error." (Resubscribe)
\*
\*   ResubscribeUnsubscribeTerminates (Resubscribe)
\*       "Unsubscribe cancels fn's context, waits for a call of fn in
\*       progress, and unsubscribes the inner subscription, including one
\*       that fn returns after Unsubscribe began, with or without an error"
\*       (Resubscribe)
\*
\*   TypeOK (Resubscribe)
\*
\*   BackoffBounded (Backoff)
\*       "Between failed calls of fn it waits: the wait starts at
\*       backoffMax/10 and, before each wait, is reset to backoffMax/10 if
\*       the failed call took longer than backoffMax, and is doubled, up to
\*       backoffMax, otherwise." (Resubscribe)
\*
\*   BackoffResets (Backoff)
\*       "is reset to backoffMax/10 if the failed call took longer than
\*       backoffMax" (Resubscribe)
\*
\*   BackoffReachesMax (Backoff)
\*       "is doubled, up to backoffMax, otherwise." (Resubscribe)
\*
\*   TypeOK (Backoff)
\*
\*   ScopeUnsubscribesOnce (Scope)
\*       "Every subscription it tracks is unsubscribed exactly once, by its
\*       wrapper's Unsubscribe or by Close, whichever comes first; every
\*       caller of either returns only after that unsubscription has
\*       finished, even if it panicked." (SubscriptionScope)
\*
\*   ScopeCloseTerminates (Scope)
\*       "If inner Unsubscribe calls that Close runs panic, the first Close
\*       still unsubscribes every other subscription and releases the Close
\*       calls waiting for it, then re-raises the first of those panics;
\*       later calls return normally." (SubscriptionScope.Close)
\*
\*   ScopeCallsReturn (Scope)
\*       "A panic of an inner Unsubscribe reaches only the caller that ran
\*       it, and never leaves the scope locked or a caller waiting."
\*       (SubscriptionScope)
\*
\*   TypeOK (Scope)
\*
\*   MuxPostReachesAllSubscribed (TypeMux)
\*       "Post delivers ev, as a *TypeMuxEvent stamped with the time of the
\*       Post, to each subscription registered for exactly ev's dynamic type
\*       when it is posted, in turn, blocking until each receives it or is
\*       unsubscribed." (TypeMux.Post)
\*
\*   MuxNoEventBeforeSubscribe (TypeMux)
\*       "A subscription created after the Post does not receive it."
\*       (TypeMux.Post)
\*
\*   MuxNoDeliveryAfterUnsubscribe (TypeMux)
\*       "Post raises no panic of its own: it calls no user code and sends
\*       only on channels that are still open." (TypeMux.Post)
\*
\*   MuxStopClosesEverySubscription (TypeMux)
\*       "Every call, concurrent ones included, returns only once every
\*       channel is closed." (TypeMux.Stop)
\*
\*   MuxStopTerminates (TypeMux)
\*       "Stop returns even if no subscriber receives again: it takes the
\*       event of a Post blocked on a channel instead of waiting for the
\*       subscriber." (TypeMux.Stop)
\*
\*   TypeOK (TypeMux)
\* PROPERTIES: end
(***************************************************************************)
(* FAIRNESS: only the package's own goroutines, receivers that keep        *)
(* receiving (outside Stall), the first Unsubscribe of an entry whose      *)
(* receiver stalls (FeedImpl's Spec; not in its SpecStuck, where a stalled *)
(* subscriber may never read again), and fns once their context is         *)
(* cancelled; all of it weak.  A SendContext's ctx need never end.  No     *)
(* strong fairness for mu: sync.Mutex promises none, so a step             *)
(* that needs mu free is taken only if mu stays free.  Deadlock checking   *)
(* is on everywhere; each model ends in an explicit Done step (senders     *)
(* that send without end never run out of work).                           *)
(***************************************************************************)
=============================================================================
