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
