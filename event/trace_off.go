//go:build !eventtrace

package event

import "context"

// tracing is false in a normal build: every trace hook sits in an
// "if tracing { ... }" block, which the compiler drops with its arguments,
// and the linker drops the unused stubs below. Build with the tag
// eventtrace (trace_on.go) to record spec actions for trace validation.
const tracing = false

func traceBegin()                                   {}
func traceEnd(obj any, action string, args ...any)  {}
func traceStep(obj any, action string, args ...any) {}

func traceArrive(c any, busy bool, ctx context.Context)   {}
func traceHolderEnd(c any, action string)                 {}
func traceEnqueue(c any, turn chan struct{})              {}
func traceTurn(c any, turn chan struct{}, action string)  {}
func traceOwnerEnd(c any, action string, args ...any)     {}
func traceOwnerStep(c any, action string, args ...any)    {}
func traceSubscribe(c, entry, ch any)                     {}
func traceOffer(c, entry any, r string)                   {}
func traceDeliver(c, entry any, delivered, panicked bool) {}
