package event

import (
	"testing"

	"github.com/eventspec/eventspec/internal/testkit"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// panicMessage runs f, which must panic, and returns its panic value's text
// and whether the value is an error.
func panicMessage(t *testing.T, f func()) (msg string, isErr bool) {
	t.Helper()
	switch v := testkit.Catch(f).(type) {
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
