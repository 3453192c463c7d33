package proptest

import (
	"fmt"
	"runtime/debug"
	"testing"
	"testing/synctest"
	"time"
)

// bubble runs closures, one at a time, inside a testing/synctest bubble,
// and after each closure waits (synctest.Wait) until every goroutine the
// real package started is blocked or finished: the settled state the model
// describes. The driver goroutine never touches the bubble's channels.
type bubble struct {
	cmds  chan func()
	acks  chan string // "" or a panic description
	done  chan struct{}
	park  chan struct{} // never closed: a stuck bubble waits here
	stuck bool
}

func newBubble(t *testing.T) *bubble {
	b := &bubble{cmds: make(chan func()), acks: make(chan string), done: make(chan struct{}), park: make(chan struct{})}
	go func() {
		defer close(b.done)
		synctest.Test(t, func(*testing.T) {
			for f := range b.cmds {
				b.acks <- runSettled(f)
			}
		})
	}()
	return b
}

func runSettled(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("unexpected panic: %v\n%s", r, debug.Stack())
		}
	}()
	f()
	synctest.Wait()
	return ""
}

// do runs f in the bubble and returns once the bubble has settled; it
// returns an error if f panicked or the bubble did not settle within the
// failure bound.
func (b *bubble) do(f func()) error {
	if b.stuck {
		return fmt.Errorf("bubble is stuck")
	}
	select {
	case b.cmds <- f:
	case <-time.After(*settleBound):
		b.stuck = true
		return fmt.Errorf("bubble did not accept an operation within %v", *settleBound)
	}
	select {
	case msg := <-b.acks:
		if msg != "" {
			return fmt.Errorf("%s", msg)
		}
		return nil
	case <-time.After(*settleBound):
		b.stuck = true
		return fmt.Errorf("operation did not settle within %v", *settleBound)
	}
}

// close runs cleanup in the bubble (which must leave no goroutine of the
// test or the package blocked) and ends the bubble. If cleanup reports
// that goroutines are left blocked, the bubble is parked instead of ended
// (ending it would abort the test binary), and close returns an error.
func (b *bubble) close(cleanup func() error) error {
	if b.stuck {
		return fmt.Errorf("bubble is stuck")
	}
	var cerr error
	if err := b.do(func() { cerr = cleanup() }); err != nil {
		return err
	}
	if cerr != nil {
		b.stuck = true
		go func() { b.cmds <- func() { <-b.park } }()
		return cerr
	}
	close(b.cmds)
	select {
	case <-b.done:
		return nil
	case <-time.After(*settleBound):
		return fmt.Errorf("bubble did not end within %v", *settleBound)
	}
}

// syncWait waits, inside the bubble, for every other goroutine to block.
func syncWait() { synctest.Wait() }
