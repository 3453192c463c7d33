// Package tracecheck validates executions of the event package against its
// TLA+ specification. Built with the tag eventtrace, the event package
// records every step of an engine as the spec action it is (event/trace_on.go);
// this package's tests drive the engines through seeded scenarios and write
// each run's trace as a TLA+ module, and spec/trace.sh has TLC replay the
// traces inside the spec (spec/TraceNewSubscription.tla,
// spec/TraceResubscribe.tla). spec/README.md, "Trace validation", says how
// it works and how an engine plugs in.
//
// Without the tag only the module writer (module.go) and its test are
// built.
package tracecheck
