package stress

import (
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

// myInt has int's underlying type but is a different type for Feed.
type myInt int

const (
	msgBadChannel = "event: Subscribe argument does not have sendable channel type"
	msgSendUint64 = "event: wrong type in Send got uint64, want int"
	msgSendMyInt  = "event: wrong type in Send got stress.myInt, want int"
	msgSubUint64  = "event: wrong type in Subscribe got chan uint64, want chan<- int"
	msgSubMyInt   = "event: wrong type in Subscribe got chan stress.myInt, want chan<- int"
)

// TestFeedTypePanics races wrong-type Sends and Subscribes (and invalid
// Subscribe arguments) against numbered int Sends and int Subscribe churn on
// one Feed whose element type is int.
func TestFeedTypePanics(t *testing.T) {
	r := Start(t, 150_000,
		"every wrong-type Send/Subscribe panics with the exact error text; every correct one does not panic",
		"DeliveredExactlyOnce + SendReachesAllSubscribed (the witness gets every correct value once; each receive checks for duplicates; end: all values, sum of n == values received)",
		"SubscribersSeeSendOrder (each receive: values of one sender arrive in increasing order, on the witness and on churn channels)",
		"SendTerminates (the feed never stays locked after a panic: the stall watchdog and every later Send)")
	s := newTypePanics(r)
	go s.watch()
	r.Workers(typeSenders, s.worker)
	s.finalCheck()
}

// typeSenders is how many workers TestFeedTypePanics runs; a value v comes
// from worker v % typeSenders.
const typeSenders = 4

// typePanics is the state of TestFeedTypePanics: one Feed of int with a
// witness channel subscribed throughout.
type typePanics struct {
	r       *Run
	f       event.Feed
	witness chan int
	wsub    event.Subscription
	lastVal atomic.Int64 // correct Sends done
	sent    atomic.Int64 // sum of the counts they returned
	recvd   atomic.Int64 // values received, witness and churn channels
	seen    map[int]bool // witness goroutine only
	lastOf  []int        // the witness's latest value from each sender
	done    chan struct{}
	wdone   chan struct{}

	panics, sends *atomic.Int64
}

func newTypePanics(r *Run) *typePanics {
	s := &typePanics{
		r:       r,
		witness: make(chan int, 512),
		seen:    make(map[int]bool),
		lastOf:  make([]int, typeSenders),
		done:    make(chan struct{}),
		wdone:   make(chan struct{}),
		panics:  r.Counter("expected-panics"),
		sends:   r.Counter("correct-sends"),
	}
	s.wsub = s.f.Subscribe(s.witness)
	return s
}

// checkRecv checks the order of a value v received where, against last
// (the latest value from each sender there).
func (s *typePanics) checkRecv(last []int, v int, where string) {
	s.recvd.Add(1)
	w := v % typeSenders
	if v <= last[w] {
		s.r.Failf("SubscribersSeeSendOrder: %s got %d after %d from sender %d", where, v, last[w], w)
	}
	last[w] = v
}

// watch receives on the witness until done, checking each value.
func (s *typePanics) watch() {
	defer close(s.wdone)
	receiveUntil(s.witness, s.done, func(v int) {
		if s.seen[v] {
			s.r.Failf("DeliveredExactlyOnce: witness got %d twice", v)
		}
		s.seen[v] = true
		s.checkRecv(s.lastOf, v, "witness")
	})
}

// expect runs op, which must panic with want (a prefix of the text when
// prefix is set), or must not panic when want is "".
func (s *typePanics) expect(what, want string, prefix bool, op func()) {
	p := testkit.Catch(op)
	msg := testkit.PanicText(p)
	switch {
	case want == "" && p != nil:
		s.r.Failf("%s panicked: %s", what, msg)
	case want != "" && p == nil:
		s.r.Failf("%s did not panic, want %q", what, want)
	case want != "" && (prefix && !strings.HasPrefix(msg, want) || !prefix && msg != want):
		s.r.Failf("%s panicked with %q, want %q", what, msg, want)
	case want != "":
		s.panics.Add(1)
	}
}

// wrongOps are the operations that must panic, for x = 9, 10, ... of the
// worker's choice (x < 9: a correct Send; beyond the table: Subscribe churn).
var wrongOps = []struct {
	what, want string
	prefix     bool
	op         func(f *event.Feed, x int, rng *rand.Rand)
}{
	{"Send(uint64)", msgSendUint64, false, func(f *event.Feed, x int, _ *rand.Rand) { f.Send(uint64(x)) }},
	{"Send(uint64)", msgSendUint64, false, func(f *event.Feed, x int, _ *rand.Rand) { f.Send(uint64(x)) }},
	{"Send(myInt)", msgSendMyInt, false, func(f *event.Feed, x int, _ *rand.Rand) { f.Send(myInt(x)) }},
	{"Send(nil)", "event: wrong type in Send", true, func(f *event.Feed, _ int, _ *rand.Rand) { f.Send(nil) }},
	{"Subscribe(chan uint64)", msgSubUint64, false, func(f *event.Feed, _ int, _ *rand.Rand) { f.Subscribe(make(chan uint64, 1)) }},
	{"Subscribe(chan myInt)", msgSubMyInt, false, func(f *event.Feed, _ int, _ *rand.Rand) { f.Subscribe(make(chan myInt)) }},
	{"Subscribe(not a send channel)", msgBadChannel, false, func(f *event.Feed, _ int, rng *rand.Rand) {
		bad := []any{nil, 5, make(<-chan int), "chan int", (*chan int)(nil)}
		f.Subscribe(bad[rng.IntN(len(bad))])
	}},
}

// worker runs worker w's operations: correct Sends, wrong-type operations
// and Subscribe churn.
func (s *typePanics) worker(w int, rng *rand.Rand) {
	seq := 0
	last := make([]int, typeSenders)
	for s.r.Next() {
		switch x := rng.IntN(20); {
		case x < 9:
			seq++
			s.send(seq*typeSenders + w)
		case x-9 < len(wrongOps):
			o := wrongOps[x-9]
			s.expect(o.what, o.want, o.prefix, func() { o.op(&s.f, x, rng) })
		default:
			s.churn(rng, last)
		}
	}
}

// send does one correct Send of v, which must reach the witness at least.
func (s *typePanics) send(v int) {
	var n int
	s.expect("Send(int)", "", false, func() { n = s.f.Send(v) })
	s.lastVal.Add(1)
	s.sends.Add(1)
	s.sent.Add(int64(n))
	if n < 1 {
		s.r.Failf("SendReachesAllSubscribed: Send(%d) returned %d with the witness subscribed", v, n)
	}
}

// churn does a correct Subscribe, a few receives and Unsubscribe, then
// takes what the channel still holds.
func (s *typePanics) churn(rng *rand.Rand, last []int) {
	ch := make(chan int, rng.IntN(4))
	var sub event.Subscription
	s.expect("Subscribe(chan int)", "", false, func() { sub = s.f.Subscribe(ch) })
	if sub == nil {
		return
	}
	clear(last)
	for range rng.IntN(6) {
		select {
		case v := <-ch:
			s.checkRecv(last, v, "churn channel")
		default:
			Yield(1)
		}
	}
	sub.Unsubscribe()
	for range len(ch) {
		s.checkRecv(last, <-ch, "churn channel")
	}
}

// finalCheck stops the witness and checks that it got every value once
// and that the counts Send returned add up to the values received.
func (s *typePanics) finalCheck() {
	close(s.done)
	if !s.r.Wait(s.wdone, "witness drain") {
		return
	}
	s.wsub.Unsubscribe()
	if s.r.Failed() {
		return
	}
	if got, want := len(s.seen), int(s.lastVal.Load()); got != want {
		s.r.Failf("SendReachesAllSubscribed: witness got %d distinct values, %d were sent", got, want)
	}
	if sent, got := s.sent.Load(), s.recvd.Load(); sent != got {
		s.r.Failf("Send counts: Sends returned %d deliveries in total, %d values were received", sent, got)
	}
}

// TestFeedTypeFixedOnce races the very first operations on fresh Feeds:
// int and uint64 Sends and Subscribes (and Send(nil)) start together; exactly
// one element type wins and every other operation panics naming it.
func TestFeedTypeFixedOnce(t *testing.T) {
	r := Start(t, 30_000,
		"the element type is fixed exactly once: all non-panicking typed operations of a round share one type",
		"every losing operation panics with the exact error text naming the winning type",
		"Send(nil) before any type is fixed returns 0; after, it panics with an event: error",
		"the feed is intact after the panics: a final Send of the winning type reaches every successful Subscribe")
	rounds := r.Counter("rounds")
	r.Workers(2, func(w int, rng *rand.Rand) {
		for r.Next() {
			rounds.Add(1)
			var f event.Feed
			res := firstOps(&f, rng)
			winner := winningType(r, res)
			for _, p := range res {
				checkFirstOp(r, p, winner)
			}
			if winner >= 0 {
				checkFeedIntact(r, &f, res, winner)
			}
		}
	})
}

// firstOpsPerRound is how many first operations race on one fresh Feed.
const firstOpsPerRound = 4

// firstOp is one of the racing first operations and its outcome.
type firstOp struct {
	op    int // 0 Send(int) 1 Send(uint64) 2 Subscribe(chan int) 3 Subscribe(chan uint64) 4 Send(nil)
	panic any
	n     int
	sub   event.Subscription
}

// typeNames names the element types: 0 int, 1 uint64.
var typeNames = [2]string{"int", "uint64"}

// firstOps starts firstOpsPerRound random first operations on f at once
// and returns their outcomes.
func firstOps(f *event.Feed, rng *rand.Rand) []firstOp {
	res := make([]firstOp, firstOpsPerRound)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range res {
		p := &res[i]
		p.op = rng.IntN(5)
		wg.Go(func() {
			<-start
			p.panic = testkit.Catch(func() { p.run(f, i) })
		})
	}
	close(start)
	wg.Wait()
	return res
}

// run does p's operation on f with value i.
func (p *firstOp) run(f *event.Feed, i int) {
	switch p.op {
	case 0:
		p.n = f.Send(i)
	case 1:
		p.n = f.Send(uint64(i))
	case 2:
		p.sub = f.Subscribe(make(chan int, firstOpsPerRound+1))
	case 3:
		p.sub = f.Subscribe(make(chan uint64, firstOpsPerRound+1))
	case 4:
		p.n = f.Send(nil)
	}
}

// winningType returns the element type (0 int, 1 uint64) of the typed
// operations that did not panic, or -1 if all panicked; typed operations
// of both types succeeding fails the run.
func winningType(r *Run, res []firstOp) int {
	winner := -1
	for _, p := range res {
		if p.op < 4 && p.panic == nil {
			if winner >= 0 && winner != p.op%2 {
				r.Failf("both int and uint64 operations succeeded on one Feed")
			}
			winner = p.op % 2
		}
	}
	return winner
}

// checkFirstOp checks p's outcome against the winning type.
func checkFirstOp(r *Run, p firstOp, winner int) {
	msg := testkit.PanicText(p.panic)
	switch {
	case p.op == 4 && p.panic == nil:
		if p.n != 0 {
			r.Failf("Send(nil) returned %d, want 0", p.n)
		}
	case p.op == 4:
		if winner < 0 || !strings.HasPrefix(msg, "event: ") {
			r.Failf("Send(nil) panicked with %q (winner %d)", msg, winner)
		}
	case p.panic == nil:
	case winner < 0:
		r.Failf("no operation fixed the type, yet %q", msg)
	case p.op%2 == winner:
		r.Failf("an operation of the winning type panicked: %q", msg)
	default:
		want := "event: wrong type in Send got " + typeNames[p.op%2] + ", want " + typeNames[winner]
		if p.op >= 2 {
			want = "event: wrong type in Subscribe got chan " + typeNames[p.op%2] + ", want chan<- " + typeNames[winner]
		}
		if msg != want {
			r.Failf("panic %q, want %q", msg, want)
		}
	}
}

// checkFeedIntact sends one value of the winning type, which must reach
// every successful Subscribe, and unsubscribes them.
func checkFeedIntact(r *Run, f *event.Feed, res []firstOp, winner int) {
	subs := 0
	for _, p := range res {
		if p.sub != nil {
			subs++
		}
	}
	var n int
	if winner == 0 {
		n = f.Send(-1)
	} else {
		n = f.Send(uint64(1 << 40))
	}
	if n != subs {
		r.Failf("final Send reached %d entries, want the %d successful Subscribes", n, subs)
	}
	for _, p := range res {
		if p.sub != nil {
			p.sub.Unsubscribe()
		}
	}
}
