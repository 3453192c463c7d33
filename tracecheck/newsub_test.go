//go:build eventtrace

package tracecheck

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
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
	goexit   bool     // (not fails) the producer ends its goroutine with runtime.Goexit instead of returning nil
	producer string   // returns "now", on a "signal" from the driver (or quit), or on "quit"
	callers  []string // when each Unsubscribe caller starts: "early", "race" (with the signal), "late"
	reader   bool     // a goroutine reads Err from the start (else the driver reads it at the end)
	settle   bool     // the driver lets every goroutine block between the phases
}

func (p newSubPlan) String() string {
	r := "returns nil"
	if p.fails {
		r = "returns an error"
	} else if p.goexit {
		r = "calls runtime.Goexit"
	}
	return fmt.Sprintf("producer %s %s; Unsubscribe callers [%s]; reader %v; settle %v",
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
	// Drawn last, so that the seeds keep their other choices: a quarter
	// of the producers that would return nil call runtime.Goexit instead.
	p.goexit = !p.fails && rng.IntN(4) == 0
	return p
}

// newSubPatience bounds the driver's wait, in fake time, for the
// Unsubscribe callers and the end of Err: twice the hour after which a
// producer waiting for quit gives up. A run whose callers or reader are
// still blocked then has hung; the driver records that as an observation
// (ObsProducerEnded) instead of deadlocking the bubble before writing the
// trace. The blocked goroutines stay blocked, so synctest.Test then panics
// and ends the test binary; spec/trace.sh resumes it at the next seed.
const newSubPatience = 2 * time.Hour

// TestTraceNewSubscription records NewSubscription runs: a producer that
// returns an error or nil, or calls runtime.Goexit, at once, on a signal
// or once quit is closed, racing with up to three Unsubscribe callers that
// start before, with or after the signal, and a reader of Err.
//
// A producer that calls runtime.Goexit takes the same steps in the code
// as one that returns nil (funcSub.run defers end), so its trace has the
// same events, ProducerReturn with r = "nil" first: NewSubscription.tla
// needs no step of its own for it. Such a run, and any run that hangs,
// ends with the observation ObsProducerEnded once every goroutine is
// blocked or gone: the producer's goroutine has ended, so the spec's
// producer must be at its end (Err and done closed).
func TestTraceNewSubscription(t *testing.T) {
	forSeeds(t, "NewSubscription", func(t *testing.T, seed uint64, write func(*Run)) {
		p := newNewSubPlan(rand.New(rand.NewPCG(seed, 0x4e6577537562)))
		synctest.Test(t, func(t *testing.T) {
			rec := Record(t)
			release := make(chan struct{})
			exited := make(chan struct{})
			sub := event.NewSubscription(p.produce(release, exited))
			hung := !p.drive(sub, release)
			synctest.Wait() // the producer's goroutine has ended or is blocked
			if p.goexit || hung {
				if !testkit.IsClosed(exited) {
					t.Fatal("the producer is still running after the driver's patience")
				}
				event.TraceEmit("ObsProducerEnded")
			}
			events, err := rec.Events()
			if err != nil {
				t.Fatal(err)
			}
			write(&Run{Seed: seed, Scenario: p.String(), Params: []Field{{"callers", len(p.callers)}}, Events: events})
		})
	})
}

// produce returns the plan's producer: it returns (or calls
// runtime.Goexit) at once, once release or quit is closed, or once quit is
// closed (giving up after an hour), and records whether it saw quit closed
// unless it ended at once. It closes exited as it ends.
func (p newSubPlan) produce(release <-chan struct{}, exited chan<- struct{}) func(quit <-chan struct{}) error {
	return func(quit <-chan struct{}) error {
		defer close(exited)
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
		if p.goexit {
			runtime.Goexit()
		}
		return nil
	}
}

// drive runs the plan's phases on sub: the early Unsubscribe callers, the
// racing ones with the signal (closing release), the late ones; it returns
// true once every caller has returned and Err has been read to its close,
// false if that has not happened after newSubPatience (a hang).
func (p newSubPlan) drive(sub event.Subscription, release chan struct{}) bool {
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
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		if !p.reader {
			drainErr(sub)
		}
		close(finished)
	}()
	giveUp := time.NewTimer(newSubPatience)
	defer giveUp.Stop()
	select {
	case <-finished:
		return true
	case <-giveUp.C:
		return false
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
