package model

// Join models JoinSubscriptions over inner NewSubscriptions: the joined
// subscription fails with the first non-nil inner error, ignores inner
// subscriptions that end with nil, and on exit unsubscribes every inner one.
type Join struct {
	Outer  *Sub
	Inners []*Sub
	// Failed holds the inner errors in the order the join's watchers took
	// them; the join ends with the first. History for JoinFirstError.
	Failed []int
	// Unsub: Unsubscribe of the joined subscription was called.
	Unsub bool
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

// InnerFail models inner subscription i's producer returning the error err
// (an error ID, not 0): unless the join has ended, its watcher passes err on
// and the join ends with it, unsubscribing every inner subscription.
//
// Spec actions (Join): InnerFail, WatchErr, JoinSelect, JoinUnsub, WatchStop, JoinWait, JoinEnd.
func (j *Join) InnerFail(i, err int) {
	in := j.Inners[i]
	if in.Returned || err == 0 {
		return
	}
	in.ProducerReturn(err)
	if !j.Outer.Returned {
		j.Failed = append(j.Failed, err)
		j.Outer.ProducerReturn(err)
		j.unsubscribeInners()
	}
}

// InnerEnd models inner subscription i's producer returning nil: its Err
// closes without a value, and the join ignores it.
//
// Spec actions (Join): InnerEnd, WatchErr.
func (j *Join) InnerEnd(i int) {
	j.Inners[i].ProducerReturn(0)
}

func (j *Join) unsubscribeInners() {
	for _, in := range j.Inners {
		in.Unsubscribe(0)
	}
}

// Unsubscribe models Unsubscribe of the joined subscription: every inner
// subscription is unsubscribed and the joined Err closes without a value.
//
// Spec actions (Join): Unsub1, JoinSelect, JoinUnsub, WatchStop, WatchErr, JoinWait, JoinEnd, Unsub2.
func (j *Join) Unsubscribe() {
	j.Unsub = true
	if !j.Outer.Returned {
		j.unsubscribeInners()
	}
	j.Outer.Unsubscribe(0)
}
