//go:build !eventtrace

package event

// tracing is false in a normal build: every trace hook sits in an
// "if tracing { ... }" block, which the compiler drops with its arguments,
// and the linker drops the unused stubs below. Build with the tag
// eventtrace (trace_on.go) to record spec actions for trace validation.
const tracing = false

func traceBegin()                                   {}
func traceEnd(obj any, action string, args ...any)  {}
func traceStep(obj any, action string, args ...any) {}
