package event

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/eventspec/eventspec/internal/testkit"
)

// TestSingleError: a producer's error is sent on Err once, then Err closes.
func TestSingleError(t *testing.T) {
	boom := errors.New("boom")
	sub := NewSubscription(func(<-chan struct{}) error { return boom })
	if err := testkit.Within(t, sub.Err(), "Err value"); err != boom {
		t.Fatalf("Err carried %v, want %v", err, boom)
	}
	if _, ok := <-sub.Err(); ok {
		t.Fatal("Err carried a second value")
	}
	sub.Unsubscribe()
}

func TestNewSubscriptionNilError(t *testing.T) {
	sub := NewSubscription(func(<-chan struct{}) error { return nil })
	if err, ok := <-sub.Err(); ok {
		t.Fatalf("Err carried %v for a nil error", err)
	}
	sub.Unsubscribe()
}

// TestErrClosedAfterUnsubscribe: Unsubscribe closes quit, waits for the
// producer, and its error is dropped; Err is closed when it returns.
func TestErrClosedAfterUnsubscribe(t *testing.T) {
	var returnedProducer atomic.Bool
	sub := NewSubscription(func(quit <-chan struct{}) error {
		<-quit
		returnedProducer.Store(true)
		return errors.New("after unsubscribe")
	})
	sub.Unsubscribe()
	if !returnedProducer.Load() {
		t.Fatal("Unsubscribe returned before the producer")
	}
	if !closed(t, sub.Err()) {
		t.Fatal("Err open after Unsubscribe returned")
	}
}

// TestNewSubscriptionUnsubscribeConcurrent: every concurrent Unsubscribe
// waits for the producer, and one after it has returned returns at once.
func TestNewSubscriptionUnsubscribeConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var returnedProducer atomic.Bool
		sub := NewSubscription(func(quit <-chan struct{}) error {
			<-quit
			<-release
			returnedProducer.Store(true)
			return nil
		})
		calls := make([]<-chan struct{}, 8)
		for i := range calls {
			calls[i] = testkit.Go(sub.Unsubscribe)
		}
		synctest.Wait()
		for _, c := range calls {
			if testkit.IsClosed(c) {
				t.Fatal("Unsubscribe returned while the producer runs")
			}
		}
		close(release)
		for _, c := range calls {
			<-c
		}
		if !returnedProducer.Load() || !closed(t, sub.Err()) {
			t.Fatal("producer running or Err open after Unsubscribe")
		}
		sub.Unsubscribe() // after the producer returned: at once
	})
}

// TestNewSubscriptionRace: an error returned while Unsubscribe runs is
// either delivered before Err closes or dropped; never two values.
func TestNewSubscriptionRace(t *testing.T) {
	for range 500 {
		sub := NewSubscription(func(<-chan struct{}) error { return errors.New("e") })
		sub.Unsubscribe()
		n := 0
		for range sub.Err() {
			n++
		}
		if n > 1 {
			t.Fatalf("Err carried %d values", n)
		}
	}
}

// countingSub is an inner subscription that records its Unsubscribe calls.
type countingSub struct {
	err   chan error
	once  sync.Once
	unsub atomic.Int32
}

func newCountingSub() *countingSub { return &countingSub{err: make(chan error, 1)} }

func (s *countingSub) Err() <-chan error { return s.err }

func (s *countingSub) Unsubscribe() {
	s.unsub.Add(1)
	s.once.Do(func() { close(s.err) })
}

// end ends the subscription with err, as a producer would.
func (s *countingSub) end(err error) {
	s.once.Do(func() {
		if err != nil {
			s.err <- err
		}
		close(s.err)
	})
}

func TestJoinFirstError(t *testing.T) {
	a, b, c := newCountingSub(), newCountingSub(), newCountingSub()
	joined := JoinSubscriptions(a, b, c)
	a.end(nil) // ignored
	boom := errors.New("boom")
	b.end(boom)
	if err := testkit.Within(t, joined.Err(), "joined error"); err != boom {
		t.Fatalf("joined Err = %v, want %v", err, boom)
	}
	if _, ok := <-joined.Err(); ok {
		t.Fatal("joined Err carried a second value")
	}
	for i, s := range []*countingSub{a, b, c} {
		if s.unsub.Load() == 0 {
			t.Fatalf("inner %d not unsubscribed", i)
		}
	}
	joined.Unsubscribe()
}

func TestJoinUnsubscribesAll(t *testing.T) {
	a, b := newCountingSub(), newCountingSub()
	joined := JoinSubscriptions(a, b)
	a.end(nil)
	joined.Unsubscribe()
	if !closed(t, joined.Err()) {
		t.Fatal("joined Err open after Unsubscribe")
	}
	if a.unsub.Load() == 0 || b.unsub.Load() == 0 {
		t.Fatal("inner subscriptions not unsubscribed")
	}
}

func ExampleNewSubscription() {
	numbers := make(chan int)
	sub := NewSubscription(func(quit <-chan struct{}) error {
		for i := 0; i < 3; i++ {
			select {
			case numbers <- i:
			case <-quit:
				return nil
			}
		}
		return errors.New("no more numbers")
	})
	for i := 0; i < 3; i++ {
		fmt.Println(<-numbers)
	}
	fmt.Println(<-sub.Err())
	sub.Unsubscribe()
	// Output:
	// 0
	// 1
	// 2
	// no more numbers
}

// TestNewSubscriptionProducerGoexit: a producer that ends its goroutine with
// runtime.Goexit (t.FailNow in a test's producer does) still closes Err and
// releases every Unsubscribe.
func TestNewSubscriptionProducerGoexit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sub := NewSubscription(func(<-chan struct{}) error {
			runtime.Goexit()
			return nil
		})
		synctest.Wait()
		if !closed(t, sub.Err()) {
			t.Error("Err open after the producer's goroutine exited")
		}
		unsub := testkit.Go(sub.Unsubscribe)
		synctest.Wait()
		if !testkit.IsClosed(unsub) {
			t.Fatal("Unsubscribe blocked after the producer's goroutine exited")
		}
	})
}

// crashChildEnv marks a child test process that is expected to crash.
const crashChildEnv = "EVENTSPEC_CRASH_CHILD"

// isCrashChild reports whether this process is the child that crashChild
// starts for the test name.
func isCrashChild(name string) bool { return os.Getenv(crashChildEnv) == name }

// crashChild runs the calling test again in a child process, where
// isCrashChild is true, and fails unless that process crashes with a panic
// whose first line is want. A child that does not crash within the failure
// bound is killed and fails the test.
func crashChild(t *testing.T, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testkit.FailureBound)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains("\n"+string(out), "\npanic: "+want+"\n") {
		t.Fatalf("child process: %v, want a crash (exit status 2) with \"panic: %s\"; output:\n%s", err, want, out)
	}
}

// TestNewSubscriptionProducerPanicCrashes: a panic in producer is not
// recovered: it ends the program from the producer's goroutine, as any
// unrecovered panic in a goroutine does (no Unsubscribe is left waiting).
func TestNewSubscriptionProducerPanicCrashes(t *testing.T) {
	if isCrashChild(t.Name()) {
		NewSubscription(func(<-chan struct{}) error { panic("producer boom") })
		select {} // the crash ends the process
	}
	crashChild(t, "producer boom")
}

// unsubPanicSub is a subscription whose Unsubscribe panics.
type unsubPanicSub struct{ *countingSub }

func (s unsubPanicSub) Unsubscribe() { panic("inner Unsubscribe boom") }

// TestJoinSubscriptionsInnerPanicCrashes: an inner Unsubscribe that panics
// when the joined subscription ends does so in the join's goroutine, so it
// ends the program, as in go-ethereum.
func TestJoinSubscriptionsInnerPanicCrashes(t *testing.T) {
	if isCrashChild(t.Name()) {
		JoinSubscriptions(newCountingSub(), unsubPanicSub{newCountingSub()}).Unsubscribe()
		select {}
	}
	crashChild(t, "inner Unsubscribe boom")
}
