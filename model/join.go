package model

// Join models JoinSubscriptions over inner NewSubscriptions: the joined
// subscription fails with the first non-nil inner error, ignores inner
// subscriptions that end with nil, and on exit unsubscribes every inner one.
type Join struct {
	Outer  *Sub
	Inners []*Sub
}

// NewJoin returns the model of JoinSubscriptions over n live inner
// subscriptions.
func NewJoin(n int) *Join {
	j := &Join{Outer: &Sub{}}
	for range n {
		j.Inners = append(j.Inners, &Sub{})
	}
	return j
}

// InnerReturn models inner subscription i's producer returning err (0 for
// nil).
func (j *Join) InnerReturn(i, err int) {
	in := j.Inners[i]
	if in.Returned {
		return
	}
	in.ProducerReturn(err)
	if err != 0 && !j.Outer.Returned {
		j.Outer.ProducerReturn(err)
		j.unsubscribeInners()
	}
}

func (j *Join) unsubscribeInners() {
	for _, in := range j.Inners {
		in.Unsubscribe(0)
	}
}

// Unsubscribe models Unsubscribe of the joined subscription: every inner
// subscription is unsubscribed and the joined Err closes without a value.
func (j *Join) Unsubscribe() {
	if !j.Outer.Returned {
		j.unsubscribeInners()
	}
	j.Outer.Unsubscribe(0)
}

// JoinInvariants checks SingleError and ErrClosedAfterUnsubscribe for the
// joined and inner subscriptions, and that a joined subscription that has
// ended left no inner subscription running.
func JoinInvariants(j *Join) error {
	if err := SubInvariants(j.Outer); err != nil {
		return err
	}
	for _, in := range j.Inners {
		if err := SubInvariants(in); err != nil {
			return err
		}
		if j.Outer.Returned && !in.Returned {
			return errorf("NoLeakedInner: joined subscription ended with an inner producer running")
		}
	}
	return nil
}
