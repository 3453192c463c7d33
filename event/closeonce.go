package event

import "sync"

// beginOnce starts an operation that runs once while later calls wait for
// it, as SubscriptionScope.Close and TypeMux.Stop do; begun and done are the
// owner's fields, guarded by mu, which the caller holds. The first call sets
// begun and returns a new done channel, which the caller closes when the
// operation is over, with mu still held. A later call releases mu, waits
// until done is closed and returns nil.
func beginOnce(mu sync.Locker, begun *bool, done *chan struct{}) chan struct{} {
	if *begun {
		wait := *done
		mu.Unlock()
		<-wait
		return nil
	}
	*begun = true
	*done = make(chan struct{})
	return *done
}
