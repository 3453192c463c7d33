package testkit_test

import (
	"errors"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

func TestCatch(t *testing.T) {
	if v := testkit.Catch(func() {}); v != nil {
		t.Fatalf("Catch of a returning f = %v, want nil", v)
	}
	boom := errors.New("boom")
	if v := testkit.Catch(func() { panic(boom) }); v != boom {
		t.Fatalf("Catch = %v, want the panic value %v", v, boom)
	}
	for _, c := range []struct {
		v    any
		want string
	}{{nil, ""}, {boom, "boom"}, {"text", "text"}, {42, "42"}} {
		if got := testkit.PanicText(c.v); got != c.want {
			t.Errorf("PanicText(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// TestClosedChanMsg: the constant is the runtime's text.
func TestClosedChanMsg(t *testing.T) {
	ch := make(chan int)
	close(ch)
	if got := testkit.PanicText(testkit.Catch(func() { ch <- 1 })); got != testkit.ClosedChanMsg {
		t.Fatalf("send on a closed channel panicked with %q, want %q", got, testkit.ClosedChanMsg)
	}
}

func TestGoAndIsClosed(t *testing.T) {
	release := make(chan struct{})
	done := testkit.Go(func() { <-release })
	if testkit.IsClosed(done) {
		t.Fatal("Go's channel closed before f returned")
	}
	close(release)
	testkit.Within(t, done, "f's return")
	if !testkit.IsClosed(done) {
		t.Fatal("Go's channel open after f returned")
	}
}

// fatalRecorder is a testing.TB whose Fatalf records the message instead of
// ending the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper()                        {}
func (r *fatalRecorder) Fatalf(format string, a ...any) { r.msg = fmt.Sprintf(format, a...) }

func TestBudget(t *testing.T) {
	ops := testkit.CountBudget("testkit.ops", "TESTKIT_OPS", "test budget")
	if got := ops.Value(t, 7); got != 7 {
		t.Fatalf("Value without flag or env = %d, want the default 7", got)
	}
	t.Setenv("TESTKIT_OPS", "12")
	if got := ops.Value(t, 7); got != 12 {
		t.Fatalf("Value with env 12 = %d, want 12", got)
	}
	for _, bad := range []string{"x", "0", "-3"} {
		t.Setenv("TESTKIT_OPS", bad)
		rec := &fatalRecorder{TB: t}
		ops.Value(rec, 7)
		if rec.msg == "" {
			t.Errorf("env TESTKIT_OPS=%q accepted, want a failure", bad)
		}
	}
	if err := flag.Set("testkit.ops", "5"); err != nil {
		t.Fatal(err)
	}
	if got := ops.Value(t, 7); got != 5 {
		t.Fatalf("Value with flag 5 and a bad env = %d, want the flag's 5", got)
	}
	d := testkit.DurationBudget("testkit.duration", "TESTKIT_DURATION", "test budget")
	for _, bad := range []string{"10", "-1s", "0s"} {
		if err := flag.Set("testkit.duration", bad); err == nil {
			t.Errorf("flag -testkit.duration=%s accepted, want an error", bad)
		}
	}
	if got := d.Value(t, time.Second); got != time.Second {
		t.Fatalf("Value after rejected flags = %v, want the default 1s", got)
	}
}

func TestAdapters(t *testing.T) {
	for name, f := range map[string]testkit.IntFeed[event.Subscription]{
		"Feed":   testkit.AnyFeed(new(event.Feed)),
		"FeedOf": testkit.TypedFeed(new(event.FeedOf[int])),
	} {
		ch := make(chan int, 1)
		sub := f.Subscribe(ch)
		if n := f.Send(3); n != 1 || <-ch != 3 {
			t.Errorf("%s: Send(3) = %d, want 1 and the value on the channel", name, n)
		}
		sub.Unsubscribe()
		if n, err := f.SendContext(t.Context(), 4); n != 0 || err != nil {
			t.Errorf("%s: SendContext after Unsubscribe = %d, %v, want 0, nil", name, n, err)
		}
	}
}

func TestOpenChannels(t *testing.T) {
	var mux event.TypeMux //lint:ignore SA1019 OpenChannels serves the TypeMux tests
	subs := []*event.TypeMuxSubscription{mux.Subscribe(1), mux.Subscribe("")}
	if n := testkit.OpenChannels(subs); n != 2 {
		t.Fatalf("OpenChannels = %d before Unsubscribe, want 2", n)
	}
	subs[0].Unsubscribe()
	if n := testkit.OpenChannels(subs); n != 1 {
		t.Fatalf("OpenChannels = %d after one Unsubscribe, want 1", n)
	}
	mux.Stop()
}
