//go:build eventtrace

package tracecheck

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eventspec/eventspec/event"
	"github.com/eventspec/eventspec/internal/testkit"
)

var errProducer = errors.New("producer failed")

// newSubPlan is a NewSubscription scenario.
type newSubPlan struct {
	fails    bool     // the producer returns an error, else nil
	producer string   // returns "now", on a "signal" from the driver (or quit), or on "quit"
	callers  []string // when each Unsubscribe caller starts: "early", "race" (with the signal), "late"
	reader   bool     // a goroutine reads Err from the start (else the driver reads it at the end)
	settle   bool     // the driver lets every goroutine block between the phases
}

func (p newSubPlan) String() string {
	r := "nil"
	if p.fails {
		r = "an error"
	}
	return fmt.Sprintf("producer returns %s %s; Unsubscribe callers [%s]; reader %v; settle %v",
		r, map[string]string{"now": "at once", "signal": "on a signal or quit", "quit": "once quit is closed (or after an hour)"}[p.producer],
		strings.Join(p.callers, " "), p.reader, p.settle)
}

func newNewSubPlan(rng *rand.Rand) newSubPlan {
	p := newSubPlan{
		fails:    rng.IntN(2) == 0,
		producer: []string{"now", "signal", "quit"}[rng.IntN(3)],
		reader:   rng.IntN(2) == 0,
		settle:   rng.IntN(3) != 0,
	}
	for range rng.IntN(4) {
		p.callers = append(p.callers, []string{"early", "race", "late"}[rng.IntN(3)])
	}
	return p
}

// TestTraceNewSubscription records NewSubscription runs: a producer that
// returns an error or nil at once, on a signal or once quit is closed,
// racing with up to three Unsubscribe callers that start before, with or
// after the signal, and a reader of Err.
func TestTraceNewSubscription(t *testing.T) {
	forSeeds(t, "NewSubscription", func(t *testing.T, seed uint64, write func(*Run)) {
		p := newNewSubPlan(rand.New(rand.NewPCG(seed, 0x4e6577537562)))
		synctest.Test(t, func(t *testing.T) {
			rec := Record(t)
			release := make(chan struct{})
			sub := event.NewSubscription(p.produce(release))
			p.drive(sub, release)
			synctest.Wait() // the producer's goroutine has ended
			events, err := rec.Events()
			if err != nil {
				t.Fatal(err)
			}
			write(&Run{Seed: seed, Scenario: p.String(), Params: []Field{{"callers", len(p.callers)}}, Events: events})
		})
	})
}

// produce returns the plan's producer: it returns at once, once release
// or quit is closed, or once quit is closed (giving up after an hour), and
// records whether it saw quit closed unless it returned at once.
func (p newSubPlan) produce(release <-chan struct{}) func(quit <-chan struct{}) error {
	return func(quit <-chan struct{}) error {
		switch p.producer {
		case "signal":
			select {
			case <-release:
			case <-quit:
			}
		case "quit":
			patience := time.NewTimer(time.Hour)
			defer patience.Stop()
			select {
			case <-quit:
			case <-patience.C:
			}
		}
		if p.producer != "now" {
			event.TraceDo(func() (string, []any) {
				return "ObsQuit", []any{"closed", testkit.IsClosed(quit)}
			})
		}
		if p.fails {
			return errProducer
		}
		return nil
	}
}

// drive runs the plan's phases on sub: the early Unsubscribe callers, the
// racing ones with the signal (closing release), the late ones; it returns
// once every caller has returned and Err has been read to its close.
func (p newSubPlan) drive(sub event.Subscription, release chan struct{}) {
	var wg sync.WaitGroup
	if p.reader {
		wg.Go(func() { drainErr(sub) })
	}
	start := func(phase string) {
		for _, c := range p.callers {
			if c == phase {
				wg.Go(sub.Unsubscribe)
			}
		}
	}
	start("early")
	if p.settle {
		synctest.Wait()
	}
	start("race")
	close(release)
	if p.settle {
		synctest.Wait()
	}
	start("late")
	wg.Wait()
	if !p.reader {
		drainErr(sub)
	}
}

// drainErr reads Err until it is closed: each value is the spec's ReadErr,
// the close an observation.
func drainErr(sub event.Subscription) {
	for range sub.Err() {
		event.TraceEmit("ReadErr")
	}
	event.TraceEmit("ObsErrClosed")
}
