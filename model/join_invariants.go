package model

import "fmt"

// JoinFirstError mirrors the spec invariant of the same name: the joined
// subscription ends only with an inner error or by Unsubscribe (inner
// subscriptions that end with nil are ignored), its Err carries at most one
// value, the first error the join took, and carries it unless Unsubscribe
// came first.
func JoinFirstError(j *Join) error {
	if j.Outer.Returned && len(j.Failed) == 0 && !j.Unsub {
		return fmt.Errorf("JoinFirstError: the join ended with no inner error and no Unsubscribe")
	}
	vals := append(append([]int(nil), j.Outer.ErrRecv...), j.Outer.ErrBuf...)
	if j.Outer.ErrsSent > 1 || len(vals) > 1 {
		return fmt.Errorf("JoinFirstError: Err carried %d values", max(j.Outer.ErrsSent, len(vals)))
	}
	for _, v := range vals {
		if len(j.Failed) == 0 || v != j.Failed[0] {
			return fmt.Errorf("JoinFirstError: Err carried %d, the first inner error is %v", v, j.Failed)
		}
	}
	if j.Outer.Returned && len(j.Failed) > 0 && !j.Unsub && j.Outer.ErrsSent != 1 {
		return fmt.Errorf("JoinFirstError: the join ended with error %d before any Unsubscribe and Err carried none", j.Failed[0])
	}
	return nil
}

// JoinUnsubscribesAll mirrors the spec invariant of the same name: once the
// joined subscription has ended, every inner subscription was unsubscribed
// and its producer has returned.
func JoinUnsubscribesAll(j *Join) error {
	if !j.Outer.Returned {
		return nil
	}
	for i, in := range j.Inners {
		if !in.UnsubReturned || !in.Returned {
			return fmt.Errorf("JoinUnsubscribesAll: the join ended with inner %d unsubscribed=%v, producer returned=%v",
				i, in.UnsubReturned, in.Returned)
		}
	}
	return nil
}

// JoinInvariants checks every JoinSubscriptions invariant, and those of
// NewSubscription on the joined and the inner subscriptions.
func JoinInvariants(j *Join) error {
	if err := firstViolation(j, TypeOK[*Join], JoinFirstError, JoinUnsubscribesAll); err != nil {
		return err
	}
	for _, s := range append([]*Sub{j.Outer}, j.Inners...) {
		if err := SubInvariants(s); err != nil {
			return err
		}
	}
	return nil
}
