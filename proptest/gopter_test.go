package proptest

import (
	"fmt"
	"testing"
	"time"

	"github.com/eventspec/eventspec/internal/testkit"
	"github.com/eventspec/eventspec/model"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"
)

var (
	gopterChecks = testkit.CountBudget("gopter.checks", "GOPTER_CHECKS", "gopter: successful test cases per property (default 100)")
	gopterSeed   = testkit.CountBudget("gopter.seed", "GOPTER_SEED", "gopter: seed (default: time-based, printed)")
)

func gopterParams(t *testing.T, st *stats) *gopter.TestParameters {
	seed := gopterSeed.Value(t, time.Now().UnixNano())
	st.seed = fmt.Sprint(seed)
	t.Logf("gopter seed %d (replay with -gopter.seed=%d or GOPTER_SEED=%d)", seed, seed, seed)
	p := gopter.DefaultTestParametersWithSeed(seed)
	p.MinSuccessfulTests = int(gopterChecks.Value(t, 100))
	p.MaxSize = 40
	return p
}

// capture is a reporter that turns Fatalf into a value gopter can report.
type capture struct{ msg string }

func (c *capture) Helper() {}
func (c *capture) Fatalf(format string, args ...any) {
	c.msg = fmt.Sprintf(format, args...)
	panic(c)
}

// runCaptured runs f, returning the message of a failure it reported.
func runCaptured(f func(r reporter)) (msg string) {
	c := &capture{}
	defer func() {
		if r := recover(); r != nil {
			if r != c {
				panic(r)
			}
			msg = c.msg
		}
	}()
	f(c)
	return ""
}

// gopterCmd adapts one operation to gopter's commands.Command. The gopter
// state only counts what exists, to draw indexes; the system under test
// holds the model and skips operations its model finds not applicable (a
// shrunk sequence may leave some), so a precondition never fails at run
// time.
type gopterCmd struct {
	name string
	next func(genState) genState
	run  func(sut commands.SystemUnderTest, r reporter) // applies the op unless not applicable
}

// genState counts channels and entries (feed) or Track calls (scope).
type genState struct{ a, b int }

func (c *gopterCmd) Run(sut commands.SystemUnderTest) commands.Result {
	g := sut.(*gopterSUT)
	if g.failed != "" || g.skip {
		return ""
	}
	g.failed = runCaptured(func(r reporter) { c.run(g.h, r) })
	return g.failed
}

func (c *gopterCmd) NextState(s commands.State) commands.State {
	if c.next == nil {
		return s
	}
	return c.next(s.(genState))
}
func (c *gopterCmd) PreCondition(commands.State) bool { return true }
func (c *gopterCmd) PostCondition(_ commands.State, res commands.Result) *gopter.PropResult {
	if msg := res.(string); msg != "" {
		return &gopter.PropResult{Status: gopter.PropFalse, Labels: []string{msg}}
	}
	return &gopter.PropResult{Status: gopter.PropTrue}
}
func (c *gopterCmd) String() string { return c.name }

// gopterOp is the command that applies o to the harness, of type H, unless
// its model finds o not applicable.
func gopterOp[H machine[Op], Op fmt.Stringer](o Op, next func(genState) genState) commands.Command {
	return &gopterCmd{name: o.String(), next: next, run: func(sut commands.SystemUnderTest, r reporter) {
		if h := sut.(H); h.applicable(o) {
			apply[Op](r, h, o)
		}
	}}
}

// gopterSUT is the real system (in its bubble) with its model.
type gopterSUT struct {
	h      interface{ end() error }
	failed string
	skip   bool // the time budget is used up
}

func runGopter(t *testing.T, name string, st *stats, newSUT func() interface{ end() error }, gen func(genState) gopter.Gen) {
	cmds := &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(commands.State) commands.SystemUnderTest {
			st.addCase()
			return &gopterSUT{h: newSUT(), skip: st.overBudget()}
		},
		DestroySystemUnderTestFunc: func(sut commands.SystemUnderTest) {
			g := sut.(*gopterSUT)
			if err := g.h.end(); err != nil && g.failed == "" {
				t.Errorf("cleanup: %v", err)
			}
		},
		InitialStateGen: genConst(genState{}),
		GenCommandFunc:  func(s commands.State) gopter.Gen { return gen(s.(genState)) },
	}
	props := gopter.NewProperties(gopterParams(t, st))
	props.Property(name, commands.Prop(cmds))
	props.TestingRun(t)
}

func genConst(s genState) gopter.Gen { return gen.Const(s) }

func feedGopterGen(generic bool) func(genState) gopter.Gen {
	caps := []any{0, 1, 2}
	if generic {
		caps = append(caps, model.NilCap)
	}
	op := gopterOp[*feedHarness, feedOp]
	return func(s genState) gopter.Gen {
		subNew := gen.OneConstOf(caps...).Map(func(c int) commands.Command {
			return op(feedOp{Kind: feedSubscribe, Chan: -1, Cap: c}, func(s genState) genState { return genState{s.a + 1, s.b + 1} })
		})
		gens := []gopter.Gen{subNew,
			gen.Const(op(feedOp{Kind: feedSend}, nil)),
			gen.Const(op(feedOp{Kind: feedSend}, nil)),
		}
		if s.a > 0 {
			ch := gen.IntRange(0, s.a-1)
			gens = append(gens,
				ch.Map(func(c int) commands.Command {
					return op(feedOp{Kind: feedSubscribe, Chan: c}, func(s genState) genState { return genState{s.a, s.b + 1} })
				}),
				ch.Map(func(c int) commands.Command { return op(feedOp{Kind: feedReceive, Chan: c}, nil) }),
				ch.Map(func(c int) commands.Command { return op(feedOp{Kind: feedReceive, Chan: c}, nil) }),
				ch.Map(func(c int) commands.Command { return op(feedOp{Kind: feedReceive, Chan: c}, nil) }),
			)
		}
		if s.b > 0 {
			gens = append(gens, gen.IntRange(0, s.b-1).Map(func(e int) commands.Command {
				return op(feedOp{Kind: feedUnsubscribe, Entry: e}, nil)
			}))
		}
		if !generic {
			var wrongs []any
			for _, w := range all[wrongKind]() {
				wrongs = append(wrongs, w)
			}
			gens = append(gens, gen.OneConstOf(wrongs...).
				Map(func(w wrongKind) commands.Command { return op(feedOp{Kind: feedWrong, Wrong: w}, nil) }))
		}
		return gen.OneGenOf(gens...)
	}
}

func TestFeedGopter(t *testing.T)   { runFeedGopter(t, false) }
func TestFeedOfGopter(t *testing.T) { runFeedGopter(t, true) }

// runFeedGopter drives Feed or FeedOf[int] with gopter's commands package,
// an independent generator, against the same model and observations as the
// rapid suite.
func runFeedGopter(t *testing.T, generic bool) {
	st := newStats(t, "")
	runGopter(t, "feed matches model", st,
		func() interface{ end() error } { return newFeedHarness(t, generic, st) },
		feedGopterGen(generic))
}

// TestScopeGopter drives SubscriptionScope with gopter's commands package.
func TestScopeGopter(t *testing.T) {
	st := newStats(t, "")
	op := gopterOp[*scopeHarness, scopeOp]
	runGopter(t, "scope matches model", st,
		func() interface{ end() error } { return newScopeHarness(t, st) },
		func(s genState) gopter.Gen {
			gens := []gopter.Gen{
				gen.Const(op(scopeOp{Kind: scopeTrack}, func(s genState) genState { return genState{s.a + 1, 0} })),
				gen.Const(op(scopeOp{Kind: scopeTrack}, func(s genState) genState { return genState{s.a + 1, 0} })),
				gen.Const(op(scopeOp{Kind: scopeTrackNil}, func(s genState) genState { return s })),
				gen.Const(op(scopeOp{Kind: scopeTrackSlow}, func(s genState) genState { return genState{s.a + 1, 0} })),
				gen.Const(op(scopeOp{Kind: scopeTrackPanic}, func(s genState) genState { return genState{s.a + 1, 0} })),
				gen.Const(op(scopeOp{Kind: scopeRelease}, nil)),
				gen.Const(op(scopeOp{Kind: scopeClose}, nil)),
			}
			if s.a > 0 {
				w := gen.IntRange(0, s.a-1)
				gens = append(gens,
					w.Map(func(i int) commands.Command { return op(scopeOp{Kind: scopeUnsubscribe, W: i}, nil) }),
					w.Map(func(i int) commands.Command { return op(scopeOp{Kind: scopeUnsubscribe, W: i}, nil) }),
					w.Map(func(i int) commands.Command { return op(scopeOp{Kind: scopeRaceClose, W: i}, nil) }),
				)
			}
			return gen.OneGenOf(gens...)
		})
}
