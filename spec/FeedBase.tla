------------------------------ MODULE FeedBase ------------------------------
(***************************************************************************)
(* What FeedSpec and FeedImpl share: the constants read off Shape, the    *)
(* live entries, and the subscriber channels with their environment        *)
(* (receivers and owners).  Each of the two includes it with               *)
(*     INSTANCE FeedBase WITH others <- << its other variables >>          *)
(* so that its definitions are the including module's own; Shape and the  *)
(* other variables are their namesakes there.  Both modules type these     *)
(* variables in their TypeOK.                                              *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANT
    Shape       \* the configuration's shape, a record (see FeedShapes.tla)

\* The constants, read off Shape:
Entries    == Shape.entries    \* subscriptions (one per Subscribe call)
Chans      == Shape.chans      \* subscriber channels
ChanOf     == Shape.chanOf     \* [Entries -> Chans]: the channel each entry
                               \* delivers to
Cap        == Shape.cap        \* [Chans -> Nat]: channel capacity
                               \* (0 = unbuffered)
Senders    == Shape.senders    \* goroutines calling Send
CtxSenders == Shape.ctxSenders \* the senders that call SendContext (a
                               \* subset of Senders)
Sends      == Shape.sends      \* how many times each sender calls Send, one
                               \* call after the other
Callers    == Shape.callers    \* per entry, goroutines that may call
                               \* Unsubscribe on it
Stall      == Shape.stall      \* channels whose receiver may stop receiving
                               \* forever
Closable   == Shape.closable   \* channels their owner may close while still
                               \* subscribed

VARIABLES
    subscribed, \* [Entries -> BOOLEAN]  Subscribe has returned
    removed,    \* [Entries -> BOOLEAN]  an Unsubscribe has begun
    buf,        \* [Chans -> Seq(Nat)]  values buffered in a channel
    rs,         \* [Chans -> {"away","parked"}]  the receiver of an unbuffered
                \* channel is parked in <-ch
    closedCh,   \* [Chans -> BOOLEAN]
    others      \* the tuple of the including module's variables other than
                \* buf, rs and closedCh: the steps below leave it unchanged

\* The entries a Send that begins now delivers to.
Live     == {e \in Entries : subscribed[e] /\ ~removed[e]}

\* A send on channel c would not block: it is open, and its parked receiver
\* (capacity 0) or its buffer has room for the value.
Ready(c) == ~closedCh[c] /\ IF Cap[c] = 0 THEN rs[c] = "parked"
                                         ELSE Len(buf[c]) < Cap[c]

\* A value entering channel c: handed to the parked receiver (capacity 0)
\* or appended to the buffer.
PutBuf(c, v) == IF Cap[c] = 0 THEN buf ELSE [buf EXCEPT ![c] = Append(@, v)]
PutRs(c)     == IF Cap[c] = 0 THEN [rs EXCEPT ![c] = "away"] ELSE rs

\* ---- The environment: receivers and channel owners.
\* A receiver of an unbuffered channel parks in <-ch; a value can then be
\* handed over.  Buffered channels are read with Receive.
Park(c) ==
    /\ Cap[c] = 0 /\ rs[c] = "away"
    /\ rs' = [rs EXCEPT ![c] = "parked"]
    /\ UNCHANGED <<buf, closedCh, others>>

Receive(c) ==
    /\ buf[c] # <<>>
    /\ buf' = [buf EXCEPT ![c] = Tail(@)]
    /\ UNCHANGED <<rs, closedCh, others>>

\* The owner closes a channel that is still subscribed (a misuse that makes
\* Send panic; the Feed must stay usable).
CloseChan(c) ==
    /\ c \in Closable /\ ~closedCh[c]
    /\ closedCh' = [closedCh EXCEPT ![c] = TRUE]
    /\ UNCHANGED <<buf, rs, others>>
=============================================================================
