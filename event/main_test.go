package event

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// bound is how long a test waits for something that must happen before it
// declares failure; it is a failure bound, never a synchronization.
const bound = 10 * time.Second

// catch runs f and returns what it panicked with, or nil.
func catch(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// panicMessage runs f, which must panic, and returns its panic value's text
// and whether the value is an error.
func panicMessage(t *testing.T, f func()) (msg string, isErr bool) {
	t.Helper()
	switch v := catch(f).(type) {
	case nil:
		t.Fatal("no panic")
	case error:
		return v.Error(), true
	case string:
		return v, false
	default:
		t.Fatalf("panic value %#v is neither error nor string", v)
	}
	return "", false
}

// within fails the test unless c yields a value within bound.
func within[V any](t *testing.T, c <-chan V, what string) V {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(bound):
		t.Fatalf("%s did not happen within %v", what, bound)
		panic("unreachable")
	}
}

// closed reports whether c is closed, without blocking; a value on c fails
// the test.
func closed[V any](t *testing.T, c <-chan V) bool {
	t.Helper()
	select {
	case v, ok := <-c:
		if ok {
			t.Fatalf("unexpected value %v", v)
		}
		return true
	default:
		return false
	}
}

// done returns a channel closed when f returns.
func done(f func()) <-chan struct{} {
	c := make(chan struct{})
	go func() {
		defer close(c)
		f()
	}()
	return c
}

// returned reports whether c is closed already.
func returned(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
