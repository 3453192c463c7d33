package model

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func mustHold(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("invariant violated on a good state: %v", err)
	}
}

func mustReject(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("invariant accepted a bad state")
	}
	t.Logf("rejected as expected: %v", err)
}

// holdsThenRejects checks that inv holds on the state good builds, and that
// it rejects that state after each corruption, each applied to a state of
// its own.
func holdsThenRejects[S any](t *testing.T, good func() S, inv func(S) error, corrupt ...func(S)) {
	t.Helper()
	mustHold(t, inv(good()))
	for _, c := range corrupt {
		s := good()
		c(s)
		mustReject(t, inv(s))
	}
}
