// Package stress holds long-running concurrent tests for the event package.
//
// Every test here runs under the race detector, is bounded by both an
// operation count and a wall-clock duration, checks its guarantees on every
// operation, and reports its seed, operations done and operations per second.
// The bounds and the seed come from flags or environment variables:
//
//	-stress.ops=N       or STRESS_OPS=N       operation budget per test
//	-stress.duration=D  or STRESS_DURATION=D  time budget per test
//	-stress.seed=S      or STRESS_SEED=S      seed to replay a run
//	-stress.stall=D     or STRESS_STALL=D     fail when no operation starts for D
//
// Every value must be positive. Flags win over environment variables; a
// value that does not parse fails the run (the flag package exits, a bad
// environment value fails each test). Without either, each test uses its
// own short default so that the package stays quick in an ordinary test run.
// Pass -v to see the per-test report lines.
package stress
