package testkit

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// Budget is a positive setting of a test run (an operation count, a time
// bound, a seed) taken from a command-line flag, else from an environment
// variable, else from the caller's default. A value that does not parse or
// is not positive is a failure, never silently replaced: on the command
// line the flag package rejects it, in the environment Value fails the test.
type Budget[T int64 | time.Duration] struct {
	name, env string
	parse     func(string) (T, error)
	set       T // from the flag; 0 when the flag was not given
}

// CountBudget defines the flag -name and the environment variable env for
// a positive count, and registers the flag on flag.CommandLine.
func CountBudget(name, env, usage string) *Budget[int64] {
	return define(name, env, usage, func(s string) (int64, error) { return strconv.ParseInt(s, 0, 64) })
}

// DurationBudget is CountBudget for a positive duration (time.ParseDuration).
func DurationBudget(name, env, usage string) *Budget[time.Duration] {
	return define(name, env, usage, time.ParseDuration)
}

func define[T int64 | time.Duration](name, env, usage string, parse func(string) (T, error)) *Budget[T] {
	b := &Budget[T]{name: name, env: env, parse: parse}
	flag.Var(b, name, fmt.Sprintf("%s (or env %s; positive)", usage, env))
	return b
}

// Value returns the flag's value if the flag was given, else the
// environment variable's if it is set, else def. A malformed or
// non-positive environment value fails tb with a message naming it.
func (b *Budget[T]) Value(tb testing.TB, def T) T {
	tb.Helper()
	if b.set > 0 {
		return b.set
	}
	s, ok := os.LookupEnv(b.env)
	if !ok {
		return def
	}
	v, err := b.check(s)
	if err != nil {
		tb.Fatalf("environment %s=%q: %v", b.env, s, err)
	}
	return v
}

// check parses s and requires a positive value.
func (b *Budget[T]) check(s string) (T, error) {
	v, err := b.parse(s)
	if err != nil {
		return 0, err
	}
	if v <= 0 {
		return 0, fmt.Errorf("%v is not positive", v)
	}
	return v, nil
}

// Set parses a value given on the command line (flag.Value).
func (b *Budget[T]) Set(s string) error {
	v, err := b.check(s)
	if err != nil {
		return err
	}
	b.set = v
	return nil
}

// String returns the value given on the command line, 0 if none (flag.Value).
func (b *Budget[T]) String() string {
	if b == nil {
		return "0"
	}
	return fmt.Sprint(b.set)
}
